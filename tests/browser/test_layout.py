"""Layout a reader sees at 390 to 1440 px: the header's search box keeps a usable width next
to the brand and the tagline, with nothing cut off by the screen's edge."""

from __future__ import annotations

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
