"""Commemorations: config days and commemoration articles in, dated occurrences out; pure.

A *commemorated day* is one line of ``commemorations:`` in config.yaml, or the
``event`` of commemoration articles; an article whose event falls on the same
day as a config entry, with a similar name, is merged into it and linked from
it. An *occurrence* is that day in one year: its solar date, its lunar date for
days kept in the lunar calendar, and which anniversary it is. Days given
without a year (``date: 27/9``), and lunar days of articles (whose year only
fills the ``YYYY-MM-DD`` form), are not numbered.

Numbering follows Nghị định 145/2013/NĐ-CP, Điều 3: anniversaries whose number
ends in 0 are *năm tròn*, those ending in 5 are *năm lẻ 5*
(:func:`sitegen.vn.anniversary.milestone`).

:func:`calendar_files` renders ``lich-ky-niem/`` and ``lich-ky-niem.ics`` (a
feature of :mod:`sitegen.features.registry`); it writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sitegen import __version__
from sitegen.core.config import Config
from sitegen.core.digest import digest
from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.core.urls import absolute
from sitegen.features.ics import CalendarInfo, Event, write_calendar
from sitegen.features.keys import for_site
from sitegen.features.registry import Feature, FeatureContext
from sitegen.output.files import RenderedFile
from sitegen.render.social import newest
from sitegen.thidua.anniversary import solar_day
from sitegen.vn import dates as vndates
from sitegen.vn import lunar
from sitegen.vn.anniversary import anniversary_number, milestone
from sitegen.vn.collate import sort_key
from sitegen.vn.lunar import LunarDate
from sitegen.vn.slug import slugify
from sitegen.vn.text import same_key

#: How many years the ``.ics`` covers: the build year and the five after.
ICS_YEARS = 6
#: How many occurrences the home page shows.
HOME_COUNT = 3
#: How many articles (newest first) each day links to, on the page and in the ``.ics``.
PAGE_ARTICLES = 5
ICS_ARTICLES = 3
CALENDAR_TITLE = "Lịch kỷ niệm"

# Words every commemoration's name may carry; they say nothing about which day it is.
_FILLER = frozenset({"ngày", "kỷ", "niệm", "năm", "lễ", "của", "và", "the", "day", "of"})


@dataclass(frozen=True)
class CommemoratedDay:
    """A day commemorated every year; ``year`` None when it is not numbered.

    ``month``/``day`` are lunar when ``calendar == "lunar"``; ``articles`` are the
    commemoration articles about the day, newest first.
    """

    name: str
    month: int
    day: int
    year: int | None = None
    calendar: str = "solar"
    articles: tuple[Page, ...] = ()

    @property
    def is_lunar(self) -> bool:
        return self.calendar == "lunar"

    @property
    def key(self) -> str:
        """A stable ASCII name of the day (anchors, UIDs): ``am0310-gio-to-hung-vuong``."""
        kind = "am" if self.is_lunar else "dl"
        return f"{kind}{self.month:02d}{self.day:02d}-{slugify(self.name)}"

    @property
    def first(self) -> date | None:
        """The original solar date, for solar days with a year."""
        if self.year is None or self.is_lunar:
            return None
        return solar_day(self.year, self.month, self.day)


@dataclass(frozen=True)
class Occurrence:
    """One commemorated day in one year.

    ``cycle`` is the year it belongs to: the solar year, or for a lunar day the
    lunar year (a day of lunar month 12 may fall in January of the next year).
    """

    day: CommemoratedDay
    date: date
    cycle: int
    number: int | None
    milestone: str | None
    lunar_date: LunarDate | None = None

    @property
    def name(self) -> str:
        return self.day.name

    @property
    def weekday(self) -> str:
        return vndates.weekday(self.date)

    @property
    def anchor(self) -> str:
        """The ``id`` of this occurrence on the calendar page."""
        return f"k-{self.date:%Y-%m-%d}-{slugify(self.day.name)}"

    @property
    def lunar_text(self) -> str | None:
        """"10/03/2026 ÂL" for lunar days (dd/mm/yyyy as every date), else None."""
        lunar = self.lunar_date
        if lunar is None:
            return None
        return vndates.lunar_short(lunar.day, lunar.month, lunar.year, lunar.leap)

    @property
    def label(self) -> str | None:
        """"Kỷ niệm 77 năm", or None when the day is not numbered."""
        return f"Kỷ niệm {self.number} năm" if self.number else None

    @property
    def span(self) -> str | None:
        """"11/06/1948 - 11/06/2025" (or "1930 - 2026" for a numbered lunar day)."""
        if not self.number or self.day.year is None:
            return None
        first = self.day.first
        if first is None:
            return f"{self.day.year} - {self.cycle}"
        return f"{vndates.short(first)} - {vndates.short(self.date)}"

    @property
    def summary(self) -> str:
        """The one-line title: "Kỷ niệm 77 năm <name> (11/06/1948 - 11/06/2025)", or the name."""
        if not self.number:
            return self.day.name
        return f"{self.label} {self.day.name} ({self.span})"


def calendar_path(config: Config) -> str:
    """``lich-ky-niem/``: the page of the coming twelve months."""
    return f"{config.paths.calendar}/"


def ics_path(config: Config) -> str:
    """``lich-ky-niem.ics``: the calendar a phone subscribes to."""
    return f"{config.paths.calendar}.ics"


def _words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", same_key(name))) - _FILLER


def similar_names(a: str, b: str) -> bool:
    """Whether two names of a commemoration name the same event.

    Equal after NFC and case-folding, or most words of the shorter one (without
    "ngày", "kỷ niệm" …) are in the longer one: "Ngày Quốc khánh" and "Ngày Quốc
    khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam" are one event.
    """
    if same_key(a) == same_key(b):
        return True
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _matches(day: CommemoratedDay, name: str, month: int, dd: int, year: int | None,
             calendar: str) -> bool:
    if (day.month, day.day, day.calendar) != (month, dd, calendar):
        return False
    # Two solar events on the very same date (day, month and year) are the same event.
    same_date = calendar == "solar" and year is not None and day.year == year
    return same_date or similar_names(day.name, name)


def commemorated_days(config: Config, articles: Iterable[Page]) -> tuple[CommemoratedDay, ...]:
    """The days of ``config.commemorations`` and of the commemoration ``articles``, merged.

    A config entry keeps its name and year; an article's day that matches no entry
    is added with the article's ``event`` (numbered from ``event_date`` when solar).
    Ordered by month and day, then name.
    """
    days = [CommemoratedDay(c.name, c.month, c.day, c.year, c.calendar)
            for c in config.commemorations]
    linked: list[list[Page]] = [[] for _ in days]
    # Oldest first, so that an article-only day takes the name its first article gave it.
    pages = sorted((p for p in articles if p.commemoration is not None and p.date is not None),
                   key=lambda p: (p.date.timestamp() if p.date else 0.0, p.path))
    for page in pages:
        info = page.commemoration
        assert info is not None
        when = info.event_date
        year = when.year if info.calendar == "solar" else None
        for i, day in enumerate(days):
            if _matches(day, info.event, when.month, when.day, year, info.calendar):
                linked[i].append(page)
                break
        else:
            days.append(CommemoratedDay(info.event, when.month, when.day, year, info.calendar))
            linked.append([page])
    merged = (CommemoratedDay(d.name, d.month, d.day, d.year, d.calendar, tuple(reversed(ps)))
              for d, ps in zip(days, linked, strict=True))
    return tuple(sorted(merged, key=lambda d: (d.is_lunar, d.month, d.day, sort_key(d.name))))


def occurrence(day: CommemoratedDay, cycle: int) -> Occurrence | None:
    """``day`` in the year ``cycle`` (the lunar year for lunar days); None outside the calendar."""
    try:
        when = (lunar.occurrence(day.month, day.day, cycle) if day.is_lunar
                else solar_day(cycle, day.month, day.day))
    except ValueError:  # outside the lunar tables, or a date no year has (31/4)
        return None
    number = None
    if day.year is not None:
        # A lunar day's years are lunar years, counted the same way.
        n = anniversary_number(day.first, cycle) if day.first else cycle - day.year
        number = n if n > 0 else None
    return Occurrence(day, when, cycle, number, milestone(number) if number else None,
                      lunar.solar_to_lunar(when) if day.is_lunar else None)


def occurrences(days: Iterable[CommemoratedDay], start: date, end: date) -> tuple[Occurrence, ...]:
    """Every occurrence of ``days`` on a solar date from ``start`` up to, not including, ``end``.

    Ordered by date, then by name in Vietnamese order.
    """
    out: list[Occurrence] = []
    for day in days:
        # A lunar year's days run from its Tết to the next one: look one year either side.
        cycles = range(start.year - 1, end.year + 1) if day.is_lunar else \
            range(start.year, end.year + 1)
        for cycle in cycles:
            occ = occurrence(day, cycle)
            if occ is not None and start <= occ.date < end:
                out.append(occ)
    return tuple(sorted(out, key=lambda o: (o.date, sort_key(o.name), o.day.key)))


def year_after(d: date) -> date:
    """The same day a year later (28/2 for 29/2)."""
    return solar_day(d.year + 1, d.month, d.day)


def coming_year(days: Iterable[CommemoratedDay], today: date) -> tuple[Occurrence, ...]:
    """The occurrences of the twelve months from ``today`` (included)."""
    return occurrences(days, today, year_after(today))


def site_today(site: Site) -> date:
    """The build's date in the site's zone."""
    return site.now.astimezone(site.config.zone).date()


def site_days(site: Site) -> tuple[CommemoratedDay, ...]:
    return commemorated_days(site.config, site.articles)


def upcoming(site: Site, count: int = HOME_COUNT) -> tuple[Occurrence, ...]:
    """The next ``count`` occurrences from the build's date (for the home page)."""
    return coming_year(site_days(site), site_today(site))[:count]


