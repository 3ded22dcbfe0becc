"""Search, the feature: the Site and the last build's state in; the search page and its index out; pure.

No disk. The search runs in the reader's browser (``templates/_search_engine.js``, written into
the page, and ``assets/search.js``, which draws its answers), with no server, from static files
under ``tim-kiem/index/``. The layers of the search, each below the next:

- :mod:`~sitegen.features.search.keys`: a page's words as index keys (in the read workers);
- :mod:`~sitegen.features.search.inverted`: the index in memory, and :func:`search`'s reference;
- :mod:`~sitegen.features.search.files`: the shards, the result table and the manifest;
- this module: the index of a build, afresh or updated from the last one's
  (:func:`index_state`), and :func:`search_files`, the feature of
  :mod:`sitegen.features.registry`.
"""

from __future__ import annotations

import functools
from array import array
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from sitegen.core.digest import digest
from sitegen.core.pages import Page, shown_digest
from sitegen.core.site import Site
from sitegen.core.urls import relative, search_index_dir, search_index_file, search_path
from sitegen.features.registry import Feature, FeatureContext
from sitegen.features.search.files import (
    DOCS_PER_FILE,
    Bits,
    Entries,
    IndexState,
    Plan,
    _files,
    _manifest,
    bitmap_bits,
    file_bytes,
    result_table,
)
from sitegen.features.search.inverted import Postings, _layout, _postings, _typecode
from sitegen.features.search.keys import page_keys, split_keys, text_work
from sitegen.output.files import RenderedFile
from sitegen.render.renderer import RenderMemo

#: The search page's title.
TITLE = "Tìm kiếm"


#: More changed documents than this (whose last keys are looked for in the whole index:
#: a new text, a new address, gone) and the index is built afresh.
MAX_CHANGED = 200
#: More moved documents (the same page at another number, or a new one) than this share
#: of them all, or than :data:`MAX_CHANGED` if more, and the index is built afresh:
#: at 10,000 articles, 146 moved cost 0.8 s, 1,064 2.5 s, against 3 to 3.5 s afresh
#: (an update costs about the moved documents' keys; afresh, every document's).
MOVED_SHARE = 0.1


Mark = Callable[[Page], bytes]
"""What a page's index keys and its row of the result table are made from, as a digest: its
body's and the rest's (what other pages show of it); the keys themselves may still be in the
build cache (sitegen.incremental.stored)."""


def page_mark(page: Page) -> bytes:
    """The :data:`Mark` of ``page``, made from it (its body read)."""
    return digest(page.body_html.encode()).encode() + shown_digest(page)


def memo_mark(memo: RenderMemo) -> Mark:
    """The :data:`Mark` of a page from the digests ``memo`` holds (made as it was read)."""
    return lambda page: memo.own(page).encode() + memo.shown(page)


def index_state(site: Site, last: IndexState | None, keep: bool = True,
                per_file: int = DOCS_PER_FILE, mark: Mark = page_mark
                ) -> tuple[IndexState, dict[str, bytes | None]]:
    """The index of ``site``, ``per_file`` rows a file of its result table: from the ``last``
    state when few documents moved (:func:`_moves`: changed their mark (``mark``), their
    number in the site's order or their address, came or went), else afresh; and its
    files: the bytes of those an update made, or, afresh, of every file with ``keep``;
    None for the others (:func:`file_bytes` makes them when they are written).

    Either way the files are byte for byte those :func:`index_files` gives.
    """
    pages = (*site.articles, *site.pages)
    layout = _layout(site)
    sections = tuple(s.title for s in site.config.sections)
    paths = tuple(p.path for p in pages)
    marks = tuple(map(mark, pages))
    table = result_table(site, per_file)
    moves = (_moves(last, paths, marks)
             if last is not None and last.layout == layout and last.per_file == per_file
             and last.every.code == _typecode(len(pages)) else None)
    edited = _edited(last, pages, marks, moves) if last is not None and moves is not None else None
    if last is None or moves is None or edited is None:
        every, titled, bits, (files, digests, (plan, totals, sizes)) = _afresh(
            pages, table, keep, per_file)
    else:
        lists, bits = edited
        # New lists for the keys that change, in new Postings: the last state stays whole.
        every, titled = last.every.replaced(lists[0]), last.titled.replaced(lists[1])
        touched = lists[0].keys() | lists[1].keys()
        # A file of the result table is made again where a document came, went or changed.
        stale = frozenset(n // per_file * per_file for move in moves for n in move
                          if n is not None)
        files, digests, (plan, totals, sizes) = _files(
            Entries(every, titled, bits), len(pages), table, last, frozenset(touched), stale,
            per_file=per_file)
    return IndexState(paths, marks, sections, layout, every, titled, plan, digests, totals,
                      sizes, per_file, bits), files


