"""What a page shows of itself to the networks it is shared on; pure.

The Open Graph / Twitter card of each page (:func:`social_card`) and the plain Facebook /
Zalo share links of an article (:func:`share_links`), both used by ``_head_extra.html``
and ``_share.html``, and the dates they and the feeds give (:func:`changed`, :func:`rfc3339`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sitegen.core.config import Config
from sitegen.core.pages import Page
from sitegen.core.urls import absolute
from sitegen.render.pictures import card_image

LOCALES = {"vi": "vi_VN", "en": "en_US"}


#: Picture formats Facebook, Zalo and X show on a card (an SVG picture is not shown).
CARD_PICTURES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


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


def changed(page: Page) -> datetime | None:
    """When the article last changed: ``updated`` when given, else its date."""
    return page.meta.updated or page.date


def rfc3339(when: datetime) -> str:
    """``2024-02-20T00:00:00+07:00``: RFC 3339, and a W3C Datetime for sitemaps."""
    return when.replace(microsecond=0).isoformat()


def section_title(config: Config, name: str | None) -> str:
    section = config.section(name or "")
    return section.title if section else ""


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
    size = None
    if picture:
        path, size = card_image(picture)  # a photo's 1200×630 crop
        image, image_alt = absolute(config, path), picture.alt
    is_article = page.section is not None and page.date is not None
    when = changed(page)
    return SocialCard(
        type="article" if is_article else "website", title=page.title,
        description=page.summary, url=url, site_name=config.title,
        locale=LOCALES.get(page.meta.lang, "vi_VN"), image=image, image_alt=image_alt,
        image_size=size,
        published=rfc3339(page.date) if is_article and page.date else None,
        modified=rfc3339(when) if is_article and when else None,
        section=(section_title(config, page.section) or None) if is_article else None,
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


def newest(pages: Iterable[Page]) -> datetime | None:
    """The newest change among ``pages`` (None when none is dated)."""
    dates = [d for d in map(changed, pages) if d]
    return max(dates) if dates else None
