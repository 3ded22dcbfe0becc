"""Pages the last build already wrote: render keys, and the record of what they produced.

Rendering a page is a pure function of its template and what the template can read.
A page's *render key* is a digest of all of it:

- the *site signature*: sitegen's code, the templates, the config, the static files, the
  build's day, the aliases, and every published page's fields but its body (title, date,
  summary, tags, unit, picture, address, kind information …) and whether it is shown as a
  draft or as scheduled: the menus, lists, cards, neighbours and fact boxes read these;
- the page's template and address, and, for an article or an undated page, the digest of
  its own body.

What a page shows others and its body are digested when it is read (its marks,
:mod:`sitegen.incremental.marks`); a Memo holds this build's pages' marks.

No template reads another page's body, so a key that did not change means bytes that
would not change. The feeds, which do, are keyed by their entries' body digests as well
(:meth:`sitegen.render.renderer.Renderer.made`); the search index is kept up to date by its own state.
A build with a :class:`Memo` does not render a page whose key is the one the
last build recorded for it when that build's file is still there, unchanged (same size,
modification time and inode): the file is hard-linked into the new output as it is.
Editing an article's text re-renders that article only; changing what other pages show
of it (its title, date, tags …) changes the site signature and renders every page again.
The record is ``.sitegen/pages.bin`` (:func:`sitegen.incremental.cache.write_trusted`); ``--clean``
does not read it. The test that an incremental build equals a clean build over random
changes is tests/test_incremental.py.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from sitegen import __version__
from sitegen.core.config import Config
from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.core.sources import Asset
from sitegen.core.urls import output_file
from sitegen.incremental.cache import CACHE_DIR, code_digest, read_trusted, write_trusted
from sitegen.incremental.marks import Marks, marks_of
from sitegen.output.files import FileId, RenderedFile, file_id

RECORD_FILE = "pages.bin"

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


def site_signature(site: Site, static: Iterable[Asset], templates: Iterable[Path],
                   marks: Mapping[str, Marks]) -> str:
    """The digest of everything every page may read (see the module's docstring); ``marks``:
    the pages' marks by source (:func:`sitegen.incremental.marks.marks_by_source`)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(__version__.encode() + code_digest().encode())  # sitegen's own code
    h.update(_templates_digest(templates))
    h.update(repr(site.config).encode("utf-8", "surrogateescape"))
    h.update(repr(sorted((a.rel, a.size) for a in static)).encode("utf-8", "surrogateescape"))
    h.update(site.now.astimezone(site.config.zone).date().isoformat().encode())
    h.update(pickle.dumps(site.aliases, protocol=5))
    for page in (*site.articles, *site.pages):
        h.update(_marks(marks, page).shown + (site.status(page) or "-").encode())
    return h.hexdigest()


@dataclass
class Memo:
    """The last build's render keys, and this build's, for :meth:`Renderer.page`.

    ``previous`` maps a site path to (its key, its output file's path relative to the
    output, that file's :data:`FileId` when it was written); ``marks``, this build's pages'
    marks by source (a page without is marked from itself: its body read).
    """

    output: Path
    previous: Mapping[str, tuple[str, str, FileId]] = field(default_factory=dict)
    signature: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    kept: int = 0
    #: Where features keep their state between builds (``.sitegen/``); None: in memory only.
    folder: Path | None = None
    #: Whether the last build's states are read (not by ``--clean``, which still saves).
    read_states: bool = True
    states: dict[str, object] = field(default_factory=dict)
    changed_states: set[str] = field(default_factory=set)
    marks: Mapping[str, Marks] = field(default_factory=dict)
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

    def start(self, signature: str, marks: Mapping[str, Marks]) -> None:
        """Begin a render of a site whose :func:`site_signature` is ``signature`` and whose
        pages' marks are ``marks``."""
        self.signature = signature
        self.marks = marks
        self.keys = {}
        self.kept = 0

    def own(self, page: Page) -> str:
        """The digest of ``page``'s body: its own part of its render key."""
        return _marks(self.marks, page).body

    def shown(self, page: Page) -> bytes:
        """The digest of what other pages show of ``page`` (core.pages.shown_digest)."""
        return _marks(self.marks, page).shown

    def key(self, template: str, here: str, own: str) -> str:
        """The render key of the page at ``here`` (``own``: its body's digest, if it has one)."""
        parts = f"{self.signature}\0{template}\0{here}\0{own}\0"
        return hashlib.blake2b(parts.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()

    def reuse(self, here: str, key: str, origin: str) -> RenderedFile | None:
        """The last build's file for ``here`` when its key was ``key`` and it is unchanged."""
        self.keys[here] = key
        last = self.previous.get(here)
        if last is None or last[0] != key:
            return None
        path = f"{self.output}/{last[1]}"  # a string: 18,000 Paths took 0.1 s
        if file_id(path) != last[2]:
            return None
        self.kept += 1
        return RenderedFile(path=here, origin=origin, source=path, kept=True, found=last[2],
                            rel=last[1])

    def record(self, written: Mapping[str, FileId]) -> dict[str, tuple[str, str, FileId]]:
        """This build's record: each keyed page's key, output file and its FileId."""
        out = {}
        for here, key in self.keys.items():
            rel = output_file(here)
            found = written.get(rel)
            if found is not None:
                out[here] = (key, rel, found)
        return out


@dataclass
class MemoryMemo(Memo):
    """A Memo for ``serve``, which keeps the last build's files itself (in memory): a page
    whose key is the one of the last good build comes back as ``kept``, with no bytes."""

    files: dict[str, str] = field(default_factory=dict)
    #: serve stores each file as it comes: made again then, they are never all held at once.
    keep_made: ClassVar[bool] = False

    def reuse(self, here: str, key: str, origin: str) -> RenderedFile | None:
        self.keys[here] = key
        if self.files.get(here) != key:
            return None
        self.kept += 1
        return RenderedFile(path=here, origin=origin, kept=True)

    def adopt(self) -> None:
        """Take this build's keys as the last good build's (after a build that succeeded)."""
        self.files = dict(self.keys)


def _marks(marks: Mapping[str, Marks], page: Page) -> Marks:
    """``page``'s marks: those made when it was read, or made now."""
    found = marks.get(page.source)
    return found if found is not None else marks_of(page)


def record_path(config: Config) -> Path:
    return config.root / CACHE_DIR / RECORD_FILE


def load_memo(config: Config) -> Memo:
    """A Memo with the last build's record (an empty one when it is missing or damaged)."""
    record = read_trusted(record_path(config))
    if not isinstance(record, dict):
        record = {}
    return Memo(config.output_dir, record, folder=config.root / CACHE_DIR)


def save_memo(config: Config, memo: Memo, written: Mapping[str, FileId]) -> None:
    """Record this build's keys and the files they produced, and the features' states."""
    write_trusted(record_path(config), memo.record(written))
    memo.save_states()
