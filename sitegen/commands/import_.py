"""``sitegen import``: a Word .docx in; a draft article bundle out
(``content/<section>/<slug>/index.md`` with its pictures beside it), never over one that is
there, and a Vietnamese account of what the page leaves out. [IO]

The front matter is ``sitegen new``'s (:func:`sitegen.commands.new.scaffold`), the body the
document as Markdown (:func:`sitegen.core.docx_import.read_docx`).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

from sitegen.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from sitegen.commands.new import UnknownKind, already_there, scaffold, unknown_kind
from sitegen.core.config import load_config
from sitegen.core.docx_import import Imported, NotImportable, read_docx
from sitegen.core.errors import printable
from sitegen.pipeline import clock

#: The kind an imported document is when ``--kind`` is not given.
DEFAULT_KIND = "news"


def import_command(site: Path, source: Path, kind: str | None = None) -> int:
    """``sitegen import``: make a draft bundle of ``kind`` (default :data:`DEFAULT_KIND`) in
    ``site`` from the Word document ``source``; say what was made and what was left out.
    Returns the exit code."""
    kind = kind or DEFAULT_KIND
    config, _ = load_config(site)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        return _fail(EXIT_USAGE, f"không tìm thấy tệp {source}",
                     "kiểm tra tên tệp và thư mục; tên có dấu cách thì đặt trong ngoặc kép")
    except IsADirectoryError:
        return _fail(EXIT_USAGE, f"{source} là thư mục, không phải tệp Word",
                     "ghi đường dẫn tới tệp .docx, ví dụ sitegen import \"Bai viet.docx\"")
    except OSError as exc:
        return _fail(EXIT_USAGE, f"không đọc được tệp {source}: {exc.strerror}",
                     "đóng tệp nếu đang mở trong Word, kiểm tra quyền đọc tệp, rồi chạy lại")
    try:
        doc = read_docx(data, source.name)
    except NotImportable as exc:
        return _fail(EXIT_CONTENT, f"tệp {source.name} {exc.message}", exc.fix)
    if not doc.markdown.strip() and not doc.pictures:
        return _fail(EXIT_CONTENT, f"tệp {source.name} không có chữ hay ảnh nào để nhập",
                     "mở tệp trong Word, kiểm tra đúng tệp có nội dung bài, lưu lại rồi nhập lại")
    title = doc.title or _title_from_name(source)
    try:
        made = scaffold(config, kind, title, clock(config.zone).date(), bundle=True,
                        body=doc.markdown)
    except UnknownKind:
        print(unknown_kind(config, kind), file=sys.stderr)
        return EXIT_USAGE
    target = config.root / made.rel
    folder = made.rel.rsplit("/", 1)[0]
    if already_there(target, bundle=True):
        return _fail(EXIT_CONTENT, f"{folder}/ đã có; sitegen không ghi đè",
                     "mở bài đó để sửa; muốn nhập lại thì đổi tên hoặc xóa thư mục đó trước, "
                     "hoặc sửa tiêu đề trong tệp Word")
    _write_bundle(target.parent, made.text, doc)
    _report(made.rel, doc, from_name=not doc.title)
    return EXIT_OK


def _fail(code: int, what: str, fix: str) -> int:
    print(printable(f"lỗi: {what}. Cách sửa: {fix}."), file=sys.stderr)
    return code


def _title_from_name(source: Path) -> str:
    """A title made of the file's name, for a document with neither Title nor heading."""
    stem = unicodedata.normalize("NFC", source.stem).replace("_", " ")
    return " ".join(stem.split()) or "Bài nhập từ Word"


def _write_bundle(folder: Path, text: str, doc: Imported) -> None:
    """Write ``index.md`` and the pictures into a hidden folder beside ``folder``, then rename
    it into place: a failure half-way leaves no half-made article (sitegen skips dot-folders)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        (work / "index.md").write_text(text, encoding="utf-8", newline="\n")
        for picture in doc.pictures:
            (work / picture.name).write_bytes(picture.data)
        work.rename(folder)  # fails if the folder appeared meanwhile (it is never empty)
    finally:
        if work.exists():
            shutil.rmtree(work)


def _report(rel: str, doc: Imported, *, from_name: bool) -> None:
    """Print what was made, what was left out, and what the writer should do next."""
    pictures = f" và {len(doc.pictures)} ảnh bên cạnh" if doc.pictures else ""
    print(printable(f"Đã tạo {rel} (bản nháp){pictures}."))
    if from_name:
        print("Tệp Word không có tiêu đề (kiểu Title hoặc Heading 1): đã lấy tên tệp làm "
              "tiêu đề; sửa dòng title: trong bài.")
    if doc.dropped:
        print("Đã bỏ những phần trang web không dùng:")
        for what, count in doc.dropped:
            print(printable(f"  - {what}: {count} chỗ"))
    missing = [p.name for p in doc.pictures if not p.alt]
    if missing:
        print(printable(f"Ảnh chưa có lời mô tả: {', '.join(missing)}. Cách sửa: viết mô tả "
                        f"trong ngoặc vuông, ví dụ ![Mô tả ảnh]({missing[0]}); "
                        "sitegen check sẽ nhắc."))
    print("Mở tệp để xem lại; khi xong, đổi draft: true thành false.")
