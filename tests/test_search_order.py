"""The search index updated when articles move in the site's order (a new date, a new
title), come or go: the same files as the index built afresh, without building it afresh."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from helpers import MINIMAL_CONFIG, article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_search import site_of

import sitegen.features.search.files as files_module
import sitegen.features.search.index as search_module
from sitegen.core.site import Site
from sitegen.features.search.files import (
    DOCS_PER_FILE,
    IndexState,
    _compact,
    _entry,
    _plan,
    bitmap_bits,
    decode,
    encode,
    file_bytes,
    index_files,
    result_table,
)
from sitegen.features.search.index import index_state
from sitegen.features.search.inverted import build_index

_WORDS = ("thi", "đua", "yêu", "nước", "Tràng", "An", "Hoa", "Lư", "khen", "thưởng",
          "Đinh", "Thị", "hòa", "bình", "Tam", "Cốc")

#: A few dates only: several articles share one, and are then in the order of their titles.
_DATES = ("2025-03-10", "2025-03-11", "2025-04-02", "2025-05-20")

_text = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map(" ".join)


@st.composite
def _articles(draw: st.DrawFn) -> dict[str, str]:
    """An article's title, date, body, and whether it has a slug (without one, its address
    follows its title)."""
    return {"title": draw(_text), "date": draw(st.sampled_from(_DATES)), "body": draw(_text),
            "slug": draw(st.sampled_from(("", "slug")))}


_edits = st.one_of(
    st.tuples(st.just("date"), st.integers(0, 99), st.sampled_from(_DATES)),
    st.tuples(st.just("title"), st.integers(0, 99), _text),
    st.tuples(st.just("body"), st.integers(0, 99), _text),
    st.tuples(st.just("remove"), st.integers(0, 99), st.just("")),
    st.tuples(st.just("add"), st.integers(0, 99), _articles()),
)


def _write(folder: Path, articles: dict[int, dict[str, str]]) -> None:
    """The site folder holding ``articles`` ({file number: fields}) and nothing else; the
    number ends the title, so that no two articles have one address."""
    for old in (folder / "content" / "tin-tuc").glob("*.md"):
        old.unlink()
    for n, fields in articles.items():
        extra = {"slug": f"bai-{n}"} if fields["slug"] else {}
        (folder / "content" / "tin-tuc" / f"a{n}.md").write_text(
            article(f"{fields['title']} {n}", fields["date"], body=fields["body"], **extra),
            encoding="utf-8")


def _assert_fresh(site: Site, updated: IndexState, files: dict[str, bytes | None],
                  per_file: int) -> None:
    """The ``updated`` index of ``site`` and its ``files`` are those built afresh, byte for
    byte: the reference's (index_files), each file made or kept."""
    fresh, _ = index_state(site, None, per_file=per_file)
    assert updated.digests == fresh.digests and updated.plan == fresh.plan
    assert updated.every == fresh.every and updated.titled == fresh.titled
    assert updated.paths == fresh.paths and updated.marks == fresh.marks
    assert updated.bits is not None  # the dense sets' bitmaps it keeps are those of its sets
    for postings, bits in zip((updated.every, updated.titled), updated.bits, strict=True):
        assert all(bitmap_bits(postings.get(key)) == value for key, value in bits.items())
    table = result_table(site, per_file)
    want = index_files(build_index(site), per_file)[0]
    assert files.keys() == want.keys()
    for name, data in files.items():
        assert (data if data is not None else file_bytes(updated, name, table)) == want[name]


def _planned_afresh(sizes: dict[str, int], limit: int | None = None) -> object:
    """In place of files._plan in an update: planning again is wanted of an empty index only."""
    assert not sizes, "the shards were planned afresh"
    return _plan(sizes, files_module.SHARD_BYTES if limit is None else limit)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_articles(), min_size=1, max_size=9), st.lists(_edits, min_size=1, max_size=4),
       st.integers(1, 4), st.sampled_from((32_000, 300, 60)))
