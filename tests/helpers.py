"""Plain helpers shared by the tests (the fixtures that use them are in conftest.py)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

TESTS = Path(__file__).resolve().parent

#: The build clock of the suite: 1 July 2025, 10:00 in Hà Nội (03:00 UTC).
FIXED_NOW = datetime(2025, 7, 1, 3, 0, 0, tzinfo=UTC)
FIXED_EPOCH = int(FIXED_NOW.timestamp())

BASE_URL = "https://example.gov.vn/tuyen-truyen/"
MINIMAL_CONFIG = f"title: Trang thử nghiệm\nbase_url: {BASE_URL}\n"

Files = Mapping[str, str | bytes]


def write_tree(root: Path, files: Files) -> None:
    """Write ``files`` ({relative path: text or bytes}) below ``root``; text as UTF-8."""
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def article(title: str, date: str | None = "2025-03-10", body: str = "Nội dung bài viết.",
            **keys: object) -> str:
    """Return the text of a Markdown article: ``title``, ``date`` (as written), extra keys."""
    lines = ["---", "title: " + json.dumps(title, ensure_ascii=False)]
    if date is not None:
        lines.append(f"date: {date}")
    if keys:
        lines.append(yaml.safe_dump(keys, allow_unicode=True, sort_keys=False).rstrip("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body + "\n"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` as {relative POSIX path: bytes}."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class CliResult:
    """What one run of ``sitegen`` gave: its exit code and what it printed."""

    code: int
    out: str
    err: str


_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')


def canonical(html: str) -> str:
    """The canonical address declared by a page (AssertionError when it has none)."""
    m = _CANONICAL.search(html)
    assert m, "the page declares no canonical address"
    return m.group(1)


def example_site(into: Path) -> Path:
    """A copy of the repository's example site (config.yaml, content/, static/) in ``into``."""
    into.mkdir()
    shutil.copy(TESTS.parent / "config.yaml", into / "config.yaml")
    for folder in ("content", "static"):
        shutil.copytree(TESTS.parent / folder, into / folder)
    return into
