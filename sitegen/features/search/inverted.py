"""The search's index in memory: the Site's pages in; postings, result rows and ranked answers out; pure.

No disk. Each key of a page (:mod:`sitegen.features.search.keys`: a folded term, or a pair of
neighbouring terms) maps to the numbers of the documents with it and of those whose title has
it. Document numbers are positions in the newest-first order of the site, so that, after title
and phrase matches, newer articles come first.

:func:`build_index` is the whole index as one value (:func:`search` and the tests use it);
:class:`Postings` is the compact form a build keeps for the next one
(:class:`sitegen.features.search.files.IndexState`). :func:`search` is the reference of
what the browser does.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.core.urls import relative
from sitegen.features.search.keys import exact_terms, page_keys, pairs, split_keys, terms


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
    has it. Arrays of two bytes a posting (four past 65,536 documents; a tuple of ints takes
    many times that), as a large site has millions of them (benchmarks/README.md, 'Figures
    behind the code')."""
    # Filed in wide arrays, made as small as the site allows once each list is whole
    # (_narrowed): appending to a two-byte array parses each number the slow way.
    every: dict[str, array[int]] = defaultdict(lambda: array(_WIDE))
    titled: dict[str, array[int]] = defaultdict(lambda: array(_WIDE))
    for number, page in enumerate(pages):
        whole, heading = page_keys(page)  # worked out when the page was read
        for key in split_keys(whole):
            every[key].append(number)
        for key in split_keys(heading):
            titled[key].append(number)
    code = _typecode(len(pages))
    # Each wide list goes as its narrow copy is made: both whole at once were a fifth of
    # serve's peak memory at 10,000 articles (68 MB against 45).
    return ({key: _narrowed(every.pop(key), code) for key in sorted(every)},
            {key: _narrowed(titled.pop(key), code) for key in sorted(titled)})


#: The array type postings are filed in (:func:`_postings`): four bytes a number.
_WIDE = "I"


def _narrowed(numbers: array[int], code: str) -> array[int]:
    """``numbers``, an array of type :data:`_WIDE`, as an array of type ``code`` whose
    numbers are as wide or narrower, each of ``numbers`` fitting in it (``_typecode``).

    ``array.append`` on a two-byte array parses each number with CPython's general argument
    parser, on a four-byte one it converts it directly: filing a cold build's postings
    wide and narrowing each key's list once here is measurably cheaper (benchmarks/README.md,
    'Figures behind the code'). ``array(code, numbers)`` would
    convert one number at a time again; instead, the low part of each wide number is taken
    in C, as a strided view of its bytes: the first part on a little-endian machine, the
    last on a big-endian one."""
    if numbers.typecode == code:
        return numbers
    assert code == "H", code  # the one narrower type _typecode gives
    parts = memoryview(numbers).cast("B").cast("H")
    step = numbers.itemsize // parts.itemsize
    low = 0 if sys.byteorder == "little" else step - 1
    return array(code, parts[low::step].tobytes())


#: Keys a block of Postings holds when made, unless told otherwise (an update may leave it
#: between 1 and 2 ×).
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
    ``block`` (:data:`BLOCK`) keys, each one array of numbers and one of where each key's start. Saved
    and loaded as a few blocks of bytes (a dictionary of many small arrays was measurably
    slow each way at 10,000 articles: benchmarks/README.md, 'Figures behind the code'), and
    updated by making again only the blocks whose keys changed (one array for all made an
    edit hold the index twice)."""

    blocks: tuple[_Block, ...]
    #: Each block's first key.
    firsts: tuple[str, ...]
    code: str
    #: Keys a block holds when made.
    block: int = BLOCK

    @classmethod
    def of(cls, lists: dict[str, array[int]], code: str, consume: bool = False,
           block: int = BLOCK) -> Postings:
        """The postings of ``lists`` ({key: sorted numbers}), numbers of array type ``code``,
        in blocks of ``block`` keys; with ``consume``, each list is taken out of ``lists`` as
        it is copied (the whole index is not held twice)."""
        keys = sorted(lists)
        blocks = tuple(_Block.of(((k, lists.pop(k) if consume else lists[k])
                                  for k in keys[i:i + block]), code)
                       for i in range(0, len(keys), block))
        return cls._of(blocks, code, block)

    @classmethod
    def _of(cls, blocks: Iterable[_Block], code: str, block: int) -> Postings:
        kept = tuple(b for b in blocks if b.keys)
        return cls(kept, tuple(b.keys[0] for b in kept), code, block)

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
        """The keys of document ``number``: each block's numbers searched for its bytes
        (``bytes.find``, in C; ``array.index`` compares one Python int at a time, and
        bisecting every key's list for it was most of an edit's update); a find that
        straddles two numbers is passed over."""
        found = set()
        pattern = array(self.code, [number]).tobytes()
        width = len(pattern)
        for block in self.blocks:
            data, starts, keys = block.ids.tobytes(), block.starts, block.keys
            at = data.find(pattern)
            while at >= 0:
                if at % width:
                    at = data.find(pattern, at + 1)
                    continue
                i = bisect_right(starts, at // width) - 1  # the key whose list holds it
                found.add(keys[i])
                at = data.find(pattern, starts[i + 1] * width)  # once in a key's list
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
            size = -(-len(items) // -(-len(items) // self.block)) if items else 1  # grown: halves
            blocks.extend(_Block.of(items[i:i + size], self.code)
                          for i in range(0, len(items), size))
        return Postings._of(blocks, self.code, self.block)

    def as_dict(self) -> dict[str, array[int]]:
        """{key: numbers}, in key order."""
        return {key: numbers for block in self.blocks for key, numbers in block.items()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Postings) and self.as_dict() == other.as_dict()


def search(index: SearchIndex, query: str) -> list[int]:
    """Document numbers of the articles with every term of ``query``, best first.

    Best is: more of the query's words with the accents typed (its exact keys: "hoà"
    finds "Cộng hòa" before "Hoa Lư"); then more of its pairs of neighbouring words in the
    title; then every word in the title; then more of the pairs anywhere; then more words
    in the title; then newer. This is what _search_engine.js does in the browser.
    """
    sequence = terms(query)
    words = list(dict.fromkeys(sequence))
    if not words:
        return []
    empty: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    accented = [set(index.postings.get(form, empty)[0])
                for form in dict.fromkeys(form for _, form in exact_terms(query))]
    found = set.intersection(*(set(index.postings.get(w, empty)[0]) for w in words))
    in_title = [set(index.postings.get(w, empty)[1]) for w in words]
    joined = [index.postings.get(p, empty) for p in dict.fromkeys(pairs(sequence))]
    pair_any = [set(every) for every, _ in joined]
    pair_title = [set(titled) for _, titled in joined]

    def rank(n: int) -> tuple[int, ...]:
        title_words = sum(n in s for s in in_title)
        return (-sum(n in s for s in accented), -sum(n in s for s in pair_title),
                -(title_words == len(words)),
                -sum(n in s for s in pair_any), -title_words, n)

    return sorted(found, key=rank)



def _typecode(documents: int) -> str:
    """The array type that holds the numbers of ``documents`` documents in the least room."""
    return "H" if documents <= 1 << 16 else "I"

