"""serve's rebuilds find the sources from the last build's and the watcher's changes
(sitegen.core.sources.found_again): what find_sources would find, or None when it must look."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from helpers import example_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sitegen.commands.serve as serve_module
from sitegen.commands.serve import SiteServer
from sitegen.core.config import Config, load_config
from sitegen.core.sources import Sources, find_sources, found_again


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_site(tmp_path_factory.mktemp("found") / "site")


def _articles(config: Config) -> list[Path]:
    """The example site's articles that are single files (not bundles)."""
    found = find_sources(config)
    return [config.root / s.rel for s in found.articles if s.bundle is None]


def _rewrite(path: Path, extra: str) -> None:
    """Write ``path`` again with ``extra`` at its end, a new size and times."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + extra, encoding="utf-8")


def _found(config: Config) -> Sources:
    return find_sources(config)


def test_articles_edited_in_their_content_are_found_as_find_sources_finds_them(
        site: Path) -> None:
    config, _ = load_config(site)
    last = _found(config)
    edited = _articles(config)[:3]
    for n, path in enumerate(edited):
        _rewrite(path, f"\nThêm dòng {n}.\n")
    changed = [*edited, edited[0].parent]  # the folder's own event comes with its file's
    again = found_again(last, changed, config)
    assert again is not None
    assert again == _found(config)
    assert again != last  # the stats moved on


def test_an_article_saved_through_a_temporary_file_is_found_as_find_sources_finds_it(
        site: Path) -> None:
    """``sed -i`` and editors that save through a new file: the temporary file is made, then
    renamed onto the article (the watcher tells both names, and the folder)."""
    config, _ = load_config(site)
    last = _found(config)
    article = _articles(config)[1]
    temporary = article.with_name("sedA1b2C3")
    temporary.write_text(article.read_text(encoding="utf-8") + "\nSửa bằng sed.\n", "utf-8")
    os.replace(temporary, article)
    again = found_again(last, [temporary, article.parent, article], config)
    assert again is not None
    assert again == _found(config)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.sets(st.integers(min_value=0, max_value=200), min_size=1, max_size=6))
def test_any_articles_edited_are_found_as_find_sources_finds_them(
        site: Path, picks: set[int]) -> None:
    config, _ = load_config(site)
    last = _found(config)
    articles = _articles(config)
    edited = sorted({articles[i % len(articles)] for i in picks})
    for path in edited:
        _rewrite(path, "\nx\n" * (len(path.name) % 3 + 1))
    assert found_again(last, [*edited, *{p.parent for p in edited}], config) == _found(config)


@pytest.mark.parametrize("change", [
    "new article", "removed article", "renamed article", "bundle file", "static file",
    "template", "config", "other folder", "stray file", "too large", "outside the site",
    "removed static file", "removed bundle file", "bundle moved away", "made a link",
    "backup file", "nothing"])
def test_what_find_sources_must_look_for(tmp_path: Path, change: str) -> None:
    site = example_site(tmp_path / "site")
    config, _ = load_config(site)
    last = _found(config)
    article = _articles(config)[0]
    bundle = next(s for s in last.articles if s.bundle)
    changed: list[Path] = []
    if change == "new article":
        changed.append(article.parent / "bai-moi.md")
        changed[0].write_text("---\ntitle: Bài mới\ndate: 2024-05-01\n---\nNội dung.\n", "utf-8")
    elif change == "removed article":
        article.unlink()
        changed.append(article)
    elif change == "renamed article":
        changed += [article, article.with_name("ten-khac.md")]
        os.replace(article, changed[1])
    elif change == "bundle file":
        changed.append(site / bundle.rel)
        _rewrite(changed[0], "\nx\n")
    elif change == "static file":
        static = next(p for p in (site / "static").rglob("*") if p.is_file())
        changed.append(static)
    elif change == "template":
        (site / "templates").mkdir(exist_ok=True)
        changed.append(site / "templates" / "base.html")
        changed[0].write_text("{{ 1 }}", "utf-8")
    elif change == "config":
        changed.append(site / "config.yaml")
    elif change == "other folder":
        changed += [article, site / "content"]
        _rewrite(article, "\nx\n")
    elif change == "stray file":
        changed.append(article.with_name("ghi-chu.txt"))
        changed[0].write_text("ghi chú", "utf-8")
    elif change == "too large":
        changed.append(article)
        _rewrite(article, "x" * config.max_file_size)
    elif change in ("removed static file", "removed bundle file"):
        gone = next(p for p in (site / "static").rglob("*") if p.is_file()) \
            if change == "removed static file" else (bundle.bundle or ())[0].path
        gone.unlink()
        changed += [article, gone]
        _rewrite(article, "\nx\n")
    elif change == "bundle moved away":  # a file manager's "move to the bin": one event
        folder = (site / bundle.rel).parent
        os.replace(folder, tmp_path / "thung-rac")
        changed += [folder, folder.parent, article]
        _rewrite(article, "\nx\n")
    elif change == "made a link":  # an article replaced by a link to a file outside
        (tmp_path / "ngoai.md").write_text(article.read_text("utf-8"), "utf-8")
        article.unlink()
        article.symlink_to(tmp_path / "ngoai.md")
        changed.append(article)
    elif change == "backup file":  # Emacs's first save: the article kept as bai.md~
        changed += [article.with_name(article.name + "~"), article]
        changed[0].write_text(article.read_text("utf-8"), "utf-8")
        _rewrite(article, "\nx\n")
    elif change == "outside the site":
        changed.append(tmp_path / "khac.md")
        changed[0].write_text("x", "utf-8")
    assert found_again(last, changed, config) is None


def test_an_article_with_a_problem_when_found_is_looked_for(tmp_path: Path) -> None:
    site = example_site(tmp_path / "site")
    config, _ = load_config(site)
    article = _articles(config)[0]
    article.write_text("x" * (config.max_file_size + 1), "utf-8")
    last = _found(config)
    assert [p.path for p in last.problems if p.code == "file-too-large"]
    article.write_text("---\ntitle: Đã sửa\ndate: 2024-05-01\n---\nNgắn.\n", "utf-8")
    assert found_again(last, [article], config) is None


def _pages(server: SiteServer) -> dict[str, bytes]:
    return {rel: f.read() or b"" for rel, f in server.state.files.items()}


def test_serve_edits_found_again_serve_what_a_fresh_server_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    site = example_site(tmp_path / "site")
    config, _ = load_config(site)
    server = SiteServer(site, config, log=lambda _: None)
    server.rebuild()
    article = _articles(config)[0]
    text = article.read_text(encoding="utf-8")
    edits = [text.replace("title:", "title: Sửa", 1), text + "\nThêm một đoạn.\n", text]
    for n, new in enumerate(edits, 1):
        article.write_text(new, encoding="utf-8")
        server.rebuild([article, article.parent])
        assert server.refound == n
        fresh = SiteServer(site, config, log=lambda _: None)
        fresh.rebuild()
        assert _pages(server) == _pages(fresh)
    added = article.with_name("bai-viet-them.md")
    added.write_text(text.replace("title:", "title: Bài thêm", 1), encoding="utf-8")
    server.rebuild([added, added.parent])
    assert server.refound == len(edits)  # a new file: the folders were listed
    fresh = SiteServer(site, config, log=lambda _: None)
    fresh.rebuild()
    assert _pages(server) == _pages(fresh)


def test_a_file_saved_before_the_rebuild_loop_starts_is_built_after_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher starts before the first build: what changes while serve starts (here
    as the first build's call returns, before the loop of rebuilds runs) is told to the
    next one (which trusts it to tell every change)."""
    site = example_site(tmp_path / "site")
    config, _ = load_config(site)
    article = _articles(config)[0]
    rebuild = SiteServer.rebuild
    servers: list[SiteServer] = []

    def first_then_save(self: SiteServer, changed: object = ()) -> object:
        if not servers:
            servers.append(self)
            state = rebuild(self)
            _rewrite(article, "\nCâu viết trong lúc dựng lần đầu.\n")
            return state
        return rebuild(self, changed)  # type: ignore[arg-type]

    monkeypatch.setattr(SiteServer, "rebuild", first_then_save)
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve_module.serve, args=(site, config, 0),
                              kwargs={"ready": lambda _: ready.set(), "stop": stop}, daemon=True)
    thread.start()
    try:
        assert ready.wait(60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(
                b"trong l\xc3\xbac d\xe1\xbb\xb1ng l\xe1\xba\xa7n \xc4\x91\xe1\xba\xa7u" in data
                for data in _pages(servers[0]).values()):
            time.sleep(0.1)
        assert any("trong lúc dựng lần đầu".encode() in data
                   for data in _pages(servers[0]).values())
    finally:
        stop.set()
        thread.join(10)


def test_a_body_edit_saved_through_a_temporary_file_is_previewed_and_found_again(
        tmp_path: Path) -> None:
    """The temporary file an editor renamed onto the article is no source: the edit is a
    body edit of the article (shown at once) and the sources are found again."""
    site = example_site(tmp_path / "site")
    config, _ = load_config(site)
    server = SiteServer(site, config, log=lambda _: None)
    server.rebuild()
    article = _articles(config)[0]
    temporary = article.with_name("sedX9y8Z7")
    temporary.write_text(article.read_text(encoding="utf-8") + "\nĐoạn sửa qua tệp tạm.\n",
                         "utf-8")
    os.replace(temporary, article)
    server.rebuild([temporary, article.parent, article])
    assert (server.previews, server.refound) == (1, 1)
    assert any("Đoạn sửa qua tệp tạm".encode() in data for data in _pages(server).values())
