"""``sitegen serve``'s watcher: the site's inputs watched with watchdog, one rebuild after each
burst of changes. [IO: the file system's events]"""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitegen.commands.serve import SiteServer


class Watcher:
    """Watches the site's inputs with watchdog and calls ``rebuild`` once edits settle."""

    def __init__(self, server: SiteServer, debounce: float = 0.1) -> None:
        self.server = server
        self.debounce = debounce
        self.pending = threading.Event()
        self.stop = threading.Event()
        self.last_event = 0.0
        #: The files changed since the last rebuild started (what it is told).
        self.changed: set[Path] = set()
        self.lock = threading.Lock()

    def paths(self) -> list[Path]:
        c = self.server.config
        return [p for p in (c.content_dir, c.templates_dir, c.static_dir) if p.is_dir()]

    def notice(self, path: str) -> None:
        p = Path(path)
        c = self.server.config
        if p.is_relative_to(c.output_dir) or any(part.startswith(".") for part in p.parts[-1:]):
            return
        if p.name.endswith(("~", ".swp", ".tmp")) or p.name.isdigit():  # editor scratch files
            return
        with self.lock:
            self.changed.add(p)
        self.last_event = time.monotonic()
        self.pending.set()

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
            while time.monotonic() - self.last_event < self.debounce:
                time.sleep(self.debounce / 3)
            self.pending.clear()
            with self.lock:
                changed, self.changed = self.changed, set()
            self.server.rebuild(changed)
            tidy = True

    def start(self, thread: bool = True) -> Any:
        """Start watchdog's observer, and with ``thread`` the rebuild thread (else the caller
        runs :meth:`run`); return the observer."""
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        watcher = self

        class OnChange(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                watcher.notice(str(event.src_path))
                dest = getattr(event, "dest_path", "")
                if dest:
                    watcher.notice(str(dest))

        observer = Observer()
        handler = OnChange()
        for p in self.paths():
            observer.schedule(handler, str(p), recursive=True)
        observer.schedule(handler, str(self.server.site_dir), recursive=False)  # config.yaml
        observer.daemon = True
        observer.start()
        if thread:
            threading.Thread(target=self.run, name="sitegen-rebuild", daemon=True).start()
        return observer
