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


def test_scratch_files_and_the_output_leave_the_burst_as_it_was(site: Path) -> None:
    w = Watcher(Recorder(site), settle=30.0, settle_written=0.0)  # type: ignore[arg-type]
    w.notice(str(site / "content/tin-tuc/bai.md"), True)
    for scratch in ("content/tin-tuc/.bai.md.swp", "content/tin-tuc/bai.md~", "content/4913",
                    "output/index.html"):
        w.notice(str(site / scratch), False)
    assert w.unsettled() <= 0
    assert w.changed == {site / "content/tin-tuc/bai.md"}


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
        threading.Event().wait(0.3)  # the observer's watches in place
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
    temporary = site / "content/tin-tuc/.bai.md.tmp"

    def save() -> None:
        temporary.write_text("---\ntitle: Bài\n---\n", encoding="utf-8")
        os.replace(temporary, article)

    server = _watch(site, save)
    assert article in server.rebuilt[0]
    assert temporary not in server.rebuilt[0]
