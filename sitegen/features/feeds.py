"""Feeds: the Site in; its Atom, RSS and JSON feeds, and the feeds each page announces, out; pure.

Atom 1.0 feeds of the whole site (``feed.xml``), of each section
(``<section>/feed.xml``) and of each tag (``chu-de/<slug>/feed.xml``), an RSS 2.0 feed
beside each (``rss.xml``: many Vietnamese aggregators and portal widgets read only RSS),
and a JSON Feed 1.1 of the site (``feed.json``) for the portal's widgets: the newest
``config.feed_entries`` articles, every link absolute, ids stable across builds.

XML is built with :mod:`xml.etree.ElementTree` (so it is always well-formed) and
JSON with sorted keys, so the same site gives the same bytes. :func:`feed_files`
is the feature; nothing here writes to the disk.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote, urlsplit

from sitegen import __version__
from sitegen.core.config import Config
from sitegen.core.markup import resolve_markers
from sitegen.core.pages import Page
from sitegen.core.site import Site, Term
from sitegen.core.urls import (
    JSON_FEED,
    absolute,
    feed_path,
    rss_path,
)
from sitegen.features.keys import pages_key
from sitegen.features.registry import Feature, FeatureContext
from sitegen.output.files import RenderedFile, json_bytes
from sitegen.render.pictures import feed_picture, plain_pictures
from sitegen.render.renderer import RenderMemo
from sitegen.render.social import changed, newest, rfc3339, section_title
from sitegen.render.trace import reading, term_names

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
RSS_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE_NS = "http://purl.org/dc/elements/1.1/"
RSS_DOCS = "https://www.rssboard.org/rss-specification"
JSON_FEED_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

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


# --------------------------------------------------------------------------- the feeds


#: An article's HTML as a feed gives it (:func:`absolute_body`).
FeedBody = Callable[[Page], str]


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

    Every page of a paginated list announces the feed of that list. A page is known for a
    list's by its address (``paginate``'s), not from a table of every list's pages: this is
    made on every build, and most builds render a few pages.
    """
    config = site.config
    #: Each list with feeds, by its first page: its feeds' title, its length, its tag.
    lists: dict[str, tuple[str, int, Term | None]] = {"": (config.title, len(site.articles), None)}
    lists.update((s.path, (s.section.title, len(s.pages), None)) for s in site.sections)
    lists.update((t.path, (f"{site.tags.title}: {t.name}", len(t.pages), t))
                 for t in site.tags.terms)
    later = re.compile(rf"(.*){re.escape(config.paths.page)}/([1-9][0-9]*)/")
    made: dict[str, tuple[FeedLink, ...]] = {}

    def listed(here: str) -> str | None:
        """The first page of the list ``here`` is a page of, if any."""
        if here in lists:
            return here
        found = later.fullmatch(here)
        if found is None or found[1] not in lists:
            return None
        return found[1] if int(found[2]) <= -(-lists[found[1]][1] // config.page_size) else None

    def links(first: str) -> tuple[FeedLink, ...]:
        if first not in made:
            title = lists[first][0]
            made[first] = (FeedLink(title, feed_path(first)),
                           FeedLink(f"{title} (RSS)", rss_path(first), RSS_TYPE))
            if first == "":
                made[first] += (FeedLink(f"{title} (JSON Feed)", JSON_FEED, JSON_FEED_TYPE),)
        return made[first]

    def tag_of(here: str) -> list[Term]:  # a tag's pages: their feeds' titles read its name
        first = listed(here)
        term = lists[first][2] if first is not None else None
        return [term] if term is not None else []

    @reading(each=lambda here: term_names(tag_of(here)))
    def feeds_for(here: str) -> tuple[FeedLink, ...]:
        first = listed(here)
        return links(first) if first is not None else ()

    return feeds_for


def atom_feed(site: Site, feed: Feed, body: FeedBody | None = None) -> bytes:
    """One Atom 1.0 document (RFC 4287), UTF-8, the same bytes for the same site."""
    config = site.config
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    text_element(root, "title", feed.title)
    if feed.subtitle:
        text_element(root, "subtitle", feed.subtitle)
    ET.SubElement(root, "link", rel="alternate", type="text/html",
                  href=absolute(config, feed.page))
    ET.SubElement(root, "link", rel="self", type=ATOM_TYPE, href=absolute(config, feed.path))
    text_element(root, "id", absolute(config, feed.path))
    text_element(root, "updated", rfc3339(_feed_updated(site, feed.entries)))
    author = ET.SubElement(root, "author")
    text_element(author, "name", publisher_name(config))
    text_element(author, "uri", absolute(config, ""))
    ET.SubElement(root, "generator", version=__version__).text = "sitegen"
    if config.publisher.get("licence"):
        text_element(root, "rights", config.publisher["licence"])
    body = body or functools.partial(absolute_body, site)
    for page in feed.entries:
        _atom_entry(root, site, page, body)
    return xml_document(root)


def _atom_entry(root: ET.Element, site: Site, page: Page, body: FeedBody) -> None:
    config = site.config
    entry = ET.SubElement(root, "entry")
    if page.meta.lang != config.language:
        entry.set(XML_LANG, page.meta.lang)
    text_element(entry, "title", page.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html",
                  href=absolute(config, page.path))
    text_element(entry, "id", entry_id(config, page))
    if page.date:
        text_element(entry, "published", rfc3339(page.date))
    text_element(entry, "updated", rfc3339(changed(page) or site.now))
    if page.meta.author:
        text_element(ET.SubElement(entry, "author"), "name", page.meta.author)
    for tag in site.tags.of(page.meta.tags):
        ET.SubElement(entry, "category", term=tag.slug, label=clean_text(tag.name),
                      scheme=absolute(config, site.tags.path))
    text_element(entry, "summary", page.summary).set("type", "text")
    text_element(entry, "content", body(page)).set("type", "html")


def rss_feed(site: Site, feed: Feed, body: FeedBody | None = None) -> bytes:
    """One RSS 2.0 document (rssboard.org's specification), UTF-8, the same bytes for the
    same site: dates in RFC 822 (with four-digit years), each item's ``guid`` its address
    (``isPermaLink``), its summary as ``description`` and its whole text as
    ``content:encoded``, the author as ``dc:creator`` (RSS's ``author`` wants an e-mail
    address), and an ``atom:link`` to itself."""
    config = site.config
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS,
                              "xmlns:content": RSS_CONTENT_NS, "xmlns:dc": DUBLIN_CORE_NS})
    channel = ET.SubElement(root, "channel")
    text_element(channel, "title", feed.title)
    text_element(channel, "link", absolute(config, feed.page))
    text_element(channel, "description", feed.subtitle or (
        feed.title if feed.title == config.title else f"{feed.title} – {config.title}"))
    text_element(channel, "language", config.language)
    if config.publisher.get("licence"):
        text_element(channel, "copyright", config.publisher["licence"])
    text_element(channel, "lastBuildDate", format_datetime(_feed_updated(site, feed.entries)))
    text_element(channel, "generator", f"sitegen {__version__}")
    text_element(channel, "docs", RSS_DOCS)
    ET.SubElement(channel, "atom:link", href=absolute(config, rss_path(feed.page)), rel="self",
                  type=RSS_TYPE)
    body = body or functools.partial(absolute_body, site)
    for page in feed.entries:
        _rss_item(channel, site, page, body)
    return xml_document(root)


