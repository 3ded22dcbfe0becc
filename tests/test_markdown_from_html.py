"""mammoth's HTML → Markdown (sitegen/core/markdown_from_html.py): the Markdown, rendered by
sitegen's own Markdown, gives back the same text and structure."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.markdown_from_html import convert, escape_line_start, escape_text
from sitegen.core.markup import LinkContext, MarkdownRenderer

CTX = LinkContext(source="tin-tuc/bai/index.md", bundle=frozenset({"anh-1.png", "anh-2.jpg"}),
                  static=frozenset(), articles=frozenset({"tin-tuc/bai/index.md"}))
RENDERER = MarkdownRenderer()


def render(markdown: str) -> str:
    """``markdown`` as the build turns it into HTML."""
    return RENDERER.render(markdown, CTX, "content/tin-tuc/bai/index.md", 1).html


class _Styled(HTMLParser):
    """The text of some HTML, each visible character with whether it is bold and italic."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = {"strong": 0, "em": 0}
        self.chars: list[tuple[str, bool, bool]] = []
        self.blocks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.depth:
            self.depth[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.depth:
            self.depth[tag] -= 1

    def handle_data(self, data: str) -> None:
        for ch in data:
            self.chars.append((ch, self.depth["strong"] > 0, self.depth["em"] > 0))


def styled(fragment: str) -> list[tuple[str, bool, bool]]:
    """The non-space characters of ``fragment`` with their bold and italic."""
    parser = _Styled()
    parser.feed(fragment)
    return [c for c in parser.chars if not c[0].isspace()]


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


# Vietnamese letters and everything Markdown (with extra, toc, sane_lists) reads as markup.
TEXT = st.text(alphabet=st.sampled_from(list("aăâđêôơưAĐ áàảãạếệ0123456789 \t\n"
                                              "*_`[]()#>-+=:~<>&|{}!.\\^/;\"'")), max_size=40)


@given(TEXT)
def test_any_paragraph_text_reads_back_the_same(text: str) -> None:
    words = " ".join(text.split())
    converted = convert(f"<p>{html.escape(text)}</p>")
    rendered = render(converted.markdown)
    assert plain(rendered) == words, (converted.markdown, rendered)
    if words:  # still one paragraph, not a heading, list, quote, code block or table
        assert re.fullmatch(r"<p>.*</p>", rendered.strip(), re.S), (converted.markdown, rendered)


@given(TEXT, TEXT)
def test_a_line_break_keeps_both_lines_as_text(first: str, second: str) -> None:
    converted = convert(f"<p>{html.escape(first)}<br />{html.escape(second)}</p>")
    rendered = render(converted.markdown)
    expected = " ".join(f"{' '.join(first.split())} {' '.join(second.split())}".split())
    assert plain(rendered) == expected, (converted.markdown, rendered)
    if expected:
        assert re.fullmatch(r"<p>.*</p>", rendered.strip(), re.S), (converted.markdown, rendered)


SEGMENT = st.tuples(st.text(alphabet=st.sampled_from(list("ab đ*_ 1.")), min_size=1, max_size=6),
                    st.booleans(), st.booleans())


def mammoth_like(segments: list[tuple[str, bool, bool]]) -> str:
    """Runs as mammoth writes them: bold outside italic, a run's formatting per run."""
    out = []
    for text, bold, italic in segments:
        piece = html.escape(text)
        if italic:
            piece = f"<em>{piece}</em>"
        if bold:
            piece = f"<strong>{piece}</strong>"
        out.append(piece)
    return "".join(out)


@given(st.lists(SEGMENT, min_size=1, max_size=6))
def test_bold_and_italic_read_back_on_the_same_letters(segments: list[tuple[str, bool, bool]]) -> None:
    source = f"<p>{mammoth_like(segments)}</p>"
    converted = convert(source)
    rendered = render(converted.markdown)
    assert styled(rendered) == styled(source), (converted.markdown, rendered)


def test_emphasis_is_written_as_a_writer_types_it() -> None:
    md = convert("<p>Chị <strong>Đinh Thị Hoa </strong>và <em>tổ đò</em>.</p>").markdown
    assert md == "Chị **Đinh Thị Hoa** và *tổ đò*.\n"


def test_block_starts_in_text_are_escaped() -> None:
    assert escape_line_start("1. Không") == "1\\. Không"
    assert escape_line_start("# Không") == "\\# Không"
    assert escape_line_start("- Không") == "\\- Không"
    assert escape_line_start("-5 độ") == "-5 độ"  # not a list: left as typed
    assert escape_text("a*b_c [d]") == "a\\*b\\_c \\[d\\]"


def test_title_is_the_title_style_and_headings_start_at_h2() -> None:
    converted = convert('<p>Mở đầu</p><h1 class="title">Tiêu đề bài</h1><h1>Mục</h1>'
                        "<h2>Mục nhỏ</h2><p>Chữ</p>")
    assert converted.title == "Tiêu đề bài"
    assert converted.markdown == "Mở đầu\n\n## Mục\n\n### Mục nhỏ\n\nChữ\n"


def test_without_a_title_style_the_first_heading_is_the_title() -> None:
    converted = convert("<h2>Báo cáo</h2><p>a</p><h3>Một</h3><h4>Hai</h4>")
    assert converted.title == "Báo cáo"
    assert converted.markdown.splitlines()[2:] == ["## Một", "", "### Hai"]
    assert convert("<p>Không có tiêu đề</p>").title == ""


def test_nested_lists_render_nested() -> None:
    source = ("<ul><li>Một<ol><li>Hai<ul><li>Ba</li></ul></li><li>Bốn</li></ol></li>"
              "<li>Năm</li></ul>")
    rendered = render(convert(source).markdown)
    flat = re.sub(r"\s+", "", rendered)
    assert flat == re.sub(r"\s+", "", source.replace("<li>Ba</li>", "<li>Ba</li>"))


def test_a_table_becomes_a_markdown_table_with_a_header_row() -> None:
    source = ("<table><tr><td><p>Năm</p></td><td><p>Ghi chú</p></td></tr>"
              "<tr><td><p>2024</p></td><td><p>a | b</p><p>dòng hai</p></td></tr></table>")
    converted = convert(source)
    assert converted.markdown.startswith("| Năm | Ghi chú |\n| --- | --- |\n")
    rendered = render(converted.markdown)
    assert "<th>Năm</th>" in rendered and "<td>a | b<br>dòng hai</td>" in rendered


def test_a_table_with_merged_cells_is_kept_as_html() -> None:
    source = ('<table><tr><td colspan="2"><p>Gộp <strong>hai</strong> ô</p></td></tr>'
              "<tr><td><p>a</p></td><td><ul><li>b</li></ul></td></tr></table>")
    converted = convert(source)
    assert '<td colspan="2"><p>Gộp <strong>hai</strong> ô</p></td>' in converted.markdown
    rendered = render(converted.markdown)
    assert 'colspan="2"' in rendered and "<li>b</li>" in rendered


def test_footnotes_and_endnotes_are_numbered_in_reading_order() -> None:
    source = ('<p>A<sup><a href="#endnote-2" id="endnote-ref-2">[1]</a></sup> và '
              'B<sup><sup><a href="#footnote-1" id="footnote-ref-1">[2]</a></sup></sup></p>'
              '<ol><li id="footnote-1"><p> Chú thích. <a href="#footnote-ref-1">↑</a></p></li>'
              '<li id="endnote-2"><p> Ghi chú cuối. <a href="#endnote-ref-2">↑</a></p></li></ol>')
    converted = convert(source)
    assert converted.markdown == "A[^1] và B[^2]\n\n[^1]: Ghi chú cuối.\n[^2]: Chú thích.\n"
    rendered = render(converted.markdown)
    assert rendered.count('class="footnote-ref"') == 2 and "Chú thích." in rendered


def test_links_keep_the_web_ones_and_say_what_they_dropped() -> None:
    converted = convert('<p><a href="https://vi.wikipedia.org/wiki/Tràng An (x)">Tràng An</a>, '
                        '<a href="file:///C:/bai.docx">bài cũ</a>, <a href="#_Toc1">Mục 1</a>, '
                        '<a id="_GoBack"></a><a href="https://a.vn/">https://a.vn/</a></p>')
    assert converted.markdown == ("[Tràng An](https://vi.wikipedia.org/wiki/Tr%C3%A0ng%20An%20%28x%29), "
                                  "bài cũ, Mục 1, <https://a.vn/>\n")
    assert dict(converted.dropped) == {"liên kết tới tệp trên máy tính": 1,
                                       "liên kết tới dấu trang trong tài liệu": 1}
    assert 'href="https://vi.wikipedia.org/wiki/Tr%C3%A0ng%20An%20%28x%29"' in render(converted.markdown)


def test_pictures_keep_their_alt_text() -> None:
    converted = convert('<p><img alt="Thuyền [rồng] *đỏ*" src="anh-1.png" /><img src="anh-2.jpg" /></p>')
    assert converted.markdown == "![Thuyền \\[rồng\\] \\*đỏ\\*](anh-1.png)![](anh-2.jpg)\n"
    rendered = render(converted.markdown)
    assert 'alt="Thuyền [rồng] *đỏ*"' in rendered and rendered.count("<img") == 2


def test_superscript_and_strikethrough_stay_as_html() -> None:
    converted = convert("<p>50 m<sup>2</sup>, H<sub>2</sub>O, <s>bỏ</s></p>")
    assert converted.markdown == "50 m<sup>2</sup>, H<sub>2</sub>O, <s>bỏ</s>\n"
    assert "<sup>2</sup>" in render(converted.markdown)


def test_quotes_and_empty_elements() -> None:
    assert convert("<blockquote><p>Lời Bác</p><p>dạy</p></blockquote>").markdown == \
        "> Lời Bác\n>\n> dạy\n"
    assert convert("<p><strong> </strong></p><ol></ol><dl></dl>").markdown == ""


@given(TEXT)
def test_any_heading_text_reads_back_the_same(text: str) -> None:
    words = " ".join(text.split())
    converted = convert(f'<h1 class="title">Tiêu đề</h1><h2>{html.escape(text)}</h2>')
    rendered = render(converted.markdown)
    if words:
        assert re.fullmatch(r"<h2[^>]*>.*</h2>", rendered.strip(), re.S), (converted.markdown, rendered)
    assert plain(rendered) == words, (converted.markdown, rendered)


@given(TEXT, TEXT)
def test_any_table_cell_text_reads_back_the_same(first: str, second: str) -> None:
    cells = "".join(f"<td><p>{html.escape(t)}</p></td>" for t in (first, second))
    converted = convert(f"<table><tr><td><p>Cột 1</p></td><td><p>Cột 2</p></td></tr>"
                        f"<tr>{cells}</tr></table>")
    rendered = render(converted.markdown)
    found = [plain(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", rendered, re.S)]
    assert found == [" ".join(first.split()), " ".join(second.split())], (converted.markdown, rendered)


@given(TEXT, TEXT)
def test_any_list_item_text_reads_back_the_same(outer: str, inner: str) -> None:
    source = f"<ol><li>{html.escape(outer)}<ul><li>{html.escape(inner)}</li></ul></li></ol>"
    converted = convert(source)
    rendered = flat(render(converted.markdown))
    expected = [" ".join(outer.split()), " ".join(inner.split())]
    if expected[0]:
        assert rendered.startswith("<ol><li>") and "<ul><li>" in rendered, (converted.markdown, rendered)
    assert [w for w in plain(rendered.replace("<ul>", " ")).split(" ") if w] == \
        " ".join(expected).split(), (converted.markdown, rendered)


def flat(fragment: str) -> str:
    return re.sub(r">\s+<", "><", fragment.strip())
