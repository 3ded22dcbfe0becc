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


def _escape_ends(value: str) -> set[int]:
    """The offsets in an escaped TEXT value where an escape or a plain character ends."""
    ends, i = set(), 0
    while i < len(value):
        i += 2 if value[i] == "\\" and i + 1 < len(value) else 1
        ends.add(i)
    return ends


#: Text full of what TEXT escapes (\\ ; , newline), Vietnamese letters (2 and 3 octets in
#: UTF-8) and a 4-octet character, so that folds fall everywhere among them; long enough
#: to be folded.
_TRICKY = st.text(alphabet=st.sampled_from(list("a ,;\\\nđễƯ𝄞")), min_size=70, max_size=300)


@given(st.sampled_from(["SUMMARY:", "DESCRIPTION:", "X-WR-CALDESC:", "CATEGORIES:"]), _TRICKY)
def test_fold_never_splits_an_escape_or_a_character(name: str, text: str) -> None:
    line = name + escape_text(text)
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line  # unfolding gives the line back
    physical = folded.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in physical)
    pieces = [p.decode("utf-8") for p in physical]  # each line is whole UTF-8 on its own
    cuts, offset = set(), 0
    for i, piece in enumerate(pieces[:-1]):
        offset += len(piece) - (1 if i else 0)
        cuts.add(offset)
    assert cuts <= _escape_ends(line), "a fold cuts an escape in two"


@pytest.mark.parametrize("pad", range(40))
def test_icalendar_reads_back_an_escape_at_every_fold_position(pad: int) -> None:
    summary = "x" * pad + "Hội nghị, tổng kết; thi đua\\khen thưởng\n" * 3
    event = Event(uid="u@example.gov.vn", day=date(2025, 1, 1), summary=summary,
                  stamp=datetime(2025, 1, 1, tzinfo=HANOI))
    data = write_calendar(CalendarInfo(prodid="-//T//sitegen//VI", name="Lịch"), [event])
    for line in data.split(b"\r\n"):
        trailing = len(line) - len(line.rstrip(b"\\"))
        assert trailing % 2 == 0, line  # no line ends with the backslash of an escape
    (ev,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(ev["SUMMARY"]) == summary


def test_write_calendar_all_day_event() -> None:
    event = Event(uid="x-2025@example.gov.vn", day=date(2025, 12, 31), summary="Năm mới, vui; vẻ",
                  stamp=datetime(2025, 7, 1, 10, tzinfo=HANOI), description="Dòng 1\nDòng 2")
    data = write_calendar(CalendarInfo(prodid="-//T//sitegen//VI", name="Lịch"), [event])
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
        # DTSTAMP from the content: the article's date for the day it is about, else the
        # start of the calendar's first year (never the build's clock)
        about = THI_DUA in str(ev["SUMMARY"])
        stamp = datetime(2025, 6, 10, tzinfo=HANOI) if about else datetime(2025, 1, 1, tzinfo=HANOI)
        assert ev.decoded("DTSTAMP") == stamp.astimezone(UTC)
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


def _site_ics(config, now: datetime) -> bytes:  # type: ignore[no-untyped-def]
    (ics,) = [f for f in render(config, BuildOptions(now=now)).files
              if f.path == "lich-ky-niem.ics"]
    assert ics.data is not None
    return ics.data


def test_a_build_with_nothing_changed_leaves_the_ics_alone(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {"content/ngay-ky-niem/a.md": article(
        "Kỷ niệm 77 năm Lời kêu gọi thi đua ái quốc", "2025-06-10", updated="2025-06-12",
        event=THI_DUA, event_date="1948-06-11")}
    config, _ = load_config(make_site(files, config=CONFIG_YAML))
    first = _site_ics(config, NOW)
    assert _site_ics(config, NOW + timedelta(days=90)) == first  # later the same year
    stamps = {str(ev["SUMMARY"]): ev.decoded("DTSTAMP")
              for ev in icalendar.Calendar.from_ical(first).walk("VEVENT")}
    [stamp] = [s for summary, s in stamps.items() if summary.startswith(f"Kỷ niệm 78 năm {THI_DUA} (")]
    assert stamp == datetime(2025, 6, 12, tzinfo=HANOI)  # the article's ``updated``
    # A new year moves the calendar's six years on: the file changes with them.
    assert _site_ics(config, datetime(2026, 1, 2, tzinfo=HANOI)) != first


def test_uids_are_stable_across_builds(make_site) -> None:  # type: ignore[no-untyped-def]
    config, _ = load_config(make_site({}, config=CONFIG_YAML))

    def uids(now: datetime) -> set[str]:
        return {str(ev["UID"]) for ev in
                icalendar.Calendar.from_ical(_site_ics(config, now)).walk("VEVENT")}

    assert uids(NOW) == uids(NOW + timedelta(days=90))
