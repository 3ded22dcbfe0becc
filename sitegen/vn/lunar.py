"""The Vietnamese lunisolar calendar (âm lịch), computed for UTC+7; no IO.

The Vietnamese calendar follows the same rules as the Chinese one but is
reckoned at the meridian of UTC+7 (North Vietnam from 1968, the whole
country since 1975), so a new moon or a solar term falling between
23:00 and 24:00 UTC+8 lands on a different civil day: Tết 1968, 1985,
2007 and 2030, for instance, differ from China's New Year.  This module
always computes for UTC+7 (no historical time-zone switching).

Method (all astronomy from published formulas, code written here):

* New moons: Jean Meeus, *Astronomical Algorithms* (2nd ed.), chapter 49
  -- mean phase plus the periodic terms and the 14 planetary arguments.
  The result is in Terrestrial Time; ΔT (Espenak & Meeus polynomials,
  2006) converts it to UT, and +7 h gives the local civil day.
* Sun's apparent longitude: Meeus chapter 25, "low accuracy" solution
  (geometric longitude from the equation of centre, corrected for
  nutation and aberration), good to about 0.01°.
* Rules: a month runs from the civil day of one new moon to the day before
  the next.  A month "contains" a principal (major) solar term when the
  sun's longitude crosses a multiple of 30° on one of its days, which is
  tested as: the 30°-sector of the longitude at local midnight beginning
  the month differs from the sector at local midnight beginning the next
  month.  Month 11 is the month containing the December solstice (270°).
  When 13 months lie between two months 11, the first month after month
  11 that contains no principal term is a leap month and repeats the
  number of the month before it.

The supported range is the solar dates in the years :data:`FIRST_YEAR` to
:data:`LAST_YEAR` (lunar years ``FIRST_YEAR - 1`` to ``LAST_YEAR``, as far
as their days fall in that range); anything else raises ValueError.  The
tests check 1900-2100 exhaustively for consistency and against almanac
dates; outside that the method is the same but was only cross-checked
against an independent ephemeris, not almanacs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "TIME_ZONE_HOURS",
    "LunarDate",
    "leap_month",
    "lunar_to_solar",
    "month_length",
    "occurrence",
    "solar_to_lunar",
]

#: Offset of Vietnamese civil time from UTC, in hours.
TIME_ZONE_HOURS = 7.0
#: First and last solar (and lunar) year accepted.
FIRST_YEAR = 1860
LAST_YEAR = 2150

# date.toordinal() + this = Julian Day Number (the JD at noon of that day).
_ORDINAL_TO_JDN = 1721425
# Mean synodic month (days) and JDE of the mean new moon k = 0 (2000-01-06).
_SYNODIC_MONTH = 29.530588861
_NEW_MOON_EPOCH = 2451550.09766
_J2000 = 2451545.0
_DAYS_PER_CENTURY = 36525.0


@dataclass(frozen=True)
class LunarDate:
    """A Vietnamese lunar date: year, month 1-12, day 1-30, leap flag.

    ``year`` is the Gregorian year in which that lunar year's Tết falls
    (Giáp Thìn = 2024).
    """

    year: int
    month: int
    day: int
    leap: bool = False


# --------------------------------------------------------------------------
# Astronomy
# --------------------------------------------------------------------------


def _delta_t_seconds(year: float) -> float:
    """Take a decimal year; return ΔT = TT - UT in seconds.

    Polynomials of Espenak & Meeus (NASA eclipse web site, 2006); outside
    1860-2150 their long-term parabola.
    """
    if 1860 <= year < 1900:
        t = year - 1860
        return (
            7.62
            + 0.5737 * t
            - 0.251754 * t**2
            + 0.01680668 * t**3
            - 0.0004473624 * t**4
            + t**5 / 233174
        )
    if 1900 <= year < 1920:
        t = year - 1900
        return -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    if 1920 <= year < 1941:
        t = year - 1920
        return 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    if 1941 <= year < 1961:
        t = year - 1950
        return 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    if 1961 <= year < 1986:
        t = year - 1975
        return 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    if 1986 <= year < 2005:
        t = year - 2000
        return (
            63.86
            + 0.3345 * t
            - 0.060374 * t**2
            + 0.0017275 * t**3
            + 0.000651814 * t**4
            + 0.00002373599 * t**5
        )
    if 2005 <= year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t**2
    u = (year - 1820) / 100
    if 2050 <= year < 2150:
        return -20 + 32 * u**2 - 0.5628 * (2150 - year)
    return -20 + 32 * u**2


def _delta_t_days(jd: float) -> float:
    """Take a Julian Day; return ΔT at that moment in days."""
    year = 2000.0 + (jd - _J2000) / 365.25
    return _delta_t_seconds(year) / 86400.0


def _sin_deg(x: float) -> float:
    """Take an angle in degrees; return its sine."""
    return math.sin(math.radians(x))


# Periodic terms of the new moon (Meeus table 49.A, "New Moon" column):
# (coefficient, power of E, multiples of M, M', F, Ω).
_NEW_MOON_TERMS: tuple[tuple[float, int, int, int, int, int], ...] = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)

# Planetary arguments (Meeus, after table 49.A): (A0, rate per k, coeff).
_PLANETARY_TERMS: tuple[tuple[float, float, float], ...] = (
    (299.77, 0.107408, 0.000325),  # A1 also has -0.009173 T^2, added below
    (251.88, 0.016321, 0.000165),
    (251.83, 26.651886, 0.000164),
    (349.42, 36.412478, 0.000126),
    (84.66, 18.206239, 0.000110),
    (141.74, 53.303771, 0.000062),
    (207.14, 2.453732, 0.000060),
    (154.84, 7.306860, 0.000056),
    (34.52, 27.261239, 0.000047),
    (207.19, 0.121824, 0.000042),
    (291.34, 1.844379, 0.000040),
    (161.72, 24.198154, 0.000037),
    (239.56, 25.513099, 0.000035),
    (331.55, 3.592518, 0.000023),
)


def _new_moon_jde(k: int) -> float:
    """Take a lunation number k (0 = Jan 2000); return the new moon's JDE (TT).

    Meeus, Astronomical Algorithms, chapter 49.
    """
    t = k / 1236.85
    jde = (
        _NEW_MOON_EPOCH
        + _SYNODIC_MONTH * k
        + 0.00015437 * t**2
        - 0.000000150 * t**3
        + 0.00000000073 * t**4
    )
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = 2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3
    mp = 201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4
    f = 160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4
    omega = 124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3
    correction = 0.0
    for coeff, e_power, n_m, n_mp, n_f, n_omega in _NEW_MOON_TERMS:
        angle = n_m * m + n_mp * mp + n_f * f + n_omega * omega
        correction += coeff * e**e_power * _sin_deg(angle)
    for index, (a0, rate, coeff) in enumerate(_PLANETARY_TERMS):
        angle = a0 + rate * k
        if index == 0:
            angle -= 0.009173 * t**2
        correction += coeff * _sin_deg(angle)
    return jde + correction


@lru_cache(maxsize=8192)
def _new_moon_day(k: int) -> int:
    """Take a lunation number; return the JDN of its new moon's UTC+7 day."""
    jde = _new_moon_jde(k)
    jd_ut = jde - _delta_t_days(jde)
    return math.floor(jd_ut + 0.5 + TIME_ZONE_HOURS / 24.0)


