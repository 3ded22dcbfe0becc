"""The search page of the built example site in headless Chromium (served under /tuyen-truyen/).

Words typed without accents or tones, either tone placement, title matches first, <mark>s,
the query kept in the address, JavaScript's folding equal to Python's, the page without
JavaScript; and the share block's copy button. No request may leave 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sitegen.features.search.files import decode
from sitegen.features.search.inverted import Doc, SearchIndex, search
from sitegen.features.search.keys import exact, exact_terms, terms
from sitegen.vn.text import fold

pytestmark = pytest.mark.browser

TRICKY = [
    "Thi Đua", "THI ĐUA YÊU NƯỚC", unicodedata.normalize("NFD", "Đinh Thị Hoà, Thủy, Ủy ban"),
    "hoà hòa HOÀ HÒA khoẻ khỏe thuỷ thủy", "Quyết định 1526/QĐ-TTg", "ơ ư ă â ê ô đ Đ",
    "Nghị định số 98/2023/NĐ-CP", "Straße ẞ", "ΣΊΣΥΦΟΣ", "İstanbul", "Ǆungla", "a\u0301\u0323b",
    "x\u0308y\u0336z", "Tràng An – Bái Đính · Hoa Lư", "２０２５年", "ﬁ ligature ŉ ǰ", "ᾼ ᾀ ᾳ",
    "",
]


def open_search(visit: Any, query: str) -> Any:
    page = visit.open("tim-kiem/?q=" + query.replace(" ", "+"))
    page.wait_for_selector(f'#ket-qua[data-for="{query}"]', state="attached", timeout=15_000)
    return page


def shown(page: Any) -> list[dict[str, Any]]:
    """Each result: its title, the texts of its <mark>s, its link."""
    return page.eval_on_selector_all(".search-hit", """items => items.map(li => ({
        title: li.querySelector('h2').textContent,
        href: li.querySelector('a').href,
        marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent)}))""")


def python_index(out: Path) -> SearchIndex:
    """The index as the browser reads it, back in Python (for sitegen.features.search.inverted.search)."""
    html = (out / "tim-kiem/index.html").read_text(encoding="utf-8")
    manifest = json.loads(re.search(r'id="cau-hinh-tim-kiem">(.*?)</script>', html, re.S)[1])
    folder = out / "tim-kiem" / manifest["index"]
    postings: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    for shard in folder.glob("terms*.json"):
        for key, entry in json.loads(shard.read_text(encoding="utf-8")).items():
            postings[key] = (tuple(decode(entry[0])),
                             tuple(decode(entry[1])) if len(entry) > 1 else ())
    rows = []
    for n in range(-(-manifest["count"] // manifest["perFile"])):
        rows += json.loads((folder / f"docs-{n}.json").read_text(encoding="utf-8"))
    return SearchIndex(tuple(Doc(*row) for row in rows), tuple(manifest["sections"]), postings)


def first_article(out: Path) -> str:
    found = sorted(out.glob("*/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))
    assert found
    return found[-1].relative_to(out).as_posix()


def test_without_accents_title_first_marked_as_python_ranks(visit: Any,
                                                            site_output: Path) -> None:
    page = open_search(visit, "thi dua")
    results = shown(page)
    assert results, page.inner_text("#trang-thai-tim-kiem")
    assert "Tìm thấy" in page.inner_text("#trang-thai-tim-kiem")
    assert any("thi đua" in r["title"].lower() for r in results)
    marks = [m for r in results for m in r["marks"]]
    assert marks and all(fold(m) in ("thi dua", "thi", "dua") for m in marks)
    assert any(m.lower() == "thi đua" for m in marks)
    # every title holding both words comes before any that does not
    whole = [{"thi", "dua"} <= set(terms(r["title"])) for r in results]
    assert whole == sorted(whole, reverse=True) and whole[0]
    # the same order as the Python reference, on the same index files
    index = python_index(site_output)
    expected = [index.docs[n].title for n in search(index, "thi dua")]
    assert [r["title"] for r in results] == expected[:len(results)]
    assert all(urlsplit(r["href"]).path.startswith("/tuyen-truyen/") for r in results)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["thi dua"]}
    assert visit.foreign_requests() == []


@pytest.mark.parametrize("query", ["dinh", "hoà", "Tràng An", "du lich", "khen thuong nam 2025",
                                   "Đinh Thị Hoa", "1526", "thi đua", "Cộng hòa", "hoa"])
def test_the_browser_ranks_as_python(visit: Any, site_output: Path, query: str) -> None:
    index = python_index(site_output)
    expected = [index.docs[n].title for n in search(index, query)]
    page = open_search(visit, query)
    titles = [r["title"] for r in shown(page)]
    assert titles == expected[:10]
    if len(expected) > 10:  # "Xem thêm kết quả" shows the next ten
        page.click(".search-more")
        page.wait_for_function("document.querySelectorAll('.search-hit').length > 10")
        assert [r["title"] for r in shown(page)] == expected[:20]


def test_the_index_is_fetched_before_the_page_is_parsed(visit: Any) -> None:
    """The engine in the head asks for ?q= at once: the query's shard is requested while
    the stylesheet and the page half (search.js) are still held back by the server."""
    held: list[Any] = []
    visit.context.route(re.compile(r".*/assets/(site\.css|search\.js)(\?.*)?$"),
                        lambda route: held.append(route))
    page = visit.context.new_page()
    with page.expect_request(lambda request: "/tim-kiem/index/terms" in request.url,
                             timeout=10_000):
        page.goto(visit.base + "tim-kiem/?q=dinh", wait_until="commit")
    # The shard was asked for while nothing let the two through: both are (or will be) held.
    deadline = time.monotonic() + 10
    while len(held) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert len(held) == 2
    for route in held:
        route.continue_()
    page.wait_for_selector('#ket-qua[data-for="dinh"]', state="attached")
    assert shown(page)


def test_a_missing_index_says_so(visit: Any) -> None:
    visit.context.route("**/tim-kiem/index/**", lambda route: route.abort())
    page = visit.open("tim-kiem/?q=thi+dua")
    page.wait_for_function("document.getElementById('trang-thai-tim-kiem').textContent"
                           ".includes('Không tải được')")
    assert page.is_hidden("#ket-qua")
    page.fill("#tu-khoa", "dinh")  # a typed query reports it too, and the page still works
    page.press("#tu-khoa", "Enter")
    page.wait_for_function("new URL(location.href).searchParams.get('q') === 'dinh'")
    assert "Không tải được" in page.inner_text("#trang-thai-tim-kiem")


def test_dinh_finds_dinh(visit: Any) -> None:
    results = shown(open_search(visit, "dinh"))
    assert any("Đinh" in r["title"] for r in results)
    assert "Đinh" in {m for r in results for m in r["marks"]}


def test_either_tone_placement(visit: Any) -> None:
    results = shown(open_search(visit, "hoà"))
    marks = {m.lower() for r in results for m in r["marks"]}
    assert "hòa" in marks  # written "hòa" in the articles, typed "hoà"
    assert all(fold(m) == "hoa" for m in marks)
    assert [r["title"] for r in results] == [r["title"] for r in shown(open_search(visit, "hòa"))]


def test_typing_keeps_the_query_in_the_address(visit: Any) -> None:
    page = visit.open("tim-kiem/")
    assert page.is_hidden("#ket-qua")
    page.fill("#tu-khoa", "Tràng An")
    page.press("#tu-khoa", "Enter")
    page.wait_for_selector('#ket-qua[data-for="Tràng An"]', state="attached")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["Tràng An"]}
    first = shown(page)
    assert first and page.is_visible("#ket-qua")
    again = visit.context.new_page()  # the address, shared, gives the same results
    again.goto(page.url)
    again.wait_for_selector('#ket-qua[data-for="Tràng An"]', state="attached")
    assert shown(again) == first
    page.fill("#tu-khoa", "khongcotukhoanay")
    page.wait_for_selector('#ket-qua[data-for="khongcotukhoanay"]', state="attached")
    assert "Không tìm thấy" in page.inner_text("#trang-thai-tim-kiem")
    assert page.is_hidden("#ket-qua")
    assert visit.foreign_requests() == []


def test_javascript_folds_as_python(visit: Any) -> None:
    page = visit.open("tim-kiem/")
    got = page.evaluate("""strings => strings.map(s => [window.sitegenSearch.fold(s),
                                                         window.sitegenSearch.terms(s)])""",
                        TRICKY)
    assert got == [[fold(s), terms(s)] for s in TRICKY]
    words = [w for s in TRICKY for w in re.findall(r"[^\W_]+", unicodedata.normalize("NFC", s))]
    got = page.evaluate("""([strings, words]) => [strings.map(s => window.sitegenSearch.exactTerms(s)),
                                                 words.map(w => window.sitegenSearch.exact(w))]""",
                        [TRICKY, words])
    assert got[0] == [[list(pair) for pair in exact_terms(s)] for s in TRICKY]
    assert got[1] == [exact(w) for w in words]


def _texts(page: Any) -> list[dict[str, Any]]:
    """Each result: its title and summary as shown, and the texts of its <mark>s."""
    return page.eval_on_selector_all(".search-hit", """items => items.map(li => ({
        text: li.querySelector('h2').textContent + ' ' +
              (li.querySelector('.search-snippet') || {textContent: ''}).textContent,
        marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent)}))""")


def test_the_accents_typed_come_first_and_only_what_matched_is_marked(visit: Any) -> None:
    """Issue 20, item 5: "hoà" ranks "Cộng hòa" above "Hoa Lư" (the old tone placement is
    the same syllable); a result marks "hòa" where it has it, "Hoa" only where it has not."""
    page = open_search(visit, "hoà")
    assert "đúng dấu như bạn gõ lên trước" in page.inner_text("#trang-thai-tim-kiem")
    results = _texts(page)
    exact_at = [i for i, r in enumerate(results) if "hòa" in exact(r["text"])]
    hoa_lu = [i for i, r in enumerate(results) if "Hoa Lư" in r["text"] and "hòa" not in exact(r["text"])]
    assert exact_at and hoa_lu and max(exact_at) < min(hoa_lu), results
    for r in results:
        accented = any(exact(m) == "hòa" for m in r["marks"])
        if "hòa" in exact(r["text"]):
            assert accented and all(exact(m) == "hòa" for m in r["marks"]), r
        else:
            assert all(fold(m) == "hoa" for m in r["marks"]), r


def test_a_phrase_is_marked_not_its_words_elsewhere(visit: Any) -> None:
    """"thi dua" marks "thi đua" side by side; not "Thị" in a name, nor "đua" or "đưa" alone,
    in a result that has the phrase."""
    results = _texts(open_search(visit, "thi dua"))
    with_phrase = [r for r in results if any(fold(m) == "thi dua" for m in r["marks"])]
    assert with_phrase
    for r in with_phrase:
        assert all(fold(m) == "thi dua" for m in r["marks"]), r
    lone = [m for r in results for m in r["marks"] if m in ("Thị", "thị", "đưa", "Đưa")]
    assert not lone, f"words marked that did not match: {lone}"


def test_without_javascript(new_visit: Any, site_output: Path) -> None:
    visit = new_visit(java_script_enabled=False)
    page = visit.open("tim-kiem/?q=thi+dua")
    assert "tắt JavaScript" in page.inner_text("main")
    assert page.is_hidden("#ket-qua")
    page.fill("#tu-khoa", "dinh")
    with page.expect_navigation():
        page.press("#tu-khoa", "Enter")  # a plain GET form
    assert parse_qs(urlsplit(page.url).query) == {"q": ["dinh"]}
    article = visit.open(first_article(site_output))
    assert article.is_hidden("[data-copy-link]")
    assert article.input_value("#lien-ket-bai-viet").startswith("https://")
    assert visit.foreign_requests() == []


def test_copy_link(new_visit: Any, site_output: Path) -> None:
    visit = new_visit(permissions=["clipboard-read", "clipboard-write"])
    page = visit.open(first_article(site_output))
    canonical = page.eval_on_selector('link[rel="canonical"]', "l => l.href")
    button = page.locator("[data-copy-link]")
    assert button.is_visible() and button.inner_text() == "Sao chép liên kết"
    button.click()
    page.wait_for_function("document.querySelector('.share-status').textContent !== ''")
    assert page.inner_text(".share-status") == "Đã sao chép liên kết."
    assert page.evaluate("navigator.clipboard.readText()") == canonical
    share = page.eval_on_selector_all(".share-link", "as => as.map(a => [a.href, a.target, a.rel])")
    assert {urlsplit(h).hostname for h, _, _ in share} == {"www.facebook.com", "sp.zalo.me"}
    assert all(t == "_blank" and r == "noopener noreferrer" for _, t, r in share)
    assert visit.foreign_requests() == []
