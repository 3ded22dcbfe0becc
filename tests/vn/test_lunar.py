"""Tests for sitegen.vn.lunar: the Vietnamese lunar calendar (UTC+7).

Almanac dates below are the Vietnamese (UTC+7) calendar.  Where Vietnam
and China differ (1968, 1985, 2007, 2030) the difference comes from the
new moon or a solar term falling between 23:00 and 24:00 UTC+7; each such
case was also checked against an independent ephemeris (VSOP87/ELP via
PyEphem, not a dependency of this project): the new moon of 1968-01-29 is
at 23:29 UTC+7, of 2007-02-17 at 23:14 UTC+7, of 2030-02-02 at 23:07 UTC+7.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.vn.lunar import (
    LunarDate,
    leap_month,
    lunar_to_solar,
    month_length,
    occurrence,
    solar_to_lunar,
)

# Tết Nguyên đán (1/1 âm lịch), Vietnamese calendar.
TET = {
    # Tết Mậu Thân: 29/01/1968 in the North, which computed its calendar
    # for UTC+7 from 1968; the South (UTC+8 calendar) and China kept
    # 30/01/1968.  The new moon was at 23:29 UTC+7 on 29/01, so UTC+7 gives
    # 29/01/1968, which is what this module computes.
    1968: date(1968, 1, 29),
    1975: date(1975, 2, 11),
    # Vietnam 21/01/1985, China 20/02/1985 (Vietnam: leap month 2 in 1985,
    # China: leap month 10 in 1984).
    1985: date(1985, 1, 21),
    1986: date(1986, 2, 9),
    2000: date(2000, 2, 5),
    # Vietnam 17/02/2007, China 18/02/2007 (new moon 23:14 UTC+7).
    2007: date(2007, 2, 17),
    2010: date(2010, 2, 14),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    # Vietnam 02/02/2030, China 03/02/2030 (new moon 23:07 UTC+7).
    2030: date(2030, 2, 2),
}

# Giỗ Tổ Hùng Vương, 10/3 âm lịch.
GIO_TO = {
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
}

# Tết Trung thu, 15/8 âm lịch.
TRUNG_THU = {
    2019: date(2019, 9, 13),
    2020: date(2020, 10, 1),
    2021: date(2021, 9, 21),
    2022: date(2022, 9, 10),
    2023: date(2023, 9, 29),
    2024: date(2024, 9, 17),
    2025: date(2025, 10, 6),
}

# Leap months (tháng nhuận) and the first day of each.
LEAP_MONTHS = {
    2020: (4, date(2020, 5, 23)),
    2023: (2, date(2023, 3, 22)),
    2025: (6, date(2025, 7, 25)),
}

ALMANAC: list[tuple[date, LunarDate]] = (
    [(d, LunarDate(y, 1, 1)) for y, d in TET.items()]
    + [(d, LunarDate(y, 3, 10)) for y, d in GIO_TO.items()]
    + [(d, LunarDate(y, 8, 15)) for y, d in TRUNG_THU.items()]
    + [(d, LunarDate(y, m, 1, leap=True)) for y, (m, d) in LEAP_MONTHS.items()]
    + [
        # Ông Công ông Táo 23 tháng Chạp Giáp Thìn, in January 2025.
        (date(2025, 1, 22), LunarDate(2024, 12, 23)),
        # Tháng Chạp Giáp Thìn had 29 days: no "30 Tết" before Tết 2025.
        (date(2025, 1, 28), LunarDate(2024, 12, 29)),
        # Rằm tháng Giêng 2024.
        (date(2024, 2, 24), LunarDate(2024, 1, 15)),
    ]
)

FIRST = date(1900, 1, 1)
LAST = date(2100, 12, 31)


def test_almanac_has_enough_dates() -> None:
    assert len(ALMANAC) >= 20


@pytest.mark.parametrize(("solar", "lunar"), ALMANAC, ids=[str(s) for s, _ in ALMANAC])
def test_almanac_solar_to_lunar(solar: date, lunar: LunarDate) -> None:
    assert solar_to_lunar(solar) == lunar


@pytest.mark.parametrize(("solar", "lunar"), ALMANAC, ids=[str(s) for s, _ in ALMANAC])
def test_almanac_lunar_to_solar(solar: date, lunar: LunarDate) -> None:
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == solar


def test_day_before_tet_is_last_day_of_previous_year() -> None:
    for year, tet in TET.items():
        eve = solar_to_lunar(tet - timedelta(days=1))
        assert eve.year == year - 1
        assert eve.month == 12
        assert eve.day in (29, 30)
        assert not eve.leap


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2020, 4),
        (2023, 2),
        (2025, 6),
        (2012, 4),
        (2017, 6),
        (2014, 9),
        (1985, 2),
        (2021, None),
        (2024, None),
        (2026, None),
    ],
)
def test_leap_month(year: int, expected: int | None) -> None:
    assert leap_month(year) == expected


def test_leap_month_follows_its_ordinary_month() -> None:
    for year, (month, start) in LEAP_MONTHS.items():
        ordinary_end = lunar_to_solar(year, month, month_length(year, month))
        assert ordinary_end + timedelta(days=1) == start
        after = lunar_to_solar(year, month, month_length(year, month, True), True)
        assert lunar_to_solar(year, month + 1, 1) == after + timedelta(days=1)


def test_datetime_is_accepted() -> None:
    assert solar_to_lunar(datetime(2024, 4, 18, 23, 30)) == LunarDate(2024, 3, 10)


def test_impossible_dates_raise() -> None:
    short_months = [m for m in range(1, 13) if month_length(2024, m) == 29]
    assert short_months, "every lunar year has a 29-day month"
    with pytest.raises(ValueError):
        lunar_to_solar(2024, short_months[0], 30)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 1, 1, leap=True)  # 2024 has no leap month
    with pytest.raises(ValueError):
        lunar_to_solar(2025, 5, 1, leap=True)  # 2025's leap month is 6
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 13, 1)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 0, 1)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 1, 0)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 1, 31)
    with pytest.raises(ValueError):
        lunar_to_solar(1000, 1, 1)
    with pytest.raises(ValueError):
        solar_to_lunar(date(3000, 1, 1))


def test_occurrence() -> None:
    assert occurrence(3, 10, 2024) == date(2024, 4, 18)
    assert occurrence(3, 10, 2025) == date(2025, 4, 7)
    assert occurrence(1, 1, 2025) == date(2025, 1, 29)
    # Months 11 and 12 of lunar year 2024 fall partly in 2025.
    assert occurrence(12, 23, 2024) == date(2025, 1, 22)
    # Tháng Chạp 2024 has 29 days, so day 30 falls back to day 29.
    assert month_length(2024, 12) == 29
    assert occurrence(12, 30, 2024) == date(2025, 1, 28)
    # In a leap year the ordinary month is used, not the leap one.
    assert occurrence(6, 1, 2025) == lunar_to_solar(2025, 6, 1)
    assert occurrence(6, 1, 2025) != lunar_to_solar(2025, 6, 1, leap=True)


def test_occurrence_day_30() -> None:
    for month in range(1, 13):
        if month_length(2023, month) == 30:
            assert occurrence(month, 30, 2023) == lunar_to_solar(2023, month, 30)
        else:
            assert occurrence(month, 30, 2023) == lunar_to_solar(2023, month, 29)
    with pytest.raises(ValueError):
        occurrence(1, 31, 2023)
    with pytest.raises(ValueError):
        occurrence(13, 1, 2023)


def test_every_day_1900_to_2100_is_consistent() -> None:
    """Walk every day: lunar days advance by one or a new month starts."""
    previous = solar_to_lunar(FIRST)
    current_day = FIRST + timedelta(days=1)
    month_lengths: list[int] = []
    while current_day <= LAST:
        lunar = solar_to_lunar(current_day)
        if lunar.day == 1:
            assert previous.day in (29, 30)
            month_lengths.append(previous.day)
            if lunar.leap:
                assert (lunar.year, lunar.month) == (previous.year, previous.month)
            elif lunar.month == 1:
                assert (lunar.year, previous.month) == (previous.year + 1, 12)
            else:
                assert (lunar.year, lunar.month) == (previous.year, previous.month + 1)
        else:
            assert lunar == LunarDate(
                previous.year, previous.month, previous.day + 1, previous.leap
            )
        previous = lunar
        current_day += timedelta(days=1)
    assert set(month_lengths) == {29, 30}
    assert len(month_lengths) > 2480  # about 12.37 months a year for 201 years


def test_year_structure_1900_to_2100() -> None:
    for year in range(1900, 2101):
        months = [(m, False) for m in range(1, 13)]
        leap = leap_month(year)
        if leap is not None:
            months.insert(months.index((leap, False)) + 1, (leap, True))
        lengths = [month_length(year, m, lp) for m, lp in months]
        assert set(lengths) <= {29, 30}
        total = sum(lengths)
        assert total in ((383, 384, 385) if leap else (353, 354, 355))
        tet = lunar_to_solar(year, 1, 1)
        assert date(year, 1, 21) <= tet <= date(year, 2, 20)
        next_tet = lunar_to_solar(year + 1, 1, 1) if year < 2100 else None
        if next_tet is not None:
            assert (next_tet - tet).days == total
        # Month 11 contains the December solstice (21 or 22 December, UTC+7).
        start11 = lunar_to_solar(year, 11, 1)
        end11 = start11 + timedelta(days=month_length(year, 11) - 1)
        if leap == 11:
            end11 += timedelta(days=month_length(year, 11, True))
        assert start11 <= date(year, 12, 22)
        assert end11 >= date(year, 12, 21)


def test_leap_years_follow_the_metonic_rhythm() -> None:
    leap_years = [y for y in range(1900, 2101) if leap_month(y) is not None]
    # 7 leap years in every 19 (give or take one at the window edges).
    assert 72 <= len(leap_years) <= 76
    gaps = {b - a for a, b in pairwise(leap_years)}
    assert gaps <= {2, 3, 4}


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=FIRST, max_value=LAST))
def test_round_trip_solar_lunar_solar(d: date) -> None:
    lunar = solar_to_lunar(d)
    assert 1 <= lunar.month <= 12
    assert 1 <= lunar.day <= 30
    assert lunar.year in (d.year - 1, d.year)
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == d


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1900, max_value=2100),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=30),
    st.booleans(),
)
def test_round_trip_lunar_solar_lunar(year: int, month: int, day: int, leap: bool) -> None:
    try:
        length = month_length(year, month, leap)
    except ValueError:
        assert leap
        assert leap_month(year) != month
        with pytest.raises(ValueError):
            lunar_to_solar(year, month, day, leap)
        return
    if day > length:
        with pytest.raises(ValueError):
            lunar_to_solar(year, month, day, leap)
        return
    solar = lunar_to_solar(year, month, day, leap)
    assert solar_to_lunar(solar) == LunarDate(year, month, day, leap)


def test_supported_range_edges() -> None:
    from sitegen.vn.lunar import FIRST_YEAR, LAST_YEAR

    first = date(FIRST_YEAR, 1, 1)
    last = date(LAST_YEAR, 12, 31)
    for d in (first, last):
        lunar = solar_to_lunar(d)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == d
    with pytest.raises(ValueError):
        solar_to_lunar(first - timedelta(days=1))
    with pytest.raises(ValueError):
        solar_to_lunar(last + timedelta(days=1))
    with pytest.raises(ValueError):
        lunar_to_solar(LAST_YEAR, 12, 1)  # falls in January of LAST_YEAR + 1
    with pytest.raises(ValueError):
        lunar_to_solar(FIRST_YEAR - 2, 1, 1)


def test_new_moon_matches_meeus_example() -> None:
    # Meeus, Astronomical Algorithms, example 49.a: the new moon of
    # February 1977 (k = -283) has JDE 2443192.65118.
    from sitegen.vn.lunar import _new_moon_jde

    assert abs(_new_moon_jde(-283) - 2443192.65118) < 1e-4
