"""The built example site in headless Chromium, served under /tuyen-truyen/ on 127.0.0.1.

What a reader does (click from home to a section, an article, a tag), what a printer gets,
what a phone shows (no sideways scrolling at 390 px), what axe-core finds (WCAG 2.0/2.1 A
and AA), what happens without JavaScript, and that no page asks any other host for anything.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTICLE = re.compile(r"^[a-z0-9-]+/\d{4}/\d{2}/[^/]+/index\.html$")


def _rel(out: Path, path: Path) -> str:
    return path.relative_to(out).as_posix()


def first_article(out: Path, section: str) -> str:
    """The site path (index.html) of the newest article of ``section``."""
    found = sorted(out.glob(f"{section}/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"),
                   reverse=True)
    assert found, f"no article published in {section}/"
    return _rel(out, found[0])


def sections_by_kind(config: dict[str, Any]) -> dict[str, str]:
    """kind -> the first section of that kind, from config.yaml."""
    out: dict[str, str] = {}
    for name, spec in (config.get("sections") or {}).items():
        out.setdefault(spec.get("kind", "news"), name)
    return out


def tags_path(config: dict[str, Any]) -> str:
    return str((config.get("paths") or {}).get("tags", "chu-de")) + "/"


def assert_local(visit: Any) -> None:
    foreign = visit.foreign_requests()
    assert not foreign, f"requests to hosts other than 127.0.0.1: {foreign}"
    assert visit.requests, "no request was recorded"


def assert_one_h1(page: Any) -> None:
    assert page.locator("h1").count() == 1, f"{page.url}: not exactly one h1"


# --------------------------------------------------------------------------- navigation

def test_click_home_section_article_tag(visit: Any, site_config: dict[str, Any]) -> None:
    kinds = sections_by_kind(site_config)
    section = kinds.get("model") or next(iter(site_config["sections"]))
    page = visit.open()
    assert_one_h1(page)

    # home → section, by the main menu
    with page.expect_navigation():
        page.locator(f'.site-nav a[href^="{section}/"]').first.click()
    assert f"/tuyen-truyen/{section}/" in page.url
    section_title = site_config["sections"][section]["title"]
    assert (page.locator("h1").text_content() or "").strip() == section_title
    assert page.locator('.site-nav a[aria-current="page"]').inner_text().strip() == section_title

    # section → its newest article, by its title in the list
    title_link = page.locator("main .card-title a, main .register .col-title a").first
    article_title = (title_link.text_content() or "").strip()
    with page.expect_navigation():
        title_link.click()
    assert re.search(rf"/tuyen-truyen/{section}/\d{{4}}/\d{{2}}/", page.url), page.url
    assert (page.locator("h1").text_content() or "").strip() == article_title
    assert_one_h1(page)
    crumbs = page.locator(".breadcrumbs li").all_inner_texts()
    assert [c.strip() for c in crumbs[:2]] == ["Trang chủ", section_title]

    # article → one of its tags
    tag_link = page.locator(".tag-list a").first
    tag = (tag_link.text_content() or "").strip()
    with page.expect_navigation():
        tag_link.click()
    assert f"/tuyen-truyen/{tags_path(site_config)}" in page.url
    # a tag page's title starts upper case, as every title does
    assert (page.locator("h1").text_content() or "").strip() == tag[:1].upper() + tag[1:]
    assert page.get_by_role("link", name=article_title, exact=True).count() >= 1
    assert_local(visit)


def test_skip_link_is_first_and_moves_to_main(visit: Any) -> None:
    page = visit.open()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.locator(".skip-link").is_visible(), "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.url.endswith("#noi-dung")
    assert page.evaluate("document.activeElement.id") == "noi-dung"


def test_focus_is_visible(visit: Any) -> None:
    page = visit.open()
    for _ in range(3):
        page.keyboard.press("Tab")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert outline[0] != "none" and outline[1] >= 2, f"focused link has no outline: {outline}"


# --------------------------------------------------------------------------- print

def test_print_hides_menus_and_shows_address(visit: Any, site_output: Path,
                                             site_config: dict[str, Any]) -> None:
    rel = first_article(site_output, next(iter(site_config["sections"])))
    page = visit.open(rel)
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical and canonical.startswith("http")

    # on screen: menu shown, address hidden, the "In bài" button shown (JavaScript is on)
    assert page.locator(".site-nav").is_visible()
    assert not page.locator(".print-address").is_visible()
    button = page.locator("[data-print]")
    assert button.is_visible() and button.inner_text().strip() == "In bài"

    page.emulate_media(media="print")
    for chrome in (".site-nav", ".breadcrumbs", ".footer-nav", ".skip-link", "[data-print]"):
        loc = page.locator(chrome)
        assert all(not loc.nth(i).is_visible() for i in range(loc.count())), f"{chrome} printed"
    address = page.locator(".print-address")
    assert address.is_visible()
    assert canonical in address.inner_text()
    assert page.locator("h1").is_visible()
    assert page.locator("article time").first.is_visible()
    assert page.locator(".prose").is_visible()
    assert_local(visit)


def test_print_button_hidden_without_javascript(new_visit: Any, site_output: Path,
                                                site_config: dict[str, Any]) -> None:
    v = new_visit(java_script_enabled=False, viewport={"width": 390, "height": 800})
    rel = first_article(site_output, next(iter(site_config["sections"])))
    page = v.open(rel)
    assert not page.locator("[data-print]").is_visible()
    # without JavaScript the page is whole: menu open, body text readable
    assert page.locator(".site-nav ul a").first.is_visible()
    assert page.locator(".prose p").first.is_visible()
    assert not page.locator(".nav-toggle").is_visible()
    assert_local(v)


# --------------------------------------------------------------------------- phones

def test_no_sideways_scrolling_at_390(new_visit: Any, site_output: Path,
                                      site_config: dict[str, Any]) -> None:
    v = new_visit(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    kinds = sections_by_kind(site_config)
    pages = ["", *(f"{s}/" for s in kinds.values()),
             *(first_article(site_output, s) for s in kinds.values()), tags_path(site_config)]
    wide = {}
    for rel in pages:
        page = v.open(rel)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[rel or "index.html"] = width
        page.close()
    assert not wide, f"pages wider than a 390 px phone: {wide}"
    assert_local(v)


def test_phone_menu_folds_behind_its_button(new_visit: Any) -> None:
    v = new_visit(viewport={"width": 390, "height": 844})
    page = v.open()
    toggle = page.locator(".nav-toggle")
    first_link = page.locator(".site-nav ul a").first
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not first_link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert first_link.is_visible()


def test_pictures_fit_the_column(new_visit: Any, site_output: Path) -> None:
    v = new_visit(viewport={"width": 320, "height": 700})
    with_pictures = [_rel(site_output, p) for p in sorted(site_output.rglob("index.html"))
                     if ARTICLE.match(_rel(site_output, p))
                     and "<img" in p.read_text(encoding="utf-8")]
    assert with_pictures, "no article with a picture in the example site"
    for rel in with_pictures[:4]:
        page = v.open(rel)
        bad = page.evaluate("""() => [...document.querySelectorAll('main img')].filter(img =>
            !img.alt && img.closest('.card') === null
            || img.getBoundingClientRect().width > img.parentElement.getBoundingClientRect().width + 1
            || img.getAttribute('loading') !== 'lazy' && img.closest('.lead-image') === null
            || !img.getAttribute('width') || !img.getAttribute('height')
          ).map(img => img.getAttribute('src'))""")
        assert not bad, f"{rel}: pictures without alt/size/lazy or wider than their column: {bad}"
        # The featured picture is the page's first: loaded at once (issue 19).
        assert page.evaluate("""() => [...document.querySelectorAll('.lead-image img')].every(
            img => img.loading === 'eager' && img.getAttribute('fetchpriority') === 'high')""")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.close()


# --------------------------------------------------------------------------- language

def test_english_page_speaks_english(visit: Any, site_output: Path) -> None:
    english = [p for p in sorted(site_output.glob("*/index.html"))
               if '<html lang="en">' in p.read_text(encoding="utf-8")]
    if not english:
        pytest.skip("the example site has no English page (lang: en)")
    page = visit.open(_rel(site_output, english[0]))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".skip-link").inner_text().strip() == "Skip to main content"
    # English chrome: the menu in English, the way back to Vietnamese marked as Vietnamese
    assert page.locator(".site-nav ul").get_attribute("lang") is None
    assert page.locator(".nav-home-text").inner_text().strip() == "Home"
    back = page.locator(".topbar-lang a")
    assert back.inner_text().strip() == "Tiếng Việt" and back.get_attribute("lang") == "vi"


# --------------------------------------------------------------------------- axe-core

def _axe_pages(out: Path, config: dict[str, Any]) -> list[str]:
    kinds = sections_by_kind(config)
    articles = [first_article(out, s) for s in kinds.values()]
    first_section = next(iter(config["sections"]))
    return ["", *articles, f"{first_section}/", f"{kinds.get('document', first_section)}/",
            tags_path(config)]


def test_axe_finds_no_wcag_violation(visit: Any, axe_script: Path, site_output: Path,
                                     site_config: dict[str, Any]) -> None:
    found: dict[str, list[str]] = {}
    for rel in _axe_pages(site_output, site_config):
        page = visit.open(rel)
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        violations = [f"{v['id']} ({v['impact']}): {v['help']} at "
                      f"{', '.join(' '.join(n['target']) for n in v['nodes'][:3])}"
                      for v in result["violations"]]
        if violations:
            found[rel or "index.html"] = violations
        page.close()
    assert not found, "axe-core violations:\n" + "\n".join(
        f"{rel}: {v}" for rel, vs in found.items() for v in vs)
    assert_local(visit)


def test_no_request_leaves_127_0_0_1(visit: Any, site_output: Path,
                                     site_config: dict[str, Any]) -> None:
    rels = _axe_pages(site_output, site_config)
    rels += [_rel(site_output, p) for p in sorted(site_output.glob("*/index.html"))][:6]
    for rel in rels:
        page = visit.open(rel)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("load")
        page.close()
    assert_local(visit)
