"""serve's pages out of memory (sitegen.commands.served.PageFiles): each page's compressed
bytes in a file of the server's scratch folder, read back when asked for; the files no
state refers to any longer removed; kept in memory when the folder cannot be written."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from sitegen.commands.serve import SiteServer
from sitegen.commands.served import MemoryOutput, PageFiles
from sitegen.core.config import load_config
from sitegen.output.files import RenderedFile


@pytest.fixture
def server(example_server: SiteServer) -> SiteServer:
    return example_server


def _files(server: SiteServer) -> set[Path]:
    return set(server.pages.folder.iterdir())


def _held(server: SiteServer) -> set[Path]:
    return {Path(f.packed) for f in server.state.files.values() if isinstance(f.packed, str)}


def _built(server: SiteServer, out: Path) -> dict[str, bytes]:
    """The example site as `sitegen build` writes it, with the server's options."""
    from sitegen.pipeline import BuildOptions, build
    config, _ = load_config(server.site_dir, output=out)
    build(config, BuildOptions(drafts=True, future=True, keep_going=True))
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}


def test_every_page_is_held_in_the_scratch_folder_and_read_back_as_built(
        server: SiteServer, tmp_path: Path) -> None:
    pages = {rel: f for rel, f in server.state.files.items() if rel.endswith(".html")}
    assert len(pages) > 50
    for rel, f in pages.items():
        assert isinstance(f.packed, str), rel  # a file's path, not bytes held by the server
        assert Path(f.packed).parent == server.pages.folder
    assert {rel: f.read() for rel, f in pages.items()} == _built(server, tmp_path / "out")
    assert _files(server) == _held(server)


def _edit_config(server: SiteServer, n: int) -> None:
    config = server.site_dir / "config.yaml"
    text = config.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("tagline:"))
    config.write_text(text.replace(old, f"tagline: Khẩu hiệu lần {n}"), encoding="utf-8")


def test_the_files_of_pages_made_again_are_removed(server: SiteServer) -> None:
    """A changed config makes every page again: the folder then holds this build's pages and
    the last's (a request may still read one), never the pages of the builds before."""
    held = [_held(server)]
    for n in range(3):
        _edit_config(server, n)
        server.rebuild([server.site_dir / "config.yaml"])
        assert not [p for p in server.state.problems if p.is_error]
        held.append(_held(server))
        assert _files(server) == held[-1] | held[-2]
    assert len(held[0] - held[-1]) > 50  # the pages that show the tagline: their first files
    assert not (held[0] - held[-1] - held[-2]) & _files(server)


def test_a_body_edit_writes_its_pages_alone_and_the_folder_does_not_grow(
        server: SiteServer) -> None:
    article = next((server.site_dir / "content").rglob("*.md"))
    whole = len(_files(server))
    for n in range(4):
        before = _files(server)
        with article.open("a", encoding="utf-8") as fh:
            fh.write(f"\n\nĐoạn thêm {n}.\n")
        server.rebuild([article])
        assert len(_files(server) - before) < 10  # its page, the feeds, the search index …
        assert len(_files(server)) < whole + 20
        assert _held(server) <= _files(server)
        assert all(f.read() is not None for f in server.state.files.values())


def test_a_page_whose_file_is_gone_or_altered_reads_as_none(server: SiteServer) -> None:
    index, about = server.state.files["index.html"], server.state.files["404.html"]
    assert isinstance(index.packed, str) and isinstance(about.packed, str)
    Path(index.packed).unlink()
    Path(about.packed).write_bytes(zlib.compress("<p>Trang khác</p>".encode()))
    assert index.read() is None  # the handler answers 404 with a word on it, not a traceback
    assert about.read() is None


def test_files_lost_from_the_folder_are_written_again_with_their_pages(
        server: SiteServer) -> None:
    """A cleaner of /tmp emptied the folder: every page made again, its bytes the same or
    not, is written again (the same bytes used to keep the lost file's entry)."""
    for path in _files(server):
        path.unlink()
    _edit_config(server, 9)
    server.rebuild([server.site_dir / "config.yaml"])
    same = [rel for rel, f in server.state.files.items() if isinstance(f.packed, str)]
    assert len(same) > 50
    assert [rel for rel in same if server.state.files[rel].read() is None] == []


def test_pages_stay_in_memory_when_the_scratch_folder_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    page = ("<!doctype html><html lang=vi><title>Trang</title><p>Thi đua yêu nước</p>" * 20
            ).encode()
    out = MemoryOutput({}, PageFiles(blocked / "pages"))
    out.put(RenderedFile("a/index.html", "content/a.md", data=page))
    f = out.files["a/index.html"]
    assert isinstance(f.packed, bytes) and len(f.packed) < len(page)
    assert f.read() == page


def test_one_page_made_with_two_dictionaries_is_kept_twice(tmp_path: Path) -> None:
    """The dictionary is taken from the first page a build makes; a build that failed before
    keeping it lets the next take another: the same bytes compressed with each read back."""
    pages = PageFiles(tmp_path / "pages")
    feed = "<rss><channel><title>Thi đua</title></channel></rss>".encode() * 10
    made = []
    for first in ("<html lang=vi><p>Một</p></html>", "<html lang=vi><p>Hai</p></html>"):
        out = MemoryOutput({}, pages)
        out.put(RenderedFile("index.html", "t", data=first.encode() * 50))
        out.put(RenderedFile("feed.xml", "t", data=feed))
        made.append(out.files["feed.xml"])
    assert made[0].shared != made[1].shared and made[0].packed != made[1].packed
    assert [f.read() for f in made] == [feed, feed]
