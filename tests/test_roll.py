"""The roll of exemplary models (sitegen.thidua.roll): order, years, pages and the unit pages' helper."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from helpers import BASE_URL, article

from sitegen.core.config import load_config
from sitegen.features.registry import default_registry
from sitegen.pipeline import BuildOptions, Rendered, render
from sitegen.render.environment import make_environment
from sitegen.render.renderer import Renderer
from sitegen.thidua.roll import build_roll, roll_path
from sitegen.vn.collate import sort_key

NOW = datetime(2026, 12, 31, 12, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
# Units whose Vietnamese order differs from code-point order: Ă before Â, D before Đ before E.
UNITS = ["Âm thanh ánh sáng", "Ăn uống", "Ban Quản lý Tràng An", "Đội xe điện", "Dịch vụ",
         "Bảo tàng", "Zalo OA", "Ẩm thực"]
NAMES = ["Đinh Thị Hoa", "Bùi Văn An", "Ân Văn Bình", "Dương Thị Lan", "Ấn Thị Hồng",
         "Âu Văn Minh", "Anh Thị Ngọc", "Ông Văn Tám", "Ô Thị Na", "Ơn Văn Cường"]

CONFIG = f"""\
title: Trang thử nghiệm
base_url: {BASE_URL}
sections:
  guong-sang:
    kind: model
    title: Gương sáng
  tin-tuc:
    kind: news
    title: Tin tức