def test_moves_comings_and_goings_give_the_index_built_afresh(
        start: list[dict[str, str]], edits: list[tuple[str, int, object]], per_file: int,
        shard_bytes: int) -> None:
    """Random new dates and titles (which reorder articles, and move the address of those
    without a slug), new bodies, and articles added and removed: the index updated after
    each is the index built afresh (and not by building it afresh, nor its shards planned
    afresh: with small shards, prefixes are split and joined again, shards made and emptied)."""
    articles = dict(enumerate(start))
    with tempfile.TemporaryDirectory() as tmp, \
            mock.patch.object(files_module, "SHARD_BYTES", shard_bytes):
        folder = Path(tmp)
        (folder / "config.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
        (folder / "content" / "tin-tuc").mkdir(parents=True)
        _write(folder, articles)
        state, _ = index_state(site_of(folder), None, per_file=per_file)
        for kind, at, value in edits:
            number = sorted(articles)[at % len(articles)] if articles else None
            if kind == "add" and isinstance(value, dict):
                articles[max(articles, default=-1) + 1] = value
            elif kind == "remove" and number is not None:
                del articles[number]
            elif number is not None and isinstance(value, str):
                articles[number] = {**articles[number], kind: value}
            _write(folder, articles)
            site = site_of(folder)
            with mock.patch.object(search_module, "_postings", side_effect=AssertionError), \
                    mock.patch.object(files_module, "_plan", side_effect=_planned_afresh):
                state, files = index_state(site, state, per_file=per_file)  # not afresh
            _assert_fresh(site, state, files, per_file)


def test_a_new_date_or_title_moves_an_article_without_building_afresh(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """One article moved by a new date, then by a new title among those of its date (its
    address follows the title): the index is updated, not built afresh, and is the index
    built afresh; only the result-table files its move touched are made again."""
    per_file = 2
    texts = {i: article(f"Bài {chr(97 + i)} thi đua", f"2025-03-{10 + i // 3}",
                        body=f"Nội dung {i} khen thưởng") for i in range(12)}
    folder = make_site({f"content/tin-tuc/a{i}.md": t for i, t in texts.items()})
    state, _ = index_state(site_of(folder), None, per_file=per_file)
    for i, text in ((0, article("Bài a thi đua", "2025-03-12", body="Nội dung 0 khen thưởng")),
                    (7, article("Bài z thi đua", "2025-03-12", body="Nội dung 7 khen thưởng"))):
        (folder / f"content/tin-tuc/a{i}.md").write_text(text, encoding="utf-8")
        site = site_of(folder)
        assert [p.path for p in site.articles] != list(state.paths)  # it moved
        with monkeypatch.context() as m:
            m.setattr(search_module, "_postings", lambda _: pytest.fail("built afresh"))
            updated, files = index_state(site, state, per_file=per_file)
        _assert_fresh(site, updated, files, per_file)
        moved = [n for n, (a, b) in enumerate(zip(state.paths, updated.paths, strict=True))
                 if a != b]
        made = {name for name, data in files.items() if name.startswith("docs-") and data}
        assert made == {f"docs-{n // per_file}" for n in moved}
        state = updated


@given(st.lists(st.integers(0, 300), unique=True).map(sorted),
       st.lists(st.integers(0, 300), unique=True).map(sorted))
def test_an_entry_is_its_sets_as_json_written_from_their_numbers_or_their_bits(
        every: list[int], titled: list[int]) -> None:
    """An entry written directly is the JSON of its encoded sets; a set written from its
    bits is the set written from its numbers."""
    plain = _compact([encode(every), encode(titled)] if titled else [encode(every)])
    assert _entry(every, titled) == plain
    assert _entry(every, titled, (bitmap_bits(every), bitmap_bits(titled))) == plain
    assert decode(encode(every, bitmap_bits(every))) == every


def test_too_many_moves_build_the_index_afresh(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """More moved documents than the bounds allow: the index is built afresh, the same."""
    folder = make_site({f"content/tin-tuc/a{i}.md": article(f"Bài {i}", f"2025-03-{10 + i}")
                        for i in range(4)})
    state, _ = index_state(site_of(folder), None)
    (folder / "content/tin-tuc/a0.md").write_text(article("Bài 0", "2025-03-20"),
                                                  encoding="utf-8")  # the newest: all move
    site = site_of(folder)
    monkeypatch.setattr(search_module, "MAX_CHANGED", 1)
    monkeypatch.setattr(search_module, "MOVED_SHARE", 0.5)
    spy = mock.Mock(wraps=search_module._postings)
    monkeypatch.setattr(search_module, "_postings", spy)
    updated, files = index_state(site, state)
    assert spy.call_count == 1
    _assert_fresh(site, updated, files, DOCS_PER_FILE)
