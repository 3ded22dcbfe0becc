"""serve's files in memory: each file as the server holds it, the write stage that keeps
them (compressed; a page kept from the last good build keeps its bytes), the state the
server shows, and which file a request names. [IO: reads static files when served]"""

from __future__ import annotations

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
    """One file as the server holds it: its bytes, compressed (a large site's pages held
    as they were took too much memory: benchmarks/README.md, 'Figures behind the code'),
    or the file to read them from (static files, pictures)."""

    packed: bytes | None = None
    source: Path | None = None
    #: The preset dictionary ``packed`` was compressed with (see MemoryOutput).
    shared: bytes = b""
    #: A digest of the bytes (a file made again with the same bytes keeps this one).
    digest: str = ""
    #: Where ``source`` led, its links followed, when the build took it (it was checked then).
    real: Path | None = None

    def read(self) -> bytes | None:
        """The bytes; None when ``source`` no longer leads where the build checked it (a file
        replaced by a link to outside the site while a broken build keeps the last good one)."""
        if self.packed is not None:
            return zlib.decompressobj(zdict=self.shared).decompress(self.packed)
        if self.source is None:
            return b""
        try:
            if self.source.resolve() != self.real:
                return None
            return self.source.read_bytes()
        except OSError:
            return None


class MemoryOutput:
    """serve's write stage: each file as it is made, checked (unsafe names, two files with one
    name) and kept compressed; a page kept from the last good build keeps its bytes."""

    def __init__(self, last: Mapping[str, Served], shared: bytes = b"") -> None:
        self.last = last
        #: A zlib preset dictionary: the first page's head and tail (the header, menus and
        #: footer every page repeats), taken once for the server's life; pages then shrink
        #: to their own text.
        self.shared = shared
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
            if last is not None and last.digest == made:  # the search index, mostly
                self.files[rel] = last
                return
            if not self.shared and rel.endswith(".html"):
                self.shared = f.data[:16384] + f.data[-16384:]
            packer = zlib.compressobj(6, zdict=self.shared)  # a quarter smaller than level 1
            packed = packer.compress(f.data) + packer.flush()
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
