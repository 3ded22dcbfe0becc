"""The features' files (feeds, sitemap, calendar) are keyed by exactly what each is made from
(sitegen.features.keys).

An edit that changes what one of them shows makes it again: the incremental build equals a
clean one, for the changes a key could overlook (a tag's spelling on another article, the
address of an article a body links to, the newest change an empty feed shows, a date in the
sitemap, a commemoration's article). An edit that does not leaves it kept, and the sitemap's
and the calendar's work is not done at all on an edit of a body.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MINIMAL_CONFIG, article, example_site, snapshot
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.config import load_config
from sitegen.core.site import Site, paginate
from sitegen.features import calendar, feeds, sitemap
from sitegen.features.feeds import text_element, xml_document
from sitegen.pipeline import BuildOptions, load_site
from sitegen.render.social import rfc3339

# --------------------------------------------------------------------------- the sitemap


def _tree_sitemap(config: Any, pages: list[str], dates: dict[str, datetime]) -> bytes:
    """The sitemap as ElementTree writes it (what sitemap.sitemap wrote before)."""
    root = ET.Element("urlset", xmlns=sitemap.SITEMAP_NS)
    for path in dict.fromkeys(pages):
        url = ET.SubElement(root, "url")
        text_element(url, "loc", config.base_url + path)
        if path in dates:
            text_element(url, "lastmod", rfc3339(dates[path]))
    return xml_document(root)


class _Config:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url


_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3))])
_MOMENTS = st.builds(lambda d, z: d.replace(tzinfo=z),
                     st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1)), _ZONES)


@given(st.lists(st.text(st.characters(codec="utf-8"), max_size=12), max_size=8),
       st.lists(_MOMENTS, max_size=8),
       st.sampled_from(["https://example.gov.vn/a&b/", "https://x.vn/"]))
def test_the_sitemap_is_written_as_elementtree_writes_it(
        pages: list[str], moments: list[datetime], base: str) -> None:
    dates = dict(zip(pages, moments, strict=False))
    config = _Config(base)
    assert sitemap.sitemap(config, pages, dates) == _tree_sitemap(config, pages, dates)  # type: ignore[arg-type]


# ------------------------------------------------------------------- what each file shows


def _build(run_cli: Callable[..., Any], site: Path, out: Path) -> None:
    assert run_cli("build", "--site", site, "--output", out).code == 0


def _same_as_clean(run_cli: Callable[..., Any], site: Path, out: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "clean"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".sitegen", "output"))
    assert run_cli("build", "--site", fresh, "--output", fresh / "output", "--clean").code == 0
    got, want = snapshot(out), snapshot(fresh / "output")
    assert got.keys() == want.keys()
    assert [name for name in want if got[name] != want[name]] == []


def _edit(path: Path, body: str = "", **fields: object) -> None:
    _, front, text = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    data.update(fields)
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                    + "---\n" + text + body, encoding="utf-8")


ONE_ENTRY = MINIMAL_CONFIG + "feed_entries: 1\n"


def _spelling(site: Path) -> None:
    """The tag's shown name is the most used spelling: another article's flips it."""
    _edit(site / "content/tin-tuc/c.md", tags=["Tràng An"])


def _linked_title(site: Path) -> None:
    """The article the feed's entry links to moves (its address is made from its title)."""
    _edit(site / "content/tin-tuc/c.md", title="Một tiêu đề hoàn toàn mới")


def _newest_date(site: Path) -> None:
    """The newest change of the site, which the feeds of empty sections show, moves."""
    _edit(site / "content/tin-tuc/a.md", updated="2025-06-20")


def _older_updated(site: Path) -> None:
    """An article no feed lists changes date: its sitemap lastmod and its lists' move."""
    _edit(site / "content/tin-tuc/c.md", updated="2025-06-21")


SMALL = {
    "content/tin-tuc/a.md": article("Bài mới nhất", "2025-05-01", tags=["Tràng An"],
                                    body="Xem [bài cũ](c.md)."),
    "content/tin-tuc/b.md": article("Bài thứ hai", "2025-04-01", tags=["tràng an"]),
    "content/tin-tuc/c.md": article("Bài cũ", "2025-03-01", tags=["tràng an"]),
}


