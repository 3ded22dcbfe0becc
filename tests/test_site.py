"""assemble_site: what is published, taxonomies, order, pagination, neighbours, addresses.

Pages are read from in-memory Sources (no disk); the clock is passed in.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import BASE_URL, article
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.config import DEFAULT_SECTIONS, Config, Section
from sitegen.core.errors import Level
from sitegen.core.markup import MarkdownRenderer
from sitegen.core.pages import Page, ReadContext, read_page
from sitegen.core.site import Assembled, assemble_site, paginate
from sitegen.core.sources import Source
from sitegen.vn.slug import slugify

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 7, 1, 10, 0, tzinfo=ZONE)
SECTIONS = tuple(Section(n, k, t) for n, (k, t) in DEFAULT_SECTIONS.items())


def config(**kw: object) -> Config:
    return Config(root=Path("/nonexistent/site"), title="Trang thử", base_url=BASE_URL,
                  sections=SECTIONS, **kw)  # type: ignore[arg-type]


CONFIG = config()


def read(files: dict[str, str], cfg: Config = CONFIG) -> list[Page]:
    """Read every ``{rel: text}`` as read_page does in a build; every file must be valid."""
    ctx = ReadContext(static=frozenset(), static_sizes={},
                      articles=frozenset(rel.split("/", 1)[1] for rel in files))
    renderer = MarkdownRenderer()
    pages = []
    for rel, text in files.items():
        section = rel.split("/")[1]
        source = Source(rel=rel, section=None if section == "pages" else section,
                        raw=text.encode("utf-8"))
        result = read_page(source, cfg, ctx, renderer)
        assert result.page is not None, [p.format() for p in result.problems]
        pages.append(result.page)
    return pages


def assemble(files: dict[str, str], now: datetime = NOW, cfg: Config = CONFIG,
             **kw: bool) -> Assembled:
    return assemble_site(cfg, read(files, cfg), now, **kw)


def news(n: int, title: str | None = None, date: str | None = None, **keys: object) -> tuple[str, str]:
    return (f"content/tin-tuc/bai-{n}.md",
            article(title or f"Bài số {n}", date or f"2025-01-{n:02d}", **keys))


def titles(pages: tuple[Page, ...] | list[Page]) -> list[str]:
    return [p.title for p in pages]


# --- what is published ----------------------------------------------------------------

def test_drafts_hidden_unless_asked() -> None:
    files = dict([news(1), news(2, draft=True), ("content/pages/nhap.md",
                                                  article("Trang nháp", None, draft=True))])
    site = assemble(files).site
    assert titles(site.articles) == ["Bài số 1"] and site.pages == ()
    shown = assemble(files, drafts=True).site
    assert sorted(titles(shown.articles)) == ["Bài số 1", "Bài số 2"]
    assert titles(shown.pages) == ["Trang nháp"]
    draft = next(p for p in shown.articles if p.meta.draft)
    assert shown.status(draft) == "draft"


@pytest.mark.parametrize(("offset", "published"), [
    (timedelta(seconds=-1), False), (timedelta(0), True), (timedelta(seconds=1), True),
    (timedelta(days=-400), False), (timedelta(days=1), True)])
def test_future_hidden_until_its_time(offset: timedelta, published: bool) -> None:
    files = dict([news(1, "Hội nghị", "2025-07-01T10:00:00")])  # 10:00 in Hà Nội
    when = datetime(2025, 7, 1, 10, 0, tzinfo=ZONE)
    site = assemble(files, now=when + offset).site
    assert (titles(site.articles) == ["Hội nghị"]) is published
    assert site.tags.terms == () or published
    scheduled = assemble(files, now=when + offset, future=True).site
    assert titles(scheduled.articles) == ["Hội nghị"]
    assert scheduled.status(scheduled.articles[0]) == (None if published else "scheduled")


def test_future_compares_instants_not_local_dates() -> None:
    """An article dated 07:00 in Hà Nội is out at 00:00 UTC the same day, not before."""
    files = dict([news(1, "Tin sáng", "2025-07-01T07:00:00")])
    utc = ZoneInfo("UTC")
    assert titles(assemble(files, now=datetime(2025, 7, 1, 0, 0, tzinfo=utc)).site.articles) == [
        "Tin sáng"]
    assert assemble(files, now=datetime(2025, 6, 30, 23, 59, tzinfo=utc)).site.articles == ()


def test_hidden_pages_leave_no_trace() -> None:
    files = dict([news(1, tags=["công khai"], unit="Văn phòng Sở"),
                  news(2, tags=["bí mật"], unit="Phòng bí mật", draft=True),
                  news(3, "Bài tương lai", "2026-01-01", tags=["bí mật"])])
    site = assemble(files).site
    assert [t.name for t in site.tags.terms] == ["công khai"]
    assert [t.name for t in site.units.terms] == ["Văn phòng Sở"]
    assert [y.year for y in site.years] == [2025]
    assert set(site.by_source) == {"tin-tuc/bai-1.md"}


def test_link_to_unpublished_article_warns() -> None:
    files = dict([news(1, body="Xem [bài nháp](bai-2.md)."), news(2, draft=True)])
    problems = assemble(files).problems
    (warning,) = problems
    assert warning.level is Level.WARNING and warning.path == "content/tin-tuc/bai-1.md"
    assert "tin-tuc/bai-2.md" in warning.message
    assert assemble(files, drafts=True).problems == ()


# --- taxonomies -----------------------------------------------------------------------

VARIANTS = ["Văn hóa", "văn hoá", "VĂN HÓA", unicodedata.normalize("NFD", "Văn hóa"),
            "Văn hóa", "  văn   hóa "]


def test_tags_merged_under_nfc_case_and_tone_placement() -> None:
    files = dict(news(i + 1, tags=[tag, "khác"]) for i, tag in enumerate(VARIANTS))
    result = assemble(files)
    tags = {t.slug: t for t in result.site.tags.terms}
    assert set(tags) == {"van-hoa", "khac"}
    assert len(tags["van-hoa"].pages) == len(VARIANTS)
    # The shown spelling is the most used one (after NFC and collapsing spaces).
    used = Counter(unicodedata.normalize("NFC", " ".join(v.split())) for v in VARIANTS)
    assert tags["van-hoa"].name == used.most_common(1)[0][0]
    assert tags["van-hoa"].path == "chu-de/van-hoa/"
    # Spellings that differ only by case and tone placement are one tag: no warning.
    assert result.problems == ()


def test_shown_spelling_does_not_depend_on_file_order() -> None:
    items = [news(i + 1, tags=[tag]) for i, tag in enumerate(["Du lịch", "du lịch", "DU LỊCH"])]
    names = set()
    for perm in itertools.permutations(items):
        names.add(assemble(dict(perm)).site.tags.terms[0].name)
    assert len(names) == 1, names


def test_tags_with_one_address_but_different_letters_merge_with_warning() -> None:
    files = dict([news(1, tags=["du lịch"]), news(2, tags=["du lịch"]), news(3, tags=["du lich"])])
    result = assemble(files)
    (term,) = result.site.tags.terms
    assert term.name == "du lịch" and len(term.pages) == 3
    (warning,) = result.problems
    assert warning.level is Level.WARNING and warning.code == "term-merged"
    assert '"du lich"' in warning.message and '"du lịch"' in warning.message
    # Issue 20, item 16: the warning names the file that writes it otherwise, and the key.
    odd = next(p for p in result.site.articles if "du lich" in p.meta.tags)
    assert (warning.path, warning.key) == (odd.source, "tags")


def test_a_tag_repeated_in_one_article_counts_once() -> None:
    files = dict([news(1, tags=["Tràng An", "tràng an", "Tràng An"])])
    (term,) = assemble(files).site.tags.terms
    assert len(term.pages) == 1


# In Vietnamese order, by the alphabet a ă â b c d đ e ê … o ô ơ … u ư … y.
VIETNAMESE_ORDER = ["an toàn", "ăn uống", "âm nhạc", "bảo tàng", "du lịch", "đền thờ",
                    "em bé", "ê kíp", "giáo dục", "ô tô", "ơn nghĩa", "uống nước", "ưu tiên",
                    "ý tưởng"]


def test_terms_in_vietnamese_order() -> None:
    shuffled = VIETNAMESE_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled) != VIETNAMESE_ORDER  # code-point order would be wrong
    files = dict(news(i + 1, tags=[tag]) for i, tag in enumerate(shuffled))
    assert [t.name for t in assemble(files).site.tags.terms] == VIETNAMESE_ORDER


def test_terms_differing_only_in_tones_share_one_address() -> None:
    # Addresses drop every mark, so "Tổ ma" … "Tổ mạ" would fight over one page: one term.
    files = dict(news(i + 1, unit=f"Tổ {t}") for i, t in enumerate(["ma", "mà", "mả", "má"]))
    (unit,) = assemble(files).site.units.terms
    assert unit.slug == "to-ma" and len(unit.pages) == 4


def test_units_and_fields_and_taxonomy_of() -> None:
    files = dict([news(1, unit="Văn phòng Sở", field="Du lịch", tags=["b", "a"]),
                  news(2, unit="văn phòng sở", field="Văn hóa")])
    site = assemble(files).site
    (unit,) = site.units.terms
    assert len(unit.pages) == 2 and unit.path == "don-vi/van-phong-so/"
    assert [t.path for t in site.fields.terms] == ["linh-vuc/du-lich/", "linh-vuc/van-hoa/"]
    page = site.by_source["tin-tuc/bai-1.md"]
    assert [t.name for t in site.tags.of(page.meta.tags)] == ["b", "a"]  # the article's order


def test_taxonomy_paths_follow_config() -> None:
    from sitegen.core.config import Paths

    cfg = config(paths=Paths(tags="topics", units="units", fields="fields"))
    site = assemble(dict([news(1, tags=["Tràng An"], unit="Sở", field="Du lịch")]), cfg=cfg).site
    assert site.tags.terms[0].path == "topics/trang-an/"
    assert (site.tags.path, site.units.path, site.fields.path) == ("topics/", "units/", "fields/")


# --- order, archives, neighbours -----------------------------------------------------

def test_articles_newest_first_ties_in_vietnamese_order() -> None:
    files = dict([news(1, "Bình minh", "2025-03-01"), news(2, "Ánh sáng", "2025-03-01"),
                  news(3, "Đêm", "2025-03-02T08:00:00"), news(4, "Cũ", "2024-12-31")])
    site = assemble(files).site
    assert titles(site.articles) == ["Đêm", "Ánh sáng", "Bình minh", "Cũ"]


def test_sections_hold_their_own_articles() -> None:
    files = dict([news(1), news(2),
                  ("content/van-ban/qd.md", article("Quyết định", "2025-01-03", number="1/QĐ",
                                                   issued="2025-01-01", issuer="Sở"))])
    site = assemble(files).site
    listing = {s.section.name: s for s in site.sections}
    assert [s.section.name for s in site.sections] == [s.name for s in SECTIONS]
    assert titles(listing["tin-tuc"].pages) == ["Bài số 2", "Bài số 1"]
    assert titles(listing["van-ban"].pages) == ["Quyết định"]
    assert listing["guong-dien-hinh"].pages == () and listing["tin-tuc"].path == "tin-tuc/"


def test_year_and_month_archives() -> None:
    dates = ["2024-02-10", "2024-02-20", "2024-11-01", "2025-01-05", "2025-06-30"]
    files = dict(news(i + 1, date=d) for i, d in enumerate(dates))
    site = assemble(files).site
    expected_years = sorted({d[:4] for d in dates}, reverse=True)
    assert [f"{y.year}" for y in site.years] == expected_years
    for year in site.years:
        assert year.path == f"{year.year}/"
        months = sorted({d[5:7] for d in dates if d.startswith(str(year.year))}, reverse=True)
        assert [f"{m.month:02d}" for m in year.months] == months
        for month in year.months:
            assert month.path == f"{year.year}/{month.month:02d}/"
            expected = sum(d.startswith(f"{year.year}-{month.month:02d}") for d in dates)
            assert len(month.pages) == expected
        assert len(year.pages) == sum(d.startswith(str(year.year)) for d in dates)


def test_neighbours_within_a_section() -> None:
    files = dict([news(1), news(2), news(3),
                  ("content/van-ban/qd.md", article("Quyết định", "2025-01-02", number="1/QĐ",
                                                   issued="2025-01-01", issuer="Sở"))])
    site = assemble(files).site
    tin = next(s for s in site.sections if s.section.name == "tin-tuc").pages
    assert titles(tin) == ["Bài số 3", "Bài số 2", "Bài số 1"]
    assert site.neighbours[tin[0].path] == (None, tin[1])
    assert site.neighbours[tin[1].path] == (tin[0], tin[2])
    assert site.neighbours[tin[2].path] == (tin[1], None)
    doc = site.by_source["van-ban/qd.md"]
    assert site.neighbours[doc.path] == (None, None)  # never a neighbour from another section


# --- pagination -----------------------------------------------------------------------

@pytest.mark.parametrize(("size", "count"), [(3, 0), (3, 1), (3, 3), (3, 7), (1, 4), (10, 25)])
def test_paginate_sizes_and_links(size: int, count: int) -> None:
    cfg = config(page_size=size)
    pages = read(dict(news(i + 1) for i in range(count)), cfg)
    pagers = paginate("tin-tuc/", pages, cfg)
    expected_count = max(1, -(-count // size))
    assert len(pagers) == expected_count
    assert [len(p.items) for p in pagers] == [
        min(size, count - i * size) for i in range(expected_count)] if count else [0]
    assert [p for pager in pagers for p in pager.items] == pages  # nothing lost, order kept
    paths = ["tin-tuc/"] + [f"tin-tuc/trang/{n}/" for n in range(2, expected_count + 1)]
    assert [p.path for p in pagers] == paths
    for i, pager in enumerate(pagers):
        assert (pager.number, pager.count, pager.first) == (i + 1, expected_count, "tin-tuc/")
        assert pager.previous == (paths[i - 1] if i else None)
        assert pager.next == (paths[i + 1] if i + 1 < expected_count else None)


def test_home_pagination_path() -> None:
    cfg = config(page_size=2)
    pagers = paginate("", read(dict(news(i + 1) for i in range(3)), cfg), cfg)
    assert [p.path for p in pagers] == ["", "trang/2/"]


# --- addresses ------------------------------------------------------------------------

def test_article_address() -> None:
    files = dict([news(1, "Gương sáng Đinh Thị Hoa", "2024-06-05T23:30:00+00:00")])
    (page,) = assemble(files).site.articles
    # 23:30 UTC on 5 June is 06:30 on 6 June in Hà Nội: the address uses the site's zone.
    assert page.path == f"tin-tuc/2024/06/{slugify('Gương sáng Đinh Thị Hoa')}/"
    assert page.date is not None and page.date.day == 6


def test_slug_key_overrides_title() -> None:
    files = dict([news(1, "Một tiêu đề rất dài", slug="Ngắn gọn")])
    (page,) = assemble(files).site.articles
    assert page.path == "tin-tuc/2025/01/ngan-gon/"


def test_duplicate_addresses_named_both() -> None:
    files = dict([news(2, "Hội nghị tổng kết", "2025-01-20"), news(1, "Hội nghị tổng kết",
                                                                   "2025-01-10")])
    problems = assemble(files).problems
    (problem,) = problems
    assert problem.is_error and problem.code == "duplicate-address"
    assert problem.key == "slug"
    assert problem.path == "content/tin-tuc/bai-2.md" and "content/tin-tuc/bai-1.md" in problem.message
    assert "tin-tuc/2025/01/hoi-nghi-tong-ket/" in problem.message


def test_duplicate_through_slug_key_and_across_pages() -> None:
    files = dict([news(1, "A", slug="trung"), news(2, "B", slug="trung"),
                  ("content/pages/gioi-thieu.md", article("Giới thiệu", None)),
                  ("content/pages/gioi-thieu-2.md", article("Giới  thiệu", None))])
    problems = assemble(files).problems
    assert sorted(p.path for p in problems if p.is_error) == [
        "content/pages/gioi-thieu.md", "content/tin-tuc/bai-2.md"]


def test_draft_sharing_an_address_is_no_duplicate_when_hidden() -> None:
    files = dict([news(1, "Cùng tên"), news(2, "Cùng tên", draft=True)])
    assert assemble(files).problems == ()
    assert [p.code for p in assemble(files, drafts=True).problems] == ["duplicate-address"]


def test_aliases() -> None:
    files = dict([news(1, "Lễ phát động", aliases=["/tin-tuc/2023/05/le-phat-dong.html",
                                                  "/tin-tuc/cu/"])])
    site = assemble(files).site
    target = site.articles[0].path
    assert [(a.path, a.target) for a in site.aliases] == [
        ("tin-tuc/2023/05/le-phat-dong.html", target), ("tin-tuc/cu/", target)]


@pytest.mark.parametrize("alias", ["https://cong-cu.example.vn/a.html", "/../../etc/passwd",
                                   "//cong-cu.example.vn/a"])
def test_bad_alias_is_an_error(alias: str) -> None:
    (problem,) = assemble(dict([news(1, aliases=[alias])])).problems
    assert problem.is_error and problem.key == "aliases" and problem.code == "bad-alias"


def test_alias_taken_by_an_article_is_an_error() -> None:
    files = dict([news(1, "Bài một"), news(2, "Bài hai", aliases=["/tin-tuc/2025/01/bai-mot/"])])
    (problem,) = assemble(files).problems
    assert problem.code == "duplicate-address" and problem.path == "content/tin-tuc/bai-2.md"


@pytest.mark.parametrize("alias", ["/./", ".", "/tin-tuc/./", "/tin-tuc//", "tin-tuc/./x.html"])
def test_alias_spelled_with_dot_segments_is_refused_or_normalised(alias: str) -> None:
    """'./' and 'a/./' name the same file as '' and 'a/': they must not slip past the checks."""
    site = assemble(dict([news(1, "Bài một", aliases=[alias])]))
    for a in site.site.aliases:
        parts = a.path.rstrip("/").split("/")
        assert "." not in parts and "" not in parts, a.path


@given(st.lists(st.tuples(st.sampled_from(["Ánh", "anh", "Bình", "Đêm", "đêm", "Ơn", ""]),
                          st.integers(0, 5), st.sampled_from([0, 1, 7]),
                          st.sampled_from(["+07:00", "+00:00", None])), max_size=12))
def test_newest_first_is_date_then_title_then_path(rows: list[tuple[str, int, int, str | None]]) -> None:
    """One sort (site._newest_first) gives what its definition does: newest first by the
    instant (an undated page as 1970), ties by Vietnamese title order, then by path."""
    from types import SimpleNamespace

    from sitegen.core.site import _newest_first
    from sitegen.vn.collate import packed_key

    pages = []
    for n, (title, day, hour, zone) in enumerate(rows):
        when = None if zone is None else datetime.fromisoformat(
            f"2025-03-0{day + 1}T{hour:02d}:00:00{zone}")
        pages.append(SimpleNamespace(meta=SimpleNamespace(date=when), title_key=packed_key(title),
                                     path=f"p/{(n * 7) % 5}/{n}/"))
    by_title = sorted(pages, key=lambda p: (p.title_key, p.path))
    expected = sorted(by_title, key=lambda p: p.meta.date.timestamp() if p.meta.date else 0.0,
                      reverse=True)
    assert list(_newest_first(pages)) == expected  # type: ignore[arg-type]


@given(st.lists(st.lists(st.sampled_from(["Du lịch", "du lịch", "du lich", "DU LỊCH", "Văn hóa",
                                          "văn hoá", "Lễ hội", "le hoi", "Bình"]), max_size=3),
                max_size=10))
def test_a_taxonomy_is_what_its_definition_gives(tags: list[list[str]]) -> None:
    """Each address's term lists, newest first, every article writing one of its spellings
    (once); its name is the spelling most articles write (then the one with more marks, then
    the greatest); one warning for each article writing a spelling that differs otherwise
    than in case or tone placement, when the address has such spellings."""
    from types import SimpleNamespace

    from sitegen.core.site import _marks, _taxonomy
    from sitegen.vn.text import same_key

    pages = [SimpleNamespace(meta=SimpleNamespace(tags=tuple(t)), path=f"p/{n}/",
                             source=f"content/tin-tuc/{n}.md") for n, t in enumerate(tags)]
    problems: list = []
    taxonomy = _taxonomy("tags", "chu-de", pages, lambda p: p.meta.tags, problems)  # type: ignore[arg-type]
    slugs = {slugify(v) for t in tags for v in t}
    assert {t.slug for t in taxonomy.terms} == slugs
    for term in taxonomy.terms:
        spellings = {v for t in tags for v in t if slugify(v) == term.slug}
        assert list(term.pages) == [p for p in pages if spellings & set(p.meta.tags)]
        count = Counter(v for p in pages for v in set(p.meta.tags) if v in spellings)
        assert term.name == max(count, key=lambda v: (count[v], _marks(v), v))
        odd = {p.source for p in pages for v in p.meta.tags
               if v in spellings and same_key(v) != same_key(term.name)}
        assert {w.path for w in problems if f'"{term.name}"' in w.message} >= odd
    assert len(problems) == sum(
        1 for term in taxonomy.terms for p in term.pages
        for v in dict.fromkeys(p.meta.tags)
        if slugify(v) == term.slug and same_key(v) != same_key(term.name)
        and len({same_key(s) for t in tags for s in t if slugify(s) == term.slug}) > 1)
