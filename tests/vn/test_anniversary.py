"""Tests for sitegen.vn.anniversary: anniversary numbers and milestones."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.vn.anniversary import anniversary_number, milestone


def test_anniversary_number() -> None:
    assert anniversary_number(date(1948, 6, 11), 2023) == 75
    assert anniversary_number(date(1948, 6, 11), 1948) == 0
    assert anniversary_number(date(2020, 12, 31), 2021) == 1


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (-10, None),
        (-5, None),
        (0, None),
        (1, None),
        (4, None),
        (5, "năm lẻ 5"),
        (7, None),
        (10, "năm tròn"),
        (15, "năm lẻ 5"),
        (20, "năm tròn"),
        (25, "năm lẻ 5"),
        (75, "năm lẻ 5"),
        (80, "năm tròn"),
        (99, None),
        (100, "năm tròn"),
        (1000, "năm tròn"),
    ],
)
def test_milestone(n: int, expected: str | None) -> None:
    assert milestone(n) == expected


@given(st.integers(min_value=-1000, max_value=5000))
def test_milestone_rule(n: int) -> None:
    result = milestone(n)
    if n >= 10 and n % 10 == 0:
        assert result == "năm tròn"
    elif n >= 5 and n % 5 == 0:
        assert result == "năm lẻ 5"
    else:
        assert result is None


@given(
    st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=1800, max_value=2300),
)
def test_anniversary_number_is_year_difference(first: date, year: int) -> None:
    assert anniversary_number(first, year) == year - first.year
