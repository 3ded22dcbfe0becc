"""The commemoration calendar (sitegen.features.calendar): the twelve-month window, numbering, merging."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import BASE_URL, article

from sitegen.core.config import Commemoration, Config, load_config
from sitegen.features.calendar import (
    CommemoratedDay,
    calendar_path,
    coming_year,
    commemorated_days,
    occurrence,
    occurrences,
    similar_names,
)
from sitegen.pipeline import BuildOptions, render
from sitegen.vn import lunar

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
THI_DUA = "Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc"

DAYS = (
    CommemoratedDay("Ngày thành lập Đảng Cộng sản Việt Nam", 2, 3, 1930),
    CommemoratedDay("Giỗ Tổ Hùng Vương", 3, 10, None, "lunar"),
    CommemoratedDay("Ngày tái lập tỉnh Ninh Bình", 4, 1, 1992),
    CommemoratedDay(THI_DUA, 6, 11, 1948),
    CommemoratedDay("Ngày Du lịch Việt Nam", 7, 9, 1960),
    CommemoratedDay("Ngày Quốc khánh", 9, 2, 1945),
    CommemoratedDay("Ngày Du lịch thế giới", 9, 27),
    CommemoratedDay("Tết ông Công ông Táo", 12, 23, None, "lunar"),
)

CONFIG_YAML = f"""\
title: Trang thử nghiệm
base_url: {BASE_URL}
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
  - name: Ngày Du lịch Việt Nam
    date: 1960-07-09
