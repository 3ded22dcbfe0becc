"""Structured data (schema.org JSON-LD) of every page of the example site and the golden site.

Each page's JSON-LD is read back from its head and checked, type by type, against the
properties schema.org defines and Google's structured-data documentation requires or
recommends (the table below), and against what the page shows: its breadcrumbs, the
article's kind information (model, commemoration, document).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from helpers import BASE_URL, FIXED_NOW, TESTS, article

from sitegen.core.config import load_config
from sitegen.core.site import Site
from sitegen.pipeline import BuildOptions, render

REPO = TESTS.parent
SCHEMA = "https://schema.org"

# The properties each type must carry here. Google Search Central's structured-data pages
# (developers.google.com/search/docs/appearance/structured-data/…) give them for:
# - article: Article/NewsArticle has no required property, and recommends author (with its
#   name), dateModified, datePublished, headline and image; the issue asks for the
#   publisher (an Organization with its logo, as an ImageObject) as well;
# - breadcrumb: BreadcrumbList requires itemListElement, at least two ListItems, each with
#   position and name, and item for all but the last (sitegen gives it for all);
# - event: Event requires name, startDate and location; a Place location requires address;
#   recommended: endDate, eventStatus, eventAttendanceMode, description;
# - logo: Organization requires url and logo;
# - site names: WebSite requires name and url; sitelinks search box: the home page's
#   WebSite requires potentialAction, a SearchAction whose target (an EntryPoint) has a
#   urlTemplate with the placeholder query-input names (test_home_page_is_the_website…).
# schema.org defines the rest (Google has no feature for them): Legislation
# (schema.org/Legislation: legislationIdentifier, legislationDate, legislationPassedBy, an
# Organization or a Person), Person and Organization (schema.org/Person: name; award, a
# Text, is a property of both), WebPage, CollectionPage, ImageObject (url), MediaObject
# (contentUrl), PostalAddress.
REQUIRED: dict[str, set[str]] = {
    "NewsArticle": {"headline", "datePublished", "dateModified", "author", "publisher", "image",
                    "url", "mainEntityOfPage"},
    "BreadcrumbList": {"itemListElement"},
    "ListItem": {"position", "name", "item"},
    "Event": {"name", "startDate", "location", "endDate", "eventStatus", "eventAttendanceMode"},
    "Place": {"address"},
    "PostalAddress": {"addressCountry"},
    "Organization": {"name"},
    "GovernmentOrganization": {"name"},
    "Person": {"name"},
    "WebSite": {"url", "name"},
    "SearchAction": {"target", "query-input"},
    "EntryPoint": {"urlTemplate"},
    "Legislation": {"name", "legislationIdentifier", "legislationDate", "legislationPassedBy"},
    "ImageObject": {"url"},
    "MediaObject": {"contentUrl"},
    "WebPage": {"url", "name"},
    "CollectionPage": {"url", "name"},
}
#: schema.org's expected types of the properties whose value is a thing (a subtype will do:
#: GovernmentOrganization is an Organization).
ORGANIZATION = {"Organization", "GovernmentOrganization"}
EXPECTED: dict[str, set[str]] = {
    "author": {"Person"} | ORGANIZATION, "publisher": {"Person"} | ORGANIZATION,
    "logo": {"ImageObject"}, "image": {"ImageObject"}, "location": {"Place"},
    "address": {"PostalAddress"}, "legislationPassedBy": {"Person"} | ORGANIZATION,
    "itemListElement": {"ListItem"}, "potentialAction": {"SearchAction"},
    "target": {"EntryPoint"}, "about": {"Person", "Event", "Legislation"} | ORGANIZATION,
    "encoding": {"MediaObject"}, "isPartOf": {"WebSite"}, "worksFor": ORGANIZATION,
    "parentOrganization": ORGANIZATION,
}
#: Properties whose value schema.org also allows as plain text (address: PostalAddress or
#: Text), but Google's Event page does not for an event's Place.
TEXT_TOO = {("Organization", "address"), ("GovernmentOrganization", "address")}
DATES = {"datePublished", "dateModified", "startDate", "endDate", "legislationDate"}
ADDRESSES = {"url", "item", "mainEntityOfPage", "@id"}
TOP = {"NewsArticle", "WebSite", "WebPage", "CollectionPage", "BreadcrumbList"}


class _Page(HTMLParser):
    """A page's JSON-LD (and whether it sat in the head), canonical address and breadcrumbs."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[bool, str]] = []
        self.canonical = ""
        self.crumbs: list[tuple[str, str | None]] = []  # (label, href): the trail shown
        self._in_head = self._in_script = self._in_crumbs = False
        self._href: str | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_script, self._text = True, []
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href") or ""
        elif tag == "nav" and "breadcrumbs" in (a.get("class") or ""):
            self._in_crumbs = True
        elif self._in_crumbs and tag in ("a", "span"):
            self._href, self._text = a.get("href"), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag == "script" and self._in_script:
            self.scripts.append((self._in_head, "".join(self._text or ())))
            self._in_script, self._text = False, None
        elif tag == "nav":
            self._in_crumbs = False
        elif self._in_crumbs and tag in ("a", "span") and self._text is not None:
            self.crumbs.append(("".join(self._text), self._href))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _read(html: bytes) -> _Page:
    parser = _Page()
    parser.feed(html.decode("utf-8"))
    return parser


