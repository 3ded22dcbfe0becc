"""The yearly report's HTML as Nghị định 30/2020/NĐ-CP sets out an administrative document,
seen in Chromium at the width of an A4 sheet (issue 20, item 15)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sitegen.commands.report import report_command
from sitegen.core.config import load_config

from .conftest import site_folder

A4_PX = 794  # 210 mm at 96 px per inch
MM = 96 / 25.4
NOW = datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

#: For each occurrence of ``year`` in the page's text: whether it stands on a line of its own
#: (with at most the punctuation after it): the text just before it is on another line, and
#: so is the text after it, or nothing follows.
ALONE = r"""year => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.url')) continue;  // an address breaks anywhere, by design
    let at = node.data.indexOf(year);
    while (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + year.length);
      const box = range.getBoundingClientRect();
      let before = at - 1;
      while (before >= 0 && /\s/.test(node.data[before]) && node.data[before] !== "\u00a0") before--;
      const apart = i => {
        range.setStart(node, i); range.setEnd(node, i + 1);
        return Math.abs(range.getBoundingClientRect().top - box.top) > box.height / 2;
      };
      let after = at + year.length;
      while (after < node.data.length && /[\s.,;:)\]]/.test(node.data[after])) after++;
      const alone = before >= 0 && apart(before) && (after >= node.data.length || apart(after));
      out.push({text: node.parentElement.textContent.trim().slice(0, 80), alone});
      at = node.data.indexOf(year, at + 1);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config, _ = load_config(site_folder())
    out = tmp_path_factory.mktemp("report") / "bao-cao-2025.html"
    report_command(config, 2025, "html", output=out, now=NOW)
    return out


@pytest.fixture
def a4_page(browser: Any, report_file: Path) -> Any:
    context = browser.new_context(viewport={"width": A4_PX, "height": 1123})
    page = context.new_page()
    page.goto(report_file.as_uri(), wait_until="load")
    yield page
    context.close()


PAGE_MARGINS = """() => {
  for (const sheet of document.styleSheets)
    for (const rule of sheet.cssRules)
      if (rule.type === CSSRule.PAGE_RULE && rule.style.marginTop)
        return [rule.style.marginTop, rule.style.marginRight, rule.style.marginBottom,
                rule.style.marginLeft];
  return null;
}"""


def page_margins(page: Any) -> tuple[float, float, float, float]:
    """The @page margins (top, right, bottom, left) in millimetres."""
    margins = page.evaluate(PAGE_MARGINS)
    assert margins is not None, "no @page margins"
    top, right, bottom, left = (float(m.removesuffix("mm")) for m in margins)
    return top, right, bottom, left


@pytest.mark.parametrize("media", ["screen", "print"])
def test_the_year_never_wraps_onto_a_line_of_its_own(a4_page: Any, media: str) -> None:
    """On screen at the sheet's width, and as printed: the lines as wide as the sheet
    between its left and right margins. Where a line breaks depends on the fonts a machine
    has (Times New Roman, or a substitute), so narrower widths are tried too: the year must be
    kept with the word before it, not merely happen to fit."""
    width = A4_PX
    if media == "print":
        _, right, _, left = page_margins(a4_page)
        a4_page.emulate_media(media="print")
        width = round((210 - left - right) * MM)
    for tried in range(360, width + 1, 4):  # down to a phone's width
        a4_page.set_viewport_size({"width": tried, "height": 1123})
        found = a4_page.evaluate(ALONE, "2025")
        assert len(found) >= 2, found  # the subject and the closing note at least
        assert not [f for f in found if f["alone"]], (tried, found)


def test_number_and_dated_lines(a4_page: Any) -> None:
    number = a4_page.locator(".doc-head .number").inner_text()
    assert number.startswith("Số: ") and "/BC" in number
    dated = a4_page.locator(".doc-head .date").inner_text()
    assert dated == "Ninh Bình, ngày 05 tháng 01 năm 2026"
    head = a4_page.locator(".doc-head").bounding_box()
    for selector in (".doc-head .date", ".doc-head .nation", ".doc-head .motto"):
        box = a4_page.locator(selector).bounding_box()
        assert box["height"] < 30, selector  # one line
        assert head["x"] - 1 <= box["x"] and box["x"] + box["width"] <= head["x"] + head["width"] + 1
    assert a4_page.locator("h1").inner_text().splitlines()[0] == "BÁO CÁO"