"""


def _by_name(items: tuple, name: str) -> list:  # type: ignore[type-arg]
    return [o for o in items if o.name == name]


def test_window_is_the_twelve_months_from_the_build_date() -> None:
    today = date(2025, 7, 1)
    items = coming_year(DAYS, today)
    assert all(today <= o.date < date(2026, 7, 1) for o in items)
    assert [o.date for o in items] == sorted(o.date for o in items)
    # Every day comes exactly once in twelve months.
    assert sorted(o.name for o in items) == sorted(d.name for d in DAYS)
    dates = {o.name: o.date for o in items}
    assert dates["Ngày Du lịch Việt Nam"] == date(2025, 7, 9)
    assert dates[THI_DUA] == date(2026, 6, 11)
    assert dates["Ngày thành lập Đảng Cộng sản Việt Nam"] == date(2026, 2, 3)
    # Giỗ Tổ 2025 (7/4/2025) is past; the next is 10/3 Bính Ngọ = Sunday 26/4/2026.
    gio_to = _by_name(items, "Giỗ Tổ Hùng Vương")[0]
    assert gio_to.date == date(2026, 4, 26)
    assert gio_to.weekday == "Chủ Nhật"
    assert gio_to.lunar_text == "10/03/2026 ÂL"
    assert gio_to.number is None and gio_to.label is None
    # A day of lunar month 12 of Ất Tỵ falls in the next solar year: found once, not lost.
    tao_quan = _by_name(items, "Tết ông Công ông Táo")[0]
    assert tao_quan.date == lunar.lunar_to_solar(2025, 12, 23)
    assert tao_quan.lunar_text == "23/12/2025 ÂL"


def test_window_includes_today_and_excludes_the_same_day_next_year() -> None:
    items = coming_year(DAYS, date(2025, 6, 11))
    thi_dua = _by_name(items, THI_DUA)
    assert [o.date for o in thi_dua] == [date(2025, 6, 11)]
    assert items[0].name == THI_DUA


def test_lunar_days_over_several_years() -> None:
    gio_to = DAYS[1]
    found = occurrences([gio_to], date(2024, 1, 1), date(2027, 1, 1))
    assert [o.date for o in found] == [date(2024, 4, 18), date(2025, 4, 7), date(2026, 4, 26)]


@pytest.mark.parametrize(("year", "number"), [(2023, 75), (2025, 77), (2028, 80), (1949, 1)])
def test_anniversary_number_of_a_dated_day(year: int, number: int) -> None:
    occ = occurrence(DAYS[3], year)
    assert occ is not None
    assert occ.number == number
    assert occ.label == f"Kỷ niệm {number} năm"
    assert occ.summary == f"Kỷ niệm {number} năm {THI_DUA} (11/06/1948 - 11/06/{year})"


def test_the_first_year_and_undated_days_are_not_numbered() -> None:
    first = occurrence(DAYS[3], 1948)
    assert first is not None and first.number is None and first.summary == THI_DUA
    for day in (DAYS[6], DAYS[1]):  # 27/9 without a year; Giỗ Tổ (lunar, no year)
        for year in (2025, 2030):
            occ = occurrence(day, year)
            assert occ is not None
            assert occ.number is None and occ.milestone is None and occ.label is None
            assert occ.summary == day.name


@pytest.mark.parametrize("year", range(2020, 2041))
def test_nam_tron_and_nam_le_5(year: int) -> None:
    for day in DAYS:
        occ = occurrence(day, year)
        assert occ is not None
        if day.year is None:
            assert occ.milestone is None
            continue
        n = year - day.year
        expected = "năm tròn" if n % 10 == 0 else "năm lẻ 5" if n % 5 == 0 else None
        assert (occ.number, occ.milestone) == (n, expected)


def test_known_milestones() -> None:
    quoc_khanh = occurrence(DAYS[5], 2025)
    tai_lap = occurrence(DAYS[2], 2027)
    thi_dua = occurrence(DAYS[3], 2025)
    assert quoc_khanh is not None and (quoc_khanh.number, quoc_khanh.milestone) == (80, "năm tròn")
    assert tai_lap is not None and (tai_lap.number, tai_lap.milestone) == (35, "năm lẻ 5")
    assert thi_dua is not None and thi_dua.milestone is None


def test_29_february_falls_on_28_february_in_common_years() -> None:
    leap = CommemoratedDay("Ngày thử", 2, 29, 2000)
    occ = occurrence(leap, 2025)
    assert occ is not None and occ.date == date(2025, 2, 28) and occ.number == 25
    assert [o.date for o in occurrences([leap], date(2027, 1, 1), date(2029, 1, 1))] == \
        [date(2027, 2, 28), date(2028, 2, 29)]


def test_similar_names() -> None:
    assert similar_names("Ngày Quốc khánh", "Ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam")
    assert similar_names("giỗ tổ hùng vương", "Giỗ Tổ Hùng Vương")
    assert not similar_names("Ngày Quốc khánh", "Ngày Chủ tịch Hồ Chí Minh qua đời")


def _config(*commemorations: Commemoration) -> Config:
    return Config(root=Path("/nonexistent"), title="T", base_url=BASE_URL,
                  commemorations=commemorations)


def _site_days(make_site, files: dict[str, str]) -> tuple[CommemoratedDay, ...]:  # type: ignore[no-untyped-def]
    site = make_site(files, config=CONFIG_YAML)
    config, _ = load_config(site)
    rendered = render(config, BuildOptions(now=datetime(2025, 7, 1, 10, tzinfo=HANOI)))
    return commemorated_days(config, rendered.site.articles)


def test_articles_merge_into_the_config_day_and_link_to_it(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {
        "content/ngay-ky-niem/a.md": article(
            "Kỷ niệm 77 năm Lời kêu gọi thi đua ái quốc", "2025-06-10",
            event="Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc", event_date="1948-06-11"),
        "content/ngay-ky-niem/b.md": article(
            "Kỷ niệm 75 năm Lời kêu gọi thi đua ái quốc", "2023-06-10",
            event=THI_DUA, event_date="1948-06-11"),
        "content/ngay-ky-niem/c.md": article(
            "80 năm Quốc khánh", "2025-06-30",
            event="Ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam",
            event_date="1945-09-02"),
        "content/ngay-ky-niem/d.md": article(
            "Tưởng niệm Chủ tịch Hồ Chí Minh", "2025-06-20",
            event="Ngày mất của Chủ tịch Hồ Chí Minh", event_date="1969-09-02"),
        "content/ngay-ky-niem/e.md": article(
            "Giỗ Tổ năm 2025", "2025-04-05", event="Giỗ Tổ Hùng Vương",
            event_date="2000-03-10", calendar="lunar"),
        "content/ngay-ky-niem/f.md": article(
            "Lễ hội Tràng An", "2025-03-01", event="Lễ hội Tràng An",
            event_date="2000-01-18", calendar="lunar"),
    }
    days = {d.name: d for d in _site_days(make_site, files)}
    # Five config days, plus the two days no config line names.
    assert len(days) == 7
    thi_dua = days[THI_DUA]
    assert thi_dua.year == 1948
    assert [p.title for p in thi_dua.articles] == [
        "Kỷ niệm 77 năm Lời kêu gọi thi đua ái quốc", "Kỷ niệm 75 năm Lời kêu gọi thi đua ái quốc"]
    assert [p.title for p in days["Ngày Quốc khánh"].articles] == ["80 năm Quốc khánh"]
    assert [p.title for p in days["Giỗ Tổ Hùng Vương"].articles] == ["Giỗ Tổ năm 2025"]
    # Same day, another event: a day of its own, numbered from its article's event_date.
    mat = days["Ngày mất của Chủ tịch Hồ Chí Minh"]
    assert (mat.month, mat.day, mat.year) == (9, 2, 1969)
    occ = occurrence(mat, 2029)
    assert occ is not None and (occ.number, occ.milestone) == (60, "năm tròn")
    # A lunar article's year only fills the date form: not numbered.
    assert days["Lễ hội Tràng An"].year is None
    assert days["Ngày Du lịch thế giới"].articles == ()


def test_calendar_page_ics_link_and_home(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {"content/ngay-ky-niem/a.md": article(
        "Kỷ niệm 77 năm", "2025-06-10", event=THI_DUA, event_date="1948-06-11")}
    site = make_site(files, config=CONFIG_YAML)
    config, _ = load_config(site)
    rendered = render(config, BuildOptions(now=datetime(2025, 7, 1, 10, tzinfo=HANOI)))
    by_path = {f.path: f for f in rendered.files}
    page = by_path[calendar_path(config)].data
    ics = by_path["lich-ky-niem.ics"]
    assert page is not None and ics.data is not None
    html = page.decode()
    assert 'href="../lich-ky-niem.ics"' in html
    assert "<strong>Kỷ niệm 80 năm</strong> (02/09/1945 - 02/09/2025) " \
        '<span class="milestone milestone-round">năm tròn</span>' in html
    assert "<strong>Kỷ niệm 65 năm</strong> (09/07/1960 - 09/07/2025) " \
        '<span class="milestone milestone-half">năm lẻ 5</span>' in html
    assert "(10/03/2026 ÂL)" in html and 'datetime="2026-04-26"' in html
    assert 'id="k-2025-07-09-ngay-du-lich-viet-nam"' in html
    assert "../ngay-ky-niem/2025/06/ky-niem-77-nam/index.html" in html
    home = by_path[""].data
    assert home is not None
    text = home.decode()
    start = text.index('aria-labelledby="sap-toi"')
    aside = text[start:text.index("</section>", start)]
    assert ">Sắp tới</h2>" in aside
    assert aside.count("<li>") == 3
    assert 'href="lich-ky-niem/index.html#k-2025-07-09-ngay-du-lich-viet-nam"' in aside
    assert "Kỷ niệm 65 năm Ngày Du lịch Việt Nam" in aside
    assert 'href="lich-ky-niem/index.html"' in aside


def test_no_commemoration_still_gives_the_page(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({})
    config, _ = load_config(site)
    rendered = render(config, BuildOptions(now=datetime(2025, 7, 1, 10, tzinfo=HANOI)))
    paths = {f.path for f in rendered.files}
    assert {"lich-ky-niem/", "lich-ky-niem.ics"} <= paths


def test_config_days_only() -> None:
    days = commemorated_days(_config(Commemoration("Ngày Du lịch thế giới", 9, 27)), [])
    assert [(d.name, d.year, d.articles) for d in days] == [("Ngày Du lịch thế giới", None, ())]


def test_a_day_with_many_articles_links_the_newest(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {f"content/ngay-ky-niem/a{i}.md": article(
        f"Bài kỷ niệm số {i}", f"20{10 + i}-06-10", event=THI_DUA, event_date="1948-06-11")
        for i in range(8)}
    site = make_site(files, config=CONFIG_YAML)
    config, _ = load_config(site)
    rendered = render(config, BuildOptions(now=datetime(2025, 7, 1, 10, tzinfo=HANOI)))
    by_path = {f.path: f.data for f in rendered.files}
    html = (by_path["lich-ky-niem/"] or b"").decode()
    shown = [i for i in range(8) if f"Bài kỷ niệm số {i}<" in html]
    assert shown == [3, 4, 5, 6, 7]  # the five newest
    assert "(3 bài cũ hơn về ngày này)" in html
    assert 'href="../ngay-ky-niem/index.html"' in html
    ics = (by_path["lich-ky-niem.ics"] or b"").replace(b"\r\n ", b"").decode()
    event = ics[ics.index("SUMMARY:Kỷ niệm 77 năm"):]
    event = event[:event.index("END:VEVENT")]
    assert [i for i in range(8) if f"Bài kỷ niệm số {i}:" in event] == [5, 6, 7]