def _afresh(pages: tuple[Page, ...], table: Callable[[int], list[tuple[Any, ...]]],
            keep: bool, per_file: int
            ) -> tuple[Postings, Postings, Bits,
                       tuple[dict[str, bytes | None], dict[str, str], Plan]]:
    """The postings of ``pages`` built afresh, their dense sets' bitmaps, and the files
    (``table``: the result table's rows from a start, :func:`result_table`)."""
    lists, titled_lists = _postings(pages)
    code = _typecode(len(pages))
    every = Postings.of(lists, code, consume=True)  # the lists go as the copy grows
    titled = Postings.of(titled_lists, code, consume=True)
    # Each entry is made once here, for the plan and the digests (let go on return).
    # The files are made here too, for their digests: kept (``keep``), they are not
    # made again when written (measurable at 10,000 articles: benchmarks/README.md,
    # 'Figures behind the code'); else made again one at a time then (file_bytes),
    # which serve's first build does rather than hold the whole index twice at its
    # peak of memory.
    bits: Bits = ({}, {})
    entries = dict(Entries(every, titled, bits).items())
    made = _files(entries, len(pages), table, keep=keep, per_file=per_file)
    del entries
    return every, titled, bits, made


Move = tuple[int | None, int | None]
"""A document an update files again: its number in the last index (None: it came) and in
this one (None: it went). The same number: its keys changed, or its address."""


def _moves(last: IndexState, paths: tuple[str, ...], marks: tuple[bytes, ...]
           ) -> list[Move] | None:
    """The documents whose number, address or mark (``marks``) is not the ``last`` index's,
    of the documents at ``paths`` now; None when too many (:data:`MAX_CHANGED`,
    :data:`MOVED_SHARE`) or an address twice. A document whose address changed where it
    stands (a new title, a new slug) keeps its number: only its keys that changed are
    filed again."""
    old_at = dict(zip(last.paths, range(len(last.paths)), strict=True))
    new_at = dict(zip(paths, range(len(paths)), strict=True))
    if len(old_at) != len(last.paths) or len(new_at) != len(paths):
        return None

    def renamed(number: int) -> bool:  # a document that went stands where one came
        return (number < len(paths) and number < len(last.paths)
                and last.paths[number] not in new_at and paths[number] not in old_at)

    # Only at a number whose address or mark is not the last index's, or past the end of
    # either, can a document have moved, changed, come or gone: each address is once in
    # each index. Those numbers are found in one pass in C, not a look-up each.
    pairs = zip(paths, last.paths, marks, last.marks, strict=False)  # to the shorter's end
    maybe = [n for n, (path, was, mark, had) in enumerate(pairs) if path != was or mark != had]
    maybe.extend(range(min(len(paths), len(last.paths)), max(len(paths), len(last.paths))))
    moves: list[Move] = []
    for n in maybe:
        if n < len(paths):
            path = paths[n]
            o = n if renamed(n) else old_at.get(path)
            if o != n or marks[n] != last.marks[n] or path != last.paths[n]:
                moves.append((o, n))
    moves.extend((o, None) for o in maybe
                 if o < len(last.paths) and last.paths[o] not in new_at and not renamed(o))
    changed = sum(o is not None and (n is None or last.paths[o] != paths[n]
                                     or last.marks[o] != marks[n]) for o, n in moves)
    moved = len(moves) - changed
    return (moves if changed <= MAX_CHANGED
            and moved <= max(MAX_CHANGED, len(paths) * MOVED_SHARE) else None)


Lists = dict[str, "array[int]"]
"""Per key, the numbers of the documents with it."""


Edits = dict[str, tuple[list[int], list[int]]]
"""Per key, the numbers that leave its postings and those that join them."""


