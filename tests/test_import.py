"""``sitegen import FILE.docx``: a Word document becomes a draft bundle that checks, builds and
shows the same structure; files that are not a .docx get a Vietnamese message, never a
traceback; nothing is ever overwritten."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from helpers import snapshot
from PIL import Image
from wordfiles import ALT, HEADINGS, LINK, LIST, NOTE, TABLE, TITLE, word_document

from sitegen.core.docx_import import read_docx
from sitegen.core.frontmatter import split
from sitegen.vn.slug import slugify

SLUG = slugify(TITLE)
BUNDLE = f"content/tin-tuc/{SLUG}"


@pytest.fixture
def word_file(tmp_path: Path) -> Path:
    path = tmp_path / "Bài lễ hội.docx"
    word_document(path)
    return path


def flat(html: str) -> str:
    """``html`` without the white space between tags."""
    return re.sub(r">\s+<", "><", html)


def test_a_word_document_imports_checks_builds_and_keeps_its_structure(
        make_site, run_cli, build_ok, word_file: Path, tmp_path: Path) -> None:
    site = make_site()
    made = run_cli("import", word_file, "--site", site)
    assert made.code == 0, made.err
    folder = site / BUNDLE
    assert sorted(p.name for p in folder.iterdir()) == ["anh-1.png", "anh-2.jpg", "index.md"]
    # the pictures are Word's own bytes
    with zipfile.ZipFile(word_file) as zf:
        media = sorted(zf.read(n) for n in zf.namelist() if n.startswith("word/media/"))
    assert sorted([(folder / "anh-1.png").read_bytes(), (folder / "anh-2.jpg").read_bytes()]) == media
    # the front matter is sitegen new's, a draft
    parts = split((folder / "index.md").read_text(encoding="utf-8"))
    assert parts is not None
    meta = yaml.safe_load(parts.yaml_text)
    assert meta["title"] == TITLE and meta["draft"] is True and str(meta["date"]) == "2025-07-01"
    assert "Viết đoạn mở đầu" not in parts.body  # the scaffold's placeholder is not there
    # what was dropped is said, in Vietnamese
    for dropped in ("màu chữ: 1 chỗ", "cỡ chữ: 1 chỗ", "phông chữ: 1 chỗ", "lời bình (comment): 1 chỗ"):
        assert dropped in made.out, made.out
    assert "Ảnh chưa có lời mô tả: anh-2.jpg" in made.out

    checked = run_cli("check", "--site", site)
    assert checked.code == 0, checked.err
    warnings = [line for line in checked.err.splitlines() if "cảnh báo" in line]
    assert len(warnings) == 1 and "anh-2.jpg" in warnings[0] and "mô tả" in warnings[0], checked.err
    assert run_cli("check", "--site", site, "--strict").code == 1  # the missing alt text counts

    index = folder / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("draft: true", "draft: false", 1),
                     encoding="utf-8")
    out = tmp_path / "out"
    build_ok(site, out)
    page = flat((out / "tin-tuc" / "2025" / "07" / SLUG / "index.html").read_text(encoding="utf-8"))
    body = page[page.index(f">{TITLE}</h1>"):]
    headings = re.findall(r"<(h[1-6])[^>]*>([^<]*)</h[1-6]>", body)
    assert headings[:3] == [("h2", HEADINGS[0]), ("h3", HEADINGS[1]), ("h3", HEADINGS[2])]
    assert (f"<ul><li>{LIST[0]}<ol><li>{LIST[1]}</li><li>{LIST[2]}</li></ol></li>"
            f"<li>{LIST[3]}</li></ul>") in body
    assert "<thead><tr>" + "".join(f"<th>{c}</th>" for c in TABLE[0]) + "</tr></thead>" in body
    for row in TABLE[1:]:
        assert "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" in body
    images = re.findall(r"<img [^>]*>", body)
    assert len(images) == 2
    # Photos are published in widths (anh-1-40w.png …): the name says which picture it is.
    first = re.search(r'src="(?:\./)?(anh-1(?:-\d+w)?\.png)"', images[0])
    second = re.search(r'src="(?:\./)?(anh-2(?:-\d+w)?\.jpg)"', images[1])
    assert first and f'alt="{ALT}"' in images[0]
    assert second and 'alt=""' in images[1]
    for found in (first, second):
        assert (out / "tin-tuc" / "2025" / "07" / SLUG / found[1]).is_file()
    assert "<strong>Sở Du lịch tỉnh Ninh Bình</strong>" in body and "<em>Lễ hội Tràng An</em>" in body
    assert f'href="{LINK}"' in body and 'class="footnote-ref"' in body and NOTE in body
    assert not re.search(r"FF0000|Times New Roman|font-size|style=", body)


def test_the_imported_markdown_reads_as_typed(word_file: Path) -> None:
    doc = read_docx(word_file.read_bytes(), word_file.name)
    assert doc.title == TITLE
    lines = doc.markdown.splitlines()
    assert lines[0].startswith("Sáng 10/3, **Sở Du lịch tỉnh Ninh Bình** khai mạc *Lễ hội Tràng An*")
    assert lines[0].endswith("[^1]") and f"[^1]: {NOTE}" in lines
    assert f"- {LIST[0]}" in lines and f"    1. {LIST[1]}" in lines and f"    2. {LIST[2]}" in lines
    assert f"## {HEADINGS[0]}" in lines and f"### {HEADINGS[1]}" in lines
    assert f"![{ALT}](anh-1.png)" in lines and "![](anh-2.jpg)" in lines


def test_import_into_a_named_section(make_site, run_cli, word_file: Path) -> None:
    site = make_site()
    assert run_cli("import", word_file, "--kind", "van-ban", "--site", site).code == 0
    text = (site / "content" / "van-ban" / SLUG / "index.md").read_text(encoding="utf-8")
    assert "number:" in text and "issuer:" in text  # the document kind's keys, as new gives them


def test_import_never_overwrites(make_site, run_cli, word_file: Path) -> None:
    site = make_site()
    assert run_cli("import", word_file, "--site", site).code == 0
    index = site / BUNDLE / "index.md"
    index.write_text("bài đã sửa", encoding="utf-8")
    before = snapshot(site)
    again = run_cli("import", word_file, "--site", site)
    assert again.code == 1
    assert "không ghi đè" in again.err and "Traceback" not in again.err
    assert snapshot(site) == before  # nothing written, no hidden work folder left


def test_import_refuses_a_single_file_article_of_the_same_name(make_site, run_cli,
                                                               word_file: Path) -> None:
    site = make_site({f"content/tin-tuc/{SLUG}.md": "bài cũ"})
    result = run_cli("import", word_file, "--site", site)
    assert result.code == 1 and "không ghi đè" in result.err
    assert not (site / BUNDLE).exists()


def test_new_bundle_refuses_a_single_file_article_of_the_same_name(make_site, run_cli) -> None:
    """The check import shares with new (``already_there``): both forms of an article count."""
    site = make_site({"content/tin-tuc/tin-moi.md": "bài cũ"})
    result = run_cli("new", "news", "Tin mới", "--bundle", "--site", site)
    assert result.code == 1 and "không ghi đè" in result.err
    assert not (site / "content" / "tin-tuc" / "tin-moi").exists()


def _odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def _zip_without_word() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ghi-chu.txt", "không phải Word")
    return buf.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("bai.doc", OLE, ["Word 97-2003 (.doc)", "Lưu thành", ".docx"]),
    ("bai.docx", OLE, ["mật khẩu", "Lưu thành"]),
    ("bai.odt", _odt(), ["OpenDocument (.odt", "LibreOffice", ".docx"]),
    ("bai.pdf", b"%PDF-1.7\n", ["PDF", "Word"]),
    ("bai.docx", b"Day khong phai tep Word", ["bị hỏng", "Lưu thành"]),
    ("bai.docx", _zip_without_word(), ["bị hỏng"]),
])
def test_files_that_are_not_a_docx_get_a_message_saying_what_to_do(
        make_site, run_cli, tmp_path: Path, name: str, data: bytes, says: list[str]) -> None:
    site = make_site()
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(site)
    result = run_cli("import", path, "--site", site)
    assert result.code == 1
    assert result.err.startswith(f"lỗi: tệp {name} ") and "Cách sửa:" in result.err
    for words in says:
        assert words in result.err, result.err
    assert "Traceback" not in result.err and snapshot(site) == before


def test_a_truncated_docx_is_broken_not_a_traceback(make_site, run_cli, word_file: Path) -> None:
    site = make_site()
    data = word_file.read_bytes()
    word_file.write_bytes(data[: len(data) // 2])
    result = run_cli("import", word_file, "--site", site)
    assert result.code == 1 and "bị hỏng" in result.err and "Traceback" not in result.err


def test_a_missing_file_or_a_folder_is_a_usage_error(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site()
    missing = run_cli("import", tmp_path / "khong-co.docx", "--site", site)
    assert missing.code == 2 and "không tìm thấy tệp" in missing.err and "Cách sửa" in missing.err
    folder = run_cli("import", tmp_path, "--site", site)
    assert folder.code == 2 and "thư mục" in folder.err


def test_an_unknown_kind_is_a_usage_error(make_site, run_cli, word_file: Path) -> None:
    site = make_site()
    result = run_cli("import", word_file, "--kind", "bao-cao", "--site", site)
    assert result.code == 2 and "news" in result.err and not (site / "content" / "tin-tuc").exists()


def test_a_document_without_title_takes_the_file_name(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site()
    path = tmp_path / "Thong_bao lich truc.docx"
    doc = docx.Document()
    doc.add_paragraph("Lịch trực Tết Nguyên đán.")
    doc.save(str(path))
    result = run_cli("import", path, "--site", site)
    assert result.code == 0, result.err
    assert "lấy tên tệp làm tiêu đề" in result.out
    assert (site / "content" / "tin-tuc" / "thong-bao-lich-truc" / "index.md").is_file()


def test_an_empty_document_is_refused(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site()
    path = tmp_path / "trong.docx"
    docx.Document().save(str(path))
    result = run_cli("import", path, "--site", site)
    assert result.code == 1 and "không có chữ hay ảnh" in result.err


def _picture_document(path: Path, picture: bytes, descr: str = "") -> None:
    doc = docx.Document()
    doc.add_heading("Ảnh", level=1)
    doc.add_picture(io.BytesIO(picture))
    if descr:
        doc.inline_shapes[0]._inline.docPr.set("descr", descr)
    doc.save(str(path))


def test_a_bmp_picture_becomes_png_and_word_s_own_alt_text_is_dropped(tmp_path: Path) -> None:
    bmp = io.BytesIO()
    Image.new("RGB", (8, 4), (1, 2, 3)).save(bmp, "BMP")
    path = tmp_path / "a.docx"
    _picture_document(path, bmp.getvalue(), "A boat on a river Description automatically generated")
    doc = read_docx(path.read_bytes(), path.name)
    assert [p.name for p in doc.pictures] == ["anh-1.png"]
    with Image.open(io.BytesIO(doc.pictures[0].data)) as im:
        assert (im.format, im.size) == ("PNG", (8, 4))
    assert doc.pictures[0].alt == "" and "![](anh-1.png)" in doc.markdown
    assert dict(doc.dropped)["lời mô tả ảnh do Word tự tạo (viết lại bằng tiếng Việt)"] == 1


def test_a_picture_browsers_cannot_show_is_dropped_and_said(tmp_path: Path) -> None:
    png = io.BytesIO()
    Image.new("RGB", (8, 4)).save(png, "PNG")
    path = tmp_path / "a.docx"
    _picture_document(path, png.getvalue())
    # Word keeps vector drawings as EMF; make the picture one (content type by extension)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"image/png", b"image/x-emf")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    doc = read_docx(path.read_bytes(), path.name)
    assert doc.pictures == () and "![" not in doc.markdown
    assert any("EMF" in what for what, _ in doc.dropped)


def guide_section() -> str:
    guide = (Path(__file__).resolve().parent.parent / "docs" / "huong-dan-viet-bai.md").read_text(
        encoding="utf-8")
    start = guide.index("### Nhập bài từ Word")
    return guide[start:guide.index("\n## ", start)]


def test_the_guide_shows_what_import_really_prints(make_site, run_cli, word_file: Path) -> None:
    section = guide_section()
    sample = re.search(r"```text\n(.*?)```", section, re.S)
    assert sample, "the guide's section on Word has no sample of what the command prints"
    made = run_cli("import", word_file, "--site", make_site())
    assert made.out == sample[1]


def test_the_guide_s_message_for_a_doc_file_is_the_real_one(make_site, run_cli,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "bai.doc"
    path.write_bytes(OLE)
    result = run_cli("import", path, "--site", make_site())
    guide = (Path(__file__).resolve().parent.parent / "docs" / "huong-dan-viet-bai.md").read_text(
        encoding="utf-8")
    assert f"| `{result.err.strip()}` | `1` |" in guide
