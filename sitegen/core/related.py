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
from functools import cached_property
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

    @cached_property
    def _places(self) -> dict[int, dict[str, int]]:
        """Per term (by id), each article's place in the term's list (newest first)."""
        return {id(term): {p.path: i for i, p in enumerate(term.pages)} for term in self._terms()}

    def _terms(self) -> Iterator[Term]:
        for taxonomy in (self.site.tags, self.site.units, self.site.fields):
            yield from taxonomy.terms

    def _shared(self, page: Page) -> Iterator[tuple[Term, int]]:
        """The terms of ``page`` with what sharing each counts."""
        site, meta = self.site, page.meta
        yield from ((t, WEIGHTS["tags"]) for t in site.tags.of(meta.tags))
        yield from ((t, WEIGHTS["units"]) for t in site.units.of((meta.unit,) if meta.unit else ()))
        yield from ((t, WEIGHTS["fields"])
                    for t in site.fields.of((meta.field,) if meta.field else ()))

    @cached_property
    def _stamps(self) -> dict[str, float]:
        """Each article's date as a number, for the distance in time."""
        return {p.path: p.meta.date.timestamp() if p.meta.date else 0.0 for p in self.site.articles}

    def of(self, page: Page, n: int, leave_out: Collection[str] = ()) -> tuple[Page, ...]:
        """The ``n`` articles most related to ``page``, best first, none of ``leave_out``
        (paths); when fewer share a term, the newest of its section after them."""
        score: dict[str, int] = defaultdict(int)
        found: dict[str, Page] = {}
        for term, weight in self._shared(page):
            at = self._places[id(term)].get(page.path)
            if at is None:
                continue
            self.note(("win", ("term", term.taxonomy, term.slug), "pages", page.path, WINDOW))
            for other in term.pages[max(at - WINDOW, 0):at + WINDOW + 1]:
                score[other.path] += weight
                found[other.path] = other
        skip = {page.path, *leave_out}
        stamps, section = self._stamps, page.section
        when = stamps.get(page.path, 0.0)
        best = heapq.nsmallest(n, ((-weight, found[path].section != section,
                                    abs(stamps.get(path, 0.0) - when),
                                    -stamps.get(path, 0.0), path)
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
