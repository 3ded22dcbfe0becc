"""Dates as pages show them, by the page's language; pure.

Vietnamese pages write every date dd/mm/yyyy (:mod:`sitegen.vn.dates`); English pages write
the day, the month's name and the year ("10 February 2025"), which no English reader takes
for the 2nd of October, with English weekday names.
"""

from __future__ import annotations

from datetime import date, datetime

from sitegen.vn import dates as vndates

EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def short(d: date | datetime | None, lang: str = "vi") -> str:
    """``d`` as a page in ``lang`` writes it: "10/02/2025", or "10 February 2025" in English;
    "" for no date."""
    if d is None:
        return ""
    if lang == "en":
        return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"
    return vndates.short(d)


def with_weekday(d: date | datetime | None, lang: str = "vi") -> str:
    """``d`` with its weekday: "Thứ Hai, 10/02/2025", "Monday, 10 February 2025"; "" for none."""
    if d is None:
        return ""
    if lang == "en":
        return f"{EN_WEEKDAYS[d.weekday()]}, {short(d, lang)}"
    return vndates.with_weekday(d)
