"""``sitegen serve``'s error banner in Chromium at 390 px: in view however the page is laid out
or scrolled (issue 20, item 11: after saving a broken file, the reloaded page kept its scroll
position and its error box sat at y = −294 px, above the top of the screen)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from helpers import article

from tests.browser.test_pages import AXE_TAGS

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


def test_the_error_banner_is_compact_and_can_be_closed_at_390(browser: Any, make_site, serve_site,  # type: ignore[no-untyped-def]
                                                              axe_script: Path) -> None:
    """The banner covered the header and the menu (271 of 844 px) and could not be put away:
    folded it is one line (how many errors, the first one), unfolded it lists them all, and
    its close button hides it until the next reload."""
    broken = {f"content/tin-tuc/hong-{i}.md": article(f"Bài hỏng {i}", draft="có") for i in range(4)}
    site: Path = make_site({"content/tin-tuc/a.md": article("Bài lành"), **broken})
    base = serve_site(site)
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(base, wait_until="load")
        banner = page.locator("#sitegen-error")
        folded = banner.bounding_box()
        assert folded is not None and folded["height"] <= 0.25 * HEIGHT, folded
        assert "4 lỗi" in banner.inner_text() and "hong-0.md" in banner.inner_text()
        assert "hong-3.md" not in banner.inner_text()  # the rest is folded away
        page.locator("#sitegen-error summary").press("Enter")  # unfolded from the keyboard
        assert all(f"hong-{i}.md" in banner.inner_text() for i in range(4))
        page.add_script_tag(path=str(axe_script))
        found = page.evaluate("tags => axe.run('#sitegen-error', {runOnly: {type: 'tag', values: tags}})"
                              ".then(r => r.violations.map(v => v.id))", AXE_TAGS)
        assert found == [], f"axe-core on the unfolded banner: {found}"
        close = banner.get_by_role("button", name="Đóng")
        close.focus()
        page.keyboard.press("Enter")
        assert banner.count() == 0 or not banner.is_visible()
        page.reload(wait_until="load")  # the errors remain: the banner comes back
        assert page.locator("#sitegen-error").is_visible()
    finally:
        context.close()


def test_a_body_edit_reloads_its_page_in_chromium_and_leaves_the_others(  # type: ignore[no-untyped-def]
        browser: Any, make_site, serve_site) -> None:
    """The page of an article whose body was edited reloads with the new text (its preview,
    sitegen.commands.preview: Chromium's event stream names the page it serves); a page the
    edit does not change is not reloaded, by the preview or by the whole rebuild after it."""
    site: Path = make_site({
        "content/tin-tuc/a.md": article("Bài dài", body=BODY),
        "content/tin-tuc/b.md": article("Bài ngắn"),
        "content/pages/lien-he.md": article("Liên hệ", None, body="Số điện thoại của Sở."),
    })
    base = serve_site(site)
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    try:
        edited, other = context.new_page(), context.new_page()
        edited.goto(base + "tin-tuc/2025/03/bai-dai/", wait_until="load")
        other.goto(base + "lien-he/", wait_until="load")
        other.evaluate("window.notReloaded = true")
        time.sleep(0.5)  # both streams open
        with edited.expect_navigation(wait_until="load", timeout=15000), \
                (site / "content/tin-tuc/a.md").open("a", encoding="utf-8") as fh:
            fh.write("\n\nĐoạn mới viết thêm vào cuối bài.\n")
        assert "Đoạn mới viết thêm vào cuối bài." in edited.content()
        time.sleep(2.0)  # the whole rebuild after the preview
        assert other.evaluate("window.notReloaded === true")
        assert "Đoạn mới viết thêm vào cuối bài." in edited.content()
    finally:
        context.close()


def test_a_page_whose_title_is_edited_reloads_at_its_new_address_in_chromium(  # type: ignore[no-untyped-def]
        browser: Any, make_site, serve_site) -> None:
    """A new title without ``slug`` moves the article: the open page reloads, is sent on to
    the new address and shows the new title (not the 404 page)."""
    site: Path = make_site({"content/tin-tuc/a.md": article("Bài cũ", body=BODY),
                            "content/tin-tuc/b.md": article("Bài khác")})
    base = serve_site(site)
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(base + "tin-tuc/2025/03/bai-cu/", wait_until="load")
        time.sleep(0.5)  # its stream open
        with page.expect_navigation(wait_until="load", timeout=15000):
            (site / "content/tin-tuc/a.md").write_text(article("Bài mới đặt tên", body=BODY),
                                                       encoding="utf-8")
        assert page.url == base + "tin-tuc/2025/03/bai-moi-dat-ten/"
        assert page.locator("h1").inner_text() == "Bài mới đặt tên"
    finally:
        context.close()
