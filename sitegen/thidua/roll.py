"""The roll of exemplary models: the Site in, every person and collective honoured out; pure.

One :class:`RollEntry` per published article of a section of kind ``model``
(its subject, whether a person or a collective, position, unit, field and
awards), in Vietnamese order of the unit, then of the name; its year is the
year of the article's date. :mod:`sitegen.features.roll` renders the roll (all years) at
``<model section>/danh-sach/`` and each year at ``…/danh-sach/<yyyy>/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sitegen.core.config import Config, Section
from sitegen.core.frontmatter import Award
from sitegen.core.pages import Page
from sitegen.core.site import Site, Term
from sitegen.vn.collate import packed_key

ROLL_SLUG = "danh-sach"
ROLL_TITLE = "Danh sách gương điển hình tiên tiến"
NO_UNIT = "Chưa ghi đơn vị"
SUBJECT_KINDS = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể"}


@dataclass(frozen=True)
class RollEntry:
    """One individual or collective honoured, as one model article presents them."""

    page: Page
    subject: str
    subject_kind: str
    position: str | None
    unit: Term | None
    field: Term | None
    awards: tuple[Award, ...]
    year: int

    @property
    def kind_label(self) -> str:
        """"Cá nhân" or "Tập thể"."""
        return SUBJECT_KINDS.get(self.subject_kind, self.subject_kind)

    @property
    def unit_name(self) -> str:
        return self.unit.name if self.unit else NO_UNIT

    def made_from(self) -> tuple[Page, Term | None, Term | None]:
        """What the entry is made from: its article (whose token holds its subject, awards
        and date) and its unit's and field's terms; what a page that shows the roll reads
        of it (sitegen.incremental.depends)."""
        return self.page, self.unit, self.field


@dataclass(frozen=True)
class UnitGroup:
    """The entries of one unit (``unit`` None: articles that name no unit)."""

    unit: Term | None
    entries: tuple[RollEntry, ...]

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else NO_UNIT


@dataclass(frozen=True, eq=False)
class Roll:
    """Every entry of the roll of one Site, in order; what the pages and the unit pages show.

    Worked out when first read: a build whose pages show none of it (the article pages
    ``serve`` shows first, a command-line edit that makes no unit page) does not wait for
    its 10,000 articles."""

    site: Site = field(repr=False)

    @cached_property
    def entries(self) -> tuple[RollEntry, ...]:
        found = (entry_of(self.site, p) for p in self.site.articles)
        return sort_entries([e for e in found if e is not None])

    def made_from(self) -> tuple[RollEntry, ...]:
        """What the roll is made from: its entries (each made from its article and terms),
        what a page that reads the roll reads of it (sitegen.incremental.depends)."""
        return self.entries

    def warm(self) -> tuple[RollEntry, ...]:
        """The entries, worked out now (before a build forks its workers, which share them)."""
        return self.entries

    @property
    def years(self) -> tuple[int, ...]:
        """The years with entries, newest first."""
        return tuple(sorted({e.year for e in self.entries}, reverse=True))

    def of_year(self, year: int) -> tuple[RollEntry, ...]:
        return tuple(e for e in self.entries if e.year == year)

    def for_unit(self, term: Term) -> tuple[RollEntry, ...]:
        """The entries of one unit (a term of ``site.units``)."""
        return tuple(e for e in self.entries if e.unit is not None and e.unit.slug == term.slug)


def model_section(config: Config) -> Section | None:
    """The first section of kind ``model`` (``guong-dien-hinh`` by default), or None."""
    return next((s for s in config.sections if s.kind == "model"), None)


def roll_path(config: Config, year: int | None = None) -> str | None:
    """``guong-dien-hinh/danh-sach/`` (or ``…/<yyyy>/``); None when no section is of kind model."""
    section = model_section(config)
    return section_roll_path(section, year) if section else None


def section_roll_path(section: Section, year: int | None) -> str:
    return f"{section.name}/{ROLL_SLUG}/" + (f"{year:04d}/" if year is not None else "")


def sort_entries(entries: Sequence[RollEntry]) -> tuple[RollEntry, ...]:
    """By unit in Vietnamese order (no unit last), then name, then the newest article first."""
    units = {name: packed_key(name) for name in {e.unit.name for e in entries if e.unit}}

    def key(e: RollEntry) -> tuple[bool, object, object]:
        subject = e.page.subject_key or packed_key(e.subject)  # worked out when it was read
        return e.unit is None, units[e.unit.name] if e.unit else (), subject

    newest = sorted(entries, key=lambda e: e.page.date.timestamp() if e.page.date else 0.0,
                    reverse=True)
    return tuple(sorted(newest, key=key))


def entry_of(site: Site, page: Page) -> RollEntry | None:
    """The roll entry of a model article; None for any other page."""
    info = page.model
    if info is None or page.date is None:
        return None
    unit = site.units.of((page.meta.unit,)) if page.meta.unit else ()
    field = site.fields.of((page.meta.field,)) if page.meta.field else ()
    return RollEntry(page=page, subject=info.subject, subject_kind=info.subject_kind,
                     position=info.position, unit=unit[0] if unit else None,
                     field=field[0] if field else None, awards=info.awards,
                     year=page.date.year)


def build_roll(site: Site) -> Roll:
    """The roll of every model article the site publishes (its entries made when read)."""
    return Roll(site)


def by_unit(entries: Sequence[RollEntry]) -> tuple[UnitGroup, ...]:
    """Sorted ``entries`` grouped by unit, keeping their order."""
    groups: dict[str | None, list[RollEntry]] = {}
    terms: dict[str | None, Term | None] = {}
    for e in entries:
        key = e.unit.slug if e.unit else None
        groups.setdefault(key, []).append(e)
        terms[key] = e.unit
    return tuple(UnitGroup(terms[k], tuple(v)) for k, v in groups.items())