def _edited(last: IndexState, pages: tuple[Page, ...], marks: tuple[bytes, ...],
            moves: list[Move]) -> tuple[tuple[Lists, Lists], Bits] | None:
    """The new numbers of each key of the whole texts and of the titles that the ``moves``
    change, from the ``last`` index's (the documents not moved keep their numbers), and
    the dense sets' bitmaps brought up to date; None when the last index does not hold a
    number it should (then it is built afresh)."""
    edits: tuple[Edits, Edits] = (defaultdict(lambda: ([], [])), defaultdict(lambda: ([], [])))
    for o, n in moves:
        now = _keys(pages[n]) if n is not None else (set(), set())
        if o is None:
            before: tuple[set[str], set[str]] = (set(), set())
        elif n is not None and last.paths[o] == pages[n].path and last.marks[o] == marks[n]:
            before = now  # the same page, moved: the same keys
        else:
            before = (last.every.holding(o), last.titled.holding(o))
        for had, has, edit in zip(before, now, edits, strict=True):
            if o is not None:
                for key in (had - has if o == n else had):
                    edit[key][0].append(o)
            if n is not None:
                for key in (has - had if o == n else has):
                    edit[key][1].append(n)
    known = last.bits or ({}, {})
    bits: Bits = (dict(known[0]), dict(known[1]))  # the last state stays whole
    every = _applied(last.every, edits[0], bits[0])
    titled = _applied(last.titled, edits[1], bits[1])
    return None if every is None or titled is None else ((every, titled), bits)


def _applied(postings: Postings, edits: Edits, bits: dict[str, int]) -> Lists | None:
    """The new numbers of the keys of ``edits`` in ``postings``, the ``bits`` of their
    dense sets (:class:`~sitegen.features.search.files.Bits`) brought up to date; None
    when a number that leaves is not there."""
    lists: Lists = {}
    for key, (gone, came) in edits.items():
        ids = lists[key] = postings.get(key)
        for number in gone:  # every number that goes first: one may come back
            at = bisect_left(ids, number)
            if at == len(ids) or ids[at] != number:
                return None
            del ids[at]
        for number in came:
            insort(ids, number)
        known = bits.pop(key, None)
        if known is not None and ids:
            bits[key] = known & ~bitmap_bits(gone) | bitmap_bits(came)
    return lists


def _keys(page: Page) -> tuple[set[str], set[str]]:
    """The keys of ``page``'s whole text and of its title."""
    whole, heading = page_keys(page)
    return set(split_keys(whole)), set(split_keys(heading))


def index_update(site: Site, memo: RenderMemo | None) -> tuple[IndexState, dict[str, bytes | None]]:
    """The index of ``site`` and its files, from the state ``memo`` kept (:func:`index_state`);
    the new state kept for the next build."""
    last = memo.state("search") if memo is not None else None
    state, files = index_state(site, last if isinstance(last, IndexState) else None,
                               keep=memo.keep_made if memo is not None else True,
                               mark=memo_mark(memo) if memo is not None else page_mark)
    if memo is not None:
        memo.keep("search", state)
    return state, files


def search_files(r: FeatureContext) -> Iterator[RenderedFile]:
    """Feature: the search page ``tim-kiem/`` and its index files.

    With a memo (``build``, ``serve``), the index is updated from the last build's state
    when few articles' words changed (:func:`index_update`), and a file whose digest is
    the last build's is kept (:meth:`Renderer.made`).
    """
    config = r.config
    here = search_path(config)
    state, files = index_update(r.site, r.memo)
    manifest = _manifest(state.digests, state.plan, len(state.paths), state.sections,
                         state.per_file)
    manifest.update(index=relative(here, search_index_dir(config), True),
                    root=relative(here, "", True))
    yield r.page("search.html", here, "search.html", title=TITLE, search=manifest)

    table = result_table(r.site, state.per_file)

    def make(name: str) -> bytes:
        data = files[name]
        return data if data is not None else file_bytes(state, name, table)

    for name in sorted(files):
        yield r.made(search_index_file(config, name), "search", state.digests[name],
                     functools.partial(make, name), site_wide=False)  # the file's own digest


FEATURE = Feature("search", 30, search_files, text_work=text_work, ahead=True)