def _things(value: Any) -> Iterator[dict[str, Any]]:
    """Every node (a dict with @type) in ``value``, nested ones included."""
    if isinstance(value, list):
        for item in value:
            yield from _things(item)
    elif isinstance(value, dict):
        if "@type" in value:
            yield value
        for item in value.values():
            yield from _things(item)


def _check_node(node: dict[str, Any], where: str, base: str) -> None:
    kind = node["@type"]
    assert kind in REQUIRED, f"{where}: a {kind} the table does not know"
    missing = {p for p in REQUIRED[kind] if node.get(p) in (None, "", [])}
    assert not missing, f"{where}: {kind} lacks {sorted(missing)}"
    for prop, value in node.items():
        if prop in DATES:
            (date if len(value) == 10 else datetime).fromisoformat(value)
        elif prop in ADDRESSES:
            assert isinstance(value, str) and value.startswith(base), (where, prop, value)
        elif prop in EXPECTED and not ((kind, prop) in TEXT_TOO and isinstance(value, str)):
            for thing in value if isinstance(value, list) else [value]:
                assert isinstance(thing, dict) and thing.get("@type") in EXPECTED[prop], \
                    f"{where}: {kind}.{prop} is {thing!r}"
    if kind == "BreadcrumbList":
        positions = [item["position"] for item in node["itemListElement"]]
        assert positions == list(range(1, len(positions) + 1)) and len(positions) >= 2, where
    if kind in ORGANIZATION and "logo" in node:
        assert node["url"].startswith(base) and node["logo"]["url"].startswith(base)


def _graph(path: str, html: bytes) -> tuple[_Page, list[dict[str, Any]]]:
    page = _read(html)
    assert len(page.scripts) == 1, f"{path}: {len(page.scripts)} JSON-LD scripts"
    in_head, text = page.scripts[0]
    assert in_head, f"{path}: the JSON-LD is not in the head"
    assert "</" not in text and "<!--" not in text, path
    data = json.loads(text)
    assert data["@context"] == SCHEMA
    return page, data["@graph"]


def _built(site_dir: Path, tmp_path: Path) -> tuple[Site, dict[str, bytes]]:
    site = tmp_path / "site"
    shutil.copytree(site_dir, site, ignore=shutil.ignore_patterns("output", ".sitegen", ".output*"))
    config, _ = load_config(site)
    rendered = render(config, BuildOptions(now=FIXED_NOW), parallel=False)
    pages = {f.path: f.data for f in rendered.files
             if f.data is not None and (f.path.endswith("/") or f.path.endswith(".html")
                                        or f.path == "")}
    return rendered.site, pages


