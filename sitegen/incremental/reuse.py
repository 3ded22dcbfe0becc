"""Pages the last build already wrote: render keys, their reads, and the record of them.

Rendering a page is a pure function of its template and what the template read. A page is
kept (its last file hard-linked into the new output, not rendered) when all of it is as it
was:

- its *key*: a digest of the *base* (sitegen's code, the templates, the config, the static
  files, the build's day, the menu and the features' plain values: what any
  page may read without naming it), the page's template and address, the digest of its own
  body (an article or undated page) and of its *context* (what its task hands the
  template: the article, its neighbours and terms; a pager and its items …,
  :meth:`sitegen.incremental.depends.Values.context_digest`);
- its *reads*: what its templates and helpers read of the rest of the site while it was
  last rendered (:mod:`sitegen.render.trace`: a term's list or its length, the window of
  articles related articles weighed, another page's body …), each looked up again on
  this build's site (:class:`sitegen.incremental.depends.Values`) and compared with the
  digest the record kept;
- its file: still there, unchanged (same size, modification time and inode).

So a changed title re-renders the article, the lists and cards that show it and the
articles whose related list or neighbours it is in; a changed body, the article alone
(and the feeds that list it). When no page's *token* (what it shows others) changed, no
read but a body's can have, and none is looked up. The features' files and the photos are
keyed directly (:meth:`Memo.reuse`: a feed by its entries and their bodies, the sitemap
by its pages and their dates, :mod:`sitegen.features.keys`; a photo by its bytes).

The record is kept in ``.sitegen/`` (:mod:`sitegen.incremental.record`); ``--clean`` does not
read it. The test that an incremental build equals a clean build over random changes is
tests/test_incremental.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sitegen import __version__
from sitegen.core.config import Config
from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.core.sources import Asset
from sitegen.core.urls import output_file
from sitegen.incremental import cards as cards_module
from sitegen.incremental.cards import CardStore
from sitegen.incremental.depends import Values
from sitegen.incremental.marks import Marks, marks_of
from sitegen.incremental.record import (
    Entry,
    ListMark,
    Record,
    load_record,
    save_record,
)
from sitegen.incremental.trusted import CACHE_DIR, code_digest, read_trusted, write_trusted
from sitegen.output.files import FileId, RenderedFile, file_id
from sitegen.render.trace import Dep


def _templates_digest(folders: Iterable[Path]) -> bytes:
    """The bytes of every file of the template folders, in name order."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if not folder.is_dir():
            continue
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.digest()