def _sun_longitude(jd_ut: float) -> float:
    """Take a Julian Day (UT); return the sun's apparent longitude in degrees.

    Meeus chapter 25, low-accuracy method (about 0.01°), in [0, 360).
    """
    jde = jd_ut + _delta_t_days(jd_ut)
    t = (jde - _J2000) / _DAYS_PER_CENTURY
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    m = 357.52911 + 35999.05029 * t - 0.0001537 * t**2
    c = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * _sin_deg(m)
        + (0.019993 - 0.000101 * t) * _sin_deg(2 * m)
        + 0.000289 * _sin_deg(3 * m)
    )
    omega = 125.04 - 1934.136 * t
    apparent = l0 + c - 0.00569 - 0.00478 * _sin_deg(omega)
    return apparent % 360.0


@lru_cache(maxsize=8192)
def _sector_at_day_start(jdn: int) -> int:
    """Take a JDN; return floor(sun longitude / 30°) at 00:00 UTC+7 that day.

    0 is [0°, 30°) (the March equinox opens it), 9 is [270°, 300°) (the
    December solstice opens it).
    """
    jd_ut = jdn - 0.5 - TIME_ZONE_HOURS / 24.0
    return int(_sun_longitude(jd_ut) // 30.0) % 12


def _jdn(d: date) -> int:
    """Take a date; return its Julian Day Number."""
    return d.toordinal() + _ORDINAL_TO_JDN


def _from_jdn(jdn: int) -> date:
    """Take a Julian Day Number; return the Gregorian date."""
    return date.fromordinal(jdn - _ORDINAL_TO_JDN)


@lru_cache(maxsize=1024)
def _month11_lunation(year: int) -> int:
    """Take a solar year; return the lunation k that starts its lunar month 11.

    Month 11 is the month whose days include the December solstice of that
    solar year (UTC+7 days).
    """
    dec31 = _jdn(date(year, 12, 31))
    k = math.floor((dec31 - _NEW_MOON_EPOCH) / _SYNODIC_MONTH)
    # Step back while month k begins after the solstice, i.e. the sun is
    # already past 270° when the month starts (sectors 9, 10 in Dec/Jan).
    while _sector_at_day_start(_new_moon_day(k)) in (9, 10):
        k -= 1
    # Step forward while the next month still begins before the solstice.
    while _sector_at_day_start(_new_moon_day(k + 1)) in (7, 8):
        k += 1
    return k


@dataclass(frozen=True)
class _Month:
    """One lunar month: lunar year, number, leap flag, first JDN, length."""

    year: int
    month: int
    leap: bool
    start: int
    length: int


@lru_cache(maxsize=512)
def _span(year: int) -> tuple[_Month, ...]:
    """Take a solar year Y; return the months from month 11 of Y-1 to before month 11 of Y.

    Months numbered 11 and 12 (leap or not) belong to lunar year Y-1, the
    others to lunar year Y.
    """
    k_first = _month11_lunation(year - 1)
    k_last = _month11_lunation(year)
    starts = [_new_moon_day(k) for k in range(k_first, k_last + 1)]
    count = k_last - k_first  # 12, or 13 in a leap year
    leap_index = -1
    if count == 13:
        for i in range(1, 13):
            if _sector_at_day_start(starts[i]) == _sector_at_day_start(starts[i + 1]):
                leap_index = i
                break
    months: list[_Month] = []
    number = 11
    for i in range(count):
        is_leap = i == leap_index
        if i > 0 and not is_leap:
            number = number % 12 + 1
        lunar_year = year - 1 if number >= 11 else year
        months.append(_Month(lunar_year, number, is_leap, starts[i], starts[i + 1] - starts[i]))
    return tuple(months)


def _check_year(year: int) -> None:
    """Take a solar year; return None, or raise ValueError when unsupported."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} outside the supported range {FIRST_YEAR}-{LAST_YEAR}")


def _check_lunar_year(year: int) -> None:
    """Take a lunar year; return None, or raise ValueError when unsupported.

    Lunar year FIRST_YEAR - 1 is accepted because its last months lie in
    solar year FIRST_YEAR.
    """
    if not FIRST_YEAR - 1 <= year <= LAST_YEAR:
        raise ValueError(
            f"lunar year {year} outside the supported range {FIRST_YEAR - 1}-{LAST_YEAR}"
        )


def _checked_date(jdn: int) -> date:
    """Take a JDN; return its date, or raise ValueError outside the solar range."""
    result = _from_jdn(jdn)
    _check_year(result.year)
    return result


@lru_cache(maxsize=512)
def _lunar_year(year: int) -> tuple[_Month, ...]:
    """Take a lunar year; return its 12 or 13 months in order."""
    first = [m for m in _span(year) if m.month <= 10]
    last = [m for m in _span(year + 1) if m.month >= 11]
    return tuple(first + last)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def solar_to_lunar(d: date) -> LunarDate:
    """Take a Gregorian date (or datetime, date part); return its lunar date.

    Raises ValueError outside the supported years.
    """
    if isinstance(d, datetime):
        d = d.date()
    _check_year(d.year)
    jdn = _jdn(d)
    for month in _span(d.year) + _span(d.year + 1):
        if month.start <= jdn < month.start + month.length:
            return LunarDate(month.year, month.month, jdn - month.start + 1, month.leap)
    raise AssertionError(f"no lunar month contains {d}")  # pragma: no cover


def _find_month(year: int, month: int, leap: bool) -> _Month:
    """Take lunar year, month and leap flag; return that month or raise ValueError."""
    _check_lunar_year(year)
    if not 1 <= month <= 12:
        raise ValueError(f"lunar month must be in 1..12, got {month}")
    for candidate in _lunar_year(year):
        if candidate.month == month and candidate.leap == leap:
            return candidate
    raise ValueError(f"lunar year {year} has no leap month {month}")


def month_length(year: int, month: int, leap: bool = False) -> int:
    """Take a lunar year, month and leap flag; return its length, 29 or 30.

    Raises ValueError for a month that does not exist (e.g. a leap month in
    a year without one).
    """
    return _find_month(year, month, leap).length


def leap_month(year: int) -> int | None:
    """Take a lunar year; return the number of its leap month, or None."""
    _check_lunar_year(year)
    for month in _lunar_year(year):
        if month.leap:
            return month.month
    return None


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    """Take a lunar year, month, day and leap flag; return the solar date.

    Raises ValueError for an impossible date: month outside 1-12, day
    outside 1..length of that month (day 30 of a 29-day month), a leap
    month the year does not have, or a date outside the supported range.
    """
    found = _find_month(year, month, leap)
    if not 1 <= day <= found.length:
        raise ValueError(
            f"lunar month {month}{' (leap)' if leap else ''}/{year} has "
            f"{found.length} days, not day {day}"
        )
    return _checked_date(found.start + day - 1)


def occurrence(month: int, day: int, solar_year: int) -> date:
    """Take a lunar month and day and a year; return that day's solar date.

    The lunar date is looked up in the lunar year numbered ``solar_year``
    (the one whose Tết falls in ``solar_year``), in the ordinary (non-leap)
    month.  When ``day`` is 30 and that month has only 29 days, day 29 is
    used instead (the customary rule for anniversaries on the 30th; e.g.
    "30 tháng Chạp" falls on the last day of the year).  Note that for
    months 11 and 12 the result may fall in January/February of
    ``solar_year + 1``.  Raises ValueError for a day outside 1-30, a month
    outside 1-12 or a date outside the supported range.
    """
    if not 1 <= day <= 30:
        raise ValueError(f"lunar day must be in 1..30, got {day}")
    found = _find_month(solar_year, month, False)
    return _checked_date(found.start + min(day, found.length) - 1)
