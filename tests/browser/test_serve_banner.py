"""``sitegen serve``'s error banner in Chromium at 390 px: in view however the page is laid out
or scrolled (issue 20, item 11: after saving a broken file, the reloaded page kept its scroll
position and its error box sat at y = −294 px, above the top of the screen)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from helpers import article

BODY = "\n\n".join(f"Đoạn văn số {i} của bài viết, đủ dài để trang phải cuộn." for i in range(80))
HEIGHT = 844


def in_view(page: Any) -> None:
    banner = page.locator("#sitegen-error")
    box = banner.bounding_box()
    assert box is not None and banner.is_visible()
    assert box["y"] >= 0 and box["y"] + min(box["height"], 40) <= HEIGHT, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box


def test_the_error_banner_stays_in_view_at_390(browser: Any, make_site, serve_site) -> None:  # type: ignore[no-untyped-def]
    site: Path = make_site({
        "content/tin-tuc/a.md": article("Bài dài", body=BODY),
        "content/tin-tuc/b.md": article("Bài ngắn"),
    })
    base = serve_site(site)
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(base + "tin-tuc/2025/03/bai-dai/", wait_until="load")
        page.evaluate("window.scrollTo(0, 2500)")
        time.sleep(0.3)
        with page.expect_navigation(wait_until="load", timeout=15000):  # the reload script
            (site / "content/tin-tuc/b.md").write_text(article("Bài ngắn", draft="có"),
                                                       encoding="utf-8")
        page.wait_for_selector("#sitegen-error", state="attached")
        assert page.evaluate("window.scrollY") > 0  # the reload kept the reader's place
        in_view(page)
        assert "content/tin-tuc/b.md" in page.locator("#sitegen-error").inner_text()
        for scroll in (0, 100000):
            page.evaluate(f"window.scrollTo(0, {scroll})")
            in_view(page)
    finally:
        context.close()