@dataclass(frozen=True)
class MonthGroup:
    """The occurrences of one month of the calendar page."""

    year: int
    month: int
    occurrences: tuple[Occurrence, ...]

    @property
    def title(self) -> str:
        return vndates.month_title(self.year, self.month)


def by_month(items: Sequence[Occurrence]) -> tuple[MonthGroup, ...]:
    """``items`` (in date order) grouped by month."""
    groups: dict[tuple[int, int], list[Occurrence]] = {}
    for occ in items:
        groups.setdefault((occ.date.year, occ.date.month), []).append(occ)
    return tuple(MonthGroup(y, m, tuple(v)) for (y, m), v in groups.items())


def _description(config: Config, occ: Occurrence) -> str:
    lines = [vndates.with_weekday(occ.date)]
    if occ.lunar_text:
        lines[0] += f" ({occ.lunar_text})"
    if occ.milestone:
        lines.append(f"{occ.label}: {occ.milestone}.")
    for page in occ.day.articles[:ICS_ARTICLES]:
        lines.append(f"{page.title}: {absolute(config, page.path)}")
    return "\n".join(lines)


def ics_events(config: Config, items: Iterable[Occurrence], since: datetime) -> Iterator[Event]:
    """The VEVENTs of ``items``; the UID is the day's key, its year and the site's host.

    An event's ``DTSTAMP`` comes from what it says, not from the build's clock, so that a
    build with nothing changed leaves the file as it was: the newest change (``updated``,
    else ``date``) of the articles it links to, or ``since`` (the start of the calendar's
    first year) for a day no article is about.
    """
    host = urlsplit(config.base_url).hostname or "localhost"
    page = absolute(config, calendar_path(config))
    for occ in items:
        articles = occ.day.articles
        yield Event(uid=f"{occ.day.key}-{occ.cycle}@{host}", day=occ.date, summary=occ.summary,
                    stamp=newest(articles[:ICS_ARTICLES]) or since,
                    description=_description(config, occ),
                    url=absolute(config, articles[0].path) if articles else page,
                    categories=(occ.milestone,) if occ.milestone else ())