def _rss_item(channel: ET.Element, site: Site, page: Page, body: FeedBody) -> None:
    config = site.config
    item = ET.SubElement(channel, "item")
    url = absolute(config, page.path)
    text_element(item, "title", page.title)
    text_element(item, "link", url)
    text_element(item, "description", page.summary)
    text_element(item, "content:encoded", body(page))
    if page.meta.author:
        text_element(item, "dc:creator", page.meta.author)
    for tag in site.tags.of(page.meta.tags):
        text_element(item, "category", tag.name).set("domain", absolute(config, tag.path))
    text_element(item, "guid", url).set("isPermaLink", "true")
    if page.date:
        text_element(item, "pubDate", format_datetime(page.date))


def json_feed(site: Site, body: FeedBody | None = None) -> bytes:
    """The JSON Feed 1.1 of the whole site (the portal's widgets read it)."""
    config = site.config
    body = body or functools.partial(absolute_body, site)
    items = []
    for page in site.articles[:config.feed_entries]:
        item: dict[str, Any] = {
            "id": entry_id(config, page), "url": absolute(config, page.path),
            "title": page.title, "summary": page.summary,
            "content_html": body(page),
            "date_modified": rfc3339(changed(page) or site.now),
            "tags": [t.name for t in site.tags.of(page.meta.tags)],
            "language": page.meta.lang,
            "_sitegen": {"section": page.section,
                         "section_title": section_title(config, page.section)},
        }
        if page.date:
            item["date_published"] = rfc3339(page.date)
        if page.meta.author:
            item["authors"] = [{"name": page.meta.author}]
        if page.image:
            item["image"] = absolute(config, feed_picture(page.image))
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

    body = plain_pictures(page.body_html, page, lambda path: absolute(config, path))
    return clean_text(resolve_markers(body, resolve))


