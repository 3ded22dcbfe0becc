"""The writer's guide (docs/huong-dan-viet-bai.md) keeps up with the code.

- every Problem code sitegen can report has a row in the guide's error table, and every
  row there names a code the code can still report;
- every ``sitegen`` subcommand is explained;
- the guide is NFC text (as the content it describes);
- ``.pre-commit-hooks.yaml`` offers the ``sitegen-check`` hook the guide tells writers to use;
- README.md sends writers to the guide.
"""

from __future__ import annotations

import argparse
import ast
import re
import shlex
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from sitegen.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "huong-dan-viet-bai.md"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PACKAGE = ROOT / "sitegen"
CODE_SHAPE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def error_section(text: str) -> str:
    """Section 11 of the guide, "Bảng thông báo lỗi và cách sửa", up to the next section."""
    m = re.search(r"^## 11\. .*?(?=^## 12\. |\Z)", text, re.M | re.S)
    assert m, "the guide has no section 11 (Bảng thông báo lỗi và cách sửa)"
    return m[0]


def table_codes(section: str) -> set[str]:
    """The codes named as the first cell of a table row: ``| `bad-date` | …``."""
    return {m[1] for m in re.finditer(r"^\|\s*`([^`]+)`\s*\|", section, re.M)
            if CODE_SHAPE.fullmatch(m[1])}


# --- collecting the codes from the source --------------------------------------------

