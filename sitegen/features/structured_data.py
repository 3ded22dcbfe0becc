"""Structured data: what each page is, as schema.org JSON-LD for the machines that read the
site (search engines, portals, aggregators); the Site in, one ``<script
type="application/ld+json">`` per page out; pure.

The head of every page (``_structured_data.html``) carries one graph:

- the home page: the ``WebSite``, with a ``SearchAction`` to the search page
  (``tim-kiem/?q={search_term_string}``), and its publisher;
- an article: a ``NewsArticle`` (headline, dates, author, the publisher with its logo, a
  picture) about, by the kind of its section, the person or collective honoured (``Person``
  or ``Organization``, with its ``award``\\ s), the anniversary commemorated (an ``Event`` on
  its day) or the document (``Legislation``: number, date, issuer);
- any other page: a ``WebPage`` (``CollectionPage`` for a list);
- and on a page with breadcrumbs, the ``BreadcrumbList`` of the trail it shows (recorded by
  the ``breadcrumbs`` macro of ``_macros.html``).

Every address is absolute, from ``base_url``. The JSON is written so that it cannot end the
``<script>`` element it sits in: ``<``, ``>`` and ``&`` are escaped as ``\\u003c`` … (what
Jinja's ``tojson`` does), whatever a writer puts in a title.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from markupsafe import Markup

from sitegen.core.config import Config
from sitegen.core.frontmatter import Award
from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.core.urls import absolute, search_path
from sitegen.features.feeds import publisher_name
from sitegen.features.registry import Feature, FeatureContext
from sitegen.output.files import RenderedFile, json_bytes
from sitegen.render.pictures import card_image
from sitegen.render.social import changed, rfc3339, section_title
from sitegen.render.trace import Dep, reading, term_names
from sitegen.thidua.anniversary import article_anniversary
from sitegen.thidua.awards import awards_ranked

SCHEMA = "https://schema.org"
Node = dict[str, Any]
#: A breadcrumb trail as shown: (label, site path) from the home page to the page itself.
Trail = Sequence[tuple[str, str]]

#: Characters that could end a <script> element or open a comment in it, and the two line
#: separators old script engines refuse in strings: written as JSON escapes. Replaced one
#: after the other (no escape holds another's character): ``str.translate`` with a mapping
#: looked up every character of the text, a tenth of a millisecond a page
#: (benchmarks/README.md, 'Figures behind the code').
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                ("\u2029", "\\u2029"))

#: Where a commemoration is kept: the country (an anniversary has no one venue).
_COUNTRY: Node = {"@type": "Place", "name": "Việt Nam",
                  "address": {"@type": "PostalAddress", "addressCountry": "VN"}}


def _script_safe(text: str) -> str:
    """``text`` (JSON) with the characters of :data:`_SCRIPT_SAFE` escaped."""
    for char, escape in _SCRIPT_SAFE:
        text = text.replace(char, escape)
    return text


def script(data: Any) -> Markup:
    """``data`` as a JSON-LD ``<script>`` element, safe to put in any page."""
    text = _script_safe(json_bytes(data).decode("utf-8"))
    return Markup(f'<script type="application/ld+json">{text}</script>')


def logo_path(config: Config, static: frozenset[str]) -> str:
    """The logo the header shows: the site's ``static/images/logo.svg``, else the theme's."""
    return "images/logo.svg" if "images/logo.svg" in static else f"{config.paths.assets}/logo.svg"


def publisher(config: Config, static: frozenset[str]) -> Node:
    """The department that publishes the site (``publisher:`` in config.yaml), with its logo."""
    pub = config.publisher
    node: Node = {"@type": "GovernmentOrganization", "@id": absolute(config, "") + "#co-quan",
                  "name": publisher_name(config), "url": absolute(config, ""),
                  "logo": {"@type": "ImageObject", "url": absolute(config, logo_path(config, static))}}
    if pub.get("owner"):
        node["parentOrganization"] = {"@type": "GovernmentOrganization", "name": pub["owner"]}
    for key, prop in (("address", "address"), ("phone", "telephone"), ("email", "email")):
        if pub.get(key):
            node[prop] = pub[key]
    return node


def website(config: Config, static: frozenset[str]) -> Node:
    """The site, and how to search it (the search page reads ``?q=``)."""
    home = absolute(config, "")
    node: Node = {
        "@type": "WebSite", "@id": home + "#trang", "url": home, "name": config.title,
        "inLanguage": config.language, "publisher": publisher(config, static),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate":
                       absolute(config, search_path(config)) + "?q={search_term_string}"},
            "query-input": "required name=search_term_string"}}
    if config.tagline:
        node["description"] = config.tagline
    return node


def picture(config: Config, static: frozenset[str], page: Page) -> Node:
    """The article's picture; else the site's sharing picture (``social.default_image``), else
    its logo: a news article should always have one."""
    if page.image:  # a photo's original is not published: its 1200×630 social card is
        path, size = card_image(page.image)
        node: Node = {"@type": "ImageObject", "url": absolute(config, path)}
        if page.image.alt:
            node["caption"] = page.image.alt
        if size:
            node["width"], node["height"] = size
        return node
    default = config.social.get("default_image", "").lstrip("/")
    path = default if default and default in static else logo_path(config, static)
    return {"@type": "ImageObject", "url": absolute(config, path)}


def award_text(award: Award) -> str:
    """One award as one line: "Bằng khen của Chủ tịch UBND tỉnh (2023, Quyết định số 12/QĐ-UBND)"."""
    details = [str(award.year)] if award.year else []
    if award.decision:
        details.append(f"Quyết định số {award.decision}")
    return f"{award.name} ({', '.join(details)})" if details else award.name


def subject(site: Site, page: Page) -> Node | None:
    """The person (``ca-nhan``) or collective (``tap-the``) a gương điển hình honours."""
    info = page.model
    if info is None:
        return None
    person = info.subject_kind == "ca-nhan"
    node: Node = {"@type": "Person" if person else "Organization", "name": info.subject}
    if info.awards:
        node["award"] = [award_text(a) for a in awards_ranked(info.awards)]
    units = site.units.of((page.meta.unit,)) if page.meta.unit else ()
    if person and info.position:
        node["jobTitle"] = info.position
    if person and units:
        node["worksFor"] = {"@type": "Organization", "name": units[0].name}
    return node


def event(config: Config, page: Page) -> Node | None:
    """The anniversary a commemoration article marks, on its day in the article's year (or
    the day itself, the year it happened)."""
    info = page.commemoration
    if info is None:
        return None
    ann = article_anniversary(page)
    day = ann.occurrence or (info.event_date if info.calendar == "solar" else None)
    if day is None:
        return None
    return {"@type": "Event",
            "name": f"Kỷ niệm {ann.number} năm {info.event}" if ann.number else info.event,
            "startDate": day.isoformat(), "endDate": day.isoformat(),
            "eventStatus": f"{SCHEMA}/EventScheduled",
            "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
            "location": _COUNTRY, "description": page.summary,
            "url": absolute(config, page.path)}


def legislation(config: Config, page: Page) -> Node | None:
    """A văn bản: its số hiệu, date of issue and issuer, and its file when it has one."""
    info = page.document
    if info is None:
        return None
    node: Node = {"@type": "Legislation", "name": page.title,
                  "legislationIdentifier": info.number,
                  "legislationDate": info.issued.isoformat(),
                  "legislationPassedBy": {"@type": "Organization", "name": info.issuer},
                  "inLanguage": page.meta.lang}
    if page.attachment:
        url = page.attachment if "://" in page.attachment else absolute(config, page.attachment)
        node["encoding"] = {"@type": "MediaObject", "contentUrl": url}
    return node


def news_article(site: Site, static: frozenset[str], page: Page) -> Node:
    """An article: what it says of itself, and what it is about by its kind."""
    config = site.config
    url = absolute(config, page.path)
    org = publisher(config, static)
    assert page.date is not None, "only dated articles are news articles"
    node: Node = {
        "@type": "NewsArticle", "@id": url + "#bai-viet", "url": url, "mainEntityOfPage": url,
        "headline": page.title, "description": page.summary, "inLanguage": page.meta.lang,
        "datePublished": rfc3339(page.date), "dateModified": rfc3339(changed(page) or page.date),
        "author": {"@type": "Person", "name": page.meta.author} if page.meta.author else org,
        "publisher": org, "image": picture(config, static, page), "isAccessibleForFree": True}
    if section_title(config, page.section):
        node["articleSection"] = section_title(config, page.section)
    tags = [t.name for t in site.tags.of(page.meta.tags)]
    if tags:
        node["keywords"] = tags
    about = subject(site, page) or event(config, page) or legislation(config, page)
    if about is not None:
        node["about"] = about
    return node


def breadcrumb_list(config: Config, trail: Trail) -> Node:
    """The trail a page shows, from the home page to the page itself."""
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": n, "name": label, "item": absolute(config, path)}
        for n, (label, path) in enumerate(trail, 1)]}


def web_page(site: Site, here: str, page: Page | None, title: str, listing: bool,
             lang: str) -> Node:
    """Any other page: an undated page, a list (``CollectionPage``), the calendar …"""
    config = site.config
    url = absolute(config, here)
    node: Node = {"@type": "CollectionPage" if listing else "WebPage", "@id": url, "url": url,
                  "name": page.title if page else title or config.title, "inLanguage": lang,
                  "isPartOf": {"@type": "WebSite", "url": absolute(config, ""),
                               "name": config.title}}
    if page is not None:
        node["description"] = page.summary
    return node


def page_graph(site: Site, static: frozenset[str], here: str, page: Page | None = None,
               title: str = "", trail: Trail | None = None, listing: bool = False,
               lang: str | None = None) -> list[Node]:
    """The nodes of the page at ``here`` (see the module's docstring)."""
    config = site.config
    if page is not None and page.section is not None and page.date is not None:
        nodes = [news_article(site, static, page)]
    elif here == "":
        nodes = [website(config, static)]
    else:
        nodes = [web_page(site, here, page, title, listing, lang or config.language)]
    if trail:
        nodes.append(breadcrumb_list(config, trail))
    return nodes


def _string(value: str) -> str:
    """``value`` as :func:`script` writes a string: JSON (what ``json.dumps`` gives with
    ``ensure_ascii=False``, by the same function), its script-ending characters escaped.
    Escaping each string alone is escaping the whole text: JSON's own punctuation and
    escapes hold none of those characters."""
    return _script_safe(encode_basestring(value))


class WebPageScripts:
    """The JSON-LD of the pages that are neither an article nor the home page (the lists,
    above all, a thousand pages in a tag edit), written from pieces encoded once: exactly
    what ``script({"@context": SCHEMA, "@graph": page_graph(...)})`` gives, for a fraction of
    its work. The pages of one list differ only by their address, so all but the address is
    kept by (title, trail, listing, language); the keys are ``json_bytes``' sorted ones.
    A trail or title of another shape than the theme's (not strings) gets None: the caller
    takes the general way."""

    def __init__(self, config: Config) -> None:
        """``config``: the site's name and address (the ``isPartOf`` of every such page)."""
        self.config = config
        self._part_of = (f'{{"@type":"WebSite","name":{_string(config.title)},'
                         f'"url":{_string(absolute(config, ""))}}}')
        self._kept: dict[tuple[Any, ...], tuple[str, str, str]] = {}

    def __call__(self, here: str, title: Any, trail: Trail | None, listing: bool,
                 lang: Any) -> Markup | None:
        """The ``<script>`` of the page at ``here``, or None (see the class)."""
        if not (isinstance(title, str) and isinstance(lang, str) and isinstance(here, str)):
            return None
        key = (title, tuple(trail or ()), listing, lang)
        try:
            kept = self._kept.get(key)
        except TypeError:  # an item of the trail is a list, or holds one
            return None
        if kept is None:
            if not all(type(item) is tuple and len(item) == 2 and isinstance(item[0], str)
                       and isinstance(item[1], str) for item in key[1]):
                return None
            kept = self._kept[key] = self._around(*key)
        before, between, after = kept
        url = _string(absolute(self.config, here))
        return Markup(f"{before}{url}{between}{url}{after}")

    def _around(self, title: str, trail: tuple[tuple[str, str], ...], listing: bool,
                lang: str) -> tuple[str, str, str]:
        """What comes before the page's address, between its two uses, and after them."""
        kind = "CollectionPage" if listing else "WebPage"
        before = (f'<script type="application/ld+json">{{"@context":{_string(SCHEMA)},'
                  '"@graph":[{"@id":')
        between = (f',"@type":"{kind}","inLanguage":{_string(lang)},"isPartOf":{self._part_of},'
                   f'"name":{_string(title or self.config.title)},"url":')
        items = ",".join(f'{{"@type":"ListItem","item":{_string(absolute(self.config, path))},'
                         f'"name":{_string(label)},"position":{n}}}'
                         for n, (label, path) in enumerate(trail, 1))
        crumbs = f',{{"@type":"BreadcrumbList","itemListElement":[{items}]}}' if trail else ""
        return before, between, f"}}{crumbs}]}}</script>"


def structured_data_globals(site: Site, static: frozenset[str]) -> Mapping[str, Any]:
    """``structured_data(here, page, title, trail, listing, lang)``: the page's JSON-LD."""

    def terms_of(here: str, page: Page | None = None, *args: Any, **kwargs: Any) -> Iterator[Dep]:
        """What a page's JSON-LD reads beyond the page: its tags' and unit's names."""
        if page is None:
            return iter(())
        meta = page.meta
        return term_names((*site.tags.of(meta.tags),
                           *site.units.of((meta.unit,) if meta.unit else ())))

    web_pages = WebPageScripts(site.config)

    @reading(each=terms_of)
    def structured_data(here: str, page: Page | None = None, title: str = "",
                        trail: Trail | None = None, listing: bool = False,
                        lang: str | None = None) -> Markup:
        if page is None and here != "":  # a list, the calendar …: see WebPageScripts
            made = web_pages(here, title, trail, listing, lang or site.config.language)
            if made is not None:
                return made
        graph = page_graph(site, static, here, page, title, trail, listing, lang)
        return script({"@context": SCHEMA, "@graph": graph})

    return {"structured_data": structured_data}


def _no_files(r: FeatureContext) -> Iterator[RenderedFile]:
    return iter(())


FEATURE = Feature("structured_data", 45, _no_files, template_globals=structured_data_globals)
