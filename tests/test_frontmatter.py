"""sitegen.core.frontmatter: split, decode, parse and validate, without a disk."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.errors import Level, Problem
from sitegen.core.frontmatter import (
    CommemorationInfo,
    DocumentInfo,
    Meta,
    ModelInfo,
    MovementInfo,
    decode,
    parse,
    split,
    validate,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
REL = "content/tin-tuc/a.md"


def check(text: str, kind: str = "news") -> tuple[Meta | None, list[Problem]]:
    """Run the whole front-matter path on ``text`` (as decoded file text)."""
    parts = split(text)
    assert parts is not None, "the text has no front matter"
    data, problems = parse(REL, parts)
    if data is None:
        return None, problems
    meta, more = validate(REL, parts, data, kind, ZONE)
    return meta, problems + more


def fm(*lines: str, body: str = "Nội dung.") -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level is Level.ERROR]


def only_error(problems: list[Problem]) -> Problem:
    errs = errors(problems)
    assert len(errs) == 1, [p.format() for p in errs]
    return errs[0]


# --- decode ---------------------------------------------------------------------------

def test_decode_drops_bom_crlf_and_composes() -> None:
    text = "---\r\ntitle: Thi đua yêu nước\r\n---\r\nThân bài\r\n"
    raw = b"\xef\xbb\xbf" + unicodedata.normalize("NFD", text).encode("utf-8")
    decoded = decode(raw)
    assert decoded == text.replace("\r\n", "\n")
    assert unicodedata.is_normalized("NFC", decoded)


def test_decode_lone_cr_is_a_line_end() -> None:
    assert decode(b"a\rb\r\nc\n") == "a\nb\nc\n"


def test_decode_refuses_latin1() -> None:
    assert decode("Café".encode("latin-1")) is None


@given(st.text())
def test_decode_roundtrip(text: str) -> None:
    """Line endings become LF, control characters but tab and newline go, the rest is NFC."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in lines if c in "\t\n" or not (ord(c) < 0x20 or ord(c) == 0x7F))
    expected = unicodedata.normalize("NFC", kept)
    assert decode(text.encode("utf-8", "surrogatepass")) in (expected, None)
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == expected


# --- split ----------------------------------------------------------------------------

def test_split_cuts_yaml_from_body() -> None:
    parts = split("---\ntitle: A\ndate: 2024-06-05\n---\nDòng đầu\nDòng hai\n")
    assert parts is not None
    assert parts.yaml_text == "title: A\ndate: 2024-06-05"
    assert parts.body == "Dòng đầu\nDòng hai\n"
    assert parts.body_line == 5  # the body's first line is the file's fifth


def test_split_accepts_dots_as_end_fence_and_trailing_spaces() -> None:
    parts = split("---  \ntitle: A\n...\nThân\n")
    assert parts is not None and parts.yaml_text == "title: A" and parts.body == "Thân\n"


@pytest.mark.parametrize("text", [
    "", "title: A\n", "Thân bài\n---\ntitle: A\n---\n", "---\ntitle: A\n(không có dòng đóng)\n",
    " ---\ntitle: A\n---\n",
])
def test_split_none_without_front_matter(text: str) -> None:
    assert split(text) is None


def test_split_only_first_closing_fence() -> None:
    parts = split("---\ntitle: A\n---\nThân\n\n---\n\nĐoạn sau đường kẻ\n")
    assert parts is not None
    assert "Đoạn sau đường kẻ" in parts.body and parts.yaml_text == "title: A"


# --- parse ----------------------------------------------------------------------------

def test_parse_error_names_the_file_line() -> None:
    # line 1 "---", line 2 title, line 3 date, line 4 the broken list
    _, problems = check(fm("title: Bài", "date: 2024-06-05", "tags: [a, b"))
    problem = only_error(problems)
    assert problem.path == REL and problem.code == "yaml"
    assert problem.line is not None and 4 <= problem.line <= 5
    assert problem.fix


def test_parse_refuses_a_list_as_front_matter() -> None:
    _, problems = check(fm("- title", "- date"))
    assert only_error(problems).code == "yaml"


