"""Vietnamese date formatting; no IO.

Every function taking a date also accepts a ``datetime`` and uses only its
date part (no time-zone conversion is done here).
"""

from __future__ import annotations

from datetime import date, datetime

__all__ = [
    "WEEKDAYS",
    "day_month",
    "long",
    "lunar_short",
    "month_title",
    "short",
    "weekday",
    "with_weekday",
]

#: Weekday names indexed by ``date.weekday()`` (Monday is 0).
WEEKDAYS: tuple[str, ...] = (
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ Nhật",
)


def _as_date(d: date) -> date:
    """Take a date or datetime; return the plain date (date part only)."""
    if isinstance(d, datetime):
        return d.date()
    return d


def weekday(d: date) -> str:
    """Take a date; return its Vietnamese weekday name, e.g. "Chủ Nhật"."""
    return WEEKDAYS[_as_date(d).weekday()]


def short(d: date) -> str:
    """Take a date; return it as dd/mm/yyyy, e.g. "11/06/2023"."""
    d = _as_date(d)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def with_weekday(d: date) -> str:
    """Take a date; return weekday and dd/mm/yyyy: "Chủ Nhật, 11/06/2023"."""
    return f"{weekday(d)}, {short(d)}"


def long(d: date) -> str:
    """Take a date; return it in words: "ngày 11 tháng 6 năm 2023"."""
    d = _as_date(d)
    return f"ngày {d.day} tháng {d.month} năm {d.year}"


def month_title(year: int, month: int) -> str:
    """Take a year and a month (1-12); return e.g. "Tháng 6 năm 2023".

    Raises ValueError for a month outside 1-12.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month}")
    return f"Tháng {month} năm {year}"


def day_month(d: date) -> str:
    """Take a date; return day/month without zero padding, e.g. "11/6"."""
    d = _as_date(d)
    return f"{d.day}/{d.month}"


def lunar_short(day: int, month: int, year: int | None = None, leap: bool = False) -> str:
    """Take a lunar day and month (and the lunar year, the Gregorian year of its Tết); return
    it as dd/mm/yyyy marked "ÂL" (âm lịch), the way solar dates are written: "10/03/2026 ÂL",
    "10/03 ÂL" without a year, "10/03/2025 ÂL (tháng 3 nhuận)" in a leap month."""
    text = f"{day:02d}/{month:02d}" + (f"/{year:04d}" if year is not None else "") + " ÂL"
    return text + (f" (tháng {month} nhuận)" if leap else "")
