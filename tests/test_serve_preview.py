"""serve's preview of a body edit (sitegen.commands.preview): the edited page is shown at once,
byte for byte the page the whole rebuild then makes, whose signal then leaves it alone; any
other edit is left to the whole rebuild."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from helpers import example_site

from sitegen.commands.serve import SiteServer
from sitegen.commands.served import ServeState
from sitegen.core.config import load_config
from sitegen.core.urls import output_file
from sitegen.render.tasks import body_tasks, page_tasks

TESTS = Path(__file__).parent


@pytest.fixture
def server(example_server: SiteServer) -> SiteServer:
    return example_server


def _pages(server: SiteServer) -> dict[str, bytes]:
    return {rel: f.read() or b"" for rel, f in server.state.files.items() if rel.endswith(".html")}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


def test_every_article_and_page_edited_in_its_body_is_previewed_as_the_rebuild_makes_it(
        server: SiteServer) -> None:
    """For each source of the example site (every kind, bundles, undated pages): its pages as
    previewed are those of the whole rebuild, byte for byte, so the rebuild tells their
    readers nothing new; it tells what it changed besides (the search page)."""
    assert server.last is not None
    sources = [server.site_dir / rel for rel in sorted(server.last.sources)]
    assert len(sources) > 30
    for n, path in enumerate(sources):
        before = _pages(server)
        _append(path, f"\n\nĐoạn viết thêm lần {n}, có chữ **đậm** và *nghiêng*.\n")
        shown = server.show_preview([path], time.perf_counter())
        assert shown is not None, path
        previewed = _pages(server)
        made = {rel for rel in previewed if previewed[rel] != before.get(rel)}
        assert made and shown.changed == made, path
        assert all(f"lần {n}" in previewed[rel].decode() for rel in made), path
        server.rebuild()  # the whole build, as the watcher runs it after the preview
        after = _pages(server)
        assert {rel: after[rel] for rel in made} == {rel: previewed[rel] for rel in made}, path
        assert server.state.changed == {rel for rel in after if after[rel] != previewed[rel]}
        assert not made & server.state.changed, path

        if n % 6:
            continue
        # Through the watcher's call: the preview's signal, then the whole build's.
        _append(path, f"\nMột câu nữa {n}.\n")
        version, previews = server.state.version, server.previews
        server.rebuild([path])
        assert (server.state.version, server.previews) == (version + 2, previews + 1), path


#: The edits whose pages the whole rebuild shows first (sitegen.commands.preview.first_pages):
#: not an error (the problems shown change: a file added here is a copy, its address taken),
#: nor a template (no page is the edited file's).
FIRST = {"title", "tag", "date", "summary", "link"}


@pytest.mark.parametrize("change", ["title", "tag", "date", "summary", "picture", "link",
                                    "error", "new file", "template"])
def test_an_edit_of_more_than_a_body_is_left_to_the_rebuild_which_shows_its_pages_first(
        server: SiteServer, change: str) -> None:
    """What other pages show, the pictures and links a body holds, an error, a file added
    and a template: no preview. The rebuild then shows the edited pages as soon as the site
    is read, byte for byte those it makes (a moved article's old address sent on to the new
    one), and its own signal leaves them alone; an error or a template: it alone signals."""
    site = server.site_dir
    path = site / "content" / "tin-tuc" / "tap-huan-chuyen-doi-so-co-so-luu-tru.md"
    text = path.read_text(encoding="utf-8")
    changed = [path]
    if change == "title":
        _edit(path, "title: Tập huấn", "title: Lớp tập huấn")
    elif change == "tag":
        _edit(path, "tags: [", "tags: [thẻ mới, ")
    elif change == "date":
        _edit(path, "date: 20", "date: 19")
    elif change == "summary":
        path.write_text(text.replace("---\n", "---\nsummary: Tóm tắt mới.\n", 1), encoding="utf-8")
    elif change == "picture":
        _append(path, "\n\n![Ảnh mới](/anh/khong-co.jpg)\n")
    elif change == "link":
        _append(path, "\n\nXem thêm [bài khác](tong-ket-thi-dua-2025.md).\n")
    elif change == "error":
        _edit(path, "date: ", "date: ngày mai ")
    elif change == "new file":
        added = path.with_name("bai-moi.md")
        added.write_text(text, encoding="utf-8")
        changed.append(added)
    else:
        shutil.copytree(TESTS.parent / "templates", site / "templates")
        theme = site / "templates" / "base.html"
        _edit(theme, "</body>", "<p>Chân trang riêng.</p></body>")
        changed = [theme]
    assert server.show_preview(changed, time.perf_counter()) is None
    before, version = server.state, server.state.version
    firsts: list[ServeState | None] = []
    show_first = server.show_first
    server.show_first = lambda *args: firsts.append(show_first(*args)) or firsts[-1]  # type: ignore[method-assign]
    server.rebuild(changed)
    assert server.previews == 0
    early = firsts[0] if firsts else None
    if change not in FIRST:
        assert early is None and server.firsts == 0 and server.state.version == version + 1
        if change != "template":
            assert server.state.changed is None or any(
                "tap-huan" in rel for rel in server.state.changed) or change == "error"
        return
    assert early is not None and early.changed and server.firsts == 1, change
    assert server.state.version == version + 2  # the first pages' signal, then the rebuild's
    final = server.state
    made = {rel for rel in early.changed if rel in early.files}
    assert made and all(rel.startswith("tin-tuc/") for rel in made), made
    assert {rel: early.files[rel].read() for rel in made} == \
        {rel: final.files[rel].read() for rel in made}
    assert final.changed is not None and not made & final.changed
    left = early.changed - made  # the address the article left (an archive may go too)
    assert left <= (before.files.keys() - final.files.keys()), change
    assert all(early.moved[old] in made for old in left)
    assert bool(left) == (change in ("title", "date")) and early.moved == final.moved


def test_an_own_template_that_shows_a_body_through_the_site_is_not_previewed(
        tmp_path: Path) -> None:
    """A site's own head shows the first articles' body lengths on every page, through the
    site model, which still holds the article as it was: no preview of those articles, and
    the rebuild's pages are right."""
    site = example_site(tmp_path / "site")
    (site / "templates").mkdir()
    shutil.copy(TESTS / "own_templates" / "_head_extra.html", site / "templates")
    config, _ = load_config(site)
    server = SiteServer(site, config, log=lambda _: None)
    server.rebuild()
    first = server.last.renderer.site.articles[0] if server.last else None
    assert first is not None
    path = site / first.source
    _append(path, "\n\nMột đoạn dài thêm vào bài mới nhất.\n")
    assert server.show_preview([path], time.perf_counter()) is None
    server.rebuild([path])
    page = server.state.files[output_file(first.path)].read() or b""
    assert f"{first.slug}:{len(server.last.pages[first.source].body_html) if server.last else 0}" \
        in page.decode()


def test_the_first_pages_tasks_are_the_builds_own(server: SiteServer) -> None:
    """first_pages makes the tasks of the edited sources alone (render.tasks.body_tasks): the
    same tasks, rendering the same bytes, as the build's whole list holds for them."""
    assert server.last is not None
    r = server.last.renderer
    sources = set(sorted(server.last.pages)[::4])
    assert any("/pages/" in s for s in sources) and any("/tin-tuc/" in s for s in sources)
    mine = body_tasks(r.site, sources)
    theirs = [t for t in page_tasks(r) if t.body_of is not None and t.body_of.source in sources]
    assert len(mine) == len(sources)
    assert [(t.template, t.here, t.origin, t.body_of) for t in mine] == \
        [(t.template, t.here, t.origin, t.body_of) for t in theirs]
    assert [r.make(t, record=False).data for t in mine] == \
        [r.make(t, record=False).data for t in theirs]