def test_parse_empty_front_matter_is_missing_keys() -> None:
    meta, problems = check("---\n---\nThân\n")
    assert meta is None
    assert {p.key for p in errors(problems)} == {"title", "date"}


def test_parse_refuses_alias_bombs() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 9) + "]"
              for i in range(8)]
    _, problems = check(fm("title: Bài", "date: 2024-06-05", *lines))
    assert only_error(problems).code == "yaml"


# --- validate: common keys ------------------------------------------------------------

def test_valid_news_article() -> None:
    meta, problems = check(fm(
        'title: "Lễ phát động: thi đua năm 2025"', "date: 2025-02-10", "updated: 2025-02-12",
        "summary: Tóm tắt", "tags: [thi đua, Tràng An]", "unit: Văn phòng Sở",
        "field: Du lịch", "author: Phòng Tổ chức", "slug: le-phat-dong", "draft: false",
        "aliases: [/tin-tuc/cu.html]", "lang: vi"))
    assert problems == []
    assert meta is not None
    assert meta.title == "Lễ phát động: thi đua năm 2025"
    assert meta.date == datetime(2025, 2, 10, tzinfo=ZONE)
    assert meta.updated == datetime(2025, 2, 12, tzinfo=ZONE)
    assert meta.tags == ("thi đua", "Tràng An")
    assert (meta.unit, meta.field, meta.author, meta.slug) == (
        "Văn phòng Sở", "Du lịch", "Phòng Tổ chức", "le-phat-dong")
    assert meta.aliases == ("/tin-tuc/cu.html",) and meta.lang == "vi" and not meta.draft
    assert meta.info is None


@pytest.mark.parametrize(("written", "expected"), [
    ("2024-06-05", datetime(2024, 6, 5, 0, 0, tzinfo=ZONE)),
    ("2024-06-05T08:30:00", datetime(2024, 6, 5, 8, 30, tzinfo=ZONE)),
    ("2024-06-05 08:30", datetime(2024, 6, 5, 8, 30, tzinfo=ZONE)),
    ('"2024-06-05T08:30:00"', datetime(2024, 6, 5, 8, 30, tzinfo=ZONE)),
    ("2024-06-05T01:30:00Z", datetime(2024, 6, 5, 8, 30, tzinfo=ZONE)),
    ("2024-06-05T10:30:00+09:00", datetime(2024, 6, 5, 8, 30, tzinfo=ZONE)),
    ('"05/06/2024"', datetime(2024, 6, 5, 0, 0, tzinfo=ZONE)),
    ("5/6/2024", datetime(2024, 6, 5, 0, 0, tzinfo=ZONE)),
])
def test_date_forms(written: str, expected: datetime) -> None:
    meta, problems = check(fm("title: Bài", f"date: {written}"))
    assert errors(problems) == []
    assert meta is not None and meta.date == expected
    assert meta.date.utcoffset() == timedelta(hours=7)  # shown in the site's zone


@pytest.mark.parametrize("written", ["hôm qua", "2024-02-30", "2024-13-45", "32/01/2024",
                                     '"2024-6-5x"', "[2024, 6, 5]", "20240605x"])
def test_date_not_a_date(written: str) -> None:
    meta, problems = check(fm("title: Bài", f"date: {written}", "tags: [a]"))
    problem = only_error(problems)
    assert meta is None
    assert problem.key == "date", problem.format()
    assert problem.line == 3, problem.format()
    assert problem.fix and "2024-06-05" in problem.fix


def test_missing_title_and_date_both_reported() -> None:
    meta, problems = check(fm("tags: [a]"))
    assert meta is None
    assert sorted(p.key or "" for p in errors(problems)) == ["date", "title"]
    assert all(p.code == "missing-key" and p.fix for p in errors(problems))


def test_page_needs_no_date() -> None:
    meta, problems = check(fm("title: Giới thiệu"), kind="page")
    assert problems == [] and meta is not None and meta.date is None


def test_updated_before_date_is_an_error() -> None:
    _, problems = check(fm("title: Bài", "date: 2025-02-10", "updated: 2025-02-01"))
    problem = only_error(problems)
    assert (problem.key, problem.line) == ("updated", 4)


