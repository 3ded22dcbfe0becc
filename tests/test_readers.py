"""What a reader sees on the example site, built once (issue 20, 'Readers'): one date style,
English chrome on English pages, the home page, tag pages, related articles, the footer.
The browser-only checks (widths, the 404 page served deep, search) are in tests/browser."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
import yaml
from helpers import FIXED_EPOCH, MINIMAL_CONFIG, TESTS, article

from sitegen.cli import main

REPO = TESTS.parent
#: dd/mm/yyyy, or a date written with a one-digit day or month.
DATE = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repository's example site, built once; yields its output folder."""
    root = tmp_path_factory.mktemp("example")
    site, out = root / "site", root / "out"
    site.mkdir()
    shutil.copy(REPO / "config.yaml", site / "config.yaml")
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, site / folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(FIXED_EPOCH))
        mp.setattr(sys, "stderr", StringIO())
        mp.setattr(sys, "stdout", StringIO())
        assert main(["build", "--site", str(site), "--output", str(out), "--quiet"]) == 0
    yield out


class _Texts(HTMLParser):
    """The text inside the elements whose tag or one of whose classes is in ``wanted``."""

    def __init__(self, wanted: set[str]) -> None:
        super().__init__()
        self.wanted, self.stack, self.found = wanted, [], []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "br", "meta", "link", "input", "hr", "source"):
            return
        names = {tag, *(dict(attrs).get("class") or "").split()}
        hit = bool(names & self.wanted)
        self.stack.append(hit)
        if hit:
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any(self.stack):
            self.found[-1] += data


def texts(html: str, *wanted: str) -> list[str]:
    """The texts of the elements of ``html`` named by tag or class in ``wanted``."""
    parser = _Texts(set(wanted))
    parser.feed(html)
    return [t.strip() for t in parser.found]


