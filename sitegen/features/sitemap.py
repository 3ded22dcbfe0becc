"""The sitemap and robots.txt: the Site and the pages rendered in; ``sitemap.xml`` and
``robots.txt`` out; pure.

``sitemap.xml`` (sitemaps.org 0.9) lists every published HTML page, each with the newest
change it shows (``lastmod``); ``robots.txt`` lets everything be crawled but the search
index and names the sitemap.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sitegen.core.config import Config
from sitegen.core.digest import digest
from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.core.urls import ROBOTS, SITEMAP, absolute, pager_path, search_index_dir, search_path
from sitegen.features.feeds import clean_text
from sitegen.features.keys import for_site
from sitegen.features.registry import Feature, FeatureContext
from sitegen.output.files import RenderedFile
from sitegen.render.social import changed, rfc3339

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


#: What a text in XML is written otherwise than as it is: escaped, or left out
#: (:func:`sitegen.features.feeds.clean_text`).
_NOT_PLAIN = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Pages that are not published pages of their own: redirects of old addresses, "not found".
NOT_IN_SITEMAP = frozenset({"alias.html", "404.html"})




def page_dates(site: Site) -> dict[str, datetime]:
    """``lastmod`` of every page the site model knows: the newest thing each one shows."""
    config = site.config
    out: dict[str, datetime] = {}
    size = config.page_size

    def lists(first: str, pages: Sequence[Page]) -> datetime | None:
        """Each page of the list (as paginate cuts it): its newest item's change; the
        newest of the whole list returned."""
        dates = list(map(out.get, [p.path for p in pages]))
        top = None
        for number, start in enumerate(range(0, len(dates), size), 1):
            found = [d for d in dates[start:start + size] if d]
            if found:
                newest_here = out[pager_path(first, number, config)] = max(found)
                top = newest_here if top is None else max(top, newest_here)
        return top

    for page in (*site.articles, *site.pages):
        when = changed(page)
        if when:
            out[page.path] = when
    everything = lists("", site.articles)
    for s in site.sections:
        lists(s.path, s.pages)
    for tax in (site.tags, site.units, site.fields):
        tops = [top for term in tax.terms if (top := lists(term.path, term.pages))]
        if tops:
            out[tax.path] = max(tops)
    for year in site.years:
        lists(year.path, year.pages)
        for month in year.months:
            lists(month.path, month.pages)
    if everything:  # the search page finds every article
        out[search_path(config)] = everything
    return out


def sitemap(config: Config, pages: Iterable[str], dates: Mapping[str, datetime]) -> bytes:
    """``sitemap.xml`` (sitemaps.org 0.9) of the site paths ``pages``, in the order given.

    Written as text, as :func:`sitegen.features.feeds.xml_document` writes the same tree
    (the same bytes: tests/test_feature_keys.py): on a large site, building that tree was
    most of what making the sitemap cost."""
    urls: list[str] = []
    stamps: dict[tuple[datetime, object], str] = {}  # by date and offset: pages share them
    for path in dict.fromkeys(pages):
        url = f"  <url>\n    {_text_line('loc', absolute(config, path))}\n"
        when = dates.get(path)
        if when is not None:
            stamp = stamps.get((when, when.utcoffset()))
            if stamp is None:
                stamp = stamps[(when, when.utcoffset())] = _text_line("lastmod", rfc3339(when))
            url += f"    {stamp}\n"
        urls.append(url + "  </url>\n")
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}"'
    if not urls:
        return f"{head} />\n".encode()
    return f"{head}>\n{''.join(urls)}</urlset>\n".encode()


def _text_line(tag: str, text: str) -> str:
    """``<tag>text</tag>`` as ElementTree writes it (``<tag />`` when empty)."""
    if _NOT_PLAIN.search(text):
        text = html.escape(clean_text(text), quote=False)  # & < >, as ElementTree
    return f"<{tag}>{text}</{tag}>" if text else f"<{tag} />"


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


def sitemap_files(r: FeatureContext) -> Iterator[RenderedFile]:
    """Feature: ``sitemap.xml`` of the HTML pages rendered (``FeatureContext.rendered``, all of
    them: the registry runs this feature after the others), then ``robots.txt``.

    The sitemap is made from its pages and their dates (with the base: the config, the code
    …); the dates, from what every page shows, so their digest is worked out again only
    when that changed (:func:`sitegen.features.keys.for_site`): an edit of a body makes no
    pass over the lists."""
    site = r.site
    pages = [path for path, template in r.rendered if template not in NOT_IN_SITEMAP]
    dates = functools.cache(lambda: page_dates(site))
    inputs = ""
    if r.memo is not None:
        shown = for_site(r.memo, "sitemap-dates", lambda: _dates_digest(dates()))
        inputs = shown + digest("\n".join(pages).encode("utf-8", "surrogateescape"))
    yield r.made(SITEMAP, "sitemap", inputs, lambda: sitemap(site.config, pages, dates()),
                 site_wide=False)
    yield r.made(ROBOTS, "sitemap", "", lambda: robots(site.config), site_wide=False)


def _dates_digest(dates: Mapping[str, datetime]) -> str:
    return digest("\n".join(f"{path} {when.isoformat()}" for path, when in sorted(dates.items()))
                  .encode("utf-8", "surrogateescape"))


FEATURE = Feature("sitemap", 50, sitemap_files, reads_rendered=True)