def test_text_is_nfc_and_spaces_collapsed() -> None:
    nfd = unicodedata.normalize("NFD", "Thi  đua   yêu nước")
    meta, _ = check(fm(f"title: {nfd}", "date: 2025-01-01", f"tags: [{nfd}]"))
    assert meta is not None
    assert meta.title == "Thi đua yêu nước" and meta.tags == ("Thi đua yêu nước",)


def test_tags_as_comma_separated_text() -> None:
    meta, _ = check(fm("title: Bài", "date: 2025-01-01", "tags: du lịch, Tràng An ,, thi đua"))
    assert meta is not None and meta.tags == ("du lịch", "Tràng An", "thi đua")


@pytest.mark.parametrize("tags", ["{a: b}", "[a, [b]]", "[a, {b: c}]"])
def test_tags_must_be_text(tags: str) -> None:
    _, problems = check(fm("title: Bài", "date: 2025-01-01", f"tags: {tags}"))
    assert only_error(problems).key == "tags"


def test_title_must_be_text() -> None:
    _, problems = check(fm("title: [a, b]", "date: 2025-01-01"))
    assert only_error(problems).key == "title"


@pytest.mark.parametrize("value", ["yes please", "1", '"true"'])
def test_draft_must_be_boolean(value: str) -> None:
    _, problems = check(fm("title: Bài", "date: 2025-01-01", f"draft: {value}"))
    problem = only_error(problems)
    assert (problem.key, problem.line) == ("draft", 4)


def test_lang_choice() -> None:
    meta, _ = check(fm("title: About", "lang: en"), kind="page")
    assert meta is not None and meta.lang == "en"
    _, problems = check(fm("title: About", "lang: fr"), kind="page")
    assert only_error(problems).key == "lang"


def test_image_needs_alt() -> None:
    _, problems = check(fm("title: Bài", "date: 2025-01-01", "image: a.jpg"))
    problem = only_error(problems)
    assert (problem.key, problem.line, problem.code) == ("image", 4, "missing-alt")
    assert problem.fix and "image_alt" in problem.fix
    _, problems = check(fm("title: Bài", "date: 2025-01-01", "image: a.jpg", "image_alt: Mô tả"))
    assert errors(problems) == []


def test_unknown_key_warns_with_nearest_key() -> None:
    meta, problems = check(fm("title: Bài", "date: 2025-01-01", "tittle: Bài", "sumary: Tóm"))
    assert meta is not None, "an unknown key is only a warning"
    warned = {p.key: p for p in problems if p.level is Level.WARNING}
    assert set(warned) == {"tittle", "sumary"}
    assert warned["tittle"].line == 4 and '"title"' in (warned["tittle"].fix or "")
    assert warned["sumary"].line == 5 and '"summary"' in (warned["sumary"].fix or "")


def test_key_of_another_kind_warns() -> None:
    meta, problems = check(fm("title: Bài", "date: 2025-01-01", "subject: Đinh Thị Hoa"))
    assert meta is not None
    (warning,) = problems
    assert warning.level is Level.WARNING and warning.key == "subject"
    assert warning.code == "key-other-kind"


def test_all_problems_of_a_file_at_once() -> None:
    _, problems = check(fm("date: hôm qua", "draft: có", "subject_kind: nhóm"), kind="model")
    assert {p.key for p in errors(problems)} >= {"title", "date", "draft", "subject",
                                                "subject_kind"}


# --- validate: kinds ------------------------------------------------------------------

def test_model() -> None:
    meta, problems = check(fm(
        "title: Gương sáng", "date: 2024-06-05", "subject: Đinh Thị Hoa", "subject_kind: ca-nhan",
        "position: Lái đò", "awards:", "  - name: Bằng khen của Chủ tịch UBND tỉnh",
        "    year: 2023", "    decision: 1234/QĐ-UBND", "  - Giấy khen của Giám đốc Sở"),
        kind="model")
    assert problems == []
    assert meta is not None and isinstance(meta.info, ModelInfo)
    info = meta.info
    assert (info.subject, info.subject_kind, info.position) == ("Đinh Thị Hoa", "ca-nhan", "Lái đò")
    assert [(a.name, a.year, a.decision) for a in info.awards] == [
        ("Bằng khen của Chủ tịch UBND tỉnh", 2023, "1234/QĐ-UBND"),
        ("Giấy khen của Giám đốc Sở", None, None)]