"""


def _content(seed: int, n: int = 24) -> dict[str, str]:
    rng = random.Random(seed)
    files = {}
    for i in range(n):
        keys: dict[str, object] = {
            "subject": rng.choice(NAMES), "subject_kind": rng.choice(["ca-nhan", "tap-the"]),
            "awards": [{"name": "Giấy khen của Giám đốc Sở", "year": 2023, "decision": f"{i}/QĐ"},
                       {"name": "Huân chương Lao động hạng Ba", "year": 2024}]}
        if rng.random() > 0.1:
            keys["unit"] = rng.choice(UNITS)
        if rng.random() > 0.5:
            keys["position"] = "Nhân viên"
        date = f"{rng.choice([2024, 2025, 2026])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        files[f"content/guong-sang/bai-{i}.md"] = article(f"Gương sáng số {i}", date, **keys)
    files["content/tin-tuc/tin.md"] = article("Một tin", "2025-01-01", unit="Dịch vụ")
    return files


def _render(make_site, seed: int = 7) -> Rendered:  # type: ignore[no-untyped-def]
    config, _ = load_config(make_site(_content(seed), config=CONFIG))
    return render(config, BuildOptions(now=NOW))


def test_roll_is_in_vietnamese_order_of_unit_then_name(make_site) -> None:  # type: ignore[no-untyped-def]
    site = _render(make_site).site
    entries = build_roll(site).entries
    assert len(entries) == 24  # one entry per model article; the news article is not one
    with_unit = [e for e in entries if e.unit]
    without = [e for e in entries if not e.unit]
    assert entries[:len(with_unit)] == tuple(with_unit), "entries without a unit come last"
    keys = [(sort_key(e.unit.name), sort_key(e.subject)) for e in with_unit if e.unit]
    assert keys == sorted(keys)
    assert [sort_key(e.subject) for e in without] == sorted(sort_key(e.subject) for e in without)
    units = list(dict.fromkeys(e.unit.name for e in with_unit if e.unit))
    seen = [u for u in ["Ăn uống", "Âm thanh ánh sáng", "Ẩm thực", "Ban Quản lý Tràng An",
                        "Bảo tàng", "Dịch vụ", "Đội xe điện", "Zalo OA"] if u in units]
    assert units == seen


def test_roll_entries_carry_the_article_facts(make_site) -> None:  # type: ignore[no-untyped-def]
    site = _render(make_site).site
    by_path = {e.page.path: e for e in build_roll(site).entries}
    for page in site.articles:
        if page.model is None:
            assert page.path not in by_path
            continue
        entry = by_path[page.path]
        assert entry.subject == page.model.subject
        assert entry.kind_label == ("Cá nhân" if page.model.subject_kind == "ca-nhan" else "Tập thể")
        assert entry.year == page.date.year if page.date else False
        assert (entry.unit.name if entry.unit else None) == page.meta.unit


def test_roll_pages_use_the_model_section_and_list_every_year(make_site) -> None:  # type: ignore[no-untyped-def]
    rendered = _render(make_site, seed=11)
    site = rendered.site
    roll = build_roll(site)
    files = {f.path: f.data.decode() for f in rendered.files if f.data and f.path.endswith("/")}
    assert roll_path(site.config) == "guong-sang/danh-sach/"
    index = files["guong-sang/danh-sach/"]
    for e in roll.entries:
        assert e.subject in index
    assert sorted(roll.years) == sorted({e.year for e in roll.entries})
    for year in roll.years:
        page = files[f"guong-sang/danh-sach/{year}/"]
        expected = [e for e in roll.entries if e.year == year]
        assert page.count('<tr>\n      <td class="col-no" data-label="STT">') == len(expected)
        for e in expected:
            assert f'href="../../{e.page.path[len("guong-sang/"):]}index.html"' in page
        assert 'href="../../index.html"' in page  # the section, in the crumbs
    assert not any(p.startswith("guong-dien-hinh/") for p in files)


def test_roll_for_unit_and_the_unit_snippet(make_site) -> None:  # type: ignore[no-untyped-def]
    rendered = _render(make_site, seed=3)
    site = rendered.site
    r = Renderer(site, make_environment(site.config), frozenset(),
                 features=default_registry().template_globals(site, frozenset()))
    roll = build_roll(site)
    for term in site.units.terms:
        mine = r.common["roll_for_unit"](term)
        assert mine == tuple(e for e in roll.entries if e.unit and e.unit.slug == term.slug)
        html = r.page("_unit_roll.html", term.path, "test", kind="units", term=term,
                      pager=type("P", (), {"number": 1})()).data
        assert html is not None
        text = html.decode()
        if mine:
            assert 'href="../../guong-sang/danh-sach/index.html"' in text
            assert all(e.subject in text for e in mine)
        else:
            assert text.strip() == ""


def test_the_roll_is_worked_out_when_first_read_or_before_workers_are_forked(
        make_site) -> None:  # type: ignore[no-untyped-def]
    """A page that shows none of the roll does not wait for it (serve's first pages); a
    build about to fork its workers works it out once, for them all (Renderer.before_fork)."""
    site = _render(make_site, seed=5).site
    features = default_registry().template_globals(site, frozenset())
    r = Renderer(site, make_environment(site.config), frozenset(), features=features)
    roll = features["roll"]
    assert "entries" not in vars(roll)
    r.before_fork()
    assert vars(roll)["entries"] == build_roll(site).entries


def test_what_a_page_reads_of_the_roll_is_the_same_in_two_builds_of_the_same_site(
        make_site) -> None:  # type: ignore[no-untyped-def]
    """A unit page reads the roll (roll_for_unit: ("call", ("g", "roll"))): its digest is
    made from the entries, so two builds of the same files agree (the page is kept), and a
    model article's subject changed makes it differ (the page is made again)."""
    from sitegen.incremental.depends import Values

    files = _content(9)
    dep = ("call", ("g", "roll"))

    def digest(content: dict[str, str]) -> bytes:
        config, _ = load_config(make_site(content, config=CONFIG))
        site = render(config, BuildOptions(now=NOW)).site
        return Values(site, {}, {"roll": build_roll(site)}).of(dep)

    first = digest(files)
    assert digest(files) == first
    model = next(rel for rel, text in files.items() if "subject:" in text)
    changed = {**files, model: files[model].replace("subject:", "subject: Đã sửa", 1)}
    assert digest(changed) != first
