"""The read cache's file format: what is saved comes back equal, field by field, and shared."""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sitegen.core.errors import Problem, warning
from sitegen.core.frontmatter import (
    Award,
    CommemorationInfo,
    DocumentInfo,
    KindInfo,
    Meta,
    ModelInfo,
    MovementInfo,
)
from sitegen.core.pages import Page, Picture, ReadResult
from sitegen.incremental.marks import Marks, Read
from sitegen.incremental.stored import Stored
from sitegen.incremental.trusted import read_trusted, write_trusted

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
INFOS: list[KindInfo | None] = [
    ModelInfo("Đinh Thị Hoa", "ca-nhan", "Chủ nhiệm", (Award("Bằng khen", 2023, "1/QĐ-UBND"),
                                                         Award("Chiến sĩ thi đua"))),
    MovementInfo("UBND tỉnh Ninh Bình", date(2024, 1, 15), date(2024, 12, 31)),
    CommemorationInfo("Ngày thi đua ái quốc", date(1948, 6, 11), "lunar"),
    DocumentInfo("1526/QĐ-TTg", date(2022, 11, 14), "Thủ tướng Chính phủ", "qd.pdf"),
    None,
]


def _copy(text: str) -> str:
    """An equal string that is not the same object (as two pages read apart hold)."""
    return "".join(list(text))


def _read(i: int, info: KindInfo | None) -> Read:
    """A Read with every kind of field filled: a picture, problems, Stored texts, a date."""
    body = Stored(_copy("/tmp/texts-1.txt"), 100 * i, 50, _copy(f"check{i}"))
    meta = Meta(title=f"Bài {i}", date=datetime(2024, 6, 5, 7, 30, tzinfo=ZONE),
                updated=datetime(2024, 6, 10, tzinfo=ZONE), summary="Tóm tắt",
                tags=(_copy("thi đua"), _copy("Tràng An")), unit=_copy("Văn phòng Sở"),
                image="a.jpg", image_alt="ảnh", image_original=True, draft=i % 2 == 0,
                aliases=("/cu/",), lang="vi", info=info)
    page = Page(source=f"content/tin-tuc/b{i}.md", content_rel=f"tin-tuc/b{i}.md",
                kind=_copy("news"), section=_copy("tin-tuc"), meta=meta, slug=f"b{i}",
                path=f"tin-tuc/2024/06/b{i}/", body=body, summary="Tóm tắt",
                links=("tin-tuc/a.md",), image=Picture("/a.jpg", "ảnh", (800, 600), "chú thích",
                                                       "Trần Văn A", photo=True),
                attachment="qd.pdf", bundle_files=("a.jpg",), title_key=b"\x00key",
                derived=Stored(body.path, 100 * i + 50, 10, "d"), subject_key=b"\x01s",
                pictures=("/a.jpg",), originals=())
    problems: tuple[Problem, ...] = (warning(page.source, "cảnh báo", "bad-value", line=3,
                                             key="unit", fix="sửa"),)
    return Read(ReadResult(page, problems), Marks(_copy(f"check{i}"), b"shown"))


def _same(got: object, want: object) -> None:
    """``got`` equals ``want`` field by field, down through every dataclass and tuple, with
    the same types (a datetime with the same zone)."""
    assert type(got) is type(want)
    if dataclasses.is_dataclass(want):
        assert vars(got) == vars(want)
        for f in dataclasses.fields(want):
            _same(getattr(got, f.name), getattr(want, f.name))
    elif isinstance(want, tuple):
        assert len(got) == len(want)  # type: ignore[arg-type]
        for g, w in zip(got, want, strict=True):  # type: ignore[call-overload]
            _same(g, w)
    else:
        assert got == want
        if isinstance(want, datetime):
            assert got.tzinfo is want.tzinfo  # type: ignore[attr-defined]


def _saved(tmp_path: Path, value: object) -> object:
    path = tmp_path / "cache-x.bin"
    write_trusted(path, value, share=True)
    assert path.exists()
    return read_trusted(path)


def test_reads_of_every_kind_come_back_equal_field_by_field(tmp_path: Path) -> None:
    reads = {f"k{i}": _read(i, info) for i, info in enumerate(INFOS)}
    got = _saved(tmp_path, reads)
    assert isinstance(got, dict) and list(got) == list(reads)
    for key, read in reads.items():
        _same(got[key], read)
        assert repr(got[key]) == repr(read)


def test_equal_strings_are_loaded_as_one_and_field_names_are_interned(tmp_path: Path) -> None:
    got = _saved(tmp_path, {"a": _read(1, INFOS[0]), "b": _read(2, INFOS[1])})
    assert isinstance(got, dict)
    a, b = got["a"].page, got["b"].page
    assert a.meta.unit is b.meta.unit and a.kind is b.kind and a.meta.tags is b.meta.tags
    assert a.body.check is got["a"].marks.body  # the body's digest, written once
    for obj in (a, a.meta, a.meta.info, a.image, got["a"].result):
        assert all(sys.intern(name) is name for name in vars(obj))


def test_reads_marks_and_stored_texts_load_as_their_own_classes(tmp_path: Path) -> None:
    """Named tuples, rebuilt as such (never plain tuples), with their methods."""
    read = _read(1, None)
    got = _saved(tmp_path, read)
    assert isinstance(got, Read) and got == read
    assert type(got.marks) is Marks and type(got.result.page.body) is Stored
    assert got.page == read.page and got.problems == read.problems
    assert got._replace(marks=None) == Read(read.result, None)


@dataclass(frozen=True)
class _Extra:
    """A dataclass whose objects may hold more than its fields."""

    value: str


@dataclass(frozen=True)
class _Own:
    """A dataclass that says how it is pickled."""

    value: str

    def __reduce__(self) -> tuple[object, ...]:
        return _Own, ("from reduce",)


@dataclass(frozen=True)
class _Empty:
    """A dataclass with no fields."""


class _Pair(NamedTuple):
    """A named tuple pickled as named tuples are (not as tuple.__new__)."""

    a: str
    b: int


def test_other_objects_are_pickled_as_pickle_does(tmp_path: Path) -> None:
    extra = _Extra("x")
    object.__setattr__(extra, "more", 1)
    got = _saved(tmp_path, (extra, _Own("x"), {"a": (1, "b")}, _Empty(), _Pair("p", 2)))
    assert isinstance(got, tuple)
    assert got[0] == extra and got[0].more == 1
    assert got[1] == _Own("from reduce")
    assert got[2] == {"a": (1, "b")}
    assert got[3] == _Empty() and type(got[4]) is _Pair and got[4] == _Pair("p", 2)
