"""The build cache: read_page results kept on disk between builds. [IO]

``<site>/.sitegen/cache-<x>-<digest>.bin`` hold the Reads (read_page's results, with their
pages' marks: :mod:`sitegen.incremental.marks`) of the last build, keyed by
:func:`sitegen.incremental.reading.read_key` (the source's bytes, its path, its bundle and
everything else read_page depends on, including the config). A file whose key
did not change is not parsed again. The results are split by the first character of
their key into 16 files, each named by a digest of its keys: since a key says what its
result is, a file whose name is already there holds exactly what it would be written
with, and a build that read one article again writes one file, not the whole cache.
Each file carries sitegen's version, a digest of its code and a checksum; a file that is
corrupt, truncated, or from other code is ignored (and removed), never trusted. The pages'
bodies and search keys are in files of texts beside them (``texts-*.txt``, see
:class:`TextFile`), read only when a stage asks for one (:mod:`sitegen.incremental.stored`), each with
a checksum of its own.
``sitegen build --clean`` does not read the cache.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from sitegen.core.config import Config
from sitegen.core.digest import digest
from sitegen.core.pages import ReadResult
from sitegen.core.sources import FileStat
from sitegen.incremental.marks import Read
from sitegen.incremental.stored import Stored
from sitegen.incremental.trusted import CACHE_DIR, code_digest, read_trusted, write_trusted

#: The sources' digests by stat: {rel: (FileStat, digest)}.
KNOWN_FILE = "sources.bin"


def cache_files(config: Config) -> list[Path]:
    """The cache's files, in name order."""
    return sorted((config.root / CACHE_DIR).glob("cache-*.bin"))


def load_cache(config: Config) -> dict[str, Read]:
    """The cached read results; a file that cannot be trusted is left out (and removed)."""
    entries: dict[str, Read] = {}
    for path in cache_files(config):
        part = read_trusted(path)
        if isinstance(part, dict):
            entries.update(part)
        else:
            path.unlink(missing_ok=True)
    return entries


def trees_path(config: Config) -> Path:
    """Where :class:`sitegen.output.writer.SiteWriter` records the files of the output and of its
    spare by their TreeId: ``.sitegen/trees-<digest of the output folder's path>.bin``.

    With the record, a build need not walk both folders to learn what they hold
    (benchmarks/README.md, 'Figures behind the code'). A folder whose marker is not the one
    recorded (a build killed before it recorded, a spare left dirty, an output copied back)
    is walked as before; a spare that turns out not to be what was recorded makes the build
    start again without the cache. A file added to ``output/`` by hand, its marker kept, may
    stay in it until a ``--clean`` build.
    """
    name = hashlib.blake2b(os.fsencode(config.output_dir.resolve()), digest_size=8).hexdigest()
    return config.root / CACHE_DIR / f"trees-{name}.bin"


def compiled_path(config: Config) -> Path:
    """Where the templates compiled by a build are kept (sitegen.render.renderer.CompiledTemplates):
    a folder per version of sitegen's code, whose filters and settings the compiled code
    calls (Jinja checks only each template's source)."""
    return config.root / CACHE_DIR / "templates" / code_digest()


def clear_cache(config: Config) -> None:
    """Remove every file of the cache (the next build reads every source again)."""
    folder = config.root / CACHE_DIR
    for old in [*folder.glob("cache-*"), *folder.glob("texts-*"), *folder.glob("cards-*"),
                trees_path(config), folder / KNOWN_FILE]:
        old.unlink(missing_ok=True)
    shutil.rmtree(compiled_path(config).parent, ignore_errors=True)


def load_known(config: Config) -> dict[str, tuple[FileStat, str]]:
    """The last build's sources by stat, with their digests (see sitegen.incremental.reading.read_pages)."""
    known = read_trusted(config.root / CACHE_DIR / KNOWN_FILE)
    return known if isinstance(known, dict) else {}


def save_cache(config: Config, entries: dict[str, Read],
               known: dict[str, tuple[FileStat, str]] | None = None) -> None:
    """Write the files of the cache that changed; remove those no longer wanted; and the
    sources' digests by stat (``known``).

    The pages' bodies and search keys are in files of texts (``texts-*.txt``), as
    :class:`Stored` texts: those :class:`TextFile` wrote while the build read, or one
    written here for the pages that still hold theirs. A failure to write is not an error
    of the build. A file of texts that no entry of ``entries`` refers to is removed, so
    ``entries`` must hold every page the build still reads: its whole read cache (as
    ``publish.work_ahead`` passes it, while the pages are written).
    """
    folder = config.root / CACHE_DIR
    groups: dict[str, dict[str, Read]] = {}
    for key, result in entries.items():
        groups.setdefault(key[:1], {})[key] = result
    wanted: set[str] = set()
    for prefix, group in sorted(groups.items()):
        keys = hashlib.blake2b("\n".join(sorted(group)).encode(), digest_size=8).hexdigest()
        path = folder / f"cache-{prefix}-{keys}.bin"
        wanted.add(path.name)
        if not path.exists():
            with TextFile(folder) as texts:
                group.update({key: texts.keep(result) for key, result in group.items()})
            write_trusted(path, group, share=True)
    used = {text.path for group in groups.values() for result in group.values()
            if (page := result.result.page) is not None
            for text in (page.body, page.derived) if type(text) is Stored}
    for old in [*folder.glob("cache-*"), *folder.glob("texts-*"), folder / "cache.bin"]:
        if old.name not in wanted and str(old) not in used:
            old.unlink(missing_ok=True)
    if known is not None:
        write_trusted(folder / KNOWN_FILE, known)


class TextFile:
    """A new file of texts in the cache: :meth:`keep` writes a page's body and derived text
    there and gives the page back holding :class:`Stored` references to them, so that a
    build reading 10,000 articles does not hold every body at once. Its writes are
    unbuffered, so what it wrote can be read back at once (``serve`` renders the edited pages
    before it is closed); close it (``with``). A text that cannot be written stays in the
    page.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"texts-{os.getpid()}-{time.time_ns()}.txt"
        self._name = str(self.path)  # one string for the 20,000 Stored that name the file
        self._fh: BinaryIO | None = None
        self._size = 0
        self._failed = False

    def __enter__(self) -> TextFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def keep(self, read: Read) -> Read:
        """``read`` with its page's texts in this file (or as it is, on a failure)."""
        page = read.page
        if page is None or not isinstance(page.body, str) or self._failed:
            return read
        try:
            body = self._put(page.body.encode("utf-8"))
            derived = self._put(page.derived_text.encode())
        except OSError:
            self._failed = True
            return read
        return read._replace(result=ReadResult(replace(page, body=body, derived=derived),
                                               read.problems))

    def _put(self, data: bytes) -> Stored:
        if self._fh is None:
            self.path.parent.mkdir(exist_ok=True)
            # Unbuffered: a write that fails (a full disk) fails here, before any page
            # refers to bytes that never reached the file.
            self._fh = open(self.path, "wb", buffering=0)  # noqa: SIM115 - closed by close()
        if self._fh.write(data) != len(data):
            raise OSError(errno.ENOSPC, "ghi thiếu", str(self.path))
        self._size += len(data)
        return Stored(self._name, self._size - len(data), len(data), digest(data))

    def close(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None


