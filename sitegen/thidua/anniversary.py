"""The anniversary a commemoration article marks, and the day a date falls on in a year; pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitegen.core.pages import Page
from sitegen.vn import lunar
from sitegen.vn.anniversary import anniversary_number, milestone


def solar_day(year: int, month: int, day: int) -> date:
    """The day ``day/month`` in ``year``; 29/2 falls on 28/2 in common years."""
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return date(year, 2, 28)
    return date(year, month, day)


@dataclass(frozen=True)
class Anniversary:
    """A commemoration article's anniversary: its number, the day it falls on, năm tròn/lẻ."""

    number: int | None
    occurrence: date | None
    milestone: str | None


def article_anniversary(page: Page) -> Anniversary:
    """The anniversary a commemoration article marks, in the year it is dated.

    Lunar days recur every year and their year is not numbered.
    """
    info = page.commemoration
    if info is None or page.date is None:
        return Anniversary(None, None, None)
    year = page.date.year
    if info.calendar == "lunar":
        return Anniversary(None, lunar.occurrence(info.event_date.month, info.event_date.day, year),
                           None)
    n = anniversary_number(info.event_date, year)
    return Anniversary(n if n > 0 else None,
                       solar_day(year, info.event_date.month, info.event_date.day),
                       milestone(n) if n > 0 else None)
