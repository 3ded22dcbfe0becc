"""A Word document's bytes in; its title, its body as Markdown, its pictures and what was left
out, in Vietnamese, out (:func:`read_docx`); pure (nothing is written).

Word's styles become Markdown through mammoth, which reads what a paragraph *is* (Title,
Heading 1, a list item, a footnote) and ignores how it was made to look by hand (font, size,
colour): exactly what a web page should keep. What mammoth leaves out silently is counted
here from the document's XML, so that the writer is told.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from sitegen.core.markdown_from_html import TITLE_CLASS, convert

#: Largest document accepted, unpacked (a .docx is a zip; this refuses a "zip bomb").
MAX_UNPACKED = 300 * 1024 * 1024

#: Word styles mapped to elements beyond mammoth's own map (headings, lists, notes, links).
STYLE_MAP = f"""
p[style-name='Title'] => h1.{TITLE_CLASS}:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
r[style-name='Emphasis'] => em
r[style-name='Subtle Emphasis'] => em
r[style-name='Intense Emphasis'] => strong
"""

#: Paragraph and character styles that are plain text on a web page: no need to mention them.
#: Word's names and its style ids alike (a style missing from styles.xml has only its id).
PLAIN_STYLES = frozenset(s.casefold().replace(" ", "") for s in (
    "List Paragraph", "Body Text", "Body Text 2", "Body Text 3", "Body Text Indent",
    "No Spacing", "Normal (Web)", "NormalWeb", "Caption", "Subtitle", "Default",
    "Default Paragraph Font", "Plain Text", "Table Paragraph", "Text Body", "Standard",
    "Hyperlink", "FollowedHyperlink", "footnote text", "endnote text", "annotation text",
    "annotation reference", "CommentText", "CommentReference", "Balloon Text",
))

#: Picture formats a browser shows, by content type, with the extension they are saved with.
WEB_PICTURES = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/gif": "gif",
                "image/webp": "webp"}
#: Formats Pillow turns into PNG.
CONVERTIBLE = frozenset({"image/bmp", "image/x-bmp", "image/tiff", "image/x-tiff"})
#: Alt text Word writes by itself (in English or Vietnamese), not a description by a person.
_AUTO_ALT = re.compile(r"description automatically generated|mô tả được tạo tự động", re.I)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Manual run formatting → what the writer is told was dropped.
_RUN_FORMATTING = {"color": "màu chữ", "sz": "cỡ chữ", "rFonts": "phông chữ",
                   "highlight": "tô màu nền chữ", "shd": "tô màu nền chữ", "u": "gạch chân",
                   "caps": "chữ in hoa do định dạng (giữ chữ như khi gõ)",
                   "smallCaps": "chữ in hoa do định dạng (giữ chữ như khi gõ)"}
#: Parts of a document a web page cannot show, by the tag that marks them.
_CONTENT_DROPPED = {
    "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart":
        "biểu đồ (chụp thành ảnh rồi chèn lại)",
    "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath": "công thức toán",
    "{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds":
        "sơ đồ SmartArt (chụp thành ảnh rồi chèn lại)",
    "{urn:schemas-microsoft-com:office:office}OLEObject": "đối tượng nhúng (bảng Excel, tệp khác)",
    _W + "del": "chữ đã xóa khi theo dõi thay đổi (lấy bản đã chấp nhận mọi thay đổi)",
}
_MAMMOTH_STYLE = re.compile(r"Unrecognised (paragraph|run) style: (.*) \(Style ID: (.*)\)")
#: mammoth's warnings that lose nothing: a style used but not defined is still read as text.
_HARMLESS = re.compile(r"\w+ style with ID .* was referenced but not defined in the document")


@dataclass(frozen=True)
class Picture:
    """A picture of the document: its file name beside the article, its bytes, its alt text."""

    name: str
    data: bytes
    alt: str


@dataclass(frozen=True)
class Imported:
    """A Word document read: its title ("" when it has none), Markdown body, pictures, and
    what it held that the page leaves out: (Vietnamese phrase, how many times)."""

    title: str
    markdown: str
    pictures: tuple[Picture, ...]
    dropped: tuple[tuple[str, int], ...]


class NotImportable(ValueError):
    """The file is not a Word .docx sitegen can read: ``message`` says what it is, ``fix``
    what to do (both Vietnamese)."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


