"""Layout a reader sees at 390 to 1440 px: the header's search box keeps a usable width next
to the brand and the tagline, with nothing cut off by the screen's edge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

#: A page in the site's language (the home page) and one in English.
HEADER_PAGES = ("", "about/")


@pytest.mark.parametrize("width", [390, 768, 1024, 1280, 1440])
def test_header_search_box_is_usable_at_every_width(new_visit: Any, width: int) -> None:
    v = new_visit(viewport={"width": width, "height": 844}, device_scale_factor=1)
    cramped = {}
    for rel in HEADER_PAGES:
        page = v.open(rel)
        box = page.locator(".site-header form[role=search]")
        field = box.locator("input[name=q]").bounding_box()
        button = box.locator("button").bounding_box()
        form = box.bounding_box()
        scroll = int(page.evaluate("document.documentElement.scrollWidth"))
        wide_enough = field["width"] >= 150
        inside = button["x"] >= 0 and button["x"] + button["width"] <= width
        if not (wide_enough and inside and form["x"] + form["width"] <= width and scroll <= width):
            cramped[rel or "/"] = {"input": round(field["width"]),
                                   "button_right": round(button["x"] + button["width"]),
                                   "scroll": scroll}
        page.close()
    assert not cramped, f"the header's search box is squeezed or cut at {width} px: {cramped}"


# --------------------------------------------------------------------------- picture credits

def _pages_with_credits(out: Path) -> list[str]:
    """Every built page whose own picture has a credit: found in the output, not named here."""
    found = [p for p in sorted(out.rglob("index.html"))
             if 'class="lead-image"' in (text := p.read_text(encoding="utf-8"))
             and 'class="credit"' in text]
    return [p.parent.relative_to(out).as_posix() + "/" for p in found]


def test_picture_caption_and_credit_are_read_and_seen_apart(new_visit: Any, site_output: Path) -> None:
    pages = _pages_with_credits(site_output)
    assert pages, "the example site has no picture with a credit: the test would prove nothing"
    v = new_visit(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    joined = {}
    for rel in pages:
        page = v.open(rel)
        caption = page.locator(".lead-image figcaption")
        parts = caption.evaluate("""f => {
            const credit = f.querySelector('.credit'), before = document.createRange();
            before.setStart(f, 0); before.setEndBefore(credit);
            const rects = before.getClientRects();
            return {text: f.textContent.replace(/\\s+/g, ' ').trim(),
                    credit: credit.textContent.trim(), caption: before.toString().trim(),
                    captionBottom: rects.length ? rects[rects.length - 1].bottom : 0,
                    creditTop: credit.getClientRects()[0].top};
        }""")
        apart = (not parts["caption"] or (
            parts["caption"][-1] in ".!?…" and parts["creditTop"] >= parts["captionBottom"] - 1
            and parts["text"] == f'{parts["caption"]} {parts["credit"]}'))
        if not apart:
            joined[rel] = parts
        page.close()
    assert not joined, f"the caption runs into the credit (no full stop, same line): {joined}"
