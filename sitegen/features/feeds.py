"""Reach: the Site in; feeds, sitemap, robots.txt, social cards and share links out; pure.

What carries the site beyond its own pages:

- Atom 1.0 feeds of the whole site (``feed.xml``), of each section
  (``<section>/feed.xml``) and of each tag (``chu-de/<slug>/feed.xml``), and a
  JSON Feed 1.1 of the site (``feed.json``) for the portal's widgets: the newest
  ``config.feed_entries`` articles, every link absolute, ids stable across builds;
- ``sitemap.xml`` of every published HTML page and ``robots.txt`` naming it;
- the Open Graph / Twitter card of each page (:func:`social_card`) and the plain
  Facebook / Zalo share links of an article (:func:`share_links`), both used by
  ``_head_extra.html`` and ``_share.html``.

XML is built with :mod:`xml.etree.ElementTree` (so it is always well-formed) and
JSON with sorted keys, so the same site gives the same bytes. :func:`reach_files`
is the feature of :mod:`sitegen.features.registry`; nothing here writes to the disk.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from sitegen import __version__
from sitegen.core.config import Config
from sitegen.core.markup import resolve_markers
from sitegen.core.pages import Page
from sitegen.core.site import Site, paginate
from sitegen.core.urls import (
    JSON_FEED,
    ROBOTS,
    SITEMAP,
    absolute,
    feed_path,
    search_index_dir,
    search_path,
)

if TYPE_CHECKING:
    from sitegen.render.renderer import RenderedFile, Renderer

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
LOCALES = {"vi": "vi_VN", "en": "en_US"}
#: Picture formats Facebook, Zalo and X show on a card (an SVG picture is not shown).
CARD_PICTURES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
#: Pages that are not published pages of their own: redirects of old addresses, "not found".
NOT_IN_SITEMAP = frozenset({"alias.html", "404.html"})

# Characters XML 1.0 cannot carry at all, even escaped (a pasted form feed would make
# the whole feed unreadable): dropped from every text that goes into XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FeedLink:
    """A feed announced on a page: ``<link rel="alternate" type title href>``."""

    title: str
    path: str
    type: str = ATOM_TYPE


@dataclass(frozen=True)
class Feed:
    """One feed: what it is called, the page it follows, where it is, its articles."""

    title: str
    page: str
    path: str
    entries: tuple[Page, ...]
    subtitle: str = ""


@dataclass(frozen=True)
class SocialCard:
    """The Open Graph / Twitter card of one page (every URL absolute)."""

    type: str
    title: str
    description: str
    url: str
    site_name: str
    locale: str
    image: str | None
    image_alt: str
    image_size: tuple[int, int] | None = None
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShareLinks:
    """Plain share links (no third-party script) and the Zalo Official Account, if any."""

    facebook: str
    zalo: str
    zalo_oa: str | None = None


# --------------------------------------------------------------------------- the feeds


def site_feeds(site: Site) -> tuple[Feed, ...]:
    """Every Atom feed of the site: the whole site, then each section, then each tag."""
    config = site.config
    n = config.feed_entries
    feeds = [Feed(config.title, "", feed_path(""), site.articles[:n], config.tagline)]
    feeds.extend(Feed(s.section.title, s.path, feed_path(s.path), s.pages[:n])
                 for s in site.sections)
    feeds.extend(Feed(f"{site.tags.title}: {t.name}", t.path, feed_path(t.path), t.pages[:n])
                 for t in site.tags.terms)
    return tuple(feeds)


def feed_links(site: Site) -> Callable[[str], tuple[FeedLink, ...]]:
    """Return ``feeds_for(here)``: the feeds a page announces (home, section and tag lists).

    Every page of a paginated list announces the feed of that list.
    """
    config = site.config
    table: dict[str, tuple[FeedLink, ...]] = {}
    home = (FeedLink(config.title, feed_path("")),
            FeedLink(f"{config.title} (JSON Feed)", JSON_FEED, JSON_FEED_TYPE))
    for pager in paginate("", site.articles, config):
        table[pager.path] = home
    for s in site.sections:
        for pager in paginate(s.path, s.pages, config):
            table[pager.path] = (FeedLink(s.section.title, feed_path(s.path)),)
    for t in site.tags.terms:
        for pager in paginate(t.path, t.pages, config):
            table[pager.path] = (FeedLink(f"{site.tags.title}: {t.name}", feed_path(t.path)),)
    return lambda here: table.get(here, ())


def atom_feed(site: Site, feed: Feed) -> bytes:
    """One Atom 1.0 document (RFC 4287), UTF-8, the same bytes for the same site."""
    config = site.config
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    _text(root, "title", feed.title)
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle)
    ET.SubElement(root, "link", rel="alternate", type="text/html",
                  href=absolute(config, feed.page))
    ET.SubElement(root, "link", rel="self", type=ATOM_TYPE, href=absolute(config, feed.path))
    _text(root, "id", absolute(config, feed.path))
    _text(root, "updated", rfc3339(_feed_updated(site, feed.entries)))
    author = ET.SubElement(root, "author")
    _text(author, "name", publisher_name(config))
    _text(author, "uri", absolute(config, ""))
    ET.SubElement(root, "generator", version=__version__).text = "sitegen"
    if config.publisher.get("licence"):
        _text(root, "rights", config.publisher["licence"])
    for page in feed.entries:
        _atom_entry(root, site, page)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _atom_entry(root: ET.Element, site: Site, page: Page) -> None:
    config = site.config
    entry = ET.SubElement(root, "entry")
    if page.meta.lang != config.language:
        entry.set(XML_LANG, page.meta.lang)
    _text(entry, "title", page.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html",
                  href=absolute(config, page.path))
    _text(entry, "id", entry_id(config, page))
    if page.date:
        _text(entry, "published", rfc3339(page.date))
    _text(entry, "updated", rfc3339(changed(page) or site.now))
    if page.meta.author:
        _text(ET.SubElement(entry, "author"), "name", page.meta.author)
    for tag in site.tags.of(page.meta.tags):
        ET.SubElement(entry, "category", term=tag.slug, label=_clean(tag.name),
                      scheme=absolute(config, site.tags.path))
    _text(entry, "summary", page.summary).set("type", "text")
    _text(entry, "content", absolute_body(site, page)).set("type", "html")


def json_feed(site: Site) -> bytes:
    """The JSON Feed 1.1 of the whole site (the portal's widgets read it)."""
    from sitegen.render.renderer import json_bytes  # render.py imports this module

    config = site.config
    items = []
    for page in site.articles[:config.feed_entries]:
        item: dict[str, Any] = {
            "id": entry_id(config, page), "url": absolute(config, page.path),
            "title": page.title, "summary": page.summary,
            "content_html": absolute_body(site, page),
            "date_modified": rfc3339(changed(page) or site.now),
            "tags": [t.name for t in site.tags.of(page.meta.tags)],
            "language": page.meta.lang,
            "_sitegen": {"section": page.section,
                         "section_title": _section_title(config, page.section)},
        }
        if page.date:
            item["date_published"] = rfc3339(page.date)
        if page.meta.author:
            item["authors"] = [{"name": page.meta.author}]
        if page.image:
            item["image"] = absolute(config, page.image.path)
        items.append(item)
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION, "title": config.title,
        "home_page_url": absolute(config, ""), "feed_url": absolute(config, JSON_FEED),
        "language": config.language,
        "authors": [{"name": publisher_name(config), "url": absolute(config, "")}],
        "items": items,
    }
    if config.tagline:
        feed["description"] = config.tagline
    return json_bytes(feed) + b"\n"