def _strings(node: ast.expr) -> Iterator[str]:
    """String constants an expression can evaluate to (``"a" if x else "b"`` gives both)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _strings(value)


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _positional(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def problem_codes() -> dict[str, set[str]]:
    """Every ``code`` a Problem can get in sitegen/, with where it is set (``file:line``).

    Found by parsing the source: ``code="…"`` keyword arguments; the argument in the
    ``code`` position of calls to any function that has a ``code`` parameter (``Problem``,
    ``warning(path, message, code)``, helpers such as ``warn(key, message, fix, code)``);
    defaults of ``code`` parameters; and ``code = "…"`` assignments (a code chosen in a
    variable before the call).
    """
    trees = {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p))
             for p in sorted(PACKAGE.rglob("*.py"))}
    position: dict[str, set[int]] = {"Problem": {2}, "warning": {2}}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = _positional(node)
                if "code" in names:
                    position.setdefault(node.name, set()).add(names.index("code"))
    found: dict[str, set[str]] = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            values: list[str] = []
            if isinstance(node, ast.Call):
                values += [v for kw in node.keywords if kw.arg == "code" for v in _strings(kw.value)]
                for i in position.get(_call_name(node) or "", ()):
                    if i < len(node.args):
                        values += _strings(node.args[i])
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                plain = [*args.posonlyargs, *args.args]
                pairs = [*zip(plain[len(plain) - len(args.defaults):], args.defaults, strict=True),
                         *((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                           if d is not None)]
                values += [v for a, d in pairs if a.arg == "code" for v in _strings(d)]
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
                values += _strings(node.value)
            for value in values:
                if CODE_SHAPE.fullmatch(value):
                    where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
                    found.setdefault(value, set()).add(where)
    return found


def test_the_code_collector_finds_the_known_codes() -> None:
    codes = problem_codes()
    for known in ("no-front-matter", "yaml", "missing-key", "bad-date", "bad-choice",
                  "end-before-start", "missing-alt", "broken-link", "unknown-key",
                  "duplicate-address", "term-merged", "link-unpublished"):
        assert known in codes, f"{known} not found: the collector no longer reads the source right"
    assert len(codes) >= 25, sorted(codes)


def test_every_problem_code_has_a_row_in_the_error_table() -> None:
    rows = table_codes(error_section(guide_text()))
    missing = {code: sorted(where) for code, where in problem_codes().items() if code not in rows}
    assert not missing, (
        "these codes have no row in the error table (section 11) of docs/huong-dan-viet-bai.md; "
        "add a row | `code` | example message | meaning | fix |: " + repr(missing))


def test_every_code_in_the_error_table_still_exists() -> None:
    stale = table_codes(error_section(guide_text())) - set(problem_codes())
    assert not stale, f"the guide explains codes sitegen no longer reports: {sorted(stale)}"


def test_every_problem_code_appears_in_backticks() -> None:
    text = guide_text()
    missing = [code for code in problem_codes() if f"`{code}`" not in text]
    assert not missing, missing


def test_the_exit_codes_are_explained() -> None:
    section = error_section(guide_text())
    for code in ("0", "1", "2"):
        assert re.search(rf"^\|\s*`{code}`\s*\|", section, re.M), f"exit code {code} not explained"
    assert "output/ giữ nguyên" in section


# --- commands -------------------------------------------------------------------------

def subcommands() -> list[str]:
    actions = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1
    return list(actions[0].choices)


def test_every_subcommand_is_in_the_guide() -> None:
    names = subcommands()
    assert {"build", "check", "new", "serve", "report"} <= set(names)
    text = guide_text()
    missing = [name for name in names if f"sitegen {name}" not in text]
    assert not missing, f"the guide never shows these commands: {missing}"


def shell_words(line: str) -> list[str]:
    """The words of the first command of a shell line (up to ``||``, ``;``, ``#`` …)."""
    lex = shlex.shlex(line, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    words = []
    for word in lex:
        if set(word) <= set("();<>|&"):
            break
        words.append(word)
    return words


@pytest.mark.parametrize("kind", ["model", "movement", "commemoration", "news", "document"])
def test_the_guide_shows_sitegen_new_for_every_kind(kind: str) -> None:
    assert re.search(rf"sitegen new {kind} \"", guide_text()), kind


def test_the_commands_shown_in_the_guide_parse() -> None:
    """Every ``sitegen …`` line of the guide's shell examples is a valid command line."""
    commands = [words[1:] for block in re.findall(r"```sh\n(.*?)```", guide_text(), re.S)
                for line in block.splitlines() if (words := shell_words(line))[:1] == ["sitegen"]]
    assert len(commands) >= 10
    parser = _parser()
    for argv in commands:
        if argv == ["--version"]:
            continue
        parser.parse_args(argv)  # exits (SystemExit) on a command the CLI does not accept


# --- text -----------------------------------------------------------------------------

def test_the_guide_is_nfc() -> None:
    text = guide_text()
    assert unicodedata.is_normalized("NFC", text), [
        (i + 1, line) for i, line in enumerate(text.splitlines())
        if not unicodedata.is_normalized("NFC", line)][:5]
    assert not text.startswith("\ufeff")


def test_the_guide_is_in_vietnamese_with_diacritics() -> None:
    text = guide_text()
    for word in ("Hướng dẫn", "bài viết", "lỗi", "Cách sửa", "Quyết định số 1526/QĐ-TTg"):
        assert word in text, word


# --- pre-commit -----------------------------------------------------------------------

def the_hook() -> dict[str, object]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    found = [h for h in hooks if isinstance(h, dict) and h.get("id") == "sitegen-check"]
    assert len(found) == 1, hooks
    return found[0]


def test_pre_commit_hook_runs_sitegen_check() -> None:
    hook = the_hook()
    assert hook["name"] == "sitegen check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook.get("always_run", False) is False
    argv = shlex.split(str(hook["entry"]))
    assert argv[0] == "sitegen"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["sitegen"] == "sitegen.cli:run"  # what pre-commit installs puts it on PATH
    assert _parser().parse_args(argv[1:]).command == "check"


@pytest.mark.parametrize(("path", "runs"), [
    ("content/tin-tuc/a.md", True),
    ("content/van-ban/quyet-dinh-1526-qd-ttg/quyet-dinh-1526-qd-ttg.pdf", True),
    ("static/images/logo.svg", True),
    ("templates/base.html", True),
    ("config.yaml", True),
    ("README.md", False),
    ("sitegen/cli.py", False),
    ("config.yaml.bak", False),
    ("docs/huong-dan-viet-bai.md", False),
])
def test_pre_commit_hook_files(path: str, runs: bool) -> None:
    pattern = re.compile(str(the_hook()["files"]))
    assert bool(pattern.search(path)) is runs  # pre-commit matches with re.search


def test_the_guide_uses_the_hook_id() -> None:
    """The .pre-commit-config.yaml example of the guide names the hook this repository offers."""
    examples = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", guide_text(), re.S)
                if "hooks:" in block]
    assert examples, "the guide has no .pre-commit-config.yaml example"
    ids = {hook["id"] for example in examples for repo in example["repos"] for hook in repo["hooks"]}
    assert ids == {the_hook()["id"]}


def test_the_guide_gives_a_plain_git_hook() -> None:
    text = guide_text()
    assert ".git/hooks/pre-commit" in text and "chmod +x .git/hooks/pre-commit" in text
    scripts = [b for b in re.findall(r"```sh\n(.*?)```", text, re.S) if b.startswith("#!/bin/sh")]
    assert scripts and "sitegen check" in scripts[0]


# --- README ---------------------------------------------------------------------------

def test_readme_links_the_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"\]\(\.?/?docs/huong-dan-viet-bai\.md\)", readme)