@pytest.mark.parametrize("change", [_spelling, _linked_title, _newest_date, _older_updated])
def test_what_a_feed_or_the_sitemap_shows_of_other_pages_makes_it_again(
        change: Callable[[Path], None], make_site: Callable[..., Path], run_cli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each change leaves the site feed's one entry (a.md) as it was, yet changes the feed
    (a category's name, a link in its body), the empty sections' feeds or the sitemap."""
    monkeypatch.setenv("SITEGEN_MIN_PARALLEL", "100000000")  # one process
    site = make_site(SMALL, config=ONE_ENTRY)
    out = tmp_path / "out"
    _build(run_cli, site, out)
    before = snapshot(out)
    change(site)
    _build(run_cli, site, out)
    _same_as_clean(run_cli, site, out, tmp_path)
    after = snapshot(out)
    assert before["feed.xml"] != after["feed.xml"] or \
        before["sitemap.xml"] != after["sitemap.xml"], "the change shows in no feature file"


def test_a_commemorations_article_makes_the_ics_again(tmp_path: Path, run_cli) -> None:
    site = example_site(tmp_path / "site")
    out = tmp_path / "out"
    _build(run_cli, site, out)
    about = next(p for p in _site(site).articles if p.commemoration is not None)
    _edit(site / "content" / about.content_rel, title="Mừng ngày kỷ niệm", slug=about.slug)
    _build(run_cli, site, out)
    ics = (out / "lich-ky-niem.ics").read_text(encoding="utf-8").replace("\r\n ", "")
    assert "Mừng ngày kỷ niệm" in ics
    _same_as_clean(run_cli, site, out, tmp_path)


# ------------------------------------------------------------------ what an edit makes again


Made = dict[str, list[str]]


def _spied(monkeypatch: pytest.MonkeyPatch) -> Made:
    """What the next builds make of the features' files: each feed by its address, and the
    calls of the sitemap's and the calendar's work."""
    made: Made = {"feeds": [], "work": []}

    def feed(maker: Callable[..., bytes], atom: bool) -> Callable[..., bytes]:
        def spy(site: Site, feed: feeds.Feed, body: Any = None) -> bytes:
            made["feeds"].append(feed.path if atom else feed.page + "rss")
            return maker(site, feed, body)
        return spy

    def work(module: Any, name: str) -> None:
        real = getattr(module, name)

        def spy(*args: Any) -> Any:
            made["work"].append(name)
            return real(*args)
        monkeypatch.setattr(module, name, spy)

    monkeypatch.setattr(feeds, "atom_feed", feed(feeds.atom_feed, True))
    monkeypatch.setattr(feeds, "rss_feed", feed(feeds.rss_feed, False))
    for module, name in ((feeds, "json_feed"), (sitemap, "page_dates"), (sitemap, "sitemap"),
                         (calendar, "site_days"), (calendar, "calendar_ics")):
        work(module, name)
    return made


def _listing(site: Site, source: str) -> list[str]:
    """The feeds that list the article ``source``, as _spied names them."""
    found = []
    for feed in feeds.site_feeds(site):
        if any(p.content_rel == source for p in feed.entries):
            found += [feed.path, feed.page + "rss"]
    return sorted(found)


def _site(root: Path) -> Site:
    config, _ = load_config(root)
    return load_site(config, BuildOptions(), parallel=False).site


@pytest.mark.parametrize("change", ["body", "summary"])
def test_an_edit_makes_only_the_feeds_that_list_the_article(
        change: str, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A body: no sitemap nor calendar work at all; a summary (shown by lists, not by the
    sitemap nor the calendar): their files kept."""
    site_dir = example_site(tmp_path / "site")
    out = tmp_path / "out"
    _build(run_cli, site_dir, out)
    site = _site(site_dir)
    article = next(p for p in site.articles[3:] if p.commemoration is None
                   and site.tags.of(p.meta.tags) and p.content_rel.startswith("tin-tuc/"))
    expected = _listing(site, article.content_rel)
    assert 2 <= len(expected) < len(feeds.site_feeds(site))  # a section's, a tag's
    path = site_dir / "content" / article.content_rel
    if change == "body":
        _edit(path, body="\nMột đoạn thêm.\n")
    else:
        _edit(path, summary="Tóm tắt mới.")
    made = _spied(monkeypatch)
    _build(run_cli, site_dir, out)
    assert sorted(made["feeds"]) == expected
    in_json = article in site.articles[:site.config.feed_entries]
    if change == "body":
        assert made["work"] == ["json_feed"] * in_json
    else:  # the dates and days worked out again, found as they were: their files kept
        assert made["work"].count("page_dates") == 1
        assert "sitemap" not in made["work"] and "calendar_ics" not in made["work"]
    _same_as_clean(run_cli, site_dir, out, tmp_path)


# ------------------------------------------------------------------- the feeds a page names


def _feeds_table(site: Site) -> dict[str, tuple[feeds.FeedLink, ...]]:
    """What each page announces, as a table of every list's pages (as feed_links made it)."""
    config, table = site.config, {}

    def both(title: str, path: str) -> tuple[feeds.FeedLink, ...]:
        return (feeds.FeedLink(title, feeds.feed_path(path)),
                feeds.FeedLink(f"{title} (RSS)", feeds.rss_path(path), feeds.RSS_TYPE))

    home = (*both(config.title, ""), feeds.FeedLink(f"{config.title} (JSON Feed)",
                                                    feeds.JSON_FEED, feeds.JSON_FEED_TYPE))
    table.update((p.path, home) for p in paginate("", site.articles, config))
    for s in site.sections:
        table.update((p.path, both(s.section.title, s.path))
                     for p in paginate(s.path, s.pages, config))
    for t in site.tags.terms:
        table.update((p.path, both(f"{site.tags.title}: {t.name}", t.path))
                     for p in paginate(t.path, t.pages, config))
    return table


def test_each_page_of_a_list_announces_its_feeds_and_no_other_page_does(tmp_path: Path) -> None:
    site_dir = example_site(tmp_path / "site")
    config = site_dir / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size: 10", "page_size: 2"),
                      encoding="utf-8")
    site = _site(site_dir)
    table = _feeds_table(site)
    feeds_for = feeds.feed_links(site)
    lists = [("", site.articles), *((s.path, s.pages) for s in site.sections),
             *((t.path, t.pages) for tax in (site.tags, site.units, site.fields)
               for t in tax.terms), *((y.path, y.pages) for y in site.years)]
    paths = {p.path for first, pages in lists for p in paginate(first, pages, site.config)}
    paths |= {p.path for p in (*site.articles, *site.pages)}
    paths |= {first + "trang/99/" for first, _ in lists} | {"trang/0/", "trang/02/", "x/trang/2/"}
    assert len(table) > 20
    assert {here: feeds_for(here) for here in paths} == {here: table.get(here, ()) for here in paths}
