"""The render record on disk (sitegen.incremental.record): written whole, or as a patch of
the record last written whole while a build changed few pages.

What the next build reads back (whole + patch) must be the record the build made, field for
field; a patch of another record is never applied; many changes write the record whole.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import example_site

from sitegen.core.config import load_config
from sitegen.incremental import record
from sitegen.incremental.record import PATCH_FILE, RECORD_FILE, Record
from sitegen.incremental.reuse import Memo, load_memo
from sitegen.incremental.trusted import CACHE_DIR
from sitegen.pipeline import BuildOptions, build

NOW = datetime(2025, 7, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return example_site(tmp_path / "site")


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[Record]:
    """Every record a build makes, as it made it (before it is written)."""
    records: list[Record] = []
    real = Memo.record

    def spy(self: Memo, written: object) -> Record:
        found = real(self, written)  # type: ignore[arg-type]
        records.append(found)
        return found

    monkeypatch.setattr(Memo, "record", spy)
    return records


def _build(site: Path) -> None:
    config, _ = load_config(site)
    build(config, BuildOptions(now=NOW), parallel=False)


def _read_back(site: Path) -> Record:
    config, _ = load_config(site)
    return load_memo(config).previous


def _same(a: Record, b: Record) -> None:
    """Field for field, but the stamp (which names a record written whole)."""
    for f in dataclasses.fields(Record):
        if f.name != "stamp":
            assert getattr(a, f.name) == getattr(b, f.name), f.name


def _edit(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_small_change_writes_a_patch_that_reads_back_as_the_record(site: Path,
                                                                    made: list[Record]) -> None:
    _build(site)
    whole = site / CACHE_DIR / RECORD_FILE
    patch = site / CACHE_DIR / PATCH_FILE
    assert whole.exists() and not patch.exists()
    _same(_read_back(site), made[-1])
    first = whole.read_bytes()
    # a body, then another: each build changes a few pages' entries
    article = site / "content" / "tin-tuc" / "le-phat-dong-thi-dua-2024.md"
    _edit(article, "\nMột câu thêm.\n")
    _build(site)
    assert patch.exists() and whole.read_bytes() == first
    _same(_read_back(site), made[-1])
    _edit(site / "content" / "guong-dien-hinh" / "dinh-thi-hoa.md", "\nMột đoạn mới.\n")
    _build(site)
    assert whole.read_bytes() == first  # the patch holds both builds' changes
    back = _read_back(site)
    _same(back, made[-1])
    assert back.files.keys() == made[-1].files.keys()


def test_many_changes_write_the_record_whole_and_an_old_patch_is_ignored(
        site: Path, made: list[Record], monkeypatch: pytest.MonkeyPatch) -> None:
    _build(site)
    article = site / "content" / "tin-tuc" / "le-phat-dong-thi-dua-2024.md"
    _edit(article, "\nMột câu thêm.\n")
    _build(site)
    patch = site / CACHE_DIR / PATCH_FILE
    old_patch = patch.read_bytes()
    whole = site / CACHE_DIR / RECORD_FILE
    first = whole.read_bytes()
    monkeypatch.setattr(record, "PATCH_SHARE", 0.0)  # now every change is "many"
    monkeypatch.setattr(record, "_PATCH_FLOOR", 0)
    _edit(article, "\nMột câu nữa.\n")
    _build(site)
    assert whole.read_bytes() != first and not patch.exists()
    _same(_read_back(site), made[-1])
    # a patch of the record before (left by a build stopped at the wrong moment) is not
    # applied to this one
    patch.write_bytes(old_patch)
    _same(_read_back(site), made[-1])
