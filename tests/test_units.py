"""An article's unit against config.units (sitegen.core.units), and the yearly report's
row of articles naming no unit (issue 20, item 14)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from helpers import BASE_URL, article
from hypothesis import given
from hypothesis import strategies as st

from sitegen.commands.report import report_command
from sitegen.core.config import load_config
from sitegen.core.units import nearest_unit, unit_problem
from sitegen.thidua.report import NO_MODEL
from sitegen.thidua.roll import NO_UNIT

UNITS = ("Văn phòng Sở", "Phòng Quản lý du lịch", "Phòng Kế hoạch - Tài chính",
         "Trung tâm Thông tin xúc tiến du lịch", "Ban Quản lý Quần thể danh thắng Tràng An",
         "Hiệp hội Du lịch Ninh Bình")
CONFIG = (f"title: Trang thử\nbase_url: {BASE_URL}\nunits:\n"
          + "".join(f"  - {u}\n" for u in UNITS))
NOW = datetime(2025, 7, 1, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.parametrize(("typed", "unit"), [
    ("Phòng QLDL", "Phòng Quản lý du lịch"),
    ("phong quan ly du lich", "Phòng Quản lý du lịch"),
    ("Phòng Quản lí du lịch", "Phòng Quản lý du lịch"),
    ("Phòng KH-TC", "Phòng Kế hoạch - Tài chính"),
    ("Trung tâm xúc tiến du lịch", "Trung tâm Thông tin xúc tiến du lịch"),
    ("Tràng An", "Ban Quản lý Quần thể danh thắng Tràng An"),
    ("Hiệp hội du lịch", "Hiệp hội Du lịch Ninh Bình"),
    ("Sở Nội vụ", None),
    ("UBND tỉnh", None),
])
def test_nearest_unit_the_vietnamese_way(typed: str, unit: str | None) -> None:
    assert nearest_unit(typed, UNITS) == unit


@given(st.sampled_from(UNITS), st.sampled_from([str.upper, str.lower, str.title]))
def test_a_unit_of_the_list_in_any_case_or_without_accents_is_no_problem(unit: str, case) -> None:  # type: ignore[no-untyped-def]
    assert unit_problem("a.md", 3, case(unit), UNITS) is None


def test_no_list_no_warning() -> None:
    assert unit_problem("a.md", 3, "Phòng QLDL", ()) is None


def test_check_warns_about_a_unit_not_in_the_list_and_strict_refuses_it(make_site, run_cli) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/tin-tuc/a.md": article("A", unit="Phòng QLDL")}, config=CONFIG)
    result = run_cli("check", "--site", site)
    assert result.code == 0
    line = next(x for x in result.err.splitlines() if "Phòng QLDL" in x)
    assert line.startswith("content/tin-tuc/a.md:4: cảnh báo [unit]:")
    assert 'có phải ý bạn là "Phòng Quản lý du lịch"?' in line
    strict = run_cli("check", "--site", site, "--strict")
    assert strict.code == 1 and "content/tin-tuc/a.md:4: lỗi [unit]" in strict.err


def test_articles_without_a_unit_are_not_counted_as_a_unit(make_site) -> None:  # type: ignore[no-untyped-def]
    model = {"subject": "Đinh Thị Hoa", "subject_kind": "ca-nhan"}
    site = make_site({
        "content/guong-dien-hinh/a.md": article("A", unit=UNITS[0], **model),
        "content/guong-dien-hinh/b.md": article("B", **model),
        "content/tin-tuc/c.md": article("C"),
    }, config=CONFIG)
    config, _ = load_config(site)
    text = report_command(config, 2025, "text", now=NOW).decode("utf-8")
    assert f"1/{len(UNITS)} đơn vị có điển hình" in text
    assert text.count(NO_MODEL) == len(UNITS) - 1
    assert f"{len(UNITS) + 1}. " not in text  # the row without a unit has no number
    assert NO_UNIT in text
    html = report_command(config, 2025, "html", now=NOW).decode("utf-8")
    assert html.count(NO_MODEL) == len(UNITS) - 1
    row = html[html.index(f"<td class=\"none\">{NO_UNIT}"):].split("</tr>")[0]
    assert NO_MODEL not in row
