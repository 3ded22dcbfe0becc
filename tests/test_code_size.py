"""The code stays readable in pieces: no module of sitegen over MAX_MODULE lines, no function
over MAX_FUNCTION lines unless its docstring says why ("(Long: …)").

Run as a script (``python tests/test_code_size.py``) to list every module and function
over the limits, the justified ones included.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

SITEGEN = Path(__file__).resolve().parent.parent / "sitegen"
MAX_MODULE = 500
MAX_FUNCTION = 60
#: What a long function's docstring says to be let through (followed by the reason).
REASON = "(Long:"


class Long(NamedTuple):
    """A module or function over its limit: where, how long, and its reason (or None)."""

    where: str
    lines: int
    reason: str | None


def long_modules(root: Path = SITEGEN) -> list[Long]:
    """The modules below ``root`` longer than MAX_MODULE lines."""
    found = []
    for path in sorted(root.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE:
            found.append(Long(str(path.relative_to(root.parent)), lines, None))
    return found


def long_functions(root: Path = SITEGEN) -> list[Long]:
    """The functions and methods (nested ones too) below ``root`` longer than MAX_FUNCTION
    lines, from ``def`` to their last line, each with the reason its docstring gives."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION:
                    doc = ast.get_docstring(node) or ""
                    reason = doc[doc.index(REASON):] if REASON in doc else None
                    where = f"{path.relative_to(root.parent)}:{node.lineno} {node.name}"
                    found.append(Long(where, lines, reason))
    return found


def test_no_module_is_over_the_limit() -> None:
    assert long_modules() == [], f"modules over {MAX_MODULE} lines: split them by responsibility"


def test_no_function_is_over_the_limit_without_a_reason() -> None:
    unexplained = [f for f in long_functions() if f.reason is None]
    assert unexplained == [], (f"functions over {MAX_FUNCTION} lines: shorten them, or say why "
                               f'in the docstring with "{REASON} …)"')


def test_the_check_finds_what_is_too_long(tmp_path: Path) -> None:
    """The limits are enforced on what is written, not vacuously."""
    package = tmp_path / "sitegen"
    package.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION - 1))  # with its def: the limit
    (package / "long.py").write_text(
        f"def long():\n    x = 0\n{body}\n\ndef explained():\n    \"\"\"{REASON} a table.)\"\"\"\n{body}"
        + "\n" * MAX_MODULE, encoding="utf-8")
    (package / "short.py").write_text(f"def short():\n{body}", encoding="utf-8")  # at the limit
    assert [m.where for m in long_modules(package)] == ["sitegen/long.py"]
    functions = {f.where.split()[-1]: f.reason for f in long_functions(package)}
    assert functions == {"long": None, "explained": f"{REASON} a table.)"}


if __name__ == "__main__":
    for item in [*long_modules(), *long_functions()]:
        reason = " ".join(item.reason.split())[:80] if item.reason else ""
        print(f"{item.lines:5}  {item.where}  {reason}")
