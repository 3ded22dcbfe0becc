"""Pages rendered and written across processes (sitegen.incremental.publish), and the cache's stored texts.

The worker processes must give the bytes one process gives, merged in task order (the
sitemap lists pages in that order), keep the render keys for the next build, and bring a
template's mistake back to the writer as the same Vietnamese error.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import TESTS, snapshot, write_tree

from sitegen.core.config import load_config
from sitegen.core.errors import ContentError
from sitegen.features.registry import Registry, default_registry
from sitegen.incremental.cache import load_cache
from sitegen.incremental.record import RECORD_FILE, Record
from sitegen.incremental.stored import Stored
from sitegen.incremental.trusted import CACHE_DIR, read_trusted
from sitegen.output.swap import spare_path
from sitegen.pipeline import BuildOptions, build

REPO = TESTS.parent
NOW = datetime(2025, 7, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def example(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "config.yaml", site / "config.yaml")
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, site / folder)
    return site


@pytest.fixture
def processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render the pages in two worker processes, however small the site."""
    monkeypatch.setenv("SITEGEN_MIN_PARALLEL", "0")
    monkeypatch.setenv("SITEGEN_JOBS", "2")


def all_ahead() -> Registry:
    """The built-in features, with the roll made ahead too, as it may be."""
    features = default_registry()
    return features.replaced(dataclasses.replace(features["roll"], ahead=True))


def _build(site: Path, out: Path, **options: object) -> tuple[int, int]:
    config, _ = load_config(site, output=out)
    report = build(config, BuildOptions(now=NOW, **options))  # type: ignore[arg-type]
    return report.pages, report.unchanged


@pytest.mark.parametrize("ahead", ["search", "every feature that may"])
def test_worker_processes_write_what_one_process_writes(example: Path, tmp_path: Path,
                                                        processes: None, ahead: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.features.calendar import calendar_path
    from sitegen.thidua.roll import roll_path

    # the calendar and the search made ahead, as by default, or the roll too, as it may be
    features = default_registry() if ahead == "search" else all_ahead()
    pages, _ = _build(example, tmp_path / "parallel", clean=True, features=features)
    # the render keys of the features' pages came back to the record, for the next build
    record = read_trusted(example / CACHE_DIR / RECORD_FILE)
    config, _ = load_config(example, output=tmp_path / "single")
    assert isinstance(record, Record)
    assert {calendar_path(config), roll_path(config)} <= record.files.keys()
    single = build(config, BuildOptions(now=NOW, clean=True), parallel=False)
    assert pages == single.pages > 50
    assert snapshot(tmp_path / "parallel") == snapshot(tmp_path / "single")


def test_render_keys_come_back_from_the_workers(example: Path, tmp_path: Path,
                                                processes: None) -> None:
    """The record of render keys holds the pages the workers rendered; after an edit of
    one article's text, the output is a clean build's and that article's page is new."""
    out = tmp_path / "out"
    _build(example, out)
    record = read_trusted(example / CACHE_DIR / RECORD_FILE)
    assert isinstance(record, Record)
    articles = [p for p in snapshot(out) if p.startswith("tin-tuc/20") and p.endswith(".html")]
    assert articles and all(p.removesuffix("index.html") in record.files for p in articles)
    # and what each article read (an alias reads nothing): compared by the next build
    assert all(record.files[p.removesuffix("index.html")][3] for p in articles
               if p.endswith("/index.html"))
    article = example / "content" / "tin-tuc" / "le-phat-dong-thi-dua-2024.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nMột câu thêm.\n",
                       encoding="utf-8")
    _build(example, out)
    fresh = tmp_path / "fresh"
    shutil.copytree(example, fresh, ignore=shutil.ignore_patterns(".sitegen"))
    _build(fresh, fresh / "output", clean=True)
    assert snapshot(out) == snapshot(fresh / "output")
    new = [rel for rel in snapshot(out) if rel.endswith(".html") and (out / rel).stat().st_nlink == 1
           and not rel.startswith("tim-kiem/")]  # the search page names its index's version
    assert len(new) == 1 and "Một câu thêm." in (out / new[0]).read_text(encoding="utf-8")


def test_a_template_mistake_in_a_worker_is_reported_and_nothing_is_swapped(
        example: Path, tmp_path: Path, processes: None) -> None:
    out = tmp_path / "out"
    _build(example, out)
    before = snapshot(out)
    broken = (REPO / "templates" / "article.html").read_text(encoding="utf-8").replace(
        "{% block main %}", "{% block main %}{{ khong_co.x }}", 1)
    write_tree(example, {"templates/article.html": broken})
    with pytest.raises(ContentError) as caught:
        _build(example, out)
    (problem,) = caught.value.problems
    assert problem.code == "template" and problem.path.endswith("article.html")
    assert "khong_co" in problem.message
    assert snapshot(out) == before


