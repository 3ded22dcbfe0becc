"""Related articles: the Site in, for an article the few others nearest to it in subject; pure.

An article is related to another by what they share: each tag counts 3, the unit 2, the
field 1, the section 1 (after the others: it breaks ties). Of the articles sharing a term,
only the :data:`WINDOW` nearest in date on either side are weighed, so that the work stays
small on a large site (a tag on thousands of articles); ties go to the nearest in date, then
the newer. What it reads of other articles (tags, unit, field, section, date) is what other
pages show of them (:func:`sitegen.core.pages.shown_digest`), so every page that lists them
is rendered again when it changes.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from typing import Any

from sitegen.core.pages import Page
from sitegen.core.site import Site, Term

#: What sharing a tag, the unit, the field counts.
WEIGHTS = {"tags": 3, "units": 2, "fields": 1}
#: Articles sharing a term weighed on either side of the article, by date.
WINDOW = 10


class Related:
    """The related articles of every article of one Site (built when first asked)."""

    def __init__(self, site: Site, note: Callable[[tuple[Any, ...]], None] | None = None) -> None:
        """``note``: told each part of the site an answer read (the incremental build's
        reads, :mod:`sitegen.render.trace`): the window of each term weighed, the head of the
        section when it filled up the list, the article's neighbours."""
        self.site = site
        self.note = note or (lambda dep: None)
        #: Per term (by id), each article's place in its list; each article's date as a
        #: number: made as they are asked for.
        self._places: dict[int, dict[str, int]] = {}
        self._stamps: dict[str, float] = {}

    def _place(self, term: Term, page: Page) -> int | None:
        """``page``'s place in ``term``'s list (newest first); each term's places worked out
        when first asked (a page ``serve`` shows first asks of its own terms only)."""
        places = self._places.get(id(term))
        if places is None:
            places = self._places[id(term)] = {p.path: i for i, p in enumerate(term.pages)}
        return places.get(page.path)

    def _stamp(self, page: Page) -> float:
        """``page``'s date as a number, for the distance in time (kept once worked out)."""
        found = self._stamps.get(page.path)
        if found is None:
            found = self._stamps[page.path] = page.meta.date.timestamp() if page.meta.date \
                else 0.0
        return found

    def _shared(self, page: Page) -> Iterator[tuple[Term, int]]:
        """The terms of ``page`` with what sharing each counts."""
        site, meta = self.site, page.meta
        yield from ((t, WEIGHTS["tags"]) for t in site.tags.of(meta.tags))
        yield from ((t, WEIGHTS["units"]) for t in site.units.of((meta.unit,) if meta.unit else ()))
        yield from ((t, WEIGHTS["fields"])
                    for t in site.fields.of((meta.field,) if meta.field else ()))

    def of(self, page: Page, n: int, leave_out: Collection[str] = ()) -> tuple[Page, ...]:
        """The ``n`` articles most related to ``page``, best first, none of ``leave_out``
        (paths); when fewer share a term, the newest of its section after them."""
        score: dict[str, int] = defaultdict(int)
        found: dict[str, Page] = {}
        for term, weight in self._shared(page):
            at = self._place(term, page)
            if at is None:
                continue
            self.note(("win", ("term", term.taxonomy, term.slug), "pages", page.path, WINDOW))
            for other in term.pages[max(at - WINDOW, 0):at + WINDOW + 1]:
                score[other.path] += weight
                found[other.path] = other
        skip = {page.path, *leave_out}
        stamp, section = self._stamp, page.section
        when = stamp(page)
        best = heapq.nsmallest(n, ((-weight, found[path].section != section,
                                    abs(stamp(found[path]) - when), -stamp(found[path]), path)
                                   for path, weight in score.items() if path not in skip))
        chosen = [found[key[-1]] for key in best]
        if len(chosen) < n:
            taken = skip | {p.path for p in chosen}
            listing = next((s for s in self.site.sections if s.section.name == section), None)
            wanted, looked = n - len(chosen), 0
            for other in listing.pages if listing else ():
                if wanted == 0:
                    break
                looked += 1
                if other.path not in taken:
                    chosen.append(other)
                    wanted -= 1
            self.note(("head", ("section", section), "pages", looked))
        return tuple(chosen)

    def for_article(self, page: Page, n: int) -> tuple[Page, ...]:
        """:meth:`of` without the article's newer and older neighbours, which the article's
        page links already (on a phone, just above the list)."""
        newer, older = self.site.neighbours.get(page.path, (None, None))
        self.note(("win", ("section", page.section), "pages", page.path, 1))
        return self.of(page, n, [p.path for p in (newer, older) if p is not None])
