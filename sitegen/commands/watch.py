"""``sitegen serve``'s watcher: the site's inputs watched with watchdog, one rebuild after each
burst of changes. [IO: the file system's events]

A burst is over when nothing has changed for :data:`SETTLE` seconds; or for
:data:`SETTLE_WRITTEN` when its last event finished a file: closed after writing (an editor
that writes in place) or moved into place (one that writes a temporary file and renames
it). The rest of :data:`SETTLE` was a tenth of a second of every edit's wait for its page
(benchmarks/serve_bench.py); a few milliseconds still gather the files an editor saves
together ("Save all").
"""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitegen.commands.serve import SiteServer


#: Seconds without a change that end a burst of them.
SETTLE = 0.1
#: The same when the last change finished writing a file.
SETTLE_WRITTEN = 0.02


def finished(kind: str, folder: bool) -> bool | None:
    """Whether an event of ``kind`` (watchdog's ``event_type``) on its path (``folder``: a
    folder's) finished writing a file: closed after writing; None for a folder's modified
    event, which watchdog sends after a file made, moved or removed in it."""
    if folder and kind == "modified":
        return None
    return kind == "closed"


class Watcher:
    """Watches the site's inputs with watchdog and calls ``rebuild`` once edits settle."""

    def __init__(self, server: SiteServer, settle: float = SETTLE,
                 settle_written: float = SETTLE_WRITTEN) -> None:
        self.server = server
        self.settle = settle
        self.settle_written = settle_written
        self.pending = threading.Event()
        self.stop = threading.Event()
        self.last_event = 0.0
        #: Whether the last change finished writing a file (the burst settles sooner).
        self.last_written = False
        #: The files changed since the last rebuild started (what it is told).
        self.changed: set[Path] = set()
        self.lock = threading.Lock()

    def paths(self) -> list[Path]:
        c = self.server.config
        return [p for p in (c.content_dir, c.templates_dir, c.static_dir) if p.is_dir()]

    def notice(self, path: str, written: bool | None = False) -> None:
        """Note that ``path`` changed; ``written``: the change finished writing it (None: a
        folder's own change, which follows its files' and leaves that as it was)."""
        p = Path(path)
        c = self.server.config
        if p.is_relative_to(c.output_dir) or any(part.startswith(".") for part in p.parts[-1:]):
            return  # never built: find_sources leaves names with a dot out
        with self.lock:
            self.changed.add(p)  # told to the rebuild, even an editor's scratch file
            if p.name.endswith(("~", ".swp", ".tmp")) or p.name.isdigit():
                return  # but a scratch file starts no rebuild, nor keeps one waiting
            if written is not None:
                self.last_written = written
            self.last_event = time.monotonic()
        self.pending.set()

    def unsettled(self) -> float:
        """How long the burst of changes must still be quiet before it is over (≤ 0: over)."""
        with self.lock:
            quiet = self.settle_written if self.last_written else self.settle
            return self.last_event + quiet - time.monotonic()

    def run(self) -> None:
        """Rebuild after each burst of changes, until ``stop`` is set.

        Two seconds after a rebuild, once the pages have reloaded, the last site model is
        collected (its archives and terms refer to each other, so only Python's cyclic
        collector frees them; left to itself, it waits and the server grows each edit).
        """
        tidy = False
        while not self.stop.is_set():
            if not self.pending.wait(timeout=2.0 if tidy else 0.2):
                if tidy:
                    gc.collect()
                    tidy = False
                continue
            while (wait := self.unsettled()) > 0:  # looked at again: a write may finish
                time.sleep(min(wait, 0.01))
            self.pending.clear()
            with self.lock:
                changed, self.changed = self.changed, set()
            self.server.rebuild(changed)
            tidy = True

    def observe(self) -> Any:
        """Start watchdog's observer (the caller runs :meth:`run`, in a thread or not);
        return it."""
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        watcher = self

        class OnChange(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                kind = event.event_type
                if kind in ("opened", "closed_no_write"):
                    return
                dest = getattr(event, "dest_path", "")
                watcher.notice(str(event.src_path), finished(kind, event.is_directory))
                if dest:  # moved into place: written
                    watcher.notice(str(dest), True)

        observer = Observer()
        handler = OnChange()
        for p in self.paths():
            observer.schedule(handler, str(p), recursive=True)
        observer.schedule(handler, str(self.server.site_dir), recursive=False)  # config.yaml
        observer.daemon = True
        observer.start()
        return observer