def base_signature(site: Site, static: Iterable[Asset], templates: Iterable[Path],
                   plain: object = ()) -> str:
    """The digest of what any page may read without naming it (see the module's
    docstring); ``plain``: the menu and the features' plain values, as a fingerprint."""
    h = hashlib.blake2b(digest_size=20)
    h.update(__version__.encode() + code_digest().encode())  # sitegen's own code
    h.update(_templates_digest(templates))
    h.update(repr(site.config).encode("utf-8", "surrogateescape"))
    h.update(repr(sorted((a.rel, a.size) for a in static)).encode("utf-8", "surrogateescape"))
    h.update(site.now.astimezone(site.config.zone).date().isoformat().encode())
    h.update(repr(plain).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


#: The reads that look into a list of the model (sitegen.render.trace).
LIST_READS = frozenset({"all", "len", "head", "win", "slice"})


@dataclass
class Memo:
    """The last build's record, and this build's keys and reads, for the Renderer.

    ``previous``: the last build's :class:`Record`; ``values``, this build's site and its
    pages' marks (a page without is marked from itself: its body read).
    """

    output: Path
    previous: Record = field(default_factory=Record)
    #: The record last written whole, which ``previous`` patches (see :class:`Patch`).
    whole_record: Record = field(default_factory=Record)
    #: This build's entries by site path (see :data:`Entry`).
    keys: dict[str, Entry] = field(default_factory=dict)
    kept: int = 0
    #: Where features keep their state between builds (``.sitegen/``); None: in memory only.
    folder: Path | None = None
    #: Whether the last build's states are read (not by ``--clean``, which still saves).
    read_states: bool = True
    states: dict[str, object] = field(default_factory=dict)
    changed_states: set[str] = field(default_factory=set)
    base: str = ""
    #: This build's pages' tokens (Values.tokens), taken once.
    tokens: Mapping[str, bytes] = field(default_factory=dict)
    _whole: str = ""
    values: Values | None = None
    #: No page's token changed since the last build (nor the base): only bodies can differ.
    same_site: bool = False
    #: Each list's mark and the places of its changed pages (:meth:`_list_now`).
    _lists: dict[tuple[Dep, str], tuple[ListMark, tuple[int, ...] | None]] = \
        field(default_factory=dict)
    #: The lists of pages that are as they were (:meth:`_list_read_changed`).
    _quiet: set[tuple[Dep, str]] = field(default_factory=set)
    #: Where each list of pages differs from the last build's (:meth:`_region`).
    _regions: dict[tuple[Dep, str], tuple[int, int, int, int]] = field(default_factory=dict)
    _reads_changed: frozenset[int] | None = None
    #: The sources of the pages whose token changed since the last build.
    _moved: frozenset[str] = frozenset()
    #: The theme's cards kept between builds; None: not loaded (see :meth:`want_cards`).
    cards: CardStore | None = None
    #: Whether a feature keeps the files it made ahead of their writing (a build writes
    #: them all soon after) rather than making each again when it is written.
    keep_made: ClassVar[bool] = True

    def state(self, name: str) -> object | None:
        """What feature ``name`` kept from the last build (see :meth:`keep`), or None."""
        if name not in self.states and self.folder is not None and self.read_states:
            self.states[name] = read_trusted(self.folder / f"{name}.bin")
        return self.states.get(name)

    def keep(self, name: str, value: object) -> None:
        """Keep ``value`` for feature ``name``'s next build (written by :func:`save_memo`)."""
        self.states[name] = value
        self.changed_states.add(name)

    def save_states(self) -> None:
        """Write the features' changed states now (else :func:`save_memo` writes them)."""
        if self.folder is not None:
            for name in sorted(self.changed_states):
                write_trusted(self.folder / f"{name}.bin", self.states[name])
        self.changed_states.clear()

    def want_cards(self, pages: int) -> None:
        """Load the cards the last builds kept when this build renders ``pages`` pages, enough
        for them to be worth loading (:data:`sitegen.incremental.cards.WORTH_FROM`)."""
        if self.cards is None and pages >= cards_module.WORTH_FROM:
            self.cards = CardStore.of([self.state(f"cards-{n:x}")
                                       for n in range(cards_module.SHARDS)], self.base)

    def card(self, key: tuple[Any, ...], page: Page) -> bytes | None:
        """Card ``key`` of ``page`` as kept, when ``page``'s token is as it was then."""
        if self.cards is None or self.values is None:
            return None
        return self.cards.get(key, self.values.token(page))

    def card_made(self, key: tuple[Any, ...], page: Page, html: bytes) -> None:
        """Keep card ``key`` of ``page`` for the next builds (when the cards are loaded)."""
        if self.cards is not None and self.values is not None:
            self.cards.put(key, self.values.token(page), html)

    def take_cards(self) -> dict[Any, Any]:
        """The cards made since the last call (a worker's, sent back to the build)."""
        return self.cards.take_new() if self.cards is not None else {}

    def add_cards(self, cards: Mapping[Any, Any]) -> None:
        """Cards a worker made (:meth:`take_cards`)."""
        if self.cards is not None:
            self.cards.add(cards)

    def keep_cards(self) -> None:
        """Keep the cards for the next build (those of the site's pages now), when any was
        added."""
        if self.cards is not None and self.cards.new and self.values is not None:
            site = self.values.site
            paths = {p.path for p in (*site.articles, *site.pages)}
            for n, shard in self.cards.saved(paths).items():
                self.keep(f"cards-{n:x}", shard)
            self.cards.take_new()  # kept: the next save writes only what is added after

    def start(self, base: str, values: Values) -> None:
        """Begin a render of a site whose base signature is ``base``, its pages' marks and
        reads looked up by ``values``."""
        self.base, self.values, self._whole = base, values, ""
        self.tokens = values.tokens()
        last = self.previous
        self.same_site = last.base == base and last.tokens == self.tokens
        self.keys, self.kept, self._lists, self._regions = {}, 0, {}, {}
        self._quiet = set()
        self._reads_changed = None
        self.cards = None  # loaded again when wanted: the base may have changed
        self._moved = frozenset() if self.same_site else frozenset(
            src for src, token in self.tokens.items() if last.tokens.get(src) != token)

    @property
    def whole(self) -> str:
        """The digest of the base and every page's token (what the feeds are keyed by),
        made when first asked."""
        if not self._whole:
            self._whole = hashlib.blake2b(self.base.encode() + b"".join(
                k.encode("utf-8", "surrogateescape") + v for k, v in sorted(self.tokens.items())),
                digest_size=20).hexdigest()
        return self._whole

    def own(self, page: Page) -> str:
        """The digest of ``page``'s body: its own part of its render key."""
        return self._marks(page).body

    def shown(self, page: Page) -> bytes:
        """The digest of what other pages show of ``page`` (core.pages.shown_digest)."""
        return self._marks(page).shown

    def _marks(self, page: Page) -> Marks:
        return self.values.marks(page) if self.values is not None else marks_of(page)

    def context_digest(self, context: Mapping[str, object]) -> bytes:
        """The digest of a page's context (:meth:`Values.context_digest`)."""
        assert self.values is not None
        return self.values.context_digest(context)

    def key(self, template: str, here: str, own: str, context: bytes = b"") -> str:
        """The key of the page at ``here`` (``own``: its body's digest, if it has one)."""
        parts = f"{self.base}\0{template}\0{here}\0{own}\0".encode("utf-8", "surrogateescape")
        return hashlib.blake2b(parts + context, digest_size=20).hexdigest()

    def check(self, template: str, here: str, own: str,
              context: Callable[[], Mapping[str, object]], origin: str,
              known: bool = False) -> RenderedFile | None:
        """The last build's file for the page at ``here`` when its reads are as they were,
        and its key (its template, address, body and context: ``known``, the reads hold
        what its context is made from, else its digest is compared), and the file is
        unchanged; recorded as this build's then. Else None."""
        last = self.previous.files.get(here)
        if last is None or self.values is None or last[0] == "":
            return None
        old_key, rel, found, reads, old_context = last
        if reads and not self.changed_reads().isdisjoint(reads):  # one set, looked at in C
            return None
        digest = old_context if self.same_site or known else self.context_digest(context())
        key = self.key(template, here, own, digest)
        if key != old_key:
            return None
        kept = self._file(here, origin, rel, found)
        if kept is not None:
            self.keys[here] = (key, rel, found, reads, digest)  # reads: the last table's
        return kept

    def changed_reads(self) -> frozenset[int]:
        """The indexes of the last build's reads that now give another value, made when
        first asked: when no token changed, the body reads that did (the only ones that
        can have); else every read that did, most told by their lists' marks
        (:meth:`_list_read_changed`) without being looked up."""
        if self._reads_changed is None:
            reads, quiet = self.previous.reads, self._quiet
            self._reads_changed = frozenset(
                (i for i, dep in enumerate(reads) if dep[0] == "body" and self._read_changed(i))
                if self.same_site else
                (i for i, dep in enumerate(reads)  # a list found as it was: passed over here
                 if not (dep[0] in LIST_READS and (dep[1], dep[2]) in quiet)
                 and self._read_changed(i)))
        return self._reads_changed

    def _read_changed(self, index: int) -> bool:
        """Whether the last build's read ``index`` now gives another value (a list's read
        told by its list when it can be, :meth:`_list_read_changed`)."""
        dep = self.previous.reads[index]
        found = self._list_read_changed(dep) if dep[0] in LIST_READS else None
        return self.digest(dep) != self.previous.values[index] if found is None else found

    def _list_now(self, key: tuple[Dep, str]) -> tuple[ListMark, tuple[int, ...] | None]:
        """List ``key``'s mark on this site and the places of its changed pages
        (:meth:`Values.list_mark`), made once a build."""
        found = self._lists.get(key)
        if found is None:
            assert self.values is not None
            found = self._lists[key] = self.values.list_mark(*key, self._moved)
        return found

    def _region(self, key: tuple[Dep, str], last: tuple[str, ...],
                now: tuple[str, ...]) -> tuple[int, int, int, int]:
        """Where list of pages ``key`` differs from the ``last`` build's: ``(lo, tail, m,
        n)``, its places from ``lo`` to before ``tail`` hold other pages, those before
        ``lo`` the same pages at the same places, those from ``tail`` on the same pages as
        the last list's end (shifted by ``m - n``, its old and new lengths)."""
        found = self._regions.get(key)
        if found is None:
            m, n = len(last), len(now)
            lo = 0
            if last != now:
                most = min(m, n)
                while lo < most and last[lo] == now[lo]:
                    lo += 1
                k = 0
                while k < most - lo and last[m - 1 - k] == now[n - 1 - k]:
                    k += 1
                found = (lo, n - k, m, n)
            else:
                found = (n, n, m, n)
            self._regions[key] = found
        return found

    def _list_read_changed(self, dep: Dep) -> bool | None:
        """Whether the list read ``dep`` changed, told by its list's mark and the places of
        its changed pages; None when they cannot tell: the read is to be looked up.

        A list of pages is compared with the last build's (:meth:`_region`): a read that
        lies wholly before the region where the pages differ (or, the length the same,
        after it; a window: also with a longer or shorter list) holds the same pages, so it
        changed only if one of them changed. Anything else is looked up.
        """
        key = (dep[1], dep[2])
        if key in self._quiet:
            return False
        now, places = self._list_now(key)
        last = self.previous.lists.get(key)
        if type(now) is not tuple or type(last) is not tuple:
            return False if last is not None and last == now else None
        lo, tail, m, n = self._region(key, last, now)
        if m == n and lo >= tail and not places:  # as it was: no read of it changed
            self._quiet.add(key)
            return False
        assert places is not None
        kind = dep[0]
        if kind == "len":
            return m != n
        if kind == "all":
            return lo < tail or m != n or bool(places)
        in_place = m == n and lo >= tail  # the same pages in the same places
        if kind == "head":
            start, stop = 0, dep[3]
            same = in_place or stop <= lo
        elif kind == "slice":
            start, stop = dep[3], dep[4]
            same = in_place or stop <= lo or (m == n and start >= tail)
        else:  # "win": ``width`` places either side of a page
            assert self.values is not None
            centre = self.values.place(dep[1], dep[2], dep[3])
            if centre is None:  # no window (one at a moved page's old address: its reader
                return None if not in_place else False  # was that page, now another key)
            start, stop = centre - dep[4], centre + dep[4] + 1
            same = in_place or stop <= lo or start >= tail
        if not same:
            return None
        return any(start <= at < stop for at in places)

    def rendered(self, template: str, here: str, own: str, reads: Iterable[Dep],
                 context: bytes) -> None:
        """Note the page at ``here`` as rendered now, with what it read."""
        self.keys[here] = (self.key(template, here, own, context), output_file(here), None,
                           tuple(reads), context)

    def reuse(self, here: str, key: str, origin: str) -> RenderedFile | None:
        """The last build's file for ``here`` when its key was ``key`` and it is unchanged:
        for files keyed directly (the feeds by :attr:`whole`, the photos by their bytes)."""
        self.keys[here] = (key, output_file(here), None, (), b"")
        last = self.previous.files.get(here)
        if last is None or last[0] != key:
            return None
        return self._file(here, origin, last[1], last[2])

    def _file(self, here: str, origin: str, rel: str, found: FileId | None) -> RenderedFile | None:
        path = f"{self.output}/{rel}"  # a string: 18,000 Paths took 0.1 s
        if found is None or file_id(path) != found:
            return None
        self.kept += 1
        return RenderedFile(path=here, origin=origin, source=path, kept=True, found=found,
                            rel=rel)

    def record(self, written: Mapping[str, FileId | None]) -> Record:
        """This build's record: each keyed file's entry, with the FileId it was ``written``
        with (files not written are left out), its reads by index into one table."""
        table = _Table(self)
        files = {}
        for here, (key, rel, _, reads, context) in self.keys.items():
            if rel in written:
                files[here] = (key, rel, written[rel], table.add(reads), context)
        table.compacted(files)
        assert self.values is not None
        lists = {(d[1], d[2]) for d in table.reads if d[0] in LIST_READS}
        return Record(self.base, self.tokens, tuple(table.reads), tuple(table.values),
                      {key: self._list_value(key) for key in lists}, files)

    def _list_value(self, key: tuple[Dep, str]) -> ListMark:
        """The mark of list ``key`` on this site (the last build's when no token changed)."""
        if self.same_site and key in self.previous.lists:
            return self.previous.lists[key]
        return self._list_now(key)[0]

    def digest(self, dep: Dep) -> bytes:
        """Read ``dep``'s digest on this site."""
        assert self.values is not None
        return self.values.of(dep)


class _Table:
    """The table of reads a record is written with: the last record's, each read's digest
    brought up to date, so that a page kept keeps its indexes; the reads of the pages
    rendered now added to it (each once)."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo
        last = memo.previous.reads
        self.reads: list[Dep] = list(last)
        self.values: list[bytes] = list(memo.previous.values)  # but those of reads changed
        for i in memo.changed_reads():
            self.values[i] = memo.digest(last[i])
        self._index: dict[Dep, int] | None = None  # made when a read is added

    def add(self, reads: tuple[Any, ...]) -> tuple[int, ...]:
        """The indexes of ``reads`` in this table: a kept page's are already (they index
        the last table, which this one extends); a rendered page's are added when new."""
        if not reads or type(reads[0]) is int:
            return reads
        if self._index is None:
            self._index = {dep: i for i, dep in enumerate(self.reads)}
        out = []
        for dep in reads:
            at = self._index.get(dep)
            if at is None:
                at = self._index[dep] = len(self.reads)
                self.reads.append(dep)
                self.values.append(self.memo.digest(dep))
            out.append(at)
        return tuple(out)

    def compacted(self, files: dict[str, Any]) -> None:
        """Drop the reads no file holds any more, when they are most of the table (the
        indexes of ``files`` renumbered)."""
        used = sorted(set().union(*(entry[3] for entry in files.values())))
        if len(self.reads) <= 2 * len(used) + 1024:
            return
        new = {old: i for i, old in enumerate(used)}
        self.reads = [self.reads[i] for i in used]
        self.values = [self.values[i] for i in used]
        for here, (key, rel, found, reads, context) in files.items():
            files[here] = (key, rel, found, tuple(new[i] for i in reads), context)


