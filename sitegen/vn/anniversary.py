"""Anniversary numbering and milestone classification; no IO."""

from __future__ import annotations

from datetime import date

__all__ = ["HALF", "ROUND", "anniversary_number", "milestone"]

#: Milestone label for a multiple of 10 years ("năm tròn").
ROUND = "năm tròn"
#: Milestone label for an odd multiple of 5 years ("năm lẻ 5").
HALF = "năm lẻ 5"


def anniversary_number(first: date, year: int) -> int:
    """Take the first occurrence and a year; return which anniversary it is.

    Simply ``year - first.year`` (the 75th anniversary of 11/6/1948 falls
    in 2023).  May be zero or negative for years not after the first.
    """
    return year - first.year


def milestone(n: int) -> str | None:
    """Take an anniversary number; return "năm tròn", "năm lẻ 5" or None.

    "năm tròn" for n >= 10 with n % 10 == 0; "năm lẻ 5" for n >= 5 with
    n % 5 == 0 and n % 10 != 0 -- the anniversaries that Nghị định
    145/2013/NĐ-CP, Điều 3 counts; None otherwise.
    """
    if n >= 10 and n % 10 == 0:
        return ROUND
    if n >= 5 and n % 5 == 0:
        return HALF
    return None
