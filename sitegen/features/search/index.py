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
from collections.abc import Callable, Iterator

from sitegen.core.digest import digest
from sitegen.core.pages import Page, shown_digest
from sitegen.core.site import Site
from sitegen.core.urls import relative, search_index_dir, search_index_file, search_path
from sitegen.features.registry import Feature, FeatureContext
from sitegen.features.search.files import (
    DOCS_PER_FILE,
    Entries,
    IndexState,
    _files,
    _manifest,
    file_bytes,
    result_table,
)
from sitegen.features.search.inverted import Postings, _layout, _postings, _typecode
from sitegen.features.search.keys import page_keys, split_keys, text_work
from sitegen.output.files import RenderedFile
from sitegen.render.renderer import RenderMemo

#: The search page's title.
TITLE = "Tìm kiếm"


#: More changed documents than this and the index is built afresh.
MAX_CHANGED = 200


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
    state when only a few documents' marks (``mark``) changed and none moved (the same
    addresses in the same order, the same rows a file), else afresh; and its
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
    changed = ([i for i, (a, b) in enumerate(zip(marks, last.marks, strict=True)) if a != b]
               if last is not None and last.paths == paths and last.layout == layout
               and last.per_file == per_file else None)
    if last is None or changed is None or len(changed) > MAX_CHANGED:
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
        entries = dict(Entries(every, titled).items())
        files, digests, (plan, totals, sizes) = _files(entries, len(pages), table, keep=keep,
                                                       per_file=per_file)
        del entries
        return IndexState(paths, marks, sections, layout, every, titled, plan, digests,
                          totals, sizes, per_file), files
    stale = frozenset(i // per_file * per_file for i in changed)  # a mark covers its row
    # New lists for the keys that change, in new Postings: the last state stays whole.
    new: tuple[dict[str, array[int]], dict[str, array[int]]] = ({}, {})
    for number in changed:
        whole, heading = page_keys(pages[number])
        for last_postings, lists, wanted in ((last.every, new[0], set(split_keys(whole))),
                                             (last.titled, new[1], set(split_keys(heading)))):
            had = last_postings.holding(number)
            for key in had ^ wanted:
                ids = lists.get(key)
                if ids is None:
                    ids = lists[key] = last_postings.get(key)
                if key in had:
                    del ids[bisect_left(ids, number)]
                else:
                    insort(ids, number)
    every, titled = last.every.replaced(new[0]), last.titled.replaced(new[1])
    touched = new[0].keys() | new[1].keys()
    files, digests, (plan, totals, sizes) = _files(Entries(every, titled), len(pages), table,
                                                   last, frozenset(touched),
                                                   stale, per_file=per_file)
    return IndexState(paths, marks, sections, layout, every, titled, plan, digests, totals,
                      sizes, per_file), files



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