def feed_bodies(site: Site) -> FeedBody:
    """:func:`absolute_body` of ``site``, made once a page: an article stands in the site's
    feeds, its section's and each of its tags', in Atom, RSS and JSON alike."""
    made: dict[str, str] = {}

    def body(page: Page) -> str:
        if page.path not in made:
            made[page.path] = absolute_body(site, page)
        return made[page.path]

    return body


def publisher_name(config: Config) -> str:
    return config.publisher.get("operator") or config.title


def _feed_updated(site: Site, entries: Sequence[Page]) -> datetime:
    # An empty feed (a section without articles yet) takes the site's newest change,
    # not the clock, so that building twice gives the same bytes.
    return newest(entries or site.articles) or site.now


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def xml_document(root: ET.Element) -> bytes:
    """``root`` as an indented UTF-8 XML document with its declaration (it indents ``root``)."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def text_element(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = clean_text(text)
    return element


# --------------------------------------------------------------------- sitemap, robots


# ------------------------------------------------------------------------ the feature


def feed_files(r: FeatureContext) -> Iterator[RenderedFile]:
    """Feature: the Atom and RSS feeds of the site, its sections and its tags, and the JSON
    Feed; each kept from the last build when what it is made from is as it was (its
    entries, their bodies, the base: not the rest of the site, :func:`feed_key`)."""
    site = r.site
    body = feed_bodies(site)
    for feed in site_feeds(site):
        key = feed_key(r.memo, site, feed)
        yield r.made(feed.path, "feeds", key, functools.partial(atom_feed, site, feed, body),
                     bodies=feed.entries, site_wide=False)
        yield r.made(rss_path(feed.page), "feeds", key,
                     functools.partial(rss_feed, site, feed, body), bodies=feed.entries,
                     site_wide=False)
    entries = site.articles[:site.config.feed_entries]
    yield r.made(JSON_FEED, "feeds", feed_key(r.memo, site, Feed("", "", "", entries)),
                 lambda: json_feed(site, body), bodies=entries, site_wide=False)


def feed_key(memo: RenderMemo | None, site: Site, feed: Feed) -> str:
    """What ``feed`` is made from but its entries' bodies and the base (config, code, day):
    its title, addresses and entries (:func:`sitegen.features.keys.pages_key`); for a feed
    with no entry, the site's newest change (its ``updated``), and the clock when the site
    has no article at all (see _feed_updated). ("" without a memo: nothing is kept.)"""
    if memo is None:
        return ""
    fallback = "" if feed.entries else repr(_feed_updated(site, ()))
    return "\0".join((feed.title, feed.subtitle, feed.page, feed.path, fallback,
                      pages_key(memo, site, feed.entries)))


def feed_globals(site: Site, static: frozenset[str]) -> Mapping[str, Any]:
    """``feeds_for(here)``: the feeds a page announces in its head."""
    return {"feeds_for": feed_links(site)}


FEATURE = Feature("feeds", 40, feed_files, template_globals=feed_globals)