@dataclass
class MemoryMemo(Memo):
    """A Memo for ``serve``, which keeps the last build's files itself (in memory): a page
    whose key and reads are those of the last good build comes back as ``kept``, no bytes."""

    #: serve stores each file as it comes: made again then, they are never all held at once.
    keep_made: ClassVar[bool] = False

    def _file(self, here: str, origin: str, rel: str, found: FileId | None) -> RenderedFile | None:
        self.kept += 1
        return RenderedFile(path=here, origin=origin, kept=True, rel=rel)

    def adopt(self) -> None:
        """Take this build's keys and reads as the last good build's (after a build that
        succeeded)."""
        self.previous = self.record({entry[1]: None for entry in self.keys.values()})
        self.keep_cards()

    def forget(self) -> None:
        """Forget the last build: render everything again."""
        self.previous = Record()


def load_memo(config: Config) -> Memo:
    """A Memo with the last build's record (:func:`sitegen.incremental.record.load_record`)."""
    whole, record = load_record(config.root / CACHE_DIR)
    return Memo(config.output_dir, record, whole_record=whole, folder=config.root / CACHE_DIR)


def save_memo(config: Config, memo: Memo, written: Mapping[str, FileId]) -> None:
    """Record this build's keys and the files they produced (as a patch of the record last
    written whole while the changes are few, :func:`sitegen.incremental.record.patch_of`),
    and the features' states."""
    save_record(config.root / CACHE_DIR, memo.record(written), memo.whole_record)
    memo.keep_cards()
    memo.save_states()