def entry_id(config: Config, page: Page) -> str:
    """A tag: URI (RFC 4151) from the site's host, the article's date and its address.

    It depends on nothing that changes between builds, so readers never show an
    article twice: ``tag:sodulich.ninhbinh.gov.vn,2024-02-20:/tuyen-truyen/tin-tuc/…/``.
    """
    url = urlsplit(config.base_url)
    day = f"{page.date:%Y-%m-%d}" if page.date else "2000-01-01"
    return f"tag:{url.hostname},{day}:{quote(url.path + page.path, safe='/-._~')}"


def absolute_body(site: Site, page: Page) -> str:
    """The article's HTML with every internal link absolute (a feed is read elsewhere)."""
    config = site.config

    def resolve(kind: str, target: str) -> str | None:
        if kind == "page":
            linked = site.by_source.get(target)
            return absolute(config, linked.path) if linked else None
        return absolute(config, target)

    return _clean(resolve_markers(page.body_html, resolve))


def changed(page: Page) -> datetime | None:
    """When the article last changed: ``updated`` when given, else its date."""
    return page.meta.updated or page.date


def rfc3339(when: datetime) -> str:
    """``2024-02-20T00:00:00+07:00``: RFC 3339, and a W3C Datetime for sitemaps."""
    return when.replace(microsecond=0).isoformat()


def publisher_name(config: Config) -> str:
    return config.publisher.get("operator") or config.title


def _feed_updated(site: Site, entries: Sequence[Page]) -> datetime:
    # An empty feed (a section without articles yet) takes the site's newest change,
    # not the clock, so that building twice gives the same bytes.
    return newest(entries or site.articles) or site.now


def _section_title(config: Config, name: str | None) -> str:
    section = config.section(name or "")
    return section.title if section else ""


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _clean(text)
    return element


# --------------------------------------------------------------------- sitemap, robots


def newest(pages: Iterable[Page]) -> datetime | None:
    """The newest change among ``pages`` (None when none is dated)."""
    dates = [d for d in map(changed, pages) if d]
    return max(dates) if dates else None


def page_dates(site: Site) -> dict[str, datetime]:
    """``lastmod`` of every page the site model knows: the newest thing each one shows."""
    config = site.config
    out: dict[str, datetime] = {}

    def lists(first: str, pages: Sequence[Page]) -> None:
        for pager in paginate(first, pages, config):
            when = newest(pager.items)
            if when:
                out[pager.path] = when

    for page in (*site.articles, *site.pages):
        when = changed(page)
        if when:
            out[page.path] = when
    lists("", site.articles)
    for s in site.sections:
        lists(s.path, s.pages)
    for tax in (site.tags, site.units, site.fields):
        when = newest(p for t in tax.terms for p in t.pages)
        if when:
            out[tax.path] = when
        for term in tax.terms:
            lists(term.path, term.pages)
    for year in site.years:
        lists(year.path, year.pages)
        for month in year.months:
            lists(month.path, month.pages)
    everything = newest(site.articles)
    if everything:  # the search page finds every article
        out[search_path(config)] = everything
    return out