@pytest.mark.parametrize("template", ["calendar.html", "search.html", "roll.html"])
def test_a_template_mistake_in_a_feature_run_ahead_is_reported(
        example: Path, tmp_path: Path, processes: None, template: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Features may be made in a process of their own (publish.work_ahead) while the pages
    are written: a mistake there is the build's."""
    out = tmp_path / "out"
    _build(example, out, features=all_ahead())
    before = snapshot(out)
    broken = (REPO / "templates" / template).read_text(encoding="utf-8").replace(
        "{% block main %}", "{% block main %}{{ khong_co.x }}", 1)
    assert "khong_co" in broken
    write_tree(example, {f"templates/{template}": broken})
    with pytest.raises(ContentError) as caught:
        _build(example, out, features=all_ahead())
    (problem,) = caught.value.problems
    assert problem.code == "template" and problem.path.endswith(template)
    assert snapshot(out) == before


def test_features_ahead_run_in_another_process(example: Path, tmp_path: Path,
                                                processes: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """work_ahead's features run in a process of their own, which also saves the read
    cache: the next build reads only the article edited."""
    import os

    from sitegen.features.search.index import search_files
    from sitegen.incremental import parallel

    pids = tmp_path / "pids"

    def search_noting_its_process(r):  # type: ignore[no-untyped-def]
        with pids.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        yield from search_files(r)

    features = default_registry()
    features = features.replaced(dataclasses.replace(features["search"],
                                                     files=search_noting_its_process))
    _build(example, tmp_path / "out", features=features)
    assert pids.read_text().split() and str(os.getpid()) not in pids.read_text().split()
    read: list[str] = []
    real = parallel.read_page
    monkeypatch.setattr(parallel, "read_page", lambda s, *a: read.append(s.rel) or real(s, *a))
    article = example / "content" / "tin-tuc" / "le-phat-dong-thi-dua-2024.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nMột câu thêm.\n",
                       encoding="utf-8")
    _build(example, tmp_path / "out")
    assert read == ["content/tin-tuc/le-phat-dong-thi-dua-2024.md"]


def test_two_files_of_one_name_never_touch_the_live_output(example: Path, tmp_path: Path,
                                                           processes: None) -> None:
    """Without a spare, unchanged pages are hard links to the live output's files; a page of
    the same name made later (here an alias onto a section's list) must not write into one."""
    out = tmp_path / "out"
    _build(example, out)
    shutil.rmtree(spare_path(out), ignore_errors=True)  # the next build fills a fresh folder
    before = snapshot(out)
    article = example / "content" / "tin-tuc" / "le-phat-dong-thi-dua-2024.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("aliases:\n", "aliases:\n  - /tin-tuc/\n", 1),
                       encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        _build(example, out)
    assert any(p.code == "output-collision" for p in caught.value.problems)
    assert snapshot(out) == before


def test_a_damaged_text_of_the_cache_is_not_trusted(example: Path, tmp_path: Path) -> None:
    """Bodies left in the cache's side files are checked when read: a changed byte makes
    the build start again without the cache, and its output is a clean build's."""
    out = tmp_path / "out"
    _build(example, out)
    config, _ = load_config(example, output=out)
    bodies = [r.page.body for r in load_cache(config).values()
              if r.page is not None and isinstance(r.page.body, Stored)]
    assert bodies
    for body in bodies:  # one byte of every body's text changed, in place
        with open(body.path, "r+b") as fh:
            fh.seek(body.offset + body.length // 2)
            byte = fh.read(1)[0]
            fh.seek(body.offset + body.length // 2)
            fh.write(bytes([byte ^ 0x01]))
    # a template change renders every page again: every body is read from the cache
    write_tree(example, {"templates/404.html": "<!DOCTYPE html><title>Không thấy</title>\n"})
    _build(example, out)
    fresh = tmp_path / "fresh"
    shutil.copytree(example, fresh, ignore=shutil.ignore_patterns(".sitegen"))
    _build(fresh, fresh / "output", clean=True)
    assert snapshot(out) == snapshot(fresh / "output")
    # and the cache was written again: the next build with a change reads sound texts
    write_tree(example, {"templates/404.html": "<!DOCTYPE html><title>404</title>\n"})
    _build(example, out)
