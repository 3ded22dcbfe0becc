"""The core pages of a site as tasks: what each page is made from, worked out only when it
is rendered; pure (the Renderer renders them, :mod:`sitegen.render.renderer`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.core.pages import Page
from sitegen.core.site import paginate
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


def page_tasks(r: Renderer) -> list[Task]:
    """The core pages of ``r.site``, in output order, one task per file: articles, undated
    pages, home, sections, taxonomies, years and months, aliases, 404."""
    site = r.site
    tasks: list[Task] = []

    def article(page: Page) -> Task:
        def context() -> dict[str, Any]:
            newer, older = site.neighbours.get(page.path, (None, None))
            return dict(
                page=page, newer=newer, older=older, status=site.status(page),
                tags=site.tags.of(page.meta.tags),
                unit=_one(site.units.of((page.meta.unit,) if page.meta.unit else ())),
                field=_one(site.fields.of((page.meta.field,) if page.meta.field else ())),
                section=site.config.section(page.section or ""))
        return Task("article.html", page.path, page.source, page, context)

    def one(template: str, here: str, origin: str, body_of: Page | None = None,
            **context: Any) -> Task:
        return Task(template, here, origin, body_of, lambda: context)

    def lists(first: str, items: Sequence[Page], title: str, **context: Any) -> None:
        tasks.extend(one("list.html", pager.path, "list.html", pager=pager, title=title,
                         **context) for pager in paginate(first, items, site.config))

    tasks.extend(article(page) for page in site.articles)
    tasks.extend(one("page.html", page.path, page.source, page, page=page,
                     status=site.status(page)) for page in site.pages)
    home = paginate("", site.articles, site.config)
    tasks.append(one("home.html", "", "home.html", pager=home[0], title=site.config.title))
    tasks.extend(one("list.html", pager.path, "list.html", pager=pager, title="Tất cả bài viết",
                     kind="all") for pager in home[1:])
    for listing in site.sections:
        lists(listing.path, listing.pages, listing.section.title, kind="section",
              section=listing.section)
    for tax in (site.tags, site.units, site.fields):
        tasks.append(one("terms.html", tax.path, "terms.html", taxonomy=tax, title=tax.title))
        for term in tax.terms:
            lists(term.path, term.pages, upper_first(term.name), kind=tax.name, term=term,
                  taxonomy=tax)
    for year in site.years:
        lists(year.path, year.pages, f"Năm {year.year}", kind="year", year=year)
        for month in year.months:
            lists(month.path, month.pages, vndates.month_title(month.year, month.month),
                  kind="month", year=year)
    tasks.extend(one("alias.html", alias.path, "aliases", target=alias.target)
                 for alias in site.aliases)
    # Served for a missing address at any depth: links from the server's root.
    tasks.append(Task("404.html", "404.html", "404.html", rooted=True))
    return tasks


def _one(terms: Sequence[Any]) -> Any:
    return terms[0] if terms else None
