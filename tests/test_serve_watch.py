"""serve's watcher (sitegen/commands/watch.py): when a burst of changes is over, and what the
rebuild is told."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from sitegen.commands.watch import Watcher, finished


class Recorder:
    """A stand-in for SiteServer: its folders, and the changes each rebuild was told."""

    def __init__(self, site: Path) -> None:
        self.site_dir = site
        self.config = SimpleNamespace(content_dir=site / "content", templates_dir=site / "templates",
                                      static_dir=site / "static", output_dir=site / "output")
        self.rebuilt: list[set[Path]] = []
        self.done = threading.Event()

    def rebuild(self, changed: set[Path]) -> None:
        self.rebuilt.append(changed)
        self.done.set()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for name in ("content/tin-tuc", "templates", "static", "output"):
        (tmp_path / name).mkdir(parents=True)
    return tmp_path


def test_a_closed_write_ends_the_burst_sooner(site: Path) -> None:
    w = Watcher(Recorder(site), settle=30.0, settle_written=0.0)  # type: ignore[arg-type]
    article = site / "content/tin-tuc/bai.md"
    w.notice(str(article), False)  # written into, not yet closed
    assert w.unsettled() > 20
    w.notice(str(article), True)  # closed after writing
    assert w.unsettled() <= 0
    w.notice(str(article.parent), None)  # the folder's event that follows keeps it so
    assert w.unsettled() <= 0
    w.notice(str(site / "content/tin-tuc/khac.md"), False)  # another file still being written
    assert w.unsettled() > 20
    assert w.changed == {article, article.parent, site / "content/tin-tuc/khac.md"}


def test_a_write_that_finishes_while_the_watcher_waits_ends_the_burst(site: Path) -> None:
    """The watcher woke at a write's first event (a minute to wait) and the write closed
    meanwhile: the burst ends then, not a minute later."""
    server = Recorder(site)
    w = Watcher(server, settle=60.0, settle_written=0.0)  # type: ignore[arg-type]
    threading.Thread(target=w.run, daemon=True).start()
    try:
        article = str(site / "content/tin-tuc/bai.md")
        w.notice(article, False)
        threading.Event().wait(0.3)  # the watcher is waiting for the burst to settle
        assert not server.done.is_set()
        w.notice(article, True)
        assert server.done.wait(10), "the watcher slept through the finished write"
    finally:
        w.stop.set()


def test_scratch_files_leave_the_burst_as_it_was_but_are_told(site: Path) -> None:
    """An editor's scratch file neither starts a rebuild nor keeps one waiting, but the
    rebuild is told of it (find_sources would find it: serve lists the folders then); a
    name with a dot and the output are never built, and left out."""
    w = Watcher(Recorder(site), settle=30.0, settle_written=0.0)  # type: ignore[arg-type]
    w.notice(str(site / "content/tin-tuc/bai.md"), True)
    for scratch in ("content/tin-tuc/.bai.md.swp", "content/tin-tuc/bai.md~", "content/4913",
                    "output/index.html"):
        w.notice(str(site / scratch), False)
    assert w.unsettled() <= 0
    assert w.changed == {site / "content/tin-tuc/bai.md", site / "content/tin-tuc/bai.md~",
                         site / "content/4913"}
    alone = Watcher(Recorder(site))  # type: ignore[arg-type]
    alone.notice(str(site / "content/tin-tuc/bai.md~"), True)
    assert not alone.pending.is_set()


@pytest.mark.parametrize(("kind", "folder", "expected"), [
    ("closed", False, True), ("modified", False, False), ("created", False, False),
    ("moved", False, False), ("deleted", False, False), ("modified", True, None),
    ("created", True, False)])
def test_which_events_finish_a_write(kind: str, folder: bool, expected: bool | None) -> None:
    assert finished(kind, folder) is expected


def _watch(site: Path, write: Any) -> Recorder:
    """Start a Watcher whose bursts end only when a write finishes (``settle`` is a minute),
    run ``write``, and wait for the rebuild."""
    server = Recorder(site)
    w = Watcher(server, settle=60.0, settle_written=0.05)  # type: ignore[arg-type]
    observer = w.observe()
    threading.Thread(target=w.run, daemon=True).start()
    try:
        # The observer's watches are added by its own thread: a first file, written until a
        # rebuild tells that they are in place (a loaded machine took more than 0.3 s).
        ready = site / "content/tin-tuc/thu.md"
        for _ in range(60):
            ready.write_text("thử", encoding="utf-8")
            if server.done.wait(0.5):
                break
        assert server.done.is_set(), "the observer never watched the site"
        threading.Event().wait(0.2)
        server.rebuilt.clear()
        server.done.clear()
        write()
        assert server.done.wait(20), "no rebuild: the finished write did not end the burst"
    finally:
        w.stop.set()
        observer.stop()
        observer.join(5)
    return server


def test_an_editor_writing_in_place_is_rebuilt_once_it_closes_the_file(site: Path) -> None:
    article = site / "content/tin-tuc/bai.md"
    server = _watch(site, lambda: article.write_text("---\ntitle: Bài\n---\n", encoding="utf-8"))
    assert article in server.rebuilt[0]


def test_an_editor_saving_by_rename_is_rebuilt_once_the_file_is_in_place(site: Path) -> None:
    article = site / "content/tin-tuc/bai.md"
    temporary = site / "content/tin-tuc/sedA1b2C3"

    def save() -> None:
        temporary.write_text("---\ntitle: Bài\n---\n", encoding="utf-8")
        os.replace(temporary, article)

    server = _watch(site, save)
    assert {article, temporary} <= server.rebuilt[0]  # the temporary file is told too