SAVE_AS_DOCX = ('mở tệp trong Word, chọn Tệp > Lưu thành (Save As), chọn kiểu "Tài liệu Word '
                '(*.docx)", rồi nhập tệp .docx đó')


def check_kind(data: bytes, name: str) -> None:
    """Raise :class:`NotImportable` unless ``data`` (of the file called ``name``) looks like a
    .docx: a zip holding ``word/document.xml``."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE2 compound file: Word 97-2003, or encrypted
        if suffix == "doc":
            raise NotImportable("là tệp Word 97-2003 (.doc), sitegen chỉ đọc được tệp .docx",
                                SAVE_AS_DOCX)
        raise NotImportable("có mật khẩu, hoặc là tệp Word 97-2003 (.doc) đã đổi đuôi",
                            "mở tệp trong Word, bỏ mật khẩu nếu có (Tệp > Thông tin > Bảo vệ tài "
                            "liệu), rồi " + SAVE_AS_DOCX.removeprefix("mở tệp trong Word, "))
    if data.startswith(b"%PDF"):
        raise NotImportable("là tệp PDF, sitegen chỉ đọc được tệp Word .docx",
                            "dùng tệp Word gốc; nếu chỉ có PDF, " + SAVE_AS_DOCX +
                            " (Word mở được tệp PDF)")
    if data.startswith(b"{\\rtf"):
        raise NotImportable("là tệp RTF, sitegen chỉ đọc được tệp Word .docx", SAVE_AS_DOCX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:80] if "mimetype" in names else b""
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _broken() from exc
    if b"opendocument" in mimetype:
        raise NotImportable(
            "là tệp OpenDocument (.odt, của LibreOffice), sitegen chỉ đọc được tệp Word .docx",
            'mở tệp trong LibreOffice Writer hoặc Word, chọn Lưu thành (Save As), kiểu "Word '
            '2007-365 (.docx)", rồi nhập tệp .docx đó')
    if "word/document.xml" not in names:
        raise _broken()
    if unpacked > MAX_UNPACKED:
        raise NotImportable(f"quá lớn khi giải nén (hơn {MAX_UNPACKED // 1024 // 1024} MB)",
                            "thu nhỏ ảnh trong Word (Định dạng ảnh > Nén ảnh), lưu lại rồi nhập lại")


def _broken() -> NotImportable:
    return NotImportable("bị hỏng hoặc không phải tệp Word .docx",
                         "mở tệp trong Word (nếu Word hỏi sửa tệp, chọn Có), chọn Tệp > Lưu "
                         "thành (Save As) kiểu .docx, rồi nhập tệp mới")


def read_docx(data: bytes, name: str) -> Imported:
    """The Word document ``data`` (a file called ``name``) as an :class:`Imported` article;
    :class:`NotImportable` when it is not a .docx sitegen can read."""
    import mammoth  # here: only this command needs it, the build never loads it

    check_kind(data, name)
    pictures = _Pictures()
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), style_map=STYLE_MAP, convert_image=pictures.convert,
            include_embedded_style_map=False, external_file_access=False)
        scanned = scan(data)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, ET.ParseError,
            zipfile.BadZipFile, OSError) as exc:
        raise _broken() from exc
    converted = convert(result.value)
    dropped = Counter(dict(scanned))
    dropped.update(dict(pictures.dropped))
    dropped.update(dict(converted.dropped))
    dropped.update(_from_messages(m.message for m in result.messages))
    return Imported(title=converted.title, markdown=converted.markdown,
                    pictures=tuple(pictures.kept), dropped=tuple(dropped.items()))


class _Pictures:
    """mammoth's picture callback: keeps each picture once, named ``anh-1.jpg`` …"""

    def __init__(self) -> None:
        self.kept: list[Picture] = []
        self.by_data: dict[bytes, str] = {}
        self.dropped: Counter[str] = Counter()

    def convert(self, image: Any) -> list[Any]:
        from mammoth import html

        with image.open() as fh:
            data = fh.read()
        kind = (image.content_type or "").lower()
        ext = WEB_PICTURES.get(kind)
        if ext is None and kind in CONVERTIBLE:
            data, ext = _to_png(data), "png"
        if ext is None or not data:
            self.dropped["ảnh dạng không hiện được trên web (EMF, WMF…): chèn lại ảnh JPG hoặc PNG"] += 1
            return []
        alt = " ".join((image.alt_text or "").split())
        if _AUTO_ALT.search(alt):
            self.dropped["lời mô tả ảnh do Word tự tạo (viết lại bằng tiếng Việt)"] += 1
            alt = ""
        name = self.by_data.get(data)
        if name is None:
            name = f"anh-{len(self.kept) + 1}.{ext}"
            self.by_data[data] = name
            self.kept.append(Picture(name, data, alt))
        attrs = {"src": name, **({"alt": alt} if alt else {})}
        return [html.element("img", attrs)]


