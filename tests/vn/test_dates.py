"""Tests for sitegen.vn.dates: Vietnamese date formatting."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.vn.dates import (
    WEEKDAYS,
    day_month,
    long,
    lunar_short,
    month_title,
    short,
    weekday,
    with_weekday,
)

SUNDAY = date(2023, 6, 11)
# 11/6/1948: Chủ tịch Hồ Chí Minh's "Lời kêu gọi thi đua ái quốc" (a Friday).
APPEAL = date(1948, 6, 11)


def test_weekday_names() -> None:
    assert WEEKDAYS == (
        "Thứ Hai",
        "Thứ Ba",
        "Thứ Tư",
        "Thứ Năm",
        "Thứ Sáu",
        "Thứ Bảy",
        "Chủ Nhật",
    )
    assert weekday(SUNDAY) == "Chủ Nhật"
    assert weekday(APPEAL) == "Thứ Sáu"
    assert weekday(date(2024, 2, 10)) == "Thứ Bảy"  # Tết Giáp Thìn
    assert weekday(date(2025, 1, 27)) == "Thứ Hai"


def test_examples() -> None:
    assert short(SUNDAY) == "11/06/2023"
    assert with_weekday(SUNDAY) == "Chủ Nhật, 11/06/2023"
    assert long(SUNDAY) == "ngày 11 tháng 6 năm 2023"
    assert month_title(2023, 6) == "Tháng 6 năm 2023"
    assert day_month(APPEAL) == "11/6"
    assert lunar_short(10, 3, 2026) == "10/03/2026 ÂL"
    assert lunar_short(10, 3) == "10/03 ÂL"
    assert lunar_short(1, 4, 2020, leap=True) == "01/04/2020 ÂL (tháng 4 nhuận)"


def test_padding() -> None:
    d = date(2024, 1, 5)
    assert short(d) == "05/01/2024"
    assert day_month(d) == "5/1"
    assert long(d) == "ngày 5 tháng 1 năm 2024"
    assert short(date(987, 3, 4)) == "04/03/0987"


def test_datetime_uses_its_date_part() -> None:
    moment = datetime(2023, 6, 11, 23, 59, 59)
    assert short(moment) == "11/06/2023"
    assert with_weekday(moment) == "Chủ Nhật, 11/06/2023"
    assert long(moment) == "ngày 11 tháng 6 năm 2023"
    assert day_month(moment) == "11/6"
    assert weekday(moment) == "Chủ Nhật"


@pytest.mark.parametrize("month", [0, 13, -1])
def test_month_title_rejects_bad_months(month: int) -> None:
    with pytest.raises(ValueError):
        month_title(2023, month)


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_weekday_matches_date_weekday(d: date) -> None:
    assert weekday(d) == WEEKDAYS[d.weekday()]
    assert with_weekday(d).startswith(WEEKDAYS[d.weekday()] + ", ")


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_formats_parse_back(d: date) -> None:
    assert datetime.strptime(short(d), "%d/%m/%Y").date() == d
    day, month = (int(part) for part in day_month(d).split("/"))
    assert (day, month) == (d.day, d.month)
    assert long(d) == f"ngày {d.day} tháng {d.month} năm {d.year}"


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=12))
def test_month_title_shape(year: int, month: int) -> None:
    assert month_title(year, month) == f"Tháng {month} năm {year}"


@given(st.integers(1, 30), st.integers(1, 12), st.integers(1000, 9999), st.booleans())
def test_lunar_dates_are_written_as_solar_ones_marked_al(day: int, month: int, year: int,
                                                       leap: bool) -> None:
    text = lunar_short(day, month, year, leap)
    written, mark = text.split(" ", 1)
    assert written == f"{day:02d}/{month:02d}/{year:04d}"
    assert mark.startswith("ÂL") and ("nhuận" in mark) == leap
