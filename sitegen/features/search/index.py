"""Search: the Site in; the search page and its sharded index out; pure (no disk).

The search runs in the reader's browser (``templates/_search_engine.js``, written into the page, and
``assets/search.js``, which draws its answers), with no server,
from static files under ``tim-kiem/index/``:

- ``terms*.json``: the inverted index. Every word of every article is *folded*
  (:func:`sitegen.vn.text.fold`: no case, no accents or tones, đ → d), so that
  "thi dua", "thi đua" and "THI ĐUA" find the same articles, and "hoà" finds
  "hòa". Each folded term, and each pair of neighbouring terms ("thi dua", which
  ranks "thi đua" above "Thị … đưa"), maps to the articles containing it and to
  those whose title contains it. The terms are split into *shards* by their first
  letters (``terms-th.json`` holds the terms that begin with "th"); a shard that grows
  past :data:`SHARD_BYTES` is split by one more letter, so a query fetches only
  the one small shard of each of its words, whatever the size of the site. The
  browser finds a term's shard as the longest shard name its first letters make.
- ``docs-<n>.json``: the result list's table (title, link, date, section,
  summary), :data:`DOCS_PER_FILE` articles a file, in rank order, so the first
  results of a query need one or two small files.

Document numbers are positions in the newest-first order of the site, so that,
after title and phrase matches, newer articles come first. A set of numbers is written
either as a JSON list of gaps or, when shorter, as a base64 bitmap.

:func:`search` is the reference of what the browser does (the tests use it).
:func:`search_files` is the feature of :mod:`sitegen.features.registry`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import operator
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sitegen.core.pages import Page, shown_digest
from sitegen.core.site import Site
from sitegen.core.urls import relative, search_index_dir, search_index_file, search_path
from sitegen.features.registry import Feature
from sitegen.features.search.keys import page_keys, pairs, split_keys, terms, text_work
from sitegen.output.files import RenderedFile
from sitegen.render.renderer import Renderer, RenderMemo

#: A term shard larger than this (bytes of JSON) is split by one more letter.
SHARD_BYTES = 32_000
#: Shard names are at most this many letters long.
MAX_DEPTH = 6
#: Articles per file of the result table.
DOCS_PER_FILE = 64
#: Results shown at a time (the engine fetches the rows of this many first).
RESULTS_PAGE = 10
#: The search page's title.
TITLE = "Tìm kiếm"

_SHARD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@dataclass(frozen=True)
class Doc:
    """One line of the result table: ``link`` is relative to the site's root."""

    title: str
    link: str
    date: str
    section: int
    summary: str

    def row(self) -> list[Any]:
        return [self.title, self.link, self.date, self.section, self.summary]


@dataclass(frozen=True)
class SearchIndex:
    """Documents in rank order; per term or pair: (documents with it, titles with it).

    A key is a folded term (``"dua"``) or a pair of neighbouring terms (``"thi dua"``,
    :func:`pairs`).
    """

    docs: tuple[Doc, ...]
    sections: tuple[str, ...]
    postings: Mapping[str, tuple[tuple[int, ...], tuple[int, ...]]]


def _docs(site: Site) -> tuple[tuple[Page, ...], tuple[Doc, ...]]:
    """The pages the index holds, in document-number order, and their result-table rows."""
    pages = (*site.articles, *site.pages)
    doc = _doc_maker(site)
    return pages, tuple(doc(page) for page in pages)


def _doc_maker(site: Site) -> Callable[[Page], Doc]:
    """A page's row of the result table, in ``site``."""
    config = site.config
    names = [s.name for s in config.sections]

    def doc(page: Page) -> Doc:
        return Doc(title=page.title, link=relative("", page.path, config.pretty_links),
                   date=page.date.date().isoformat() if page.date else "",
                   section=names.index(page.section) if page.section in names else -1,
                   summary=page.summary)

    return doc


def _layout(site: Site) -> tuple[object, ...]:
    """What a row depends on besides its page: the sections and the form of links."""
    config = site.config
    return (tuple((s.name, s.title) for s in config.sections), config.pretty_links)


def build_index(site: Site) -> SearchIndex:
    """The index of every published article (newest first), then of the undated pages."""
    pages, docs = _docs(site)
    every, titled = _postings(pages)
    postings = {t: (tuple(ids), tuple(titled.get(t, ()))) for t, ids in every.items()}
    return SearchIndex(docs, tuple(s.title for s in site.config.sections), postings)