@pytest.mark.parametrize(("lines", "key"), [
    (("subject_kind: ca-nhan",), "subject"),
    (("subject: Tổ đò số 7",), "subject_kind"),
    (("subject: Tổ đò số 7", "subject_kind: tap_the"), "subject_kind"),
    (("subject: A", "subject_kind: tap-the", "awards:", "  - year: 2023"), "awards"),
    (("subject: A", "subject_kind: tap-the", "awards:", "  - name: B", "    year: 23"), "awards"),
])
def test_model_errors(lines: tuple[str, ...], key: str) -> None:
    _, problems = check(fm("title: Gương sáng", "date: 2024-06-05", *lines), kind="model")
    problem = only_error(problems)
    assert problem.key == key and problem.fix


def test_model_award_unknown_key_warns() -> None:
    meta, problems = check(fm("title: G", "date: 2024-06-05", "subject: A", "subject_kind: ca-nhan",
                              "awards:", "  - name: B", "    yaer: 2023"), kind="model")
    assert meta is not None
    (warning,) = problems
    assert warning.level is Level.WARNING and '"year"' in (warning.fix or "")


def test_movement() -> None:
    meta, problems = check(fm("title: Phong trào", "date: 2024-03-01", "launched_by: UBND tỉnh",
                              "start: 2024-03-01", "end: 2024-03-01"), kind="movement")
    assert problems == []
    assert meta is not None and meta.info == MovementInfo("UBND tỉnh", date(2024, 3, 1),
                                                          date(2024, 3, 1))


@pytest.mark.parametrize(("lines", "key", "line"), [
    (("start: 2024-03-01",), "launched_by", None),
    (("launched_by: UBND tỉnh",), "start", None),
    (("launched_by: UBND tỉnh", "start: 2024-03-01", "end: 2024-02-29"), "end", 6),
    (("launched_by: UBND tỉnh", "start: đầu năm"), "start", 5),
])
def test_movement_errors(lines: tuple[str, ...], key: str, line: int | None) -> None:
    _, problems = check(fm("title: Phong trào", "date: 2024-03-01", *lines), kind="movement")
    problem = only_error(problems)
    assert (problem.key, problem.line) == (key, line)


def test_commemoration_lunar() -> None:
    meta, problems = check(fm("title: Giỗ Tổ", "date: 2025-04-01", "event: Giỗ Tổ Hùng Vương",
                              "event_date: 2000-03-10", "calendar: lunar"), kind="commemoration")
    assert problems == []
    assert meta is not None
    assert meta.info == CommemorationInfo("Giỗ Tổ Hùng Vương", date(2000, 3, 10), "lunar")


@pytest.mark.parametrize(("lines", "key"), [
    (("event: Ngày Du lịch Việt Nam",), "event_date"),
    (("event_date: 1960-07-09",), "event"),
    (("event: A", "event_date: 1960-07-09", "calendar: âm"), "calendar"),
])
def test_commemoration_errors(lines: tuple[str, ...], key: str) -> None:
    _, problems = check(fm("title: Kỷ niệm", "date: 2025-07-01", *lines), kind="commemoration")
    assert only_error(problems).key == key


def test_document() -> None:
    meta, problems = check(fm("title: Quyết định", "date: 2025-01-05", "number: 1526/QĐ-TTg",
                              "issued: 2022-11-14", "issuer: Thủ tướng Chính phủ",
                              "file: qd.pdf"), kind="document")
    assert problems == []
    assert meta is not None
    assert meta.info == DocumentInfo("1526/QĐ-TTg", date(2022, 11, 14), "Thủ tướng Chính phủ",
                                     "qd.pdf")


