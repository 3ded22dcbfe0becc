"""The search's index files: postings and result rows in; the JSON files, digests, manifest out; pure.

No disk: the files are RenderedFiles the writer writes, under ``tim-kiem/index/``, which the
search engine in the reader's browser reads:

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
  summary), :data:`DOCS_PER_FILE` articles a file (unless told otherwise), in rank order, so the first
  results of a query need one or two small files.

A set of document numbers is written either as a JSON list of gaps or, when shorter, as a
base64 bitmap. The shard plan (:func:`plan_shards`) and the files' digests are kept in an
:class:`IndexState`, so that the next build makes again only the files whose keys changed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import operator
from bisect import insort
from collections import defaultdict, deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

from sitegen.core.digest import digest
from sitegen.core.site import Site
from sitegen.features.search.inverted import Postings, SearchIndex, _doc_maker
from sitegen.vn.text import fold

#: A term shard larger than this (bytes of JSON) is split by one more letter.
SHARD_BYTES = 32_000
#: Shard names are at most this many letters long.
MAX_DEPTH = 6
#: Articles per file of the result table.
DOCS_PER_FILE = 64
#: Results shown at a time (the engine fetches the rows of this many first).
RESULTS_PAGE = 10

_SHARD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def encode(ids: Sequence[int], bits: int | None = None) -> list[int] | str:
    """A sorted set of numbers: JSON gaps ``[3, 1, 40]`` or, when shorter, a base64 bitmap;
    ``bits``: the set as the bits of an int (:func:`bitmap_bits`) when known, which writes a
    dense set without going over its numbers."""
    if not ids:
        return []
    size = ids[-1] // 8 + 1
    bitmap = 4 * -(-size // 3)  # its length in base64
    # The gaps' length as JSON is at most each as wide as the widest, and at least a digit
    # each, with the commas: most sets are sparse, and the bounds decide without writing it;
    # a dense one is a bitmap without its gaps made (_dense).
    if not _dense(ids):
        gaps = list(map(operator.sub, ids, chain((0,), ids)))
        count = len(gaps)
        if bitmap >= count * (len(str(max(gaps))) + 1) - 1 or bitmap >= len(",".join(map(str, gaps))):
            return gaps
    bytes_ = (bitmap_bits(ids) if bits is None else bits).to_bytes(size, "little")
    return base64.b64encode(bytes_).decode("ascii")


def _dense(ids: Sequence[int]) -> bool:
    """Whether the non-empty sorted set ``ids`` is a bitmap whatever its gaps: the bitmap
    is shorter than any list of as many gaps (a digit and a comma each)."""
    return 4 * -(-(ids[-1] // 8 + 1) // 3) < 2 * len(ids) - 1


def bitmap_bits(ids: Iterable[int]) -> int:
    """The int whose bit ``n`` is set for each ``n`` of ``ids``: a bitmap, little-endian."""
    numbers = list(ids)
    if not numbers:
        return 0
    flags = bytearray(max(numbers) // 8 * 8 + 8)  # a byte a number, set in C, packed in C
    # operator.setitem, not flags.__setitem__: a slot wrapper packs each call's arguments
    # into a tuple first, measurable over a large index's dense sets.
    deque(map(operator.setitem, repeat(flags), numbers, repeat(1)), maxlen=0)
    return int(flags[::-1].translate(_BINARY), 2)


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
    """The first ``depth`` letters of a term, folded, as a file-name part (other letters
    become ``_``): an exact key ("đua") lives in the shard of its term ("dua"), which the
    browser fetches for the query anyway."""
    if not term.isascii():
        term = fold(term)
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
    _place(sizes, limit, "", sorted(sizes), out, totals)
    return out, totals


def _place(sizes: Mapping[str, int], limit: int, key: str, group: list[str],
           out: dict[str, list[str]], totals: dict[str, int]) -> None:
    """Plan the prefix ``key`` and the prefixes under it, whose terms are ``group`` (sorted),
    into ``out`` and ``totals`` (see :func:`_plan`)."""
    depth = len(key)
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
        _place(sizes, limit, sub, deeper[sub], out, totals)


def _replan(plan: Mapping[str, list[str]], totals: Mapping[str, int],
            changes: Mapping[str, tuple[int, int]], sizes: Mapping[str, int],
            limit: int = SHARD_BYTES) -> tuple[dict[str, list[str]], dict[str, int]] | None:
    """:func:`_plan` of ``sizes`` (each term's size now), from the last plan and the prefix
    sizes it weighed, after the terms in ``changes`` went from their old size to their new
    one (0: absent): each term's prefixes weighed again, down to its shard; a prefix whose
    decision changes (split it or not) planned again from its terms alone, which is what
    planning the whole gives there; None when the last plan does not hold what ``changes``
    say it did, or no term is left. (Long: the walk down each changed term's prefixes and
    the prefixes planned again share the plan and the sizes they change.)"""
    out, new = dict(plan), dict(totals)
    again: set[str] = set()  # prefixes whose decision changes: planned again below
    for term, (old, size) in sorted(changes.items()):
        home = None
        for node in dict.fromkeys(shard_key(term, d) for d in range(MAX_DEPTH + 1)):
            depth = len(node)
            if node in again:
                break
            if node not in new:  # a new group under a split prefix: a shard of its own
                if old:
                    return None
                new[node] = size
                if size > limit and depth < MAX_DEPTH:
                    again.add(node)  # so big that it is split at once
                else:
                    home = node
                break
            before = new[node]
            after = new[node] = before + size - old
            if after < 0:
                return None
            if depth < MAX_DEPTH and (before <= limit) != (after <= limit):
                again.add(node)
                break
            if after <= limit or depth >= MAX_DEPTH or len(term) <= depth:
                home = node  # its shard: a whole group, or the terms that end here
                if after == 0:  # its last term gone: planning makes no such group
                    del new[node]
                break
        if home is None or (old and size):
            continue  # planned again below, or the same term in the same shard
        group = list(out.get(home, ()))
        if size:
            insort(group, term)
        else:
            group.remove(term)
        if group:
            out[home] = group
        else:
            del out[home]  # the terms that ended at a split prefix: none left
    for node in sorted(again):  # shortest first: a prefix under one planned again goes with it
        if any(node.startswith(a) and node != a for a in again):
            continue
        held = {t for key, group in plan.items() if key.startswith(node) for t in group}
        held.update(t for t, (_, size) in changes.items()
                    if size and shard_key(t, len(node)) == node)
        held.difference_update(t for t, (_, size) in changes.items() if not size)
        for kept in (out, new):
            for key in [k for k in kept if k.startswith(node)]:
                del kept[key]
        if held:
            _place(sizes, limit, node, sorted(held), out, new)
    return (out, new) if new.get("") else None


def find_shard(term: str, shards: Iterable[str]) -> str | None:
    """The shard that holds ``term`` (the same rule as _search_engine.js)."""
    return _home(term, set(shards))


def _home(term: str, names: Container[str]) -> str | None:
    """:func:`find_shard` among the shard ``names``."""
    for depth in range(min(len(term), MAX_DEPTH), -1, -1):
        key = shard_key(term, depth)
        if key in names:
            return key
    return None


def shard_name(key: str) -> str:
    return f"terms-{key}" if key else "terms"


def index_files(index: SearchIndex, per_file: int = DOCS_PER_FILE
                ) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The index files ({name: JSON bytes}) and what the page must know to read them;
    ``per_file`` rows a file of the result table."""
    entries = {term: _entry(every, titled) for term, (every, titled) in index.postings.items()}
    rows = [tuple(d.row()) for d in index.docs]
    made, digests, (plan, _, _) = _files(entries, len(rows),
                                         lambda start: rows[start:start + per_file],
                                         per_file=per_file)
    files = {name: data for name, data in made.items() if data is not None}
    return files, _manifest(digests, plan, len(index.docs), index.sections, per_file)


def _entry(every: Sequence[int], titled: Sequence[int], bits: tuple[int | None, int | None]
           = (None, None)) -> str:
    """The JSON of one key's entry: [documents] or [documents, titles], each encoded (with
    their :func:`bitmap_bits`, when known)."""
    sets = [encode(every, bits[0]), encode(titled, bits[1])] if titled else [encode(every, bits[0])]
    return "[" + ",".join(map(_set_json, sets)) + "]"


def _set_json(data: list[int] | str) -> str:
    """``_compact(data)`` of an encoded set (numbers, or base64 letters: nothing to escape),
    written directly: json.dumps was a fifth of an update that moves an article."""
    return f'"{data}"' if isinstance(data, str) else "[" + ",".join(map(str, data)) + "]"


Bits = tuple[dict[str, int], dict[str, int]]
"""Per key, the :func:`bitmap_bits` of its documents and of its titles, for the dense
sets (bitmaps in the files): an update moves a few numbers of a few thousand keys, whose
bitmaps it makes again from these rather than from their numbers (the most of its time
at 10,000 articles, for a date moving one article)."""


class Entries(Mapping[str, str]):
    """Each key's entry JSON (:func:`_entry`), made from the postings when asked: a shard
    made again (an update, :func:`file_bytes`) needs only its keys' entries, and keeping
    all of them in the state was measurable in memory at 10,000 articles
    (benchmarks/README.md, 'Figures behind the code'). With ``bits``, the dense sets'
    bitmaps are taken from there, and put there when made."""

    def __init__(self, every: Postings, titled: Postings, bits: Bits | None = None) -> None:
        self.every, self.titled, self.bits = every, titled, bits

    def __getitem__(self, key: str) -> str:
        ids = self.every.get(key)
        if not ids:
            raise KeyError(key)
        titled = self.titled.get(key)
        if self.bits is None:
            return _entry(ids, titled)
        return _entry(ids, titled, (self._bits(self.bits[0], key, ids),
                                    self._bits(self.bits[1], key, titled)))

    @staticmethod
    def _bits(known: dict[str, int], key: str, ids: Sequence[int]) -> int | None:
        """The bits of ``key``'s ``ids`` when dense: from ``known``, else made and kept."""
        found = known.get(key)
        if found is None and ids and _dense(ids):
            found = known[key] = bitmap_bits(ids)
        return found

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
           stale: frozenset[int] = frozenset(), keep: bool = True,
           per_file: int = DOCS_PER_FILE
           ) -> tuple[dict[str, bytes | None], dict[str, str], Plan]:
    """The files from each key's entry JSON and the result table of ``count`` documents
    (``rows(start)``: a file's rows, ``per_file`` from document ``start``); and the shard plan.

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
        replanned = _replan(last.plan, last.totals, changes, sizes, SHARD_BYTES)
    if replanned is not None:
        shards, totals = replanned
    else:
        if last is None:
            sizes = {t: _size(t, e) for t, e in entries.items()}
        shards, totals = _plan(sizes, SHARD_BYTES)
    files: dict[str, bytes | None] = {}
    digests: dict[str, str] = {}

    def put(name: str, same: bool, make: Callable[[], bytes]) -> None:
        if same:
            assert last is not None
            files[name], digests[name] = None, last.digests[name]
        else:
            data = make()
            files[name], digests[name] = (data if keep else None), digest(data)

    # The shards that hold a touched key now (the last plan's, where it is the same).
    homes = {_home(t, shards) for t in touched}
    for key, group in shards.items():
        same = (last is not None and key not in homes
                and ((was := last.plan.get(key)) is group or was == group))
        put(shard_name(key), same, functools.partial(_shard_bytes, group, entries))
    for start in range(0, count, per_file):
        same = last is not None and start not in stale
        put(f"docs-{start // per_file}", same,
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
        return _rows_bytes(table(int(name.removeprefix("docs-")) * state.per_file))
    key = name.removeprefix("terms").removeprefix("-")
    return _shard_bytes(state.plan[key], Entries(state.every, state.titled, state.bits))


def result_table(site: Site, per_file: int = DOCS_PER_FILE
                 ) -> Callable[[int], list[tuple[Any, ...]]]:
    """The rows of the result table of ``site``'s documents, a file's (``per_file``) from
    ``start``."""
    pages = (*site.articles, *site.pages)
    doc = _doc_maker(site)
    return lambda start: [tuple(doc(p).row()) for p in pages[start:start + per_file]]


def _size(term: str, entry: str) -> int:
    """The bytes ``"term":entry,`` takes in its shard."""
    return len(_compact(term)) + len(entry) + 2


def _manifest(digests: Mapping[str, str], plan: Iterable[str], count: int,
              sections: Sequence[str], per_file: int = DOCS_PER_FILE) -> dict[str, Any]:
    """What the search page must know to read the files (``digests``: each one's
    :func:`sitegen.core.digest.digest`; ``per_file`` rows a file of the result table);
    ``version`` changes with them."""
    version = hashlib.blake2b(digest_size=6)
    for name in sorted(digests):
        version.update(f"{name}\0{digests[name]}\0".encode())
    return {"count": count, "perFile": per_file, "depth": MAX_DEPTH,
            "shards": sorted(plan), "sections": list(sections), "page": RESULTS_PAGE,
            "version": version.hexdigest()}



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
    #: Rows a file of the result table.
    per_file: int = DOCS_PER_FILE
    #: The dense sets' bitmaps (None: none known, as in a state kept before they were).
    bits: Bits | None = None



def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

