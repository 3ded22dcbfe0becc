"""One folder per kind of writer's mistake, each with the message it must give.

Each ``invalid_sites/<case>/`` is a complete small site (config.yaml, content/, maybe
static/) and ``expected.txt``: one substring per line that the error output must contain
(the file, the line, the key, a fragment of the Vietnamese fix). A line ``exit: N`` sets
the expected exit code (default 1); ``#`` starts a comment.

A build that stops must leave the previously published output exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import TESTS, snapshot, write_tree

CASES_DIR = TESTS / "invalid_sites"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())


def expectations(case: str) -> tuple[int, list[str]]:
    """The exit code and the substrings ``expected.txt`` of ``case`` asks for."""
    code, needles = 1, []
    for line in (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("exit:"):
            code = int(line.split(":", 1)[1])
        else:
            needles.append(line)
    return code, needles


def copy_case(case: str, dest: Path) -> Path:
    shutil.copytree(CASES_DIR / case, dest, ignore=shutil.ignore_patterns("expected.txt"))
    return dest


def test_there_are_cases() -> None:
    assert len(CASES) >= 19, CASES


@pytest.mark.parametrize("case", CASES)
def test_invalid_site(case: str, tmp_path: Path, run_cli, previous_output: Path) -> None:
    code, needles = expectations(case)
    site = copy_case(case, tmp_path / "site")
    before = snapshot(previous_output)

    result = run_cli("build", "--site", site, "--output", previous_output)

    assert "Traceback" not in result.err + result.out
    assert result.code == code, f"exit {result.code}, expected {code}\n{result.err}"
    missing = [n for n in needles if n not in result.err]
    assert not missing, f"missing from stderr: {missing}\n--- stderr ---\n{result.err}"
    if code != 0:
        assert snapshot(previous_output) == before, "a build that stopped changed output/"
        assert not result.out.strip(), f"no summary line is printed when the build stops: {result.out}"
        leftovers = [p.name for p in tmp_path.iterdir() if ".staging-" in p.name or ".old-" in p.name]
        assert not leftovers, leftovers
    else:
        assert result.out.startswith("Đã dựng"), result.out
        assert (previous_output / ".sitegen-output").is_file()


def test_errors_name_file_and_count(tmp_path: Path, run_cli, previous_output: Path) -> None:
    """The closing line counts the errors and the files, and says the output folder given
    (``--output``) was kept."""
    site = copy_case("duplicate-address", tmp_path / "site")
    write_tree(site, {"content/tin-tuc/khong-co-front-matter.md": "Chỉ có nội dung.\n"})
    result = run_cli("build", "--site", site, "--output", previous_output)
    assert result.code == 1
    assert "Có 2 lỗi trong 2 tệp" in result.err, result.err
    assert f"thư mục {previous_output} giữ nguyên" in result.err


def test_all_broken_files_named_in_one_run(tmp_path: Path, run_cli, previous_output: Path) -> None:
    """Every content mistake of every case, together in one site: one run names them all."""
    site = tmp_path / "site"
    merged: dict[str, Path] = {}
    content_cases = [c for c in CASES if expectations(c)[0] == 1]
    for case in content_cases:
        root = CASES_DIR / case
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_dir() or rel in ("expected.txt", "config.yaml"):
                continue
            assert rel not in merged, f"{case} and another case both have {rel}"
            merged[rel] = p
    write_tree(site, {rel: p.read_bytes() for rel, p in merged.items()})
    shutil.copy(CASES_DIR / content_cases[0] / "config.yaml", site / "config.yaml")
    before = snapshot(previous_output)

    result = run_cli("build", "--site", site, "--output", previous_output)

    assert result.code == 1
    assert "Traceback" not in result.err
    # Each case's first expected line starts with the file it breaks: all must be named.
    named = {case: expectations(case)[1][0].split(":")[0] for case in content_cases}
    missing = {case: path for case, path in named.items() if f"{path}:" not in result.err}
    assert not missing, f"not named: {missing}\n--- stderr ---\n{result.err}"
    n = len(content_cases)  # one mistake per case, each in one file
    assert f"Có {n} lỗi trong {n} tệp" in result.err, result.err
    assert snapshot(previous_output) == before