@pytest.mark.parametrize("missing", ["number", "issued", "issuer"])
def test_document_required_keys(missing: str) -> None:
    values: dict[str, Any] = {"number": "1526/QĐ-TTg", "issued": "2022-11-14",
                              "issuer": "Thủ tướng Chính phủ"}
    del values[missing]
    _, problems = check(fm("title: Quyết định", "date: 2025-01-05",
                           *(f"{k}: {v}" for k, v in values.items())), kind="document")
    problem = only_error(problems)
    assert problem.key == missing and problem.code == "missing-key"
    assert problem.fix and problem.fix.startswith("thêm dòng " + missing)


def test_news_has_no_kind_info() -> None:
    meta, _ = check(fm("title: Tin", "date: 2025-01-05"), kind="news")
    assert meta is not None and meta.info is None


# --- YAML slips: each kind on its own line, with its own fix (issue 20, item 13) ---------

def yaml_problem(*lines: str) -> Problem:
    """The one problem of a front matter that does not parse."""
    parts = split(fm(*lines))
    assert parts is not None
    data, problems = parse(REL, parts)
    assert data is None and len(problems) == 1 and problems[0].code == "yaml", problems
    return problems[0]


def test_an_unclosed_quote_is_blamed_on_its_own_line() -> None:
    p = yaml_problem("title: Bài", "date: 2025-01-01", 'unit: "Phòng Quản lý du lịch',
                     "field: Du lịch", "author: An", "tags: [a]")
    assert p.line == 4  # the file's line 4: "---" is line 1
    assert "ngoặc kép" in p.message and p.fix and 'thêm dấu "' in p.fix


def test_an_unclosed_quote_closed_lines_later_is_still_blamed_on_its_line() -> None:
    p = yaml_problem("title: Bài", "date: 2025-01-01", 'unit: "Phòng QLDL', "field: Du lịch",
                     'author: "An"', "tags: [a]")
    assert p.line == 4 and "ngoặc kép" in p.message


def test_an_unclosed_quote_s_fix_shows_its_own_line_mended() -> None:
    """The fix always showed ``unit: "Phòng Quản lý du lịch"``, whatever the key."""
    p = yaml_problem("title: Bài", "date: 2025-01-01", 'summary: "Hội nghị tổng kết',
                     "field: Du lịch")
    assert p.line == 4 and p.fix and 'summary: "Hội nghị tổng kết"' in p.fix and "unit" not in p.fix


def test_a_tab_gets_a_fix_about_tabs() -> None:
    p = yaml_problem("title: Bài", "date: 2025-01-01", "\tunit: Văn phòng Sở")
    assert p.line == 4 and "Tab" in p.message and p.fix and "Tab" in p.fix
    assert "hai chấm" not in p.fix


@pytest.mark.parametrize(("lines", "line", "words"), [
    (("title: Hội nghị: tổng kết", "date: 2025-01-01"), 2, ("hai chấm", "ngoặc kép")),
    (("title: Bài", "  date: 2025-01-01"), 3, ("thụt", "dấu cách ở đầu dòng")),
    (("title: Bài", "date 2025-01-01", "unit: A"), 3, ("thiếu dấu hai chấm", "khóa: giá trị")),
    (("title: Bài", "tags: [a, b", "date: 2025-01-01"), 3, ("[", "]")),
    (("title: Bài", "awards: []", "  - name: Bằng khen"), 4, ("awards", 'xóa "[]"')),
    (('title: "Phong trào" năm 2024', "date: 2025-01-01"), 2, ("sau dấu", "ngoặc")),
    (("title: *Tin nổi bật*", "date: 2025-01-01"), 2, ("dấu *", "ngoặc kép")),
    (("title: Bài", "author: @toasoan"), 3, ("ký tự", "ngoặc kép")),
])
def test_each_yaml_slip_has_its_line_and_fix(lines: tuple[str, ...], line: int,
                                             words: tuple[str, str]) -> None:
    p = yaml_problem(*lines)
    assert p.line == line, p.format()
    assert words[0] in p.message and p.fix and words[1] in p.fix, p.format()


def test_the_yaml_slips_get_different_fixes() -> None:
    fixes = {yaml_problem("title: A: B").fix, yaml_problem("\ttitle: A").fix,
             yaml_problem('title: "A').fix, yaml_problem("title A", "date: 1").fix,
             yaml_problem("tags: [a", "b: c").fix}
    assert len(fixes) == 5


