"""The build cache: reused when it can be, never trusted when it should not be."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import article, snapshot

from sitegen import __version__
from sitegen.core.config import load_config
from sitegen.core.sources import Source
from sitegen.features.search.keys import page_keys
from sitegen.incremental import trusted as cache_module
from sitegen.incremental.cache import cache_files, compiled_path, load_cache
from sitegen.incremental.stamp import stamp_path
from sitegen.incremental.stored import Stored
from sitegen.incremental.tuning import Tuning
from sitegen.pipeline import BuildOptions, build


@pytest.fixture
def site(make_site) -> Path:
    return make_site({f"content/tin-tuc/bai-{i}.md": article(f"Bài {i}", tags=["thi đua"])
                      for i in range(6)})


def test_second_build_reuses_reads_and_equals_a_clean_build(site: Path, tmp_path: Path,
                                                             monkeypatch) -> None:
    config, _ = load_config(site, output=tmp_path / "a")
    build(config)
    assert len(load_cache(config)) == 6
    calls: list[str] = []
    import sitegen.incremental.parallel as parallel

    real = parallel.read_page
    monkeypatch.setattr(parallel, "read_page", lambda s, *a: calls.append(s.rel) or real(s, *a))
    (site / "content/tin-tuc/bai-2.md").write_text(article("Bài hai đã sửa"), encoding="utf-8")
    build(config)
    assert calls == ["content/tin-tuc/bai-2.md"]
    clean, _ = load_config(site, output=tmp_path / "b")
    build(clean, BuildOptions(clean=True))
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_only_changed_sources_are_opened(site: Path, tmp_path: Path, monkeypatch) -> None:
    """A source whose stat is the last build's is not read; one rewritten with the same
    size and modification time is (its change time moved), and its new text is published."""
    settled = BuildOptions(tuning=Tuning(settled_ns=0))  # the files were written just now
    config, _ = load_config(site, output=tmp_path / "a")
    build(config, settled)
    opened: list[str] = []
    real = Source.loaded
    monkeypatch.setattr(Source, "loaded",
                        lambda self, root: opened.append(self.rel) or real(self, root))
    edited = site / "content/tin-tuc/bai-4.md"
    before = edited.stat()
    text = edited.read_text(encoding="utf-8").replace("Bài 4", "Bài 7")
    assert len(text.encode()) == before.st_size
    edited.write_text(text, encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))  # as an archive tool would
    build(config, settled)
    assert sorted(set(opened)) == ["content/tin-tuc/bai-4.md"]
    assert "Bài 7" in (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    clean, _ = load_config(site, output=tmp_path / "b")
    build(clean, BuildOptions(clean=True))
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_a_file_changed_moments_ago_is_read_again(site: Path, tmp_path: Path,
                                                  monkeypatch) -> None:
    """A stat is trusted only once it is a few seconds old: a file rewritten twice within one
    tick of the clock (same size, same times) would otherwise keep its old text."""
    config, _ = load_config(site, output=tmp_path / "a")
    build(config)  # every file was written moments ago: none of their stats is remembered
    opened: list[str] = []
    real = Source.loaded
    monkeypatch.setattr(Source, "loaded",
                        lambda self, root: opened.append(self.rel) or real(self, root))
    (site / "content/tin-tuc/bai-1.md").write_text(article("Bài một, sửa"), encoding="utf-8")
    build(config)
    assert len(set(opened)) == 6


def test_every_text_the_cache_refers_to_is_there(site: Path, tmp_path: Path) -> None:
    """After builds with and without --clean, every body and search key the cache refers
    to can be read (a file of texts still in use was once removed by a --clean build)."""
    config, _ = load_config(site, output=tmp_path / "out")
    for clean in (False, True, False, True):
        (site / "content/tin-tuc/bai-1.md").write_text(article(f"Bài một {clean}"),
                                                        encoding="utf-8")
        build(config, BuildOptions(clean=clean))
        pages = [r.page for r in load_cache(config).values() if r.page is not None]
        assert len(pages) == 6
        assert all(p.body_html and page_keys(p)[0] for p in pages)  # raises CacheDamaged


def as_written_by(path: Path, version: str) -> None:
    """Make the cache file ``path`` what another version of sitegen would have written on
    this machine: the same objects, its stamp naming ``version``, signed with this machine's
    key (so that only the stamp can tell)."""
    head = len(cache_module._MAGIC) + cache_module._MAC_SIZE
    stamp, _, rest = path.read_bytes()[head:].partition(b"\n")
    assert stamp.startswith(f"{__version__}|".encode())
    body = stamp.replace(__version__.encode(), version.encode(), 1) + b"\n" + rest
    key = cache_module.cache_key()
    assert key is not None
    mac = cache_module._mac(key)
    mac.update(body)
    path.write_bytes(cache_module._MAGIC + mac.digest() + body)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "other-version"])
def test_a_damaged_or_stale_cache_is_ignored(site: Path, tmp_path: Path, damage: str) -> None:
    config, _ = load_config(site, output=tmp_path / "out")
    build(config)
    paths = cache_files(config)
    assert paths
    for path in paths:
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            path.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
        elif damage == "garbage":
            path.write_bytes(b"not a cache at all")
        else:
            as_written_by(path, "9" * len(__version__))  # as long: the stamp alone tells
    assert load_cache(config) == {}
    before = snapshot(tmp_path / "out")
    stamp_path(config).unlink()  # build, not skip: the inputs did not change
    report = build(config)  # still builds, and the same site
    assert not report.skipped and snapshot(tmp_path / "out") == before
    assert len(load_cache(config)) == 6  # and writes a good cache again


def test_pages_from_the_cache_are_keyed_without_reading_their_bodies(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's marks (its body's digest, what other pages show of it) are made when it is
    read and kept beside it in the read cache (sitegen.incremental.marks), not in the Page:
    a build that takes every page from the cache reads no body to key them."""
    config, _ = load_config(site, output=tmp_path / "out")
    build(config)
    stamp_path(config).unlink()  # build, not skip: the inputs did not change
    read: list[str] = []
    real = Stored.read
    monkeypatch.setattr(Stored, "read", lambda self: read.append(self.path) or real(self))
    report = build(config)
    assert not report.skipped and report.unchanged == report.files
    assert read == []


