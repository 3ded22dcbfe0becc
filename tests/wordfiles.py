"""Real .docx files for the import tests, made with python-docx the way Word makes them.

python-docx has no call for nested numbering, hyperlinks or footnotes, so those are added as
Word writes them: a multi-level ``w:abstractNum`` with ``w:numPr`` on each item, a
``w:hyperlink`` with an external relationship, and a ``word/footnotes.xml`` part.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from PIL import Image

TITLE = "Lễ hội Tràng An năm 2025: đón 10.000 lượt khách"
ALT = "Đoàn thuyền rồng trên sông Sào Khê"
LINK = "https://sodulich.ninhbinh.gov.vn/le-hoi"
NOTE = "Số liệu của Ban quản lý Quần thể danh thắng Tràng An."
HEADINGS = ("Chương trình lễ hội", "Hoạt động chính", "Kết quả")
LIST = ("Rước kiệu", "Dâng hương", "Đua thuyền trên sông Sào Khê", "Thả đèn hoa đăng")
TABLE = (("Năm", "Lượt khách", "Doanh thu (tỷ đồng)"),
         ("2024", "8.500", "12,4"),
         ("2025", "10.000", "15,1"))

_NUMBERING = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:multiLevelType w:val="hybridMultilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
</w:abstractNum>"""

_FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {nsdecls('w')}>
  <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0">
    <w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
  <w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>
    <w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>
    <w:r><w:t xml:space="preserve"> {NOTE}</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


@dataclass(frozen=True)
class Pictures:
    """The two pictures put in the document: PNG (with alt text) and JPEG (without)."""

    png: bytes
    jpeg: bytes


def pictures() -> Pictures:
    png, jpeg = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (40, 20), (20, 120, 200)).save(png, "PNG")
    Image.new("RGB", (30, 60), (200, 120, 20)).save(jpeg, "JPEG")
    return Pictures(png.getvalue(), jpeg.getvalue())


def _list_item(doc: docx.document.Document, text: str, level: int, num_id: int) -> None:
    p = doc.add_paragraph(text, style="List Paragraph")
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _nested_numbering(doc: docx.document.Document) -> int:
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _hyperlink(paragraph: Paragraph, text: str, url: str) -> None:
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>'
        f'<w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr><w:t>{text}</w:t></w:r></w:hyperlink>'))


def _footnote(doc: docx.document.Document, paragraph: Paragraph) -> None:
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, _FOOTNOTES.encode("utf-8"),
                doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>'))


def word_document(path: Path) -> Pictures:
    """Write a Word-like .docx to ``path``: Title, headings, bold and italic, manual colour,
    size and font, a nested list, a table with a header row, a link, a footnote, a comment and
    two pictures (one described, one not). Returns the pictures' bytes."""
    doc = docx.Document()
    doc.add_heading(TITLE, level=0)
    intro = doc.add_paragraph("Sáng 10/3, ")
    intro.add_run("Sở Du lịch tỉnh Ninh Bình").bold = True
    intro.add_run(" khai mạc ")
    intro.add_run("Lễ hội Tràng An").italic = True
    loud = intro.add_run(" với nhiều hoạt động")
    loud.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    loud.font.size = Pt(20)
    loud.font.name = "Times New Roman"
    intro.add_run(".")
    _footnote(doc, intro)
    doc.add_comment(intro.runs[1], text="Kiểm tra lại tên đơn vị", author="Hoa", initials="H")
    doc.add_heading(HEADINGS[0], level=1)
    more = doc.add_paragraph("Chi tiết xem tại ")
    _hyperlink(more, "trang của Sở", LINK)
    doc.add_heading(HEADINGS[1], level=2)
    num_id = _nested_numbering(doc)
    _list_item(doc, LIST[0], 0, num_id)
    _list_item(doc, LIST[1], 1, num_id)
    _list_item(doc, LIST[2], 1, num_id)
    _list_item(doc, LIST[3], 0, num_id)
    doc.add_heading(HEADINGS[2], level=2)
    table = doc.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    made = pictures()
    doc.add_picture(io.BytesIO(made.png))
    doc.inline_shapes[0]._inline.docPr.set("descr", ALT)
    doc.add_paragraph("Ảnh thứ hai:")
    doc.add_picture(io.BytesIO(made.jpeg))
    doc.save(str(path))
    return made