def pages(out: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(out.rglob("*.html")):
        yield path.relative_to(out).as_posix(), path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 2. dates

def test_every_date_the_theme_writes_is_dd_mm_yyyy(example: Path) -> None:
    """Cards, ranges, calendar and commemorations: dd/mm/yyyy everywhere (the writer's own
    text, in titles and bodies, is left as written)."""
    seen, bad = 0, {}
    for rel, html in pages(example):
        shown = texts(html, "time", "card-fact", "calendar-date", "calendar-number",
                      "facts-list")
        shown += re.findall(r'class="anniversary-text"><strong>.*?</strong> (\([^)]*\))', html)
        for text in shown:
            for written in DATE.findall(text):
                seen += 1
                if not re.fullmatch(r"\d\d/\d\d/\d{4}", written):
                    bad.setdefault(rel, set()).add(written)
    assert seen > 100, "too few dates found: the test reads the wrong elements"
    assert not bad, f"dates not written dd/mm/yyyy: {bad}"


def test_lunar_dates_are_dd_mm_yyyy_marked_al(example: Path) -> None:
    calendar = (example / "lich-ky-niem/index.html").read_text(encoding="utf-8")
    lunar = texts(calendar, "lunar")
    assert lunar and all(re.fullmatch(r"\(\d\d/\d\d/\d{4} ÂL\)", t) for t in lunar), lunar


# --------------------------------------------------------------------------- 7. smaller

def _h1(html: str) -> str:
    return texts(html, "h1")[0]


def test_breadcrumb_shortens_a_long_title_at_a_word(example: Path) -> None:
    shortened = 0
    for rel, html in pages(example):
        crumbs = re.findall(r'<span aria-current="page">([^<]*)</span></li>\s*</ol>', html)
        if not crumbs or "article-title" not in html:
            continue
        crumb, title = crumbs[0].replace("&#34;", '"'), _h1(html).replace("&#34;", '"')
        if crumb == title:
            continue
        shortened += 1
        assert crumb.endswith("…") and len(crumb) <= 60, (rel, crumb)
        kept = crumb[:-1]
        assert title.startswith(kept), (rel, crumb, title)
        # the cut falls between words: the title goes on with a space or a punctuation mark
        assert title[len(kept)] in " ,;:.–-", (rel, crumb, title)
    assert shortened, "no title in the example site is long enough to be shortened"


def test_tag_pages_title_and_breadcrumb_start_upper_case(example: Path) -> None:
    tag_pages = sorted((example / "chu-de").glob("*/index.html"))
    assert tag_pages
    for path in tag_pages:
        html = path.read_text(encoding="utf-8")
        title = _h1(html)
        crumb = re.findall(r'<span aria-current="page">([^<]*)</span>', html)[0]
        head = re.search(r"<title>([^<|]*)", html)
        assert head is not None
        for text in (title, crumb, head[1].strip()):
            assert text[:1].isupper(), f"{path}: {text!r} starts lower case"


def test_home_does_not_repeat_the_title_and_tagline_under_the_header(example: Path) -> None:
    html = (example / "index.html").read_text(encoding="utf-8")
    main = html.split('<main id="noi-dung"', 1)[1].split("</main>", 1)[0]
    assert "Trang tuyên truyền thi đua – khen thưởng" not in main, "the tagline is repeated"
    # one h1, the site's title, for screen readers only: the masthead shows it
    assert re.findall(r"<h1[^>]*>", html) == ['<h1 class="visually-hidden">']
    assert "<h1 class=\"visually-hidden\">Tuyên truyền gương điển hình tiên tiến</h1>" in main


def test_footer_credit_is_off_unless_the_config_says_so(example: Path, make_site, build_ok,
                                                        tmp_path: Path) -> None:
    footer = (example / "index.html").read_text(encoding="utf-8").split("<footer", 1)[1]
    assert "sitegen" not in footer and "Trang được tạo bằng" not in footer
    files = {"content/tin-tuc/a.md": article("Bài một")}
    site = make_site(files, config=MINIMAL_CONFIG + "footer_credit: true\n")
    build_ok(site, tmp_path / "out")
    footer = (tmp_path / "out/index.html").read_text(encoding="utf-8").split("<footer", 1)[1]
    assert re.search(r"Trang được tạo bằng sitegen \d+\.\d+", footer)


def test_footer_credit_must_be_true_or_false(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(config=MINIMAL_CONFIG + "footer_credit: có\n")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 2
    assert "config.yaml:3" in result.err and "footer_credit" in result.err
    assert "true hoặc false" in result.err


# --------------------------------------------------------------------------- 4. languages

def _part(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_english_pages_get_english_chrome(example: Path) -> None:
    english = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))["languages"]["en"]
    for rel in ("about/index.html", "contact/index.html"):
        html = (example / rel).read_text(encoding="utf-8")
        assert '<html lang="en">' in html
        header, footer = _part(html, "<header", "</header>"), _part(html, "<footer", "</footer>")
        # the top bar: one way back, in Vietnamese and marked so
        assert texts(header, "topbar") == ["Tiếng Việt"]
        assert re.search(r'<li class="topbar-lang"><a href="[^"]+" lang="vi" hreflang="vi">', header)
        # the header: the site's English names, the English pages in the menu
        assert texts(header, "brand-operator") == [english["operator"]]
        assert texts(header, "brand-title") == [english["title"]]
        assert texts(header, "masthead-tagline") == [english["tagline"]]
        menu = [t for t in texts(_part(header, 'id="menu-chinh-ds"', "</ul>"), "a")]
        assert menu == ["Home", "About this site", "Contact"]
        # the footer: English names and licence, the English pages only
        assert english["responsible"] in footer and english["address"] in footer
        assert texts(footer, "licence") == [" ".join(english["licence"].split())]
        assert "Giới thiệu" not in footer and "Liên hệ" not in footer
        assert "Sở Du lịch" not in header + footer, "Vietnamese names left in the chrome"


def test_vietnamese_pages_show_english_only_as_english_in_the_top_bar(example: Path) -> None:
    checked = 0
    for rel, html in pages(example):
        if '<html lang="vi">' not in html or "<footer" not in html:
            continue
        checked += 1
        footer = _part(html, "<footer", "</footer>")
        assert "About this site" not in footer and "Contact" not in footer, rel
        english = re.findall(r'<a [^>]*hreflang="en"[^>]*>([^<]*)</a>', _part(html, "<header", "</header>"))
        assert english == ["English"], (rel, english)
    assert checked > 50


def test_an_english_article_has_english_dates_and_weekdays(make_site, build_ok,
                                                           tmp_path: Path) -> None:
    site = make_site({
        "content/tin-tuc/visit.md": article("A visit", date="2025-03-10", lang="en",
                                            updated="2025-03-12"),
        "content/phong-trao-thi-dua/phong-trao.md": article(
            "Green destinations", lang="en", launched_by="Sở Du lịch", start="2025-03-01",
            end="2025-12-31"),
    })
    build_ok(site, tmp_path / "out")
    html = (tmp_path / "out/tin-tuc/2025/03/a-visit/index.html").read_text(encoding="utf-8")
    meta = texts(html, "article-meta")[0]
    assert "Monday, 10 March 2025" in meta and "Updated 12 March 2025" in meta
    assert "Thứ" not in meta
    movement = tmp_path / "out/phong-trao-thi-dua/2025/03/green-destinations/index.html"
    facts = " ".join(texts(movement.read_text(encoding="utf-8"), "facts-list"))
    assert "From 1 March 2025 to 31 December 2025" in " ".join(facts.split())


def test_languages_names_an_unknown_key_with_the_nearest(make_site, run_cli) -> None:
    site = make_site(config=MINIMAL_CONFIG + "languages:\n  en:\n    titel: Exemplary workers\n")
    result = run_cli("check", "--site", site)
    assert "languages.en.titel" in result.err and "title" in result.err.split("titel", 1)[1]


# --------------------------------------------------------------------------- 6. related

def _aside(html: str) -> list[str]:
    box = html.split('<aside class="aside"', 1)[1].split("</ul>", 1)[0]
    return texts(box, "a")


def test_related_articles_share_tags_unit_and_field(make_site, build_ok, tmp_path: Path) -> None:
    """Related by what they share, across sections, before the newest of the same section."""
    site = make_site({
        "content/tin-tuc/a.md": article("Bài A", "2025-03-10", tags=["đò", "Tràng An"],
                                        unit="Phòng Quản lý du lịch", field="Du lịch"),
        "content/guong-dien-hinh/b.md": article(
            "Bài B", "2024-01-05", tags=["Tràng An", "đò"], subject="Người lái đò",
            subject_kind="ca-nhan"),
        "content/tin-tuc/c.md": article("Bài C", "2025-05-01"),
        "content/tin-tuc/d.md": article("Bài D", "2025-06-01", unit="Phòng Quản lý du lịch"),
        "content/tin-tuc/e.md": article("Bài E", "2023-06-01", field="Du lịch"),
        "content/tin-tuc/f.md": article("Bài F", "2023-05-01", tags=["đò"]),
        "content/tin-tuc/g.md": article("Bài G", "2022-05-01"),
    })
    build_ok(site, tmp_path / "out")
    html = (tmp_path / "out/tin-tuc/2025/03/bai-a/index.html").read_text(encoding="utf-8")
    # B, in another section: two tags (6); F: one tag (3); D: the unit (2); E (the field)
    # and C are the article's older and newer neighbours, linked above: left out; then the
    # section's newest not yet listed
    assert re.findall(r'<li class="(?:newer|older)">.*?>(Bài .)</a>', html) == ["Bài C", "Bài E"]
    assert _aside(html) == ["Bài B", "Bài F", "Bài D", "Bài G"]


def test_the_aside_never_repeats_the_neighbours(example: Path) -> None:
    """On a phone "Bài trước đó" sits just above the aside: no article repeats it there."""
    checked = 0
    for rel, html in pages(example):
        if '<aside class="aside"' not in html:
            continue
        neighbours = re.findall(r'<li class="(?:newer|older)">.*?href="([^"]+)"', html)
        aside = html.split('<aside class="aside"', 1)[1].split("</ul>", 1)[0]
        assert not set(neighbours) & set(re.findall(r'href="([^"]+)"', aside)), rel
        checked += bool(neighbours)
    assert checked > 10


def test_a_sites_own_words_table_made_for_an_older_theme_still_builds(
        make_site, build_ok, tmp_path: Path) -> None:
    """A site's templates/_words.html that lacks the words added since (the search box's,
    "Bài liên quan" …) keeps its own words and takes the theme's for the others."""
    words = '{% set words = {"vi": {"home": "Trang nhà"}, "en": {"home": "Start"}} %}\n'
    site = make_site({"content/tin-tuc/a.md": article("Bài một"),
                      "content/tin-tuc/b.md": article("Bài hai", "2025-03-11"),
                      "content/tin-tuc/c.md": article("Bài ba", "2025-03-12"),
                      "templates/_words.html": words})
    build_ok(site, tmp_path / "out")
    html = (tmp_path / "out/tin-tuc/2025/03/bai-mot/index.html").read_text(encoding="utf-8")
    assert "Trang nhà" in html and "Trang chủ" not in html  # the site's own word
    assert "Bài liên quan" in html and "Từ khóa tìm kiếm" in html  # the theme's for the rest