def _postings(pages: Sequence[Page]) -> tuple[dict[str, array[int]], dict[str, array[int]]]:
    """Per key, in key order, the numbers of the documents with it and of those whose title
    has it. Arrays of two bytes a posting (four past 65,536 documents; a tuple of ints took
    36): at 10,000 articles there are six million of them."""
    code = _typecode(len(pages))
    every: dict[str, array[int]] = defaultdict(lambda: array(code))
    titled: dict[str, array[int]] = defaultdict(lambda: array(code))
    for number, page in enumerate(pages):
        whole, heading = page_keys(page)  # worked out when the page was read
        for key in split_keys(whole):
            every[key].append(number)
        for key in split_keys(heading):
            titled[key].append(number)
    return dict(sorted(every.items())), dict(sorted(titled.items()))


#: Keys a block of Postings holds when made (an update may leave it between 1 and 2 ×).
BLOCK = 512


@dataclass(frozen=True)
class _Block:
    """Postings of some consecutive keys: ``ids[starts[i]:starts[i + 1]]`` are ``keys[i]``'s."""

    keys: tuple[str, ...]
    starts: array[int]
    ids: array[int]

    @classmethod
    def of(cls, items: Iterable[tuple[str, array[int]]], code: str) -> _Block:
        keys, starts, ids = [], array("Q", [0]), array(code)
        for key, numbers in items:
            keys.append(key)
            ids.extend(numbers)
            starts.append(len(ids))
        return cls(tuple(keys), starts, ids)

    def at(self, i: int) -> array[int]:
        return self.ids[self.starts[i]:self.starts[i + 1]]

    def items(self) -> Iterator[tuple[str, array[int]]]:
        return ((key, self.at(i)) for i, key in enumerate(self.keys))