# --- text keys stay the text written (issue 20, item 13) -------------------------------

@pytest.mark.parametrize("written", ["05", "010", "7:30", "1.50", "0x1F", "yes", "1_000"])
def test_text_keys_keep_the_text_written(written: str) -> None:
    meta, problems = check(fm("title: Bài", "date: 2025-01-01", f"number: {written}",
                              "issued: 2025-01-01", f"issuer: {written}",
                              f"tags: [{written}, du lịch]"), kind="document")
    assert meta is not None, [p.format() for p in problems]
    assert isinstance(meta.info, DocumentInfo)
    assert meta.info.number == written and meta.info.issuer == written
    assert meta.tags == (written, "du lịch")


def test_award_names_and_decisions_keep_their_text_but_the_year_is_a_number() -> None:
    meta, problems = check(fm("title: Bài", "date: 2025-01-01", "subject: A",
                              "subject_kind: ca-nhan", "awards:", "  - name: 2023",
                              "    year: 2023", "    decision: 0105"), kind="model")
    assert meta is not None and isinstance(meta.info, ModelInfo), problems
    award = meta.info.awards[0]
    assert (award.name, award.year, award.decision) == ("2023", 2023, "0105")


# --- a misspelt required key: one problem, on its line (issue 20, item 16) --------------

def test_a_misspelt_title_is_one_error_on_its_line_with_the_did_you_mean() -> None:
    _, problems = check(fm("date: 2025-01-01", "tittle: Bài viết"))
    p = only_error(problems)
    assert (p.line, p.key, p.code) == (3, "tittle", "missing-key")
    assert '"title"' in p.message and p.fix and '"title"' in p.fix
    assert len(problems) == 1, [q.format() for q in problems]  # no separate unknown-key


def test_a_misspelt_kind_key_is_named_on_its_line() -> None:
    _, problems = check(fm("title: Bài", "date: 2025-01-01", "subjetc: Đinh Thị Hoa",
                           "subject_kind: ca-nhan"), kind="model")
    p = only_error(problems)
    assert (p.line, p.key) == (4, "subjetc") and p.fix and '"subject"' in p.fix


# --- migration: other generators' front matter (issue 18, item 9) -----------------------

def test_toml_front_matter_is_read() -> None:
    text = ('+++\ntitle = "Bài từ Hugo"\ndate = 2017-03-24T09:21:35+07:00\n'
            'tags = ["du lịch", "Tràng An"]\n+++\n\nNội dung.\n')
    meta, problems = check(text)
    assert meta is not None, problems
    assert meta.title == "Bài từ Hugo" and meta.tags == ("du lịch", "Tràng An")
    assert meta.date == datetime(2017, 3, 24, 9, 21, 35, tzinfo=ZONE)


@pytest.mark.parametrize("text", [
    '---json\n{"title": "Bài JSON", "date": "2017-03-24"}\n---\nNội dung.\n',
    '{\n  "title": "Bài JSON",\n  "date": "2017-03-24"\n}\nNội dung.\n',
    '{"title": "Bài JSON", "date": "2017-03-24"}\nNội dung.\n',
])
def test_json_front_matter_is_read(text: str) -> None:
    meta, problems = check(text)
    assert meta is not None, problems
    assert meta.title == "Bài JSON" and meta.date is not None and meta.date.date() == date(2017, 3, 24)
    parts = split(text)
    assert parts is not None and parts.body.strip() == "Nội dung."


def test_json_front_matter_lines_are_the_files() -> None:
    text = '{\n  "title": "Bài",\n  "date": "2017-03-24",\n  "image": "a.jpg"\n}\nNội dung.\n'
    _, problems = check(text)
    assert only_error(problems).line == 4


