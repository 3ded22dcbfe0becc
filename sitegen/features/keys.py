"""What a feature's files are keyed by: a memo and the pages a file shows in; digests out; pure.

A feature's file made from the site model (a feed, the sitemap, the ``.ics``) is kept from
the last build when its key is as it was (:meth:`sitegen.render.renderer.Renderer.made`).
Its key names exactly what the file is made from, so that a change elsewhere leaves it
kept: a feed's, the pages it lists (:func:`pages_key`); the sitemap's and the calendar's,
which read every list of the site, a digest worked out once for each state of what every
page shows (:func:`for_site`), so that an edit of a body alone costs them no pass over
the lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from sitegen.core.digest import digest
from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.render.renderer import RenderMemo
from sitegen.render.social import changed

T = TypeVar("T")


def for_site(memo: RenderMemo | None, name: str, make: Callable[[], T]) -> T:
    """``make()``, which must be a function of the site model but its bodies (of what every
    page shows, the config and the day: what ``memo.whole`` digests): the last build's
    value, kept as feature state ``name``, when ``memo.whole`` is as it was then. The value
    is kept between builds, so it holds plain values, never a Page."""
    if memo is None:
        return make()
    whole = memo.whole
    last = memo.state(name)
    if isinstance(last, tuple) and len(last) == 2 and last[0] == whole:
        return last[1]  # type: ignore[no-any-return]
    value = make()
    memo.keep(name, (whole, value))
    return value


def pages_key(memo: RenderMemo, site: Site, pages: Iterable[Page]) -> str:
    """The digest of what a file shows of ``pages`` besides their bodies (which
    ``Renderer.made`` takes as ``bodies``): what other pages show of each (its title,
    address, dates, summary, tags …), the names of its tags (each the spelling most
    articles use), the addresses of the articles its body links to, and the build's clock
    for a page with no date (what a feed gives as its change then)."""
    parts: list[str] = []
    for page in pages:
        parts.append(memo.shown(page).hex())
        parts.extend(f"{t.slug}\0{t.name}" for t in site.tags.of(page.meta.tags))
        parts.extend(getattr(site.by_source.get(target), "path", "\0") for target in page.links)
        if changed(page) is None:
            parts.append(site.now.isoformat())
        parts.append("\1")
    return digest("\0".join(parts).encode("utf-8", "surrogateescape"))