@dataclass(frozen=True, eq=False)
class Postings:
    """Per key, in key order, the numbers of the documents that have it: in blocks of about
    :data:`BLOCK` keys, each one array of numbers and one of where each key's start. Saved
    and loaded as a few blocks of bytes (a dictionary of 34,000 small arrays took a tenth
    of a second each way at 10,000 articles), and updated by making again only the blocks
    whose keys changed (one array for all made an edit hold the index twice)."""

    blocks: tuple[_Block, ...]
    #: Each block's first key.
    firsts: tuple[str, ...]
    code: str

    @classmethod
    def of(cls, lists: dict[str, array[int]], code: str, consume: bool = False) -> Postings:
        """The postings of ``lists`` ({key: sorted numbers}), numbers of array type ``code``;
        with ``consume``, each list is taken out of ``lists`` as it is copied (the whole
        index is not held twice)."""
        keys = sorted(lists)
        blocks = tuple(_Block.of(((k, lists.pop(k) if consume else lists[k])
                                  for k in keys[i:i + BLOCK]), code)
                       for i in range(0, len(keys), BLOCK))
        return cls._of(blocks, code)

    @classmethod
    def _of(cls, blocks: Iterable[_Block], code: str) -> Postings:
        kept = tuple(b for b in blocks if b.keys)
        return cls(kept, tuple(b.keys[0] for b in kept), code)

    def _block(self, key: str) -> int:
        """The block that holds ``key``, or would."""
        return max(bisect_right(self.firsts, key) - 1, 0)

    def get(self, key: str) -> array[int]:
        """The numbers of the documents with ``key`` (none when no document has it)."""
        if self.blocks:
            block = self.blocks[self._block(key)]
            i = bisect_left(block.keys, key)
            if i < len(block.keys) and block.keys[i] == key:
                return block.at(i)
        return array(self.code)

    def holding(self, number: int) -> set[str]:
        """The keys of document ``number``."""
        found = set()
        for block in self.blocks:
            ids, starts = block.ids, block.starts
            for i, key in enumerate(block.keys):
                end = starts[i + 1]
                at = bisect_left(ids, number, starts[i], end)
                if at < end and ids[at] == number:
                    found.add(key)
        return found

    def replaced(self, lists: Mapping[str, array[int]]) -> Postings:
        """These postings with the keys of ``lists`` given those numbers (none: the key
        is gone); the blocks without such a key are shared, the others made again."""
        by_block: dict[int, dict[str, array[int]]] = defaultdict(dict)
        for key, numbers in lists.items():
            if numbers or self.get(key):  # not the removal of a key that is not there
                by_block[self._block(key) if self.blocks else 0][key] = numbers
        blocks: list[_Block] = []
        for n, block in enumerate(self.blocks or (_Block((), array("Q", [0]), array(self.code)),)):
            changes = by_block.get(n)
            if not changes:
                blocks.append(block)
                continue
            merged = dict(block.items())
            merged.update(changes)
            items = [(k, merged[k]) for k in sorted(merged) if merged[k]]
            size = -(-len(items) // -(-len(items) // BLOCK)) if items else 1  # grown: halves
            blocks.extend(_Block.of(items[i:i + size], self.code)
                          for i in range(0, len(items), size))
        return Postings._of(blocks, self.code)

    def as_dict(self) -> dict[str, array[int]]:
        """{key: numbers}, in key order."""
        return {key: numbers for block in self.blocks for key, numbers in block.items()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Postings) and self.as_dict() == other.as_dict()


def search(index: SearchIndex, query: str) -> list[int]:
    """Document numbers of the articles with every term of ``query``, best first.

    Best is: more of the query's pairs of neighbouring words in the title; then every
    word in the title; then more of the pairs anywhere; then more words in the title;
    then newer. This is what _search_engine.js does in the browser.
    """
    sequence = terms(query)
    words = list(dict.fromkeys(sequence))
    if not words:
        return []
    empty: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    found = set.intersection(*(set(index.postings.get(w, empty)[0]) for w in words))
    in_title = [set(index.postings.get(w, empty)[1]) for w in words]
    joined = [index.postings.get(p, empty) for p in dict.fromkeys(pairs(sequence))]
    pair_any = [set(every) for every, _ in joined]
    pair_title = [set(titled) for _, titled in joined]

    def rank(n: int) -> tuple[int, ...]:
        title_words = sum(n in s for s in in_title)
        return (-sum(n in s for s in pair_title), -(title_words == len(words)),
                -sum(n in s for s in pair_any), -title_words, n)

    return sorted(found, key=rank)


# ---------------------------------------------------------------------- the files


def encode(ids: Sequence[int]) -> list[int] | str:
    """A sorted set of numbers: JSON gaps ``[3, 1, 40]`` or, when shorter, a base64 bitmap."""
    if not ids:
        return []
    gaps = list(map(operator.sub, ids, chain((0,), ids)))
    size = ids[-1] // 8 + 1
    bitmap = 4 * -(-size // 3)  # its length in base64
    # The gaps' length as JSON is at most each as wide as the widest, and at least a digit
    # each, with the commas: most sets are sparse, and the bounds decide without writing it.
    count = len(gaps)
    if bitmap >= count * (len(str(max(gaps))) + 1) - 1 or (
            bitmap >= 2 * count - 1 and bitmap >= len(",".join(map(str, gaps)))):
        return gaps
    flags = bytearray(size * 8)  # a byte a number: set in a plain loop, then packed in C
    for n in ids:
        flags[n] = 1
    bits = int(flags[::-1].translate(_BINARY), 2).to_bytes(size, "little")
    return base64.b64encode(bits).decode("ascii")


#: Bytes 0 and 1 as the digits "0" and "1" (encode packs a bitmap through int(…, 2)).
_BINARY = bytes.maketrans(b"\x00\x01", b"01")


def decode(data: list[int] | str) -> list[int]:
    """The numbers :func:`encode` wrote."""
    if isinstance(data, str):
        raw = base64.b64decode(data)
        return [i * 8 + bit for i, byte in enumerate(raw) for bit in range(8) if byte >> bit & 1]
    out, n = [], 0
    for gap in data:
        n += gap
        out.append(n)
    return out


def shard_key(term: str, depth: int) -> str:
    """The first ``depth`` letters of a term as a file-name part (other letters become ``_``)."""
    return "".join(c if c in _SHARD_CHARS else "_" for c in term[:depth])


def plan_shards(sizes: Mapping[str, int], limit: int = SHARD_BYTES) -> dict[str, list[str]]:
    """Group terms into shards of at most ``limit`` bytes where possible: {name: terms}.

    Every term is in the shard named by the longest of its prefixes that names a shard.
    """
    return _plan(sizes, limit)[0]


def _plan(sizes: Mapping[str, int], limit: int = SHARD_BYTES
          ) -> tuple[dict[str, list[str]], dict[str, int]]:
    """:func:`plan_shards`, and the size of every prefix it weighed (to tell, next time,
    whether new sizes would change the plan: :func:`_replan`)."""
    out: dict[str, list[str]] = {}
    totals: dict[str, int] = {}

    def place(key: str, group: list[str], depth: int) -> None:
        totals[key] = total = sum(sizes[t] for t in group)
        if total <= limit or depth >= MAX_DEPTH:
            out[key] = group
            return
        ended = [t for t in group if len(t) <= depth]
        if ended:
            out[key] = ended
        deeper: dict[str, list[str]] = defaultdict(list)
        for t in group:
            if len(t) > depth:
                deeper[shard_key(t, depth + 1)].append(t)
        for sub in sorted(deeper):
            place(sub, deeper[sub], depth + 1)

    place("", sorted(sizes), 0)
    return out, totals


def _replan(plan: Mapping[str, list[str]], totals: Mapping[str, int],
            changes: Mapping[str, tuple[int, int]], limit: int = SHARD_BYTES
            ) -> tuple[dict[str, list[str]], dict[str, int]] | None:
    """:func:`_plan` again, from the last plan and the prefix sizes it weighed, after the
    terms in ``changes`` went from their old size to their new one (0: absent); None when
    planning again would decide a prefix otherwise (split it or not, make or drop one)."""
    out, new = dict(plan), dict(totals)
    for term, (old, size) in sorted(changes.items()):
        home = None
        for node in dict.fromkeys(shard_key(term, d) for d in range(MAX_DEPTH + 1)):
            depth = len(node)
            if node not in new:  # a new group under a split prefix: a shard of its own
                if old or (size > limit and depth < MAX_DEPTH):
                    return None
                new[node], home = size, node
                break
            before = new[node]
            after = new[node] = before + size - old
            if after <= 0 or (depth < MAX_DEPTH and (before <= limit) != (after <= limit)):
                return None
            if after <= limit or depth >= MAX_DEPTH or len(term) <= depth:
                home = node  # its shard: a whole group, or the terms that end here
                break
        if home is None:
            return None
        if old and size:
            continue  # the same term in the same shard
        group = list(out.get(home, ()))
        if size:
            insort(group, term)
        else:
            group.remove(term)
        if group:
            out[home] = group
        else:
            del out[home]  # the terms that ended at a split prefix: none left
    return out, new


def find_shard(term: str, shards: Iterable[str]) -> str | None:
    """The shard that holds ``term`` (the same rule as _search_engine.js)."""
    names = set(shards)
    for depth in range(min(len(term), MAX_DEPTH), -1, -1):
        key = shard_key(term, depth)
        if key in names:
            return key
    return None


def shard_name(key: str) -> str:
    return f"terms-{key}" if key else "terms"


def index_files(index: SearchIndex) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The index files ({name: JSON bytes}) and what the page must know to read them."""
    entries = {term: _entry(every, titled) for term, (every, titled) in index.postings.items()}
    rows = [tuple(d.row()) for d in index.docs]
    made, digests, (plan, _, _) = _files(entries, len(rows),
                                         lambda start: rows[start:start + DOCS_PER_FILE])
    files = {name: data for name, data in made.items() if data is not None}
    return files, _manifest(digests, plan, len(index.docs), index.sections)


def _entry(every: Sequence[int], titled: Sequence[int]) -> str:
    """The JSON of one key's entry: [documents] or [documents, titles], each encoded."""
    return _compact([encode(every), encode(titled)] if titled else [encode(every)])


class Entries(Mapping[str, str]):
    """Each key's entry JSON (:func:`_entry`), made from the postings when asked: a shard
    made again (an update, :func:`file_bytes`) needs only its keys' entries, and keeping
    all of them in the state cost 8 MB at 10,000 articles."""

    def __init__(self, every: Postings, titled: Postings) -> None:
        self.every, self.titled = every, titled

    def __getitem__(self, key: str) -> str:
        ids = self.every.get(key)
        if not ids:
            raise KeyError(key)
        return _entry(ids, self.titled.get(key))

    def __contains__(self, key: object) -> bool:  # Mapping's would make the entry
        return isinstance(key, str) and bool(self.every.get(key))

    def __iter__(self) -> Iterator[str]:
        return (key for block in self.every.blocks for key in block.keys)

    def __len__(self) -> int:
        return sum(len(block.keys) for block in self.every.blocks)


Plan = tuple[dict[str, list[str]], dict[str, int], dict[str, int]]
"""The shard plan, the prefix sizes it weighed, and each key's size in its shard."""


def _files(entries: Mapping[str, str], count: int, rows: Callable[[int], Sequence[Sequence[Any]]],
           last: IndexState | None = None, touched: frozenset[str] = frozenset(),
           stale: frozenset[int] = frozenset(), keep: bool = True
           ) -> tuple[dict[str, bytes | None], dict[str, str], Plan]:
    """The files from each key's entry JSON and the result table of ``count`` documents
    (``rows(start)``: a file's rows, from document ``start``); and the shard plan.

    With the ``last`` build's state, a shard whose keys are the same and none ``touched``,
    and a table file whose rows are the same (its ``start`` not in ``stale``), are the bytes
    written last time (None here: :func:`file_bytes` makes them again when needed); the plan is
    the last one brought up to date (:func:`_replan`) when that is what planning gives.
    Every file's digest comes with them; without ``keep``, a file made is not kept either
    (None: made again when written).
    """
    replanned = None
    if last is not None:
        sizes = dict(last.sizes)
        changes = {}
        for t in touched:
            size = _size(t, entries[t]) if t in entries else 0
            changes[t] = (sizes.pop(t, 0), size)
            if size:
                sizes[t] = size
        replanned = _replan(last.plan, last.totals, changes)
    if replanned is not None:
        shards, totals = replanned
    else:
        if last is None:
            sizes = {t: _size(t, e) for t, e in entries.items()}
        shards, totals = _plan(sizes)
    files: dict[str, bytes | None] = {}
    digests: dict[str, str] = {}

    def put(name: str, same: bool, make: Callable[[], bytes]) -> None:
        if same:
            assert last is not None
            files[name], digests[name] = None, last.digests[name]
        else:
            data = make()
            files[name], digests[name] = (data if keep else None), file_digest(data)

    for key, group in shards.items():
        same = last is not None and last.plan.get(key) == group and touched.isdisjoint(group)
        put(shard_name(key), same, functools.partial(_shard_bytes, group, entries))
    for start in range(0, count, DOCS_PER_FILE):
        same = last is not None and start not in stale
        put(f"docs-{start // DOCS_PER_FILE}", same,
            functools.partial(_rows_bytes_at, rows, start))
    return files, digests, (shards, totals, sizes)


def _shard_bytes(group: Iterable[str], entries: Mapping[str, str]) -> bytes:
    """A shard file: its keys' entries, in key order."""
    body = ",".join(f"{_compact(t)}:{entries[t]}" for t in sorted(group))
    return ("{" + body + "}").encode("utf-8")


def _rows_bytes_at(rows: Callable[[int], Sequence[Sequence[Any]]], start: int) -> bytes:
    return _rows_bytes(rows(start))


def _rows_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    """A file of the result table."""
    return _compact([list(row) for row in rows]).encode("utf-8")


def file_bytes(state: IndexState, name: str, table: Callable[[int], list[tuple[Any, ...]]]
               ) -> bytes:
    """The bytes of the index file ``name`` of ``state``, the index of the site whose
    :func:`result_table` is ``table`` (what :func:`_files` made)."""
    if name.startswith("docs-"):
        return _rows_bytes(table(int(name.removeprefix("docs-")) * DOCS_PER_FILE))
    key = name.removeprefix("terms").removeprefix("-")
    return _shard_bytes(state.plan[key], Entries(state.every, state.titled))


def result_table(site: Site) -> Callable[[int], list[tuple[Any, ...]]]:
    """The rows of the result table of ``site``'s documents, a file's from ``start``."""
    pages = (*site.articles, *site.pages)
    doc = _doc_maker(site)
    return lambda start: [tuple(doc(p).row()) for p in pages[start:start + DOCS_PER_FILE]]


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _size(term: str, entry: str) -> int:
    """The bytes ``"term":entry,`` takes in its shard."""
    return len(_compact(term)) + len(entry) + 2


def _manifest(digests: Mapping[str, str], plan: Iterable[str], count: int,
              sections: Sequence[str]) -> dict[str, Any]:
    """What the search page must know to read the files (``digests``: each one's
    :func:`file_digest`); ``version`` changes with them."""
    digest = hashlib.blake2b(digest_size=6)
    for name in sorted(digests):
        digest.update(f"{name}\0{digests[name]}\0".encode())
    return {"count": count, "perFile": DOCS_PER_FILE, "depth": MAX_DEPTH,
            "shards": sorted(plan), "sections": list(sections), "page": RESULTS_PAGE,
            "version": digest.hexdigest()}


@dataclass
class IndexState:
    """What an index build keeps for the next one (``serve`` in memory, ``build`` in
    ``.sitegen/search.bin``): the documents (by address, and by mark: what their index keys
    and their row of the result table are made from), the postings (each key's entry JSON
    is made from them: :class:`Entries`), the shard plan and the files' digests (the files
    themselves are in the output, and :func:`file_bytes` makes one again)."""

    paths: tuple[str, ...]
    marks: tuple[bytes, ...]
    sections: tuple[str, ...]
    layout: tuple[object, ...]
    every: Postings
    titled: Postings
    plan: dict[str, list[str]]
    digests: dict[str, str]
    #: The sizes the plan weighed (see _files): prefixes, and each key's.
    totals: dict[str, int]
    sizes: dict[str, int]


#: More changed documents than this and the index is built afresh.
MAX_CHANGED = 200


def _mark(page: Page) -> bytes:
    """What a page's index keys are made from: its body (``digest``) and the rest (``shown``);
    the keys themselves may still be in the build cache (sitegen.incremental.stored)."""
    return page.digest.encode() + (page.shown or shown_digest(page))


def index_state(site: Site, last: IndexState | None, keep: bool = True
                ) -> tuple[IndexState, dict[str, bytes | None]]:
    """The index of ``site``: from the ``last`` state when only a few documents' keys
    changed and none moved (the same addresses in the same order), else afresh; and its
    files: the bytes of those an update made, or, afresh, of every file with ``keep``;
    None for the others (:func:`file_bytes` makes them when they are written).

    Either way the files are byte for byte those :func:`index_files` gives.
    """
    pages = (*site.articles, *site.pages)
    layout = _layout(site)
    sections = tuple(s.title for s in site.config.sections)
    paths = tuple(p.path for p in pages)
    marks = tuple(_mark(p) for p in pages)
    table = result_table(site)
    changed = ([i for i, (a, b) in enumerate(zip(marks, last.marks, strict=True)) if a != b]
               if last is not None and last.paths == paths and last.layout == layout else None)
    if last is None or changed is None or len(changed) > MAX_CHANGED:
        lists, titled_lists = _postings(pages)
        code = _typecode(len(pages))
        every = Postings.of(lists, code, consume=True)  # the lists go as the copy grows
        titled = Postings.of(titled_lists, code, consume=True)
        # Each entry is made once here, for the plan and the digests (8 MB at 10,000
        # articles, let go on return). The files are made here too, for their digests:
        # kept (``keep``), they are not made again when written (0.7 s at 10,000
        # articles); else made again one at a time then (file_bytes), which serve's first
        # build does rather than hold the whole index twice at its peak of memory.
        entries = dict(Entries(every, titled).items())
        files, digests, (plan, totals, sizes) = _files(entries, len(pages), table, keep=keep)
        del entries
        return IndexState(paths, marks, sections, layout, every, titled, plan, digests,
                          totals, sizes), files
    stale = frozenset(i // DOCS_PER_FILE * DOCS_PER_FILE for i in changed)  # a mark covers its row
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
                                                   stale)
    return IndexState(paths, marks, sections, layout, every, titled, plan, digests, totals,
                      sizes), files


def _typecode(documents: int) -> str:
    """The array type that holds the numbers of ``documents`` documents in the least room."""
    return "H" if documents <= 1 << 16 else "I"


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def index_update(site: Site, memo: RenderMemo | None) -> tuple[IndexState, dict[str, bytes | None]]:
    """The index of ``site`` and its files, from the state ``memo`` kept (:func:`index_state`);
    the new state kept for the next build."""
    last = memo.state("search") if memo is not None else None
    state, files = index_state(site, last if isinstance(last, IndexState) else None,
                               keep=memo.keep_made if memo is not None else True)
    if memo is not None:
        memo.keep("search", state)
    return state, files


def search_files(r: Renderer) -> Iterator[RenderedFile]:
    """Feature: the search page ``tim-kiem/`` and its index files.

    With a memo (``build``, ``serve``), the index is updated from the last build's state
    when few articles' words changed (:func:`index_update`), and a file whose digest is
    the last build's is kept (:meth:`Renderer.made`).
    """
    config = r.config
    here = search_path(config)
    state, files = index_update(r.site, r.memo)
    manifest = _manifest(state.digests, state.plan, len(state.paths), state.sections)
    manifest.update(index=relative(here, search_index_dir(config), True),
                    root=relative(here, "", True))
    yield r.page("search.html", here, "search.html", title=TITLE, search=manifest)

    table = result_table(r.site)

    def make(name: str) -> bytes:
        data = files[name]
        return data if data is not None else file_bytes(state, name, table)

    for name in sorted(files):
        yield r.made(search_index_file(config, name), "search", state.digests[name],
                     functools.partial(make, name))


FEATURE = Feature("search", 30, search_files, text_work=text_work, ahead=True)
