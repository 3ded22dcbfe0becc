"""Which reads of a changed list changed, told without looking them up
(sitegen.incremental.reuse.Memo: a list of pages kept as its pages' sources in order).

A property over random lists and edits (a page moved, added or removed, pages' tokens
changed) and random reads (a count, the whole list, a head, a slice, a window around a
page): whenever the memo says a read changed or not, that is what comparing the read's
pages before and after says. "Cannot tell" (None) is always allowed; the second property
checks it is not the answer when the pages stayed in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.incremental.record import Record
from sitegen.incremental.reuse import Memo

KEY = (("term", "tags", "t"), "pages")
SOURCES = [f"p{i}" for i in range(40)]


class _Values:
    """The two things the memo asks of the build's Values about one list of pages."""

    def __init__(self, now: list[str], changed: frozenset[str]) -> None:
        self.now = now
        self.changed = changed

    def list_mark(self, owner: Any, attribute: str,
                  changed: Any) -> tuple[tuple[str, ...], tuple[int, ...]]:
        return tuple(self.now), tuple(i for i, s in enumerate(self.now) if s in changed)

    def place(self, owner: Any, attribute: str, path: str) -> int | None:
        return self.now.index(path) if path in self.now else None


def _seen(pages: list[str], tokens: dict[str, str], dep: tuple[Any, ...]) -> object:
    """What ``dep`` reads of ``pages``: their sources and tokens (or the count)."""
    kind = dep[0]
    if kind == "len":
        return len(pages)
    if kind == "all":
        part = pages
    elif kind == "head":
        part = pages[:dep[3]]
    elif kind == "slice":
        part = pages[dep[3]:dep[4]]
    else:
        if dep[3] not in pages:
            return ()
        at = pages.index(dep[3])
        part = pages[max(at - dep[4], 0):at + dep[4] + 1]
    return tuple((p, tokens[p]) for p in part)


@st.composite
def _edits(draw: st.DrawFn) -> tuple[list[str], list[str], frozenset[str]]:
    """A list, the same list after an edit, and the pages whose tokens changed."""
    old = draw(st.lists(st.sampled_from(SOURCES), unique=True, max_size=30))
    new = list(old)
    edit = draw(st.sampled_from(["same", "move", "add", "remove"]))
    if edit == "move" and new:
        page = new.pop(draw(st.integers(0, len(new) - 1)))
        new.insert(draw(st.integers(0, len(new))), page)
    elif edit == "add":
        fresh = [s for s in SOURCES if s not in new]
        new.insert(draw(st.integers(0, len(new))), fresh[0])
    elif edit == "remove" and new:
        new.pop(draw(st.integers(0, len(new) - 1)))
    changed = frozenset(draw(st.lists(st.sampled_from(new), max_size=3))) if new else frozenset()
    return old, new, changed


@st.composite
def _reads(draw: st.DrawFn, pages: list[str]) -> tuple[Any, ...]:
    """A read of a list like ``pages``: its places and pages, mostly, and some beyond."""
    kind = draw(st.sampled_from(["len", "all", "head", "slice", "win"]))
    if kind in ("len", "all"):
        return (kind, *KEY)
    if kind == "head":
        return ("head", *KEY, draw(st.integers(0, len(pages) + 2)))
    if kind == "slice":
        start = draw(st.integers(0, len(pages) + 1))
        return ("slice", *KEY, start, start + draw(st.integers(1, 6)))
    path = draw(st.sampled_from(pages) if pages and draw(st.booleans()) else
                st.sampled_from(SOURCES))
    return ("win", *KEY, path, draw(st.integers(0, 4)))


def _memo(old: list[str], new: list[str], changed: frozenset[str]) -> Memo:
    memo = Memo(Path("."), Record(lists={KEY: tuple(old)}))
    memo.values = _Values(new, changed)  # type: ignore[assignment]
    memo._moved = changed
    return memo


@settings(max_examples=600)
@given(_edits(), st.data())
def test_a_list_read_said_changed_or_not_is_so(edit: tuple[list[str], list[str], frozenset[str]],
                                               data: st.DataObject) -> None:
    old, new, changed = edit
    dep = data.draw(_reads(new))
    before = {s: "t" for s in SOURCES}
    after = {s: "t2" if s in changed else "t" for s in SOURCES}
    said = _memo(old, new, changed)._list_read_changed(dep)
    if said is not None:
        assert said == (_seen(old, before, dep) != _seen(new, after, dep)), (old, new, dep)


@given(st.lists(st.sampled_from(SOURCES), unique=True, max_size=30), st.data())
def test_pages_in_place_always_tell(old: list[str], data: st.DataObject) -> None:
    """Only tokens changed: every read is told without being looked up."""
    changed = frozenset(data.draw(st.lists(st.sampled_from(old), max_size=3))) if old \
        else frozenset()
    dep = data.draw(_reads(old))
    assert _memo(old, list(old), changed)._list_read_changed(dep) is not None


def _every_edit(n: int) -> list[list[str]]:
    """Every list one move, addition or removal away from the first ``n`` sources."""
    old = SOURCES[:n]
    found = [list(old)]
    for i in range(n):
        rest = old[:i] + old[i + 1:]
        found.append(rest)
        found.extend([*rest[:j], old[i], *rest[j:]] for j in range(n))
    found.extend([*old[:j], SOURCES[n], *old[j:]] for j in range(n + 1))
    return found


def _every_read(n: int) -> list[tuple[Any, ...]]:
    return [("len", *KEY), ("all", *KEY), *(("head", *KEY, k) for k in range(n + 2)),
            *(("slice", *KEY, a, a + w) for a in range(n + 1) for w in (1, 2, 3)),
            *(("win", *KEY, path, w) for path in SOURCES[:n + 1] for w in range(4))]


def test_every_small_edit_and_read_is_told_right() -> None:
    """Exhaustively, for lists of up to 6 pages: every move, addition and removal, with no
    page or one page changed, and every read."""
    told = 0
    for n in range(7):
        old = SOURCES[:n]
        for new in _every_edit(n):
            for changed in [frozenset(), *(frozenset({s}) for s in new)]:
                before = {s: "t" for s in SOURCES}
                after = {s: "t2" if s in changed else "t" for s in SOURCES}
                memo = _memo(old, new, changed)
                for dep in _every_read(n):
                    said = memo._list_read_changed(dep)
                    if said is not None:
                        told += 1
                        assert said == (_seen(old, before, dep) != _seen(new, after, dep)), \
                            (old, new, changed, dep)
    assert told > 10_000  # most reads are told without a look