def sitemap(config: Config, pages: Iterable[str], dates: Mapping[str, datetime]) -> bytes:
    """``sitemap.xml`` (sitemaps.org 0.9) of the site paths ``pages``, in the order given."""
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for path in dict.fromkeys(pages):
        url = ET.SubElement(root, "url")
        _text(url, "loc", absolute(config, path))
        if path in dates:
            _text(url, "lastmod", rfc3339(dates[path]))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def robots(config: Config) -> bytes:
    """``robots.txt``: everything may be crawled but the search index; where the sitemap is."""
    base = urlsplit(config.base_url).path or "/"
    lines = []
    if base != "/":
        lines += ["# Trang nằm trong thư mục con: máy tìm kiếm chỉ đọc robots.txt ở gốc tên miền,",
                  "# hãy chép các dòng dưới đây vào robots.txt của cổng thông tin."]
    lines += ["User-agent: *", f"Disallow: {base}{search_index_dir(config)}", "",
              f"Sitemap: {absolute(config, SITEMAP)}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------- cards and share links


def social_card(config: Config, static: frozenset[str], here: str, page: Page | None,
                title: str, tags: Sequence[str] = ()) -> SocialCard:
    """The card of the page at ``here``: ``article`` for an article, ``website`` otherwise.

    The picture is the article's own when a card can show it (not SVG), else
    ``social.default_image`` (when that file is among the static files).
    """
    default = config.social.get("default_image", "").lstrip("/")
    image = absolute(config, default) if default and default in static else None
    image_alt = config.title if image else ""
    url = absolute(config, here)
    if page is None:
        return SocialCard(type="website", title=title, description=config.tagline or title,
                          url=url, site_name=config.title,
                          locale=LOCALES.get(config.language, "vi_VN"),
                          image=image, image_alt=image_alt)
    picture = page.image if page.image and page.image.path.lower().endswith(CARD_PICTURES) \
        else None
    if picture:
        image, image_alt = absolute(config, picture.path), picture.alt
    is_article = page.section is not None and page.date is not None
    when = changed(page)
    return SocialCard(
        type="article" if is_article else "website", title=page.title,
        description=page.summary, url=url, site_name=config.title,
        locale=LOCALES.get(page.meta.lang, "vi_VN"), image=image, image_alt=image_alt,
        image_size=picture.size if picture else None,
        published=rfc3339(page.date) if is_article and page.date else None,
        modified=rfc3339(when) if is_article and when else None,
        section=(_section_title(config, page.section) or None) if is_article else None,
        tags=tuple(tags) if is_article else ())


def share_links(config: Config, url: str) -> ShareLinks:
    """Facebook's and Zalo's plain share links for ``url`` (no SDK, no script).

    Zalo's ``share_inline`` page takes the address as ``url``; with
    ``social.zalo_oa_id`` set, the Official Account goes along as ``oaid`` (the
    name Zalo's own share button gives it) and readers get a link to follow it.
    """
    encoded = quote(url, safe="")
    oa = config.social.get("zalo_oa_id", "").strip()
    zalo = f"https://sp.zalo.me/share_inline?url={encoded}"
    if oa:
        zalo += f"&oaid={quote(oa, safe='')}"
    return ShareLinks(facebook=f"https://www.facebook.com/sharer/sharer.php?u={encoded}",
                      zalo=zalo, zalo_oa=f"https://zalo.me/{quote(oa, safe='')}" if oa else None)


# ------------------------------------------------------------------------ the feature


def reach_files(r: Renderer) -> Iterator[RenderedFile]:
    """Feature: every feed, then ``sitemap.xml`` and ``robots.txt``.

    The sitemap lists the HTML pages rendered before it (``Renderer.rendered``), so
    this feature comes last in :data:`sitegen.features.registry.FEATURES`.
    """
    site = r.site
    # What a feed reads besides the site model (sitegen.incremental.reuse): its entries' bodies, and
    # the clock when the site has no article at all (see _feed_updated).
    clock = "" if site.articles else site.now.isoformat()
    for feed in site_feeds(site):
        bodies = clock + "".join(p.digest for p in feed.entries)
        yield r.made(feed.path, "feeds", bodies, functools.partial(atom_feed, site, feed))
    bodies = "".join(p.digest for p in site.articles[:site.config.feed_entries])
    yield r.made(JSON_FEED, "feeds", bodies, lambda: json_feed(site))
    pages = [path for path, template in r.rendered if template not in NOT_IN_SITEMAP]
    yield r.made(SITEMAP, "sitemap", "\n".join(pages),
                 lambda: sitemap(site.config, pages, page_dates(site)))
    yield r.made(ROBOTS, "sitemap", "", lambda: robots(site.config))
