"""The sitemap and robots.txt: the Site and the pages rendered in; ``sitemap.xml`` and
``robots.txt`` out; pure.

``sitemap.xml`` (sitemaps.org 0.9) lists every published HTML page, each with the newest
change it shows (``lastmod``); ``robots.txt`` lets everything be crawled but the search
index and names the sitemap.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sitegen.core.config import Config
from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.core.urls import ROBOTS, SITEMAP, absolute, pager_path, search_index_dir, search_path
from sitegen.features.feeds import text_element, xml_document
from sitegen.features.registry import Feature, FeatureContext
from sitegen.output.files import RenderedFile
from sitegen.render.social import changed, newest, rfc3339

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


#: Pages that are not published pages of their own: redirects of old addresses, "not found".
NOT_IN_SITEMAP = frozenset({"alias.html", "404.html"})


def page_dates(site: Site) -> dict[str, datetime]:
    """``lastmod`` of every page the site model knows: the newest thing each one shows."""
    config = site.config
    out: dict[str, datetime] = {}
    size = config.page_size

    def lists(first: str, pages: Sequence[Page]) -> None:
        """Each page of the list (as paginate cuts it): its newest item's change."""
        for number, start in enumerate(range(0, len(pages), size), 1):
            dates = [d for p in pages[start:start + size] if (d := out.get(p.path))]
            if dates:
                out[pager_path(first, number, config)] = max(dates)

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
        text_element(url, "loc", absolute(config, path))
        if path in dates:
            text_element(url, "lastmod", rfc3339(dates[path]))
    return xml_document(root)


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
    them: the registry runs this feature after the others), then ``robots.txt``."""
    site = r.site
    pages = [path for path, template in r.rendered if template not in NOT_IN_SITEMAP]
    dates = page_dates(site)  # with the pages, all the sitemap is made from
    inputs = "\n".join(f"{path} {dates[path].isoformat() if path in dates else ''}"
                       for path in pages)
    yield r.made(SITEMAP, "sitemap", inputs, lambda: sitemap(site.config, pages, dates),
                 site_wide=False)
    yield r.made(ROBOTS, "sitemap", "", lambda: robots(site.config), site_wide=False)


FEATURE = Feature("sitemap", 50, sitemap_files, reads_rendered=True)
