"""Photos on pages: which picture files a site publishes (:func:`plan_pictures`), and the
``<picture>`` each page writes for one (:func:`picture_html`, :func:`expand_pictures`); pure.

A photo is shown as a ``<picture>``: its WebP widths in a ``<source>`` with ``sizes`` (what
the theme's layout gives it, so that a phone takes the narrow file), and an ``<img>`` of
the JPEG or PNG fallback with the upright picture's ``width`` and ``height`` (no jump while
it loads), lazy but for the first picture of a page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from sitegen.core.errors import Problem, warning
from sitegen.core.pages import Page, Picture
from sitegen.core.pictures import (
    NOT_PUBLISHED,
    RASTER,
    TROUBLES,
    UNPUBLISHABLE,
    PictureJob,
    card_variant,
    fallback_variant,
    job,
    suffix,
    webp_variants,
)
from sitegen.core.sources import Asset
from sitegen.core.urls import relative

#: ``sizes`` of a picture in the article's column (site.css: ``.with-aside``'s 50rem column
#: from 62em, the page less its margins below).
ARTICLE_SIZES = "(min-width: 62em) 50rem, calc(100vw - 2.5rem)"


def picture_html(link: Callable[[str], str], path: str, size: tuple[int, int], alt: str, *,
                 sizes: str, eager: bool = False, cls: str = "") -> Markup:
    """The ``<picture>`` of the photo at site path ``path`` (upright ``size``); ``link``
    makes a site path the page's link to it."""
    # In a srcset a space ends the address and a comma may end the candidate: encoded.
    webp = Markup(", ").join(
        Markup("{} {}w").format(link(v.path(path)).replace(" ", "%20").replace(",", "%2C"),
                                v.width)
        for v in webp_variants(size))
    fallback = fallback_variant(path, size)
    load = Markup(' loading="eager" fetchpriority="high"' if eager else ' loading="lazy"')
    klass = Markup(' class="{}"').format(cls) if cls else Markup()
    return Markup(
        '<picture><source type="image/webp" srcset="{}" sizes="{}"><img{} src="{}" alt="{}" '
        'width="{}" height="{}"{} decoding="async"></picture>').format(
        webp, sizes, klass, link(fallback.path(path)), alt, size[0], size[1], load)


_PICTURE = re.compile(r'<img\s[^<>]*?src="sitegen:picture:(bundle|static)/([^"]*)"[^<>]*>')
_ATTR = re.compile(r'\s(alt|width|height)="([^"]*)"')


def _each_picture(body: str, page: Page,
                  make: Callable[[str, tuple[int, int], str, bool], str]) -> str:
    """``body`` with each photo's stand-in ``<img>`` (sitegen.core.markup) replaced by
    ``make(site path, size, alt, first)``; ``first`` for the first one when ``page`` has no
    featured picture (which is then the page's first)."""
    first = page.image is None

    def sub(m: re.Match[str]) -> str:
        nonlocal first
        attrs = dict(_ATTR.findall(m[0]))
        name = html.unescape(m[2])
        path = page.path + name if m[1] == "bundle" else name
        try:
            size = (int(attrs["width"]), int(attrs["height"]))
        except (KeyError, ValueError):  # pragma: no cover - the resolver always sets both
            return m[0]
        was, first = first, False
        return make(path, size, html.unescape(attrs.get("alt", "")), was)

    return _PICTURE.sub(sub, body) if "sitegen:picture:" in body else body


def expand_pictures(body: str, page: Page) -> str:
    """``body`` (HTML with markers, sitegen.core.markup) with each photo a ``<picture>``
    linked from ``page``, the first one eager when the page has no featured picture."""
    def link(target: str) -> str:
        return relative(page.path, target, True)

    return _each_picture(body, page, lambda path, size, alt, first: picture_html(
        link, path, size, alt, sizes=ARTICLE_SIZES, eager=first))


def plain_pictures(body: str, page: Page, link: Callable[[str], str]) -> str:
    """``body`` with each photo a plain ``<img>`` of its fallback (a feed's readers may not
    know ``<picture>``), linked by ``link``."""
    def plain(path: str, size: tuple[int, int], alt: str, first: bool) -> str:
        fallback = fallback_variant(path, size)
        return Markup('<img src="{}" alt="{}" width="{}" height="{}">').format(
            link(fallback.path(path)), alt, fallback.width, fallback.height)

    return _each_picture(body, page, plain)