def test_the_guide_gives_the_slug_length_the_code_uses() -> None:
    """Issue 20, item 16: the guide said slugs were at most 80 characters; the code cut at 100."""
    import dataclasses

    from sitegen.core.config import Config

    default = next(f.default for f in dataclasses.fields(Config) if f.name == "slug_length")
    assert f"dài tối đa {default} ký tự" in guide_text()


# --- the guide's sample messages are the real ones ------------------------------------

#: For some codes of the error table, files that make sitegen print each of the row's samples.
SAMPLE_SITES: dict[str, dict[str, str]] = {
    "yaml": {
        "content/tin-tuc/a.md": '---\ntitle: Bài\ndate: 2025-01-01\nunit: "Phòng QLDL\n---\nx\n',
        "content/tin-tuc/b.md": "---\ntitle: Bài\ndate: 2025-01-01\n\tunit: Văn phòng Sở\n---\nx\n",
    },
    "missing-key": {
        "content/tin-tuc/a.md": "---\ntitle: Bài\n---\nx\n",
        "content/tin-tuc/c.md": "---\ndate: 2025-01-01\ntittle: Bài\n---\nx\n",
    },
    "no-front-matter": {"content/tin-tuc/a.md": "title: Bài\n"},
    "unknown-section": {"content/tin-tuc-moi/e.md": "---\ntitle: Bài\ndate: 2025-01-01\n---\nx\n"},
    "summary-and-description": {
        "content/tin-tuc/d.md": "---\ntitle: Bài\ndate: 2025-01-01\nunit: Văn phòng Sở\n"
                                "summary: Tóm tắt\ndescription: Mô tả\n---\nx\n"},
    "broken-link": {
        "content/guong-dien-hinh/dinh-thi-hoa.md": "---\ntitle: Hoa\ndate: 2025-01-01\n"
                                                  "subject: Hoa\nsubject_kind: ca-nhan\n---\nx\n",
        "content/tin-tuc/ra-mat/index.md": "---\ntitle: Ra mắt\ndate: 2025-01-01\n---\n"
                                           "[Hoa](../guong-dien-hinh/dinh-thi-hoa.md) "
                                           "[Kế hoạch](ke-hoach.docx)\n"},
    "missing-file": {
        "content/guong-dien-hinh/dinh-thi-hoa.md": "---\ntitle: Hoa\ndate: 2025-01-01\n"
                                                  "subject: Hoa\nsubject_kind: ca-nhan\n"
                                                  + "\n" * 16 + "image: images/khong-co.jpg\n"
                                                  "image_alt: Ảnh\n---\nx\n",
        "content/van-ban/vb.md": "---\ntitle: VB\ndate: 2025-01-01\nnumber: 1/QĐ\n"
                                 "issued: 2025-01-01\nissuer: UBND\nfile: quyet-dinh-1526.pdf\n"
                                 "---\nx\n"},
    "term-merged": {
        "content/tin-tuc/a.md": "---\ntitle: A\ndate: 2025-01-01\ntags: [du lịch]\n---\nx\n",
        "content/tin-tuc/b.md": "---\ntitle: B\ndate: 2025-01-02\ntags: [du lịch]\n---\nx\n",
        "content/tin-tuc/c.md": "---\ntitle: C\ndate: 2025-01-03\ntags: [Du lich]\n---\nx\n"},
    "config-yaml": {"config.yaml": "title: Trang thử\nbase_url: https://example.gov.vn/\n"
                                   "tagline: Thi đua: yêu nước\n"},
    "unknown-unit": {
        "content/tin-tuc/d.md": "---\ntitle: Bài\ndate: 2025-01-01\nunit: Phòng QLDL\n---\nx\n"},
}
UNITS_CONFIG = ("title: Trang thử\nbase_url: https://example.gov.vn/\nunits:\n"
                "  - Văn phòng Sở\n  - Phòng Quản lý du lịch\n")


def row_samples(code: str) -> list[str]:
    """The sample messages (backticked, starting with a path) of ``code``'s row."""
    row = re.search(rf"^\|\s*`{re.escape(code)}`\s*\|(.*?)\|", error_section(guide_text()), re.M)
    assert row, code
    return re.findall(r"`((?:content|config)[^`]*)`", row[1])


@pytest.mark.parametrize("code", sorted(SAMPLE_SITES))
def test_the_guides_samples_are_what_sitegen_prints(code: str, make_site, run_cli) -> None:  # type: ignore[no-untyped-def]
    files = dict(SAMPLE_SITES[code])
    site = make_site(files, config=files.pop("config.yaml", UNITS_CONFIG))
    printed = run_cli("check", "--site", site).err.splitlines()
    samples = row_samples(code)
    assert samples
    for sample in samples:
        assert sample in printed, f"{sample}\n--- printed ---\n" + "\n".join(printed)