@pytest.fixture(params=["example", "golden"])
def built(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Site, dict[str, bytes]]:
    """The example site (the repository's own) or the golden site, rendered at the suite's clock."""
    folder = TESTS / "golden" / "site"
    if request.param == "example":
        folder = tmp_path / "example"
        folder.mkdir()
        for name in ("config.yaml", "content", "static"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    return _built(folder, tmp_path)


def _aliases(site: Site) -> set[str]:
    return {alias.path for alias in site.aliases}


def test_every_page_has_valid_json_ld_in_its_head(built: tuple[Site, dict[str, bytes]]) -> None:
    site, pages = built
    checked = 0
    for path, html in pages.items():
        if path in _aliases(site):
            continue  # a redirect, not a page: noindex and no head of its own
        _, graph = _graph(path, html)
        assert graph and all(node["@type"] in TOP for node in graph), path
        for node in _things(graph):
            _check_node(node, path, site.config.base_url)
        checked += 1
    assert checked > 30


def test_breadcrumb_list_is_the_trail_the_page_shows(built: tuple[Site, dict[str, bytes]]) -> None:
    site, pages = built
    with_trail = 0
    for path, html in pages.items():
        if path in _aliases(site):
            continue
        page, graph = _graph(path, html)
        lists = [n for n in graph if n["@type"] == "BreadcrumbList"]
        if not page.crumbs:
            assert not lists, path
            continue
        with_trail += 1
        (trail,) = lists
        items = trail["itemListElement"]
        assert len(items) == len(page.crumbs), path
        for item, (label, _) in zip(items, page.crumbs, strict=True):
            # A long title is shortened on screen ("… giai…"); the data names it in full.
            shown = label.removesuffix("…")
            assert item["name"] == label or (label.endswith("…") and
                                             item["name"].startswith(shown)), (path, label)
        for item, (_, href) in zip(items, page.crumbs, strict=True):
            if href is not None:  # the page itself is shown without a link
                assert item["item"] == urljoin(page.canonical, href).removesuffix("index.html")
    assert with_trail > 20


def test_articles_are_news_articles_about_their_subject(built: tuple[Site, dict[str, bytes]]) -> None:
    site, pages = built
    kinds = set()
    for p in site.articles:
        _, graph = _graph(p.path, pages[p.path])
        (news,) = [n for n in graph if n["@type"] == "NewsArticle"]
        assert news["url"] == site.config.base_url + p.path and news["headline"] == p.title
        assert news["publisher"]["logo"]["@type"] == "ImageObject"
        assert datetime.fromisoformat(news["datePublished"]) == p.date
        about = news.get("about")
        if p.model:
            kinds.add("model")
            assert about["@type"] == ("Person" if p.model.subject_kind == "ca-nhan" else "Organization")
            assert about["name"] == p.model.subject
            assert len(about.get("award", [])) == len(p.model.awards)
            assert all(a.name in text for a, text in zip(
                sorted(p.model.awards, key=lambda a: a.name), sorted(about.get("award", [])),
                strict=True))
        elif p.commemoration:
            kinds.add("commemoration")
            assert about["@type"] == "Event" and p.commemoration.event in about["name"]
            start = date.fromisoformat(about["startDate"])
            assert p.date is not None and start.year == p.date.year
            if p.commemoration.calendar == "solar":
                assert (start.month, start.day) == (p.commemoration.event_date.month,
                                                    p.commemoration.event_date.day)
        elif p.document:
            kinds.add("document")
            assert about["@type"] == "Legislation"
            assert about["legislationIdentifier"] == p.document.number
            assert about["legislationDate"] == p.document.issued.isoformat()
            assert about["legislationPassedBy"]["name"] == p.document.issuer
        else:
            assert about is None
    assert kinds == {"model", "commemoration", "document"}


def test_home_page_is_the_website_with_its_search(built: tuple[Site, dict[str, bytes]]) -> None:
    site, pages = built
    _, graph = _graph("", pages[""])
    (web,) = [n for n in graph if n["@type"] == "WebSite"]
    base = site.config.base_url
    assert web["url"] == base and web["name"] == site.config.title
    action = web["potentialAction"]
    template = action["target"]["urlTemplate"]
    search = f"{site.config.paths.search}/"
    assert template == f"{base}{search}?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert search in pages  # the page the search goes to is there, and reads ?q=
    assert 'name="q"' in pages[search].decode("utf-8")


def test_json_ld_cannot_end_its_script_element(make_site) -> None:  # type: ignore[no-untyped-def]
    title = 'Bài </script><script>alert("x")</script> & <!-- Ư \u2028 kết'
    site = make_site({"content/tin-tuc/a.md": article(title, "2025-03-10", author="</SCRIPT>")},
                     config=f"title: T\nbase_url: {BASE_URL}\n")
    config, _ = load_config(site)
    rendered = render(config, BuildOptions(now=FIXED_NOW), parallel=False)
    (page,) = rendered.site.articles
    (html,) = [f.data for f in rendered.files if f.path == page.path]
    assert html is not None
    _, graph = _graph(page.path, html)  # one script, in the head, with no "</" in it
    (news,) = graph[:1]
    assert "</script>" in page.title  # as written, but for the spaces the reader tidies
    assert news["headline"] == page.title and news["author"]["name"] == "</SCRIPT>"
