"""serve's files: each file as the server holds it, the write stage that keeps them
(compressed, each page in a file of the server's scratch folder; a page kept from the last
good build keeps its bytes), the state the server shows, and which file a request names.
[IO: writes the pages' bytes to the scratch folder; reads them, and static files, when
served]"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.core.digest import digest
from sitegen.core.errors import Problem
from sitegen.core.urls import output_file
from sitegen.output.claims import Claims
from sitegen.output.files import RenderedFile


@dataclass(frozen=True)
class Served:
    """One file as the server holds it: its bytes compressed, in a file of the server's
    scratch folder (``packed`` names it: a large site's pages held in memory, even
    compressed, were a tenth of the server's memory, benchmarks/README.md, 'Figures behind
    the code') or, when that could not be written, in memory; or the file to read them from
    (static files, pictures)."""

    packed: str | bytes | None = None
    source: Path | None = None
    #: The preset dictionary ``packed`` was compressed with (see MemoryOutput).
    shared: bytes = b""
    #: A digest of the bytes (a file made again with the same bytes keeps this one).
    digest: str = ""
    #: Where ``source`` led, its links followed, when the build took it (it was checked then).
    real: Path | None = None

    def read(self) -> bytes | None:
        """The bytes; None when ``source`` no longer leads where the build checked it (a file
        replaced by a link to outside the site while a broken build keeps the last good one),
        or the scratch folder no longer holds them as made."""
        if self.packed is not None:
            return self._unpacked(self.packed)
        if self.source is None:
            return b""
        try:
            if self.source.resolve() != self.real:
                return None
            return self.source.read_bytes()
        except OSError:
            return None

    def _unpacked(self, packed: str | bytes) -> bytes | None:
        try:
            if isinstance(packed, str):
                with open(packed, "rb") as fh:
                    packed = fh.read()
            data = zlib.decompressobj(zdict=self.shared).decompress(packed)
        except (OSError, zlib.error):
            return None
        return data if digest(data) == self.digest else None


class PageFiles:
    """Where serve keeps its pages' compressed bytes out of memory: a file for each, in
    ``folder``, named by the digests of the page's bytes and of the dictionary they were
    compressed with (a page made again with the same bytes is not written again); the files
    no state refers to any longer are removed (:meth:`prune`), so that the folder holds the
    site once or twice, never every build's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._written: set[str] = set()

    def keep(self, name: str, packed: bytes) -> str | bytes:
        """Where ``packed`` (the bytes ``name`` names, see the class) is kept: the path of its
        file, or ``packed`` itself when that could not be written (a full disk)."""
        path = os.path.join(self.folder, name)
        if path in self._written and os.path.exists(path):  # (a cleaner may empty the folder)
            return path
        try:
            self._write(path, packed)
        except OSError:
            with contextlib.suppress(OSError):
                os.remove(path)  # a part written: nothing refers to it
            self._written.discard(path)
            return packed
        self._written.add(path)
        return path

    def _write(self, path: str, packed: bytes) -> None:
        """Write ``packed`` to ``path``, making the folder first when it is not there (the first
        page, or a cleaner removed it): not a ``mkdir`` for every page written."""
        try:
            fh = open(path, "wb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            self.folder.mkdir(exist_ok=True)
            fh = open(path, "wb")  # noqa: SIM115 - closed below
        with fh:
            fh.write(packed)

    def holds(self, served: Served) -> bool:
        """Whether ``served``'s bytes are still where it says (in memory, or a file here)."""
        return not isinstance(served.packed, str) or os.path.exists(served.packed)

    def prune(self, *states: Mapping[str, Served]) -> None:
        """Remove the files of the pages none of ``states`` holds (pages made again since, and
        the whole of a build that failed)."""
        held = {f.packed for files in states for f in files.values() if isinstance(f.packed, str)}
        for path in self._written - held:
            with contextlib.suppress(OSError):
                os.remove(path)
        self._written &= held


class MemoryOutput:
    """serve's write stage: each file as it is made, checked (unsafe names, two files with one
    name) and kept compressed in ``pages``; a page kept from the last good build keeps its
    bytes."""

    def __init__(self, last: Mapping[str, Served], pages: PageFiles, shared: bytes = b"") -> None:
        self.last = last
        self.pages = pages
        #: A zlib preset dictionary: the first page's head and tail (the header, menus and
        #: footer every page repeats), taken once for the server's life; pages then shrink
        #: to their own text.
        self.shared = shared
        self._shared_name = digest(shared)[:16]
        self.files: dict[str, Served] = {}
        self.claims = Claims()
        self.problems: list[Problem] = []

    def put(self, f: RenderedFile) -> None:
        rel, problem = self.claims.claim_file(f)
        if problem is not None:
            self.problems.append(problem)
            return
        assert rel is not None
        if f.data is not None:
            made = digest(f.data)
            last = self.last.get(rel)
            if last is not None and last.digest == made and self.pages.holds(last):
                self.files[rel] = last  # the search index, mostly
                return
            if not self.shared and rel.endswith(".html"):
                self.shared = f.data[:16384] + f.data[-16384:]
                self._shared_name = digest(self.shared)[:16]
            packer = zlib.compressobj(6, zdict=self.shared)  # a quarter smaller than level 1
            packed = self.pages.keep(f"{made}-{self._shared_name}",
                                     packer.compress(f.data) + packer.flush())
            self.files[rel] = Served(packed=packed, shared=self.shared, digest=made)
        elif f.source is not None:
            copied = Served(source=Path(f.source), real=Path(f.source).resolve())
            self.files[rel] = copied if self.last.get(rel) != copied else self.last[rel]
        else:  # kept (MemoryMemo): the last good build's file
            self.files[rel] = self.last[rel]


def changed_pages(last: Mapping[str, Served], now: Mapping[str, Served], *,
                  whole: bool = True) -> frozenset[str]:
    """The pages (HTML files) whose bytes differ between ``last`` and ``now``; with
    ``whole``, ``now`` holds every file (a page that only ``last`` holds was removed), else
    only those made again."""
    made = {rel for rel, f in now.items() if rel.endswith(".html") and not _same(last.get(rel), f)}
    if whole:
        made.update(rel for rel in last.keys() - now.keys() if rel.endswith(".html"))
    return frozenset(made)


def _same(old: Served | None, new: Served) -> bool:
    return old is new or (old is not None and bool(new.digest) and old.digest == new.digest)


@dataclass
class ServeState:
    """What the server shows: the files, the current problems and a version number.

    ``broken``: the address (output file) of each article that has errors → its source;
    ``kept_last``: the whole build failed, ``files`` are the last good build's;
    ``changed``: the pages (output files) that differ from the state before, to be
    reloaded; None: any page may (the problems shown on every page changed …).
    """

    files: Mapping[str, Served] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    version: int = 0
    seconds: float = 0.0
    broken: Mapping[str, str] = field(default_factory=dict)
    kept_last: bool = False
    changed: frozenset[str] | None = None
    #: An address an article left since serve started (its output file) → the one it has
    #: now: a page open at the old one is sent on (sitegen.commands.addresses).
    moved: Mapping[str, str] = field(default_factory=dict)


def file_name(path: str) -> str:
    """The output file of site path ``path`` (``a/`` → ``a/index.html``)."""
    return output_file(path) if path == "" or path.endswith("/") else path


def served_key(path: str, files: Mapping[str, Served], base_url: str) -> str:
    """The output file a request for URL path ``path`` is served from: as asked, else below
    base_url's path when only that names a file (the 404 page's links)."""
    key = file_name(path.lstrip("/"))
    if key not in files:
        below = file_name(below_root(path, base_url))
        if below in files:
            return below
    return key


def reloads(state: ServeState, seen: int, page: str | None) -> bool:
    """Whether a page (output file ``page``; None: not known) that has seen version ``seen``
    is to reload for ``state``: unless ``state`` follows it and changed other pages only."""
    return page is None or state.version != seen + 1 or state.changed is None or \
        page in state.changed


def below_root(path: str, base_url: str) -> str:
    """``path`` below ``base_url``'s path, where the 404 page's links point
    (``/tuyen-truyen/assets/site.css``), as a site path; else below ``/``."""
    root = urlsplit(base_url).path or "/"
    if root != "/" and (path + "/").startswith(root):
        path = path[len(root) - 1:]
    return path.lstrip("/")