def feed_picture(picture: Picture) -> str:
    """The site path of the file a feed gives for ``picture``: a photo's fallback."""
    if picture.photo and picture.size:
        return fallback_variant(picture.path, picture.size).path(picture.path)
    return picture.path


def card_image(picture: Picture) -> tuple[str, tuple[int, int] | None]:
    """The social card's picture: a photo's 1200×630 crop (site path, size), or the picture
    as it is."""
    if picture.photo and picture.size:
        crop = card_variant(picture.size)
        return crop.path(picture.path), (crop.width, crop.height)
    return picture.path, picture.size


@dataclass(frozen=True)
class PicturePlan:
    """The site's photos: the files to make of them, the site paths of the photo files not
    copied as they are (made, or not published at all), and problems of the unused ones."""

    jobs: tuple[PictureJob, ...] = ()
    handled: frozenset[str] = frozenset()
    problems: tuple[Problem, ...] = ()


def plan_pictures(pages: Iterable[Page], bundles: Sequence[tuple[Page, Sequence[Asset]]],
                  static: Sequence[Asset]) -> PicturePlan:
    """The :class:`PicturePlan` of the published ``pages``, their ``bundles`` and the
    ``static`` files. A photo shown on a page (its featured picture, its body's) is
    published in widths; an article's picture also as its social card's crop; its original
    only when asked for (a link, ``image_original``), and for a static photo (``static/``
    is published as it is, but stripped). A bundle photo no page shows is published as its
    stripped original."""
    shown: set[str] = set()
    cards: set[str] = set()
    originals: set[str] = set()
    for page in pages:
        shown.update(page.pictures)
        originals.update(page.originals)
        if page.image is not None and page.image.photo:
            shown.add(page.image.path)
            cards.add(page.image.path)
    files: list[tuple[str, str, Asset]] = [
        (page.path + a.rel, f"{page.source.rsplit('/', 1)[0]}/{a.rel}", a)
        for page, assets in bundles for a in assets]
    files.extend((a.rel, f"static/{a.rel}", a) for a in static)
    jobs: list[PictureJob] = []
    handled: set[str] = set()
    problems: list[Problem] = []
    for path, rel, asset in files:
        ext = suffix(path)
        if asset.facts is None or (ext not in RASTER and ext not in UNPUBLISHABLE):
            continue
        handled.add(path)
        used = path in shown or path in cards or path in originals
        trouble = asset.facts.trouble
        if trouble in NOT_PUBLISHED or asset.facts.size is None:
            if not used:  # a page that shows it has said so at its line
                code = trouble or "photo-unreadable"
                what, fix = TROUBLES[code]
                problems.append(warning(rel, f"ảnh {what}.", code, fix=fix))
            continue
        original = path in originals or rel.startswith("static/") or not used
        jobs.append(job(rel, str(asset.path), path, asset.facts, shown=path in shown,
                        card=path in cards, original=original))
    return PicturePlan(tuple(jobs), frozenset(handled), tuple(problems))


def featured(picture: Picture) -> bool:
    """Whether ``picture`` is published in widths (a ``<picture>``), or as it is (an SVG)."""
    return picture.photo and picture.size is not None


def featured_html(link: Callable[[str], str], picture: Picture, *, sizes: str,
                  eager: bool = False, cls: str = "", alt: str | None = None) -> Markup:
    """A page's or a card's picture: a photo's ``<picture>`` (:func:`picture_html`), or an
    ``<img>`` of the file as it is (an SVG); ``alt`` replaces its description (a card's
    picture is decorative: "")."""
    text = picture.alt if alt is None else alt
    if featured(picture):
        assert picture.size is not None
        return picture_html(link, picture.path, picture.size, text, sizes=sizes, eager=eager,
                            cls=cls)
    size = Markup(' width="{}" height="{}"').format(*picture.size) if picture.size else Markup()
    load = Markup(' loading="eager" fetchpriority="high"' if eager else ' loading="lazy"')
    klass = Markup(' class="{}"').format(cls) if cls else Markup()
    return Markup('<img{} src="{}" alt="{}"{}{} decoding="async">').format(
        klass, link(picture.path), text, size, load)
