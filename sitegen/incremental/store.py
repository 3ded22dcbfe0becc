"""Store: what one build takes from the last and keeps for the next, in one place. [IO]

The pipeline is the same for every command; what differs is where it keeps things:

- ``Store.on_disk(config)`` (``build``): the read cache, the sources' digests by stat, the
  render record and the features' states in ``.sitegen/``, bodies written there as they
  are read, templates kept compiled, the output's trees recorded;
- ``Store.on_disk(config, read=False)`` (``build --clean``, and a build whose cache proved
  damaged): the same, but nothing of the last build is read, and ``.sitegen/``'s cache is
  cleared first; this build's is written anew;
- ``Store.in_memory(folder)`` (``serve``): the same kinds of state, kept in memory between
  rebuilds (bodies in a scratch folder), nothing saved;
- ``Store()`` (``check``, ``report``): nothing kept, everything read and rendered.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.core.config import Config
from sitegen.core.sources import FileStat, PictureFacts
from sitegen.core.state import SavedState
from sitegen.incremental.cache import (
    TextFile,
    clear_cache,
    compiled_path,
    load_cache,
    load_known,
    save_cache,
    trees_path,
)
from sitegen.incremental.compiled import CompiledTemplates
from sitegen.incremental.marks import Read
from sitegen.incremental.photos import Photos
from sitegen.incremental.reuse import Memo, MemoryMemo, load_memo, save_memo
from sitegen.incremental.trusted import CACHE_DIR, TrustedFile, read_trusted, write_trusted
from sitegen.output.files import FileId

#: The photos' facts by stat, kept between builds (sitegen.core.sources.PictureFacts).
FACTS_FILE = "photo-facts.bin"

ReadCache = dict[str, Read]
"""Results of read_page (with their pages' marks) kept between builds, keyed by
:func:`sitegen.incremental.reading.read_key`."""

Known = dict[str, tuple[FileStat, str]]
"""The sources' digests by their stat, kept between builds: {rel: (FileStat, digest)}."""

Keep = Callable[[Read], Read]
"""What becomes of each page as it is read (a build's: its texts go to the cache, TextFile)."""


@dataclass
class Store:
    """See the module's docstring. Every field None: nothing kept."""

    #: Read results by key (read_pages reads a source again only when its key is not here).
    cache: ReadCache | None = None
    #: The sources' digests by stat (a source whose stat is known is not even opened).
    known: Known | None = None
    #: Render keys and the last build's files, and the features' states.
    memo: Memo | None = None
    #: Where the bodies and derived texts go as pages are read; None: they stay in the pages.
    texts: Path | None = None
    #: Compiled templates kept between builds.
    compiled: jinja2.BytecodeCache | None = None
    #: The output writer's record of which files its folders hold.
    trees: SavedState | None = None
    #: The folder the cache, the known stats and the record are saved to; None: not saved.
    folder: Path | None = None
    config: Config | None = None
    #: The photos' facts by stat (a photo whose stat is known is not read), and the maker
    #: of their files (None: made in memory, nothing kept).
    facts: PictureFacts | None = None
    photos: Photos | None = None

    @classmethod
    def on_disk(cls, config: Config, *, read: bool = True) -> Store:
        """``.sitegen/``'s state; with ``read=False`` the cache is cleared and nothing read."""
        folder = config.root / CACHE_DIR
        if not read:  # not read, and written anew: none of it may outlive this build
            clear_cache(config)
        memo = load_memo(config) if read else Memo(config.output_dir, folder=folder,
                                                   read_states=False)
        known = read_trusted(folder / FACTS_FILE) if read else None
        return cls(
            cache=load_cache(config) if read else {},
            known=load_known(config) if read else {},
            memo=memo, texts=folder, compiled=CompiledTemplates(compiled_path(config)),
            trees=TrustedFile(trees_path(config)), folder=folder, config=config,
            facts=PictureFacts(known if isinstance(known, dict) else None),
            photos=Photos(folder, read=read, memo=memo))

    @classmethod
    def in_memory(cls, texts: Path) -> Store:
        """State kept in memory from one build to the next (``serve``); bodies and photos in
        ``texts``."""
        memo = MemoryMemo(Path("."))
        return cls(cache={}, known={}, memo=memo, texts=texts, facts=PictureFacts(),
                   photos=Photos(texts, memo=memo, parallel=False))

    def forget(self) -> None:
        """Drop what was kept (a text of it changed under a build): read everything again."""
        for kept in (self.cache, self.known):
            if kept is not None:
                kept.clear()
        if isinstance(self.memo, MemoryMemo):
            self.memo.forget()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Keep | None]:
        """While the sources are read: what becomes of each page read (its texts written out
        of memory, :class:`TextFile`), or None to keep them in the pages."""
        if self.texts is None:
            yield None
            return
        with TextFile(self.texts) as texts:
            yield texts.keep

    def save_cache(self) -> None:
        """Save the read cache, the known stats and the photos' facts (on disk only)."""
        if self.config is not None and self.cache is not None:
            save_cache(self.config, self.cache, self.known)
        if self.folder is not None and self.config is not None and self.facts is not None:
            write_trusted(self.folder / FACTS_FILE, self.facts.seen)

    def save_record(self, written: Mapping[str, FileId]) -> None:
        """Save the render record of the files ``written`` and the features' states (on disk only)."""
        if self.config is not None and self.memo is not None:
            save_memo(self.config, self.memo, written)