def calendar_ics(site: Site, days: Iterable[CommemoratedDay]) -> bytes:
    """The ``.ics`` file: every occurrence in the build year and the five after."""
    config = site.config
    year = site_today(site).year
    items = occurrences(days, date(year, 1, 1), date(year + ICS_YEARS, 1, 1))
    operator = config.publisher.get("operator") or config.title
    info = CalendarInfo(
        prodid=f"-//{operator}//sitegen {__version__}//VI",
        name=f"{CALENDAR_TITLE} – {operator}",
        description=f"Các ngày kỷ niệm năm {year} - {year + ICS_YEARS - 1}: {config.title}",
        timezone=config.timezone)
    since = datetime(year, 1, 1, tzinfo=config.zone)
    return write_calendar(info, ics_events(config, items, since))


#: A CommemoratedDay as plain values, its articles by ``content_rel`` (kept between builds).
PlainDay = tuple[str, int, int, int | None, str, tuple[str, ...]]


def _kept_days(r: FeatureContext) -> tuple[tuple[CommemoratedDay, ...], str]:
    """The site's commemorated days and the digest of what they show (the ``.ics``'s key
    besides the base): worked out again only when what some page shows changed
    (:func:`sitegen.features.keys.for_site`), else taken from the last build's."""
    site, memo = r.site, r.memo

    def plain() -> tuple[tuple[PlainDay, ...], str]:
        days = site_days(site)
        shown = "".join(memo.shown(p).hex() for d in days for p in d.articles) if memo else ""
        found = tuple((d.name, d.month, d.day, d.year, d.calendar,
                       tuple(p.content_rel for p in d.articles)) for d in days)
        return found, digest(f"{found!r}{shown}".encode("utf-8", "surrogateescape"))

    found, key = for_site(memo, "calendar-days", plain)
    by_source = site.by_source
    if not all(rel in by_source for d in found for rel in d[5]):  # pragma: no cover - kept by
        found, key = plain()  # the pages' tokens, which name every published article
    return tuple(CommemoratedDay(*d[:5], tuple(by_source[rel] for rel in d[5]))
                 for d in found), key