def test_an_edit_rewrites_one_file_of_the_cache(site: Path, tmp_path: Path) -> None:
    config, _ = load_config(site, output=tmp_path / "out")
    build(config)
    before = {p.name: p.stat().st_mtime_ns for p in cache_files(config)}
    (site / "content/tin-tuc/bai-2.md").write_text(article("Bài hai đã sửa"), encoding="utf-8")
    build(config)
    after = {p.name: p.stat().st_mtime_ns for p in cache_files(config)}
    # The article's old and new keys may fall in two files: those change, no other.
    kept = set(after) & set(before)
    assert len(before) > 2 and len(kept) >= len(before) - 2 and len(set(after) - kept) <= 2
    assert all(after[name] == before[name] for name in kept)
    assert len(load_cache(config)) == 6


def test_clean_ignores_the_cache(site: Path, tmp_path: Path, monkeypatch) -> None:
    config, _ = load_config(site, output=tmp_path / "out")
    build(config)
    from sitegen.incremental import cache, reuse, store

    for module, name in ((cache, "load_cache"), (store, "load_cache"),
                         (store, "load_known"), (store, "load_memo"), (reuse, "read_trusted")):
        monkeypatch.setattr(module, name, lambda *a, name=name: pytest.fail(f"{name} read the last build"))
    build(config, BuildOptions(clean=True))


def test_templates_compiled_once_are_kept_and_a_damaged_one_compiled_again(
        site: Path, tmp_path: Path, monkeypatch) -> None:
    import jinja2

    from sitegen.render.environment import theme_dir

    config, _ = load_config(site, output=tmp_path / "out")
    build(config)
    compiled = sorted(compiled_path(config).iterdir())
    assert compiled  # the theme's templates, compiled
    made: list[str] = []
    real = jinja2.Environment.compile

    def compile_(self: jinja2.Environment, source: str, name: str | None = None,
                 *args: object, **kwargs: object) -> object:
        made.append(str(name))
        return real(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    (site / "content/tin-tuc/bai-2.md").write_text(article("Bài 2", body="Sửa."), encoding="utf-8")
    build(config)
    assert made == []  # the article's templates came compiled from the last build
    for path in compiled:
        path.write_bytes(path.read_bytes()[:40])  # damaged
    (site / "content/tin-tuc/bai-2.md").write_text(article("Bài hai"), encoding="utf-8")
    build(config)  # a new title: every page made again, every template compiled again
    assert "article.html" in made and "base.html" in made
    clean, _ = load_config(site, output=tmp_path / "clean")
    build(clean, BuildOptions(clean=True))
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")
    # A template of the site's own, of a theme template's name: its own, never the theme's.
    theme = (theme_dir() / "article.html").read_text(encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        theme.replace("</article>", "<p>Mẫu riêng</p></article>", 1), encoding="utf-8")
    made.clear()
    build(config)
    assert made == ["article.html"]
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html")]
    assert sum("Mẫu riêng" in page for page in pages) == 6  # the six articles


def test_a_clean_build_saves_the_search_state_it_did_not_read(site: Path, tmp_path: Path,
                                                             monkeypatch) -> None:
    config, _ = load_config(site, output=tmp_path / "out")
    build(config)
    state = site / ".sitegen" / "search.bin"
    state.write_bytes(b"left by another build")
    from sitegen.incremental import reuse

    read: list[str] = []
    real = reuse.read_trusted
    monkeypatch.setattr(reuse, "read_trusted", lambda p: read.append(p.name) or real(p))
    build(config, BuildOptions(clean=True))
    assert "search.bin" not in read  # --clean reads no state
    assert state.read_bytes() != b"left by another build"  # and saves the one it made
    (site / "content/tin-tuc/bai-2.md").write_text(article("Bài 2", body="Sửa."), encoding="utf-8")
    build(config)
    assert "search.bin" in read


def test_a_temporary_file_left_by_a_killed_build_is_removed(site: Path, tmp_path: Path) -> None:
    config, _ = load_config(site, output=tmp_path / "out")
    build(config)
    left = site / ".sitegen" / ".search.bin.999999999"  # no such process
    left.write_bytes(b"half written")
    (site / "content/tin-tuc/bai-2.md").write_text(article("Bài 2", body="Sửa."), encoding="utf-8")
    build(config)
    assert not left.exists()
    assert (site / ".sitegen" / "search.bin").exists()
