"""The RFC 5545 writer (sitegen.features.ics) and the site's lich-ky-niem.ics, read back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from helpers import BASE_URL, article
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.config import load_config
from sitegen.features.ics import CalendarInfo, Event, escape_text, fold, write_calendar
from sitegen.pipeline import BuildOptions, render
from sitegen.vn import lunar

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 7, 1, 10, 0, tzinfo=HANOI)
THI_DUA = "Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc"

CONFIG_YAML = f"""\
title: Trang thử nghiệm
base_url: {BASE_URL}
publisher:
  operator: Sở Du lịch tỉnh Ninh Bình
commemorations:
  - name: {THI_DUA}
    date: 1948-06-11
  - name: Ngày Quốc khánh
    date: 1945-09-02
  - name: Ngày Du lịch thế giới
    date: 27/9
  - name: Giỗ Tổ Hùng Vương
    date: 10/3
    calendar: lunar
  - name: Tết ông Công ông Táo
    date: 23/12
    calendar: lunar
  - name: "Ngày thử: dấu phẩy, chấm phẩy; gạch \\\\ ngược"
    date: 2000-02-29
"""
SOLAR_DAYS = 4


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=400))
def test_fold_keeps_lines_within_75_octets_and_unfolds_back(text: str) -> None:
    line = "SUMMARY:" + text
    folded = fold(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert folded.replace("\r\n ", "") == line


def test_write_calendar_all_day_event() -> None:
    event = Event(uid="x-2025@example.gov.vn", day=date(2025, 12, 31), summary="Năm mới, vui; vẻ",
                  description="Dòng 1\nDòng 2")
    data = write_calendar(CalendarInfo(prodid="-//T//sitegen//VI", name="Lịch"), [event],
                          datetime(2025, 7, 1, 10, tzinfo=HANOI))
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART;VALUE=DATE:20251231\r\n" in text
    assert "DTEND;VALUE=DATE:20260101\r\n" in text
    assert "DTSTAMP:20250701T030000Z\r\n" in text
    assert "SUMMARY:Năm mới\\, vui\\; vẻ\r\n" in text
    parsed = icalendar.Calendar.from_ical(data)
    (ev,) = parsed.walk("VEVENT")
    assert str(ev["SUMMARY"]) == "Năm mới, vui; vẻ"
    assert str(ev["DESCRIPTION"]) == "Dòng 1\nDòng 2"


@pytest.fixture
def site_ics(make_site) -> bytes:  # type: ignore[no-untyped-def]
    files = {
        "content/ngay-ky-niem/a.md": article(
            "Kỷ niệm 77 năm Lời kêu gọi thi đua ái quốc", "2025-06-10",
            event=THI_DUA, event_date="1948-06-11"),
    }
    site = make_site(files, config=CONFIG_YAML)
    config, _ = load_config(site)
    rendered = render(config, BuildOptions(now=NOW))
    (ics,) = [f for f in rendered.files if f.path == "lich-ky-niem.ics"]
    assert ics.data is not None
    return ics.data


def _lunar_count(month: int, day: int, first: int, last: int) -> int:
    """How many times a lunar day falls on a solar date in the years first..last."""
    dates = (lunar.occurrence(month, day, y) for y in range(first - 1, last + 1))
    return sum(1 for d in dates if first <= d.year <= last)


def test_site_ics_parses_and_has_every_occurrence_of_six_years(site_ics: bytes) -> None:
    cal = icalendar.Calendar.from_ical(site_ics)
    events = cal.walk("VEVENT")
    expected = SOLAR_DAYS * 6 + _lunar_count(3, 10, 2025, 2030) + _lunar_count(12, 23, 2025, 2030)
    assert len(events) == expected
    for ev in events:
        start = ev.decoded("DTSTART")
        end = ev.decoded("DTEND")
        assert type(start) is date and type(end) is date
        assert end == start + timedelta(days=1)
        assert 2025 <= start.year <= 2030
        assert ev.decoded("DTSTAMP") == NOW.astimezone(UTC)
    uids = [str(ev["UID"]) for ev in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@example.gov.vn") for uid in uids)


def test_site_ics_summary_numbering(site_ics: bytes) -> None:
    events = icalendar.Calendar.from_ical(site_ics).walk("VEVENT")
    summaries = {str(ev["SUMMARY"]) for ev in events}
    for year in range(2025, 2031):
        assert f"Kỷ niệm {year - 1948} năm {THI_DUA} (11/06/1948 - 11/06/{year})" in summaries
        assert f"Kỷ niệm {year - 1945} năm Ngày Quốc khánh (02/09/1945 - 02/09/{year})" in summaries
    assert ("Kỷ niệm 77 năm Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc "
            "(11/06/1948 - 11/06/2025)") in summaries
    # Undated days keep their bare name; the escaped characters come back as written.
    names = [str(ev["SUMMARY"]) for ev in events]
    assert names.count("Ngày Du lịch thế giới") == 6
    assert names.count("Giỗ Tổ Hùng Vương") == _lunar_count(3, 10, 2025, 2030)
    assert ("Kỷ niệm 27 năm Ngày thử: dấu phẩy, chấm phẩy; gạch \\ ngược (29/02/2000 - 28/02/2027)"
            in names)
    gio_to = {ev.decoded("DTSTART") for ev in events if str(ev["SUMMARY"]) == "Giỗ Tổ Hùng Vương"}
    assert date(2026, 4, 26) in gio_to


def test_site_ics_lines(site_ics: bytes) -> None:
    assert site_ics.endswith(b"\r\n")
    lines = site_ics.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines), "long Vietnamese lines must be folded"
    for line in lines:
        line.decode("utf-8")  # no UTF-8 sequence cut by the folding


def test_uids_are_stable_across_builds(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({}, config=CONFIG_YAML)
    config, _ = load_config(site)

    def uids(now: datetime) -> dict[str, str]:
        (ics,) = [f for f in render(config, BuildOptions(now=now)).files
                  if f.path == "lich-ky-niem.ics"]
        assert ics.data is not None
        return {str(ev["UID"]): str(ev["DTSTAMP"].to_ical())
                for ev in icalendar.Calendar.from_ical(ics.data).walk("VEVENT")}

    first, later = uids(NOW), uids(NOW + timedelta(days=90))
    assert set(first) == set(later)
    assert set(first.values()) != set(later.values())  # DTSTAMP follows the build clock
