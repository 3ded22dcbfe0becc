"""The helpers every template may call that read the site model in Python, and the main
menu's entries after the sections: the Site in, the helpers out; pure
(:class:`sitegen.render.renderer.Renderer` gives them to every page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.core.pages import Page
from sitegen.core.related import Related
from sitegen.core.site import Site, translations
from sitegen.render.navigation import breadcrumbs_html, pager_html
from sitegen.render.said import said
from sitegen.render.social import share_links, social_card
from sitegen.render.trace import Reads
from sitegen.thidua.anniversary import article_anniversary


def site_helpers(site: Site, static: frozenset[str], reads: Reads) -> dict[str, Any]:
    """The helpers every template may call that read the site model in Python: each notes
    what it reads in ``reads`` (:mod:`sitegen.render.trace`) unless it reads only its
    arguments, the config and the static files (``static``)."""
    sections = {s.name: s.title for s in site.config.sections}
    latest = {s.section.name: s.pages[:16] for s in site.sections}

    def section_latest(page: Page, n: int) -> list[Page]:
        reads.note(("head", ("section", page.section), "pages", 16))
        return [p for p in latest.get(page.section or "", ()) if p.path != page.path][:n]

    def other_languages(page: Page) -> tuple[Page, ...]:
        reads.note(("all", ("site",), "pages"))
        return translations(site, page)

    return {
        "has_file": lambda rel: rel in static, "menu_extra": menu_items(site),
        "section_title": lambda p: sections.get(p.section or "", ""),
        "anniversary": lambda p: article_anniversary(p),
        "translations": other_languages,
        # The social card and the share links (render/social.py).
        "social_card": lambda here, page=None, title="", tags=(): social_card(
            site.config, static, here, page, title or site.config.title, [t.name for t in tags]),
        "share_links": lambda url: share_links(site.config, url),
        "said": lambda key, lang: said(site.config, key, lang),
        "section_latest": section_latest,
        "related": Related(site, reads.note).for_article,
        # The breadcrumbs' and the pager's HTML, for the theme's macros (render/navigation.py).
        "breadcrumbs_html": breadcrumbs_html, "pager_html": pager_html,
    }


@dataclass(frozen=True)
class MenuItem:
    """One entry of the main menu after the sections."""

    title: str
    path: str


def menu_items(site: Site) -> tuple[MenuItem, ...]:
    """Menu entries after the sections: the site's Vietnamese pages (Giới thiệu, Liên hệ)."""
    order = {"gioi-thieu": 0, "lien-he": 9}
    pages = sorted((p for p in site.pages if p.meta.lang == site.config.language),
                   key=lambda p: order.get(p.slug, 5))
    paths = site.config.paths
    return (MenuItem("Lịch kỷ niệm", paths.calendar + "/"), MenuItem("Tìm kiếm", paths.search + "/"),
            *(MenuItem(p.title, p.path) for p in pages))