@pytest.mark.parametrize(("text", "line", "name"), [
    ('+++\ntitle = "Bài\ndate = 2017-03-24\n+++\n', 2, "TOML"),
    ('{\n  "title": "Bài"\n  "date": "2017-03-24"\n}\n', 3, "JSON"),
])
def test_broken_toml_or_json_names_the_format_and_the_fix(text: str, line: int,
                                                         name: str) -> None:
    parts = split(text)
    assert parts is not None
    data, problems = parse(REL, parts)
    assert data is None and problems[0].line == line
    assert name in problems[0].message and problems[0].fix and "YAML" in problems[0].fix


def test_description_is_the_summary_when_there_is_none() -> None:
    meta, problems = check(fm("title: Bài", "date: 2025-01-01", "description: Tóm tắt từ Hugo"))
    assert meta is not None and meta.summary == "Tóm tắt từ Hugo"
    assert problems == []


def test_description_and_summary_both_warn_and_summary_wins() -> None:
    meta, problems = check(fm("title: Bài", "date: 2025-01-01", "summary: Tóm tắt",
                              "description: Mô tả khác"))
    assert meta is not None and meta.summary == "Tóm tắt"
    assert [(p.code, p.line, p.level) for p in problems] == [
        ("summary-and-description", 5, Level.WARNING)]


@pytest.mark.parametrize(("written", "expected"), [
    ("2017-03-24 9:21:35", datetime(2017, 3, 24, 9, 21, 35, tzinfo=ZONE)),
    ("2017-03-24 09:21:35 +0700", datetime(2017, 3, 24, 9, 21, 35, tzinfo=ZONE)),
    ("2017-03-24 02:21:35 Z", datetime(2017, 3, 24, 9, 21, 35, tzinfo=ZONE)),
    ("2017-03-24 09:21", datetime(2017, 3, 24, 9, 21, tzinfo=ZONE)),
    ("2017-03-24T09:21:35.5+07:00", datetime(2017, 3, 24, 9, 21, 35, 500000, tzinfo=ZONE)),
])
def test_jekyll_date_times_with_a_space_are_read(written: str, expected: datetime) -> None:
    meta, problems = check(fm("title: Bài", f"date: {written}"))
    assert meta is not None, [p.format() for p in problems]
    assert meta.date == expected


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)),
       st.sampled_from([" ", "T"]), st.booleans())
def test_any_date_time_written_jekyll_style_reads_back(when: datetime, sep: str,
                                                       short_hour: bool) -> None:
    hour = str(when.hour) if short_hour else f"{when.hour:02d}"
    written = f"{when:%Y-%m-%d}{sep}{hour}:{when:%M:%S}"
    meta, _ = check(fm("title: Bài", f"date: {written}"))
    assert meta is not None and meta.date == when.replace(microsecond=0, tzinfo=ZONE)


@pytest.mark.parametrize(("typed", "suggested"), [("math", None), ("layout", None),
                                                  ("tittle", "title"), ("summay", "summary"),
                                                  ("imagealt", "image_alt")])
def test_did_you_mean_only_when_close(typed: str, suggested: str | None) -> None:
    _, problems = check(fm("title: Bài", "date: 2025-01-01", f"{typed}: x"))
    unknown = [p for p in problems if p.code == "unknown-key"]
    assert len(unknown) == 1 and unknown[0].fix
    assert ("có phải ý bạn là" in unknown[0].fix) == (suggested is not None)
    if suggested:
        assert f'"{suggested}"' in unknown[0].fix


def test_a_key_after_blank_lines_is_found_on_its_own_line() -> None:
    _, problems = check(fm("title: Bài", "date: 2025-01-01", "", "", "draft: có"))
    assert only_error(problems).line == 6


@given(st.from_regex(r"\A[0-9]([0-9:._]{0,6}[0-9])?\Z"), st.sampled_from(["number", "issuer"]))
def test_any_number_like_text_key_keeps_its_text(written: str, key: str) -> None:
    """Whatever YAML 1.1 would make of it (octal, base 60, float, int with _), a text key's
    value is the text written."""
    other = "issuer" if key == "number" else "number"
    meta, problems = check(fm("title: Bài", "date: 2025-01-01", f"{key}: {written}",
                              f"{other}: A", "issued: 2025-01-01"), kind="document")
    assert meta is not None and isinstance(meta.info, DocumentInfo), problems
    assert getattr(meta.info, key) == written