def calendar_files(r: FeatureContext) -> Iterator[RenderedFile]:
    """Feature: the calendar page of the coming twelve months and the ``.ics`` file (kept
    from the last build when the days it is made from are as they were)."""
    site = r.site
    days, key = _kept_days(r)
    today = site_today(site)
    coming = coming_year(days, today)
    ics = ics_path(site.config)
    yield r.page("calendar.html", calendar_path(site.config), "calendar.html", reuse=True,
                 title=CALENDAR_TITLE, occurrences=coming, months=by_month(coming),
                 per_day=PAGE_ARTICLES,
                 start=today, end=year_after(today) - timedelta(days=1), ics=ics,
                 ics_url=absolute(site.config, ics), ics_years=(today.year,
                                                                today.year + ICS_YEARS - 1))
    yield r.made(ics, "calendar", key, lambda: calendar_ics(site, days), site_wide=False)


def calendar_globals(site: Site, static: frozenset[str]) -> Mapping[str, Any]:
    """For the home page's "Sắp tới": the coming commemorations, and the calendar's address."""
    return {"upcoming": lambda count=HOME_COUNT: upcoming(site, count),
            "calendar_path": calendar_path(site.config)}


FEATURE = Feature("calendar", 10, calendar_files, template_globals=calendar_globals, ahead=True)
