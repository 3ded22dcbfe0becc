"""The golden test: build tests/golden/site and compare the whole output tree, file by file.

The expected tree changes whenever the templates change; that is intended. Regenerate it
with ``pytest tests/test_golden.py --update-golden``, then read the diff before committing.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from helpers import TESTS, snapshot

GOLDEN = TESTS / "golden"
SITE = GOLDEN / "site"
EXPECTED = GOLDEN / "expected"


def _build(tmp_path: Path, run_cli) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    out = tmp_path / "output"
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return out


def _diff(name: str, expected: bytes, actual: bytes) -> str:
    try:
        a, b = expected.decode("utf-8"), actual.decode("utf-8")
    except UnicodeDecodeError:
        return f"{name}: binary file differs ({len(expected)} → {len(actual)} bytes)"
    lines = difflib.unified_diff(a.splitlines(keepends=True), b.splitlines(keepends=True),
                                 fromfile=f"expected/{name}", tofile=f"actual/{name}", n=2)
    return "".join(lines)


def test_golden_output_tree(tmp_path: Path, run_cli, request: pytest.FixtureRequest) -> None:
    out = _build(tmp_path, run_cli)
    actual = snapshot(out)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED)
        pytest.skip(f"rewrote {len(actual)} golden files in {EXPECTED}; review the diff")
    assert EXPECTED.is_dir(), "no golden tree yet: run pytest --update-golden"
    expected = snapshot(EXPECTED)

    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    assert not missing and not extra, (
        f"output paths differ from the golden tree\n  missing: {missing}\n  extra: {extra}\n"
        "(if the change is intended: pytest --update-golden)")

    differing = [name for name in sorted(expected) if expected[name] != actual[name]]
    if differing:
        first = differing[0]
        pytest.fail(f"{len(differing)} file(s) differ from the golden tree: {differing}\n\n"
                    + _diff(first, expected[first], actual[first])
                    + "\n(if the change is intended: pytest --update-golden)", pytrace=False)


def test_golden_build_is_reproducible(tmp_path: Path, run_cli) -> None:
    """Two builds of the same site at the same clock give identical bytes."""
    first = snapshot(_build(tmp_path / "a", run_cli))
    second = snapshot(_build(tmp_path / "b", run_cli))
    assert first == second
