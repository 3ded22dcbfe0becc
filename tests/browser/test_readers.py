"""What a reader sees in Chromium at 390 and 1280 px (issue 20, 'Readers'): the 404 page
served deep under the sub-path, the roll on a phone and a desktop, the header's search box,
and the smaller things (breadcrumbs, placeholders, the calendar's address)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.test_pages import AXE_TAGS, first_article

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1}


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


# --------------------------------------------------------------------------- 7. smaller

def test_breadcrumb_is_not_cut_by_the_screen_at_390(new_visit: Any, site_output: Path,
                                                    site_config: dict[str, Any]) -> None:
    v = new_visit(**PHONE)
    clipped = {}
    for section in site_config["sections"]:
        page = v.open(first_article(site_output, section))
        crumb = page.locator('.breadcrumbs [aria-current="page"]')
        box = crumb.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).textOverflow]")
        if box[2] == "ellipsis" or box[0] > box[1] + 1:
            clipped[section] = box
        page.close()
    assert not clipped, f"the current page's crumb is clipped (mid-syllable): {clipped}"


def test_lists_on_a_phone_give_no_decorative_block(new_visit: Any,
                                                   site_config: dict[str, Any]) -> None:
    v = new_visit(**PHONE)
    tall = {}
    for section in site_config["sections"]:
        page = v.open(f"{section}/")
        heights = page.locator(".card-media-empty").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().height).filter(h => h > 0)")
        if heights:
            tall[section] = heights
        page.close()
    assert not tall, f"placeholders shown for articles without a photo at 390 px: {tall}"


def test_calendar_address_wraps_only_after_a_slash(new_visit: Any, site_config: dict[str, Any]) -> None:
    v = new_visit(**PHONE)
    calendar = str((site_config.get("paths") or {}).get("calendar", "lich-ky-niem"))
    page = v.open(f"{calendar}/")
    # every character's top: a new line starts where the top grows
    lines = page.locator(".calendar-url code").evaluate("""code => {
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        const chars = []; let node;
        while ((node = walker.nextNode())) {
          for (let i = 0; i < node.data.length; i++) {
            const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
            chars.push([node.data[i], Math.round(r.getBoundingClientRect().top)]);
          }
        }
        const out = [""]; let top = chars.length ? chars[0][1] : 0;
        for (const [c, t] of chars) { if (t > top + 2) { out.push(""); top = t; } out[out.length - 1] += c; }
        return out;
    }""")
    assert "".join(lines).endswith(".ics") and "://" in "".join(lines)
    assert all(line.endswith("/") for line in lines[:-1]), f"the address breaks inside a name: {lines}"
    assert _overflow(page) <= 390


# --------------------------------------------------------------------------- 1. 404

@pytest.mark.parametrize("width", [390, 1280])
def test_404_served_deep_under_the_sub_path_has_its_style_and_links(
        new_visit: Any, width: int) -> None:
    """As nginx's error_page sends it for a deleted article four folders down: the style and
    the logo load, every link of the page reaches a page of the site."""
    v = new_visit(viewport={"width": width, "height": 800})
    page = v.context.new_page()
    answer = page.goto(v.base + "tin-tuc/2025/01/bai-cu-da-xoa/", wait_until="load")
    assert answer is not None and answer.status == 404
    assert page.locator("h1").inner_text().strip() == "Không tìm thấy trang"
    # the stylesheet applied: the header has the theme's colour, the skip link is off-screen
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header .masthead') "
                         "|| document.body).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.evaluate("document.querySelector('.brand-logo').naturalWidth") > 0, "broken logo"
    assert page.locator(".skip-link").bounding_box()["y"] < 0 or \
        not page.locator(".skip-link").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = page.evaluate("""() => [...document.querySelectorAll('a[href], link[href], script[src]')]
        .map(e => e.href || e.src).filter(u => u.startsWith(location.origin))
        .filter(u => u.split('#')[0] !== location.href.split('#')[0])""")
    assert len(links) > 15
    request = v.context.request
    bad = {u: r.status for u in sorted(set(links)) if (r := request.get(u)).status != 200}
    assert not bad, f"links of the 404 page that miss: {bad}"


# --------------------------------------------------------------------------- 3. the roll

def _roll(site_config: dict[str, Any]) -> str:
    model = next(name for name, spec in site_config["sections"].items() if spec.get("kind") == "model")
    return f"{model}/danh-sach/"


def test_roll_on_a_phone_is_cards_with_nothing_off_screen(new_visit: Any,
                                                          site_config: dict[str, Any]) -> None:
    v = new_visit(**PHONE)
    page = v.open(_roll(site_config))
    assert _overflow(page) <= 390
    # every filled cell (awards and the article's link included) lies within the screen
    outside = page.evaluate("""() => [
        ...document.querySelectorAll('table.roll tbody th, table.roll tbody td')]
        .filter(c => c.textContent.trim())
        .map(c => [c.textContent.trim().slice(0, 30), c.getBoundingClientRect()])
        .filter(([t, r]) => r.width === 0 || r.left < 0 || r.right > 390).map(([t]) => t)""")
    assert not outside, f"cells off-screen or hidden at 390 px: {outside}"
    assert page.locator("table.roll thead").first.is_hidden(), "the column headers still show"
    # each filled cell says what it is; empty cells take no room
    labels = page.evaluate("""() => [...document.querySelectorAll('table.roll tbody td')]
        .filter(c => c.textContent.trim() && !c.classList.contains('col-no'))
        .map(c => getComputedStyle(c, '::before').content)""")
    assert labels and all(label not in ("none", "normal", '""') for label in labels), labels
    empty = page.evaluate("""() => [...document.querySelectorAll('table.roll tbody td')]
        .filter(c => !c.textContent.trim() && c.getBoundingClientRect().height > 0).length""")
    assert empty == 0


def test_roll_tables_have_the_same_columns_at_1280(new_visit: Any,
                                                   site_config: dict[str, Any]) -> None:
    v = new_visit(viewport={"width": 1280, "height": 900})
    page = v.open(_roll(site_config))
    widths = page.evaluate("""() => [...document.querySelectorAll('table.roll')].map(t =>
        [...t.querySelectorAll('thead th')].map(th => Math.round(th.getBoundingClientRect().width)))""")
    assert len(widths) > 1, "the example site's roll has one unit only"
    assert all(w == widths[0] for w in widths), f"unit tables' columns differ: {widths}"
    assert _overflow(page) <= 1280


# --------------------------------------------------------------------------- 5. search boxes

def _search_path(site_config: dict[str, Any]) -> str:
    return "/tuyen-truyen/" + str((site_config.get("paths") or {}).get("search", "tim-kiem")) + "/"


def test_header_search_box_works_without_javascript(new_visit: Any, site_output: Path,
                                                    site_config: dict[str, Any]) -> None:
    v = new_visit(java_script_enabled=False, **PHONE)
    page = v.open(first_article(site_output, next(iter(site_config["sections"]))))
    box = page.locator(".site-header form[role=search] input[name=q]")
    assert box.is_visible() and box.bounding_box()["width"] > 200
    box.fill("thi đua")
    with page.expect_navigation():
        box.press("Enter")  # a plain GET form
    address = urlsplit(page.url)
    assert address.path.startswith(_search_path(site_config))
    assert parse_qs(address.query) == {"q": ["thi đua"]}
    assert "tắt JavaScript" in page.inner_text("main")


def test_header_search_box_finds_with_javascript(new_visit: Any) -> None:
    v = new_visit(viewport={"width": 1280, "height": 800})
    page = v.open()
    page.fill("#o-tim-kiem", "dinh")
    with page.expect_navigation():
        page.click(".site-header form[role=search] button")
    page.wait_for_selector('#ket-qua[data-for="dinh"]', state="attached", timeout=15_000)
    assert page.locator(".search-hit").count() > 0
    # the search page: a breadcrumb, one search form (its own, not the header's)
    crumbs = [c.strip() for c in page.locator(".breadcrumbs li").all_inner_texts()]
    assert crumbs == ["Trang chủ", "Tìm kiếm"]
    assert page.locator("form[role=search]").count() == 1


def test_404_page_has_a_search_box(new_visit: Any, site_config: dict[str, Any]) -> None:
    v = new_visit(viewport={"width": 390, "height": 844})
    page = v.context.new_page()
    page.goto(v.base + "tin-tuc/2025/01/bai-cu-da-xoa/", wait_until="load")
    box = page.locator("main form[role=search] input[name=q]")
    assert box.is_visible()
    box.fill("dinh")
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path.startswith(_search_path(site_config))
    page.wait_for_selector('#ket-qua[data-for="dinh"]', state="attached", timeout=15_000)
    assert page.locator(".search-hit").count() > 0


# --------------------------------------------------------------------------- axe-core

@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violation_on_the_pages_changed_here(new_visit: Any, axe_script: Path,
                                                          site_config: dict[str, Any],
                                                          width: int) -> None:
    """The 404 page served deep, an English page, the roll (cards at 390 px), the search page
    with results and marks, the calendar: WCAG 2.0/2.1 A and AA, as tests/browser/test_pages.py."""
    v = new_visit(viewport={"width": width, "height": 844})
    found: dict[str, list[str]] = {}
    for rel in ("tin-tuc/2025/01/bai-cu-da-xoa/", "about/", _roll(site_config),
                "tim-kiem/?q=ho%C3%A0", "lich-ky-niem/"):
        page = v.context.new_page()
        page.goto(v.base + rel, wait_until="load")
        if rel.startswith("tim-kiem"):
            page.wait_for_selector("#ket-qua[data-for]", state="attached", timeout=15_000)
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        if result["violations"]:
            found[rel] = [f"{x['id']}: {x['help']} at "
                          f"{', '.join(' '.join(n['target']) for n in x['nodes'][:3])}"
                          for x in result["violations"]]
        page.close()
    assert not found, f"axe-core violations at {width} px: {found}"