def _to_png(data: bytes) -> bytes:
    """A BMP or TIFF picture as PNG bytes (b"" when Pillow cannot read it)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            out = io.BytesIO()
            im.save(out, "PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError):
        return b""


def scan(data: bytes) -> Counter[str]:
    """What the document holds that mammoth leaves out without a word: manual formatting of
    runs, centred or right-aligned paragraphs, comments, charts, equations … with counts."""
    found: Counter[str] = Counter()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read("word/document.xml"))
        in_links = {id(r) for link in root.iter(_W + "hyperlink") for r in link.iter(_W + "r")}
        for run in root.iter(_W + "r"):
            props = run.find(_W + "rPr") if id(run) not in in_links else None  # a link looks
            # like a link on the page, whatever colour Word gave it
            for prop in props if props is not None else ():
                what = _RUN_FORMATTING.get(prop.tag.removeprefix(_W))
                if what and prop.get(_W + "val") not in ("none", "0", "false", "auto"):
                    found[what] += 1
        for jc in root.iter(_W + "jc"):
            if jc.get(_W + "val") in ("center", "right", "end"):
                found["căn giữa, căn phải"] += 1
        for tag, what in _CONTENT_DROPPED.items():
            found[what] += sum(1 for _ in root.iter(tag))
        names = zf.namelist()
        if "word/comments.xml" in names:
            found["lời bình (comment)"] += sum(
                1 for _ in ET.fromstring(zf.read("word/comments.xml")).iter(_W + "comment"))
        found["đầu trang, chân trang"] += sum(
            1 for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n)
            and any((t.text or "").strip() for t in ET.fromstring(zf.read(n)).iter(_W + "t")))
    return +found  # drop the zeros


def _from_messages(messages: Any) -> Counter[str]:
    """mammoth's warnings, in Vietnamese; the plain styles and what :func:`scan` counted left out."""
    found: Counter[str] = Counter()
    for message in messages:
        style = _MAMMOTH_STYLE.fullmatch(message)
        if style:
            name = style[3] if style[2] == "None" else style[2]
            if name.casefold().replace(" ", "") not in PLAIN_STYLES:
                kind = "kiểu đoạn" if style[1] == "paragraph" else "kiểu chữ"
                found[f'{kind} "{name}" (thành chữ thường)'] += 1
        elif _HARMLESS.fullmatch(message) or message.startswith((
                "An unrecognised element was ignored: m:", "Image of type")):
            continue  # counted by scan() or by the picture callback
        else:
            found[f"phần mammoth không đọc được ({message})"] += 1
    return found
