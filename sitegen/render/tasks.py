"""The core pages of a site as tasks: what each page is made from, worked out only when it
is rendered; pure (the Renderer renders them, :mod:`sitegen.render.renderer`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sitegen.core.pages import Page
from sitegen.core.site import Site, Term, paginate
from sitegen.render.trace import Dep, term_names
from sitegen.vn import dates as vndates
from sitegen.vn.text import upper_first

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@dataclass(frozen=True)
class Task:
    """One core page to make: its template, its address, what made it (for messages), the
    article or page whose body it shows, and its context, worked out only if it is rendered.
    A task reads only the site model, so it may be rendered in any process."""

    template: str
    here: str
    origin: str
    body_of: Page | None = None
    context: Callable[[], dict[str, Any]] = dict
    #: Links from the server's root instead of relative ones (the 404 page).
    rooted: bool = False
    #: What the context is made from, as reads of the site (sitegen.render.trace), worked
    #: out when the page is rendered, when page_tasks knows it: then the reads stand for the
    #: context (None: it is digested).
    reads: Callable[[], tuple[Any, ...]] | None = None


def page_tasks(r: Renderer) -> list[Task]:
    """The core pages of ``r.site``, in output order, one task per file: articles, undated
    pages, home, sections, taxonomies, years and months, aliases, 404. Each says what its
    context is made from (``Task.reads``)."""
    site = r.site
    tasks = [article_task(site, page) for page in site.articles]
    tasks.extend(page_task(site, page) for page in site.pages)
    home = paginate("", site.articles, site.config)
    first, *others = _list_tasks(site, "", site.articles, (("site",), "articles"),
                                 "Tất cả bài viết", kind="all")
    tasks.append(replace(first, template="home.html", origin="home.html",
                         context=lambda: {"pager": home[0], "title": site.config.title}))
    tasks.extend(others)
    for listing in site.sections:
        tasks.extend(_list_tasks(site, listing.path, listing.pages,
                                 (("section", listing.section.name), "pages"),
                                 listing.section.title, kind="section", section=listing.section))
    for tax in (site.tags, site.units, site.fields):
        tasks.append(_one_task("terms.html", tax.path, "terms.html", taxonomy=tax,
                               title=tax.title))
        for term in tax.terms:
            tasks.extend(_list_tasks(site, term.path, term.pages,
                                     (("term", tax.name, term.slug), "pages"),
                                     upper_first(term.name), tuple(term_names([term])),
                                     kind=tax.name, term=term, taxonomy=tax))
    for year in site.years:
        tasks.extend(_list_tasks(site, year.path, year.pages, (("year", year.year), "pages"),
                                 f"Năm {year.year}", kind="year", year=year))
        for month in year.months:
            tasks.extend(_list_tasks(site, month.path, month.pages,
                                     (("month", month.year, month.month), "pages"),
                                     vndates.month_title(month.year, month.month),
                                     kind="month", year=year))
    # an alias's context, its target's address, is digested (no read of the site holds it)
    tasks.extend(Task("alias.html", alias.path, "aliases", None,
                      functools.partial(dict, target=alias.target)) for alias in site.aliases)
    # Served for a missing address at any depth: links from the server's root.
    tasks.append(Task("404.html", "404.html", "404.html", rooted=True, reads=tuple))
    return tasks


def article_task(site: Site, page: Page) -> Task:
    """An article's page: its context is the article, its neighbours (a window of one in
    its section, with their tokens) and its terms (their names)."""
    def terms() -> tuple[tuple[Term, ...], tuple[Term, ...], tuple[Term, ...]]:
        meta = page.meta
        return (site.tags.of(meta.tags), site.units.of((meta.unit,) if meta.unit else ()),
                site.fields.of((meta.field,) if meta.field else ()))

    def reads() -> tuple[Dep, ...]:
        tags, unit, field = terms()
        return (("win", ("section", page.section), "pages", page.path, 1),
                *term_names((*tags, *unit, *field)))

    def context() -> dict[str, Any]:
        newer, older = site.neighbours.get(page.path, (None, None))
        tags, unit, field = terms()
        return dict(page=page, newer=newer, older=older, status=site.status(page), tags=tags,
                    unit=_one(unit), field=_one(field),
                    section=site.config.section(page.section or ""))
    return Task("article.html", page.path, page.source, page, context, reads=reads)


def page_task(site: Site, page: Page) -> Task:
    """An undated page's (Giới thiệu, Liên hệ …): its context is the page and its status."""
    return _one_task("page.html", page.path, page.source, page, page=page,
                     status=site.status(page), reads=(("page", page.content_rel),))


def body_tasks(site: Site, sources: Collection[str]) -> list[Task]:
    """The tasks of :func:`page_tasks` that show the body of one of ``sources`` (paths below
    the site), in its order: an article's page, an undated page's."""
    return [*(article_task(site, p) for p in site.articles if p.source in sources),
            *(page_task(site, p) for p in site.pages if p.source in sources)]


def _one_task(template: str, here: str, origin: str, body_of: Page | None = None,
              reads: tuple[Any, ...] = (), **context: Any) -> Task:
    return Task(template, here, origin, body_of, lambda: context, reads=lambda: reads)


def _list_tasks(site: Site, first: str, items: Sequence[Page], owner: tuple[Dep, str],
                title: str, named: tuple[Any, ...] = (), **context: Any) -> list[Task]:
    """The pages of list ``owner`` (its identity and attribute), from ``first``: each page's
    context is its slice of the list and its number among how many (and ``named``: the
    term whose name is its title)."""
    size = site.config.page_size
    return [_one_task("list.html", pager.path, "list.html", pager=pager, title=title,
                      reads=(("len", *owner), ("slice", *owner, (pager.number - 1) * size,
                                               pager.number * size), *named), **context)
            for pager in paginate(first, items, site.config)]


def _one(terms: Sequence[Any]) -> Any:
    return terms[0] if terms else None