def test_a4_margins_and_font(a4_page: Any) -> None:
    top, right, bottom, left = page_margins(a4_page)
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    style = a4_page.evaluate("""() => { const s = getComputedStyle(document.body);
      return [s.fontFamily, parseFloat(s.fontSize)]; }""")
    assert style[0].startswith('"Times New Roman"')
    assert 13 <= round(style[1] * 72 / 96, 1) <= 14  # px to pt
    # On screen the text sits where it would on the sheet: 30 mm from the left edge.
    left_px = a4_page.locator("h1").bounding_box()["x"]
    assert abs(left_px - 30 * MM) < 2


#: Each cell's text: how many lines it takes (distinct tops of its characters' boxes), and
#: whether the text shown is a web address.
CELL_LINES = r"""() => [...document.querySelectorAll('td')].map(td => {
  const tops = new Set(), broken = [];
  const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
  let last = null, space = true;  // the top of the last letter; whether a space came after it
  const block = e => e && e.nodeType === 1 && getComputedStyle(e).display !== 'inline';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // a block (a list's item, the date under the title) starts its own line: as after a space
    let at = node;
    while (at !== td && !at.previousSibling) at = at.parentNode;
    if (at === td || block(at) || block(at.previousSibling)) space = true;
    for (let i = 0; i < node.data.length; i++) {
      if (/\s/.test(node.data[i])) { space = true; continue; }
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
      const box = r.getBoundingClientRect();
      if (!box.height) continue;
      const top = Math.round(box.top / 4);
      if (last !== null && top !== last && !space) broken.push(node.data.slice(Math.max(0, i - 8), i + 8));
      tops.add(top); last = top; space = false;
    }
  }
  const text = td.textContent.trim();
  return {table: td.closest('table').className, text: text.slice(0, 60), lines: tops.size,
          address: /^(https?:\/\/|www\.)|^[\w.-]+\.[a-z]{2,}\//i.test(text), words: text.split(/\s+/).length,
          items: td.querySelectorAll('li').length, broken};
})"""


@pytest.mark.parametrize("media", ["screen", "print"])
def test_the_tables_cells_fit_the_a4_sheet(a4_page: Any, media: str) -> None:
    """Table I: a unit's name on at most 3 lines, a count or "Chưa có điển hình" on at most 2
    (it took 4). Table II: no web address shown as a cell's text (the article's title links
    to it; the addresses took 10 lines each), each award on at most 4 lines (one list of four
    took 30), any other cell on at most 8; its lines break at spaces only. Measured with the
    fonts this machine has: where Times New Roman is missing its substitute (DejaVu Serif)
    is wider, so the limits leave room for it."""
    if media == "print":
        a4_page.emulate_media(media="print")
        _, right, _, left = page_margins(a4_page)
        a4_page.set_viewport_size({"width": round((210 - left - right) * MM), "height": 1123})
    cells = a4_page.evaluate(CELL_LINES)
    assert cells and any(c["table"] == "list" for c in cells), "the 2025 report has no table II"
    addresses = [c["text"] for c in cells if c["address"]]
    assert not addresses, f"web addresses shown as cells' text: {addresses}"
    limit = {"summary": lambda c: 3 if c["words"] > 3 else 2,
             "list": lambda c: 4 * c["items"] if c["items"] else 8}
    inside = [c["broken"] for c in cells if c["table"] == "list" and c["broken"]]
    assert not inside, f"table II's lines break inside a word or a decision's number: {inside}"
    tall = [c for c in cells if c["lines"] > limit[c["table"]](c)]
    assert not tall, f"cells wrapped onto too many lines at A4 width: {tall}"
