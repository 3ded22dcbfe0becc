"""The links of a card rendered once for the list pages of every depth: the site path of a
page in, its ``../`` out, and a card's HTML completed with it; pure.

A card (``_card.html``) is rendered with its links from the site's root behind the marker
:data:`UP`; each page that shows it puts its own ``../`` there (:class:`Renderer`'s shared
cards, :mod:`sitegen.render.renderer`).
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup

from sitegen.core.urls import relative

#: Stands for the ``../`` between a page and the site's root in a card rendered once for
#: pages of every depth (Renderer._card). Autoescaping keeps any ``<`` of the content out;
#: the default theme's card shows no Markup from content and no filtered link.
UP = "<sitegen-up>"


def depth_of(here: str) -> int:
    """How many folders below the root the page at site path ``here`` is."""
    base = here if here == "" or here.endswith("/") else posixpath.dirname(here) + "/"
    return base.count("/") if base != "/" else 0


def up_link(target: str, pretty: bool) -> Markup:
    """The link to site path ``target`` from any page, behind :data:`UP` (see
    :func:`completed`)."""
    return Markup(UP) + relative("", target, pretty)


def ups(depth: int) -> str:
    """The ``../`` from a page ``depth`` folders down to the site's root."""
    return "../" * depth


def completed(html: str, up: str) -> str:
    """``html`` with each :func:`up_link` made the link from a page ``up`` (:func:`ups`)
    below the root: what :func:`sitegen.core.urls.relative` gives from that page."""
    return html.replace(UP + "./", up or "./").replace(UP, up)


def completed_data(data: bytes, up: str) -> bytes:
    """:func:`completed` for a card's UTF-8 bytes."""
    marker, ups_ = UP.encode("ascii"), up.encode("ascii")
    return data.replace(marker + b"./", ups_ or b"./").replace(marker, ups_)
