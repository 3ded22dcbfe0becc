"""Issue 18, items 4, 5, 6 (check), 9 (the body) and 10: what ``sitegen check`` finds in
bodies as writers bring them from Hugo, Jekyll, Word and older pages, and in articles made
with ``sitegen new`` and never filled in. Every fixture is written here."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import article

from sitegen.core.placeholders import OPENING, SUBJECT, TEXT
from sitegen.vn.slug import slugify


def line_of(text: str, needle: str) -> int:
    """The line (from 1) of ``text`` where ``needle`` first stands."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def messages(err: str, what: str) -> list[str]:
    """The lines of ``err`` (check's output) that contain ``what``."""
    return [line for line in err.splitlines() if what in line]


def page_html(out: Path, title: str, section: str = "tin-tuc", month: str = "2025/03") -> str:
    """The built page of the article titled ``title`` (dated in ``month``)."""
    return (out / section / month / slugify(title) / "index.html").read_text(encoding="utf-8")


# --- item 10: the scaffold's text ---------------------------------------------------------

def scaffolded(make_site, run_cli, title: str = "Gương sáng Nguyễn Văn A") -> tuple[Path, Path]:
    """A site and the path of a new model article made by ``sitegen new``."""
    site = make_site()
    assert run_cli("new", "model", title, "--site", site).code == 0
    return site, site / "content" / "guong-dien-hinh" / f"{slugify(title)}.md"


def publish(path: Path) -> str:
    """Turn the scaffold at ``path`` into an article to publish; return its text."""
    text = path.read_text(encoding="utf-8").replace("draft: true ", "draft: false", 1)
    path.write_text(text, encoding="utf-8")
    return text


def test_placeholder_text_is_an_error_once_draft_is_false(make_site, run_cli) -> None:
    site, path = scaffolded(make_site, run_cli)
    draft = run_cli("check", "--site", site)
    assert draft.code == 0 and messages(draft.err, "chữ mẫu"), draft.err
    text = publish(path)
    result = run_cli("check", "--site", site)
    assert result.code == 1
    rel = path.relative_to(site).as_posix()
    subject = messages(result.err, "[subject]")
    assert subject and subject[0].startswith(f"{rel}:{line_of(text, 'subject:')}: lỗi [subject]: ")
    assert SUBJECT.text in subject[0]
    body = messages(result.err, "nội dung bài vẫn còn chữ mẫu")
    assert body and body[0].startswith(f"{rel}:{line_of(text, OPENING.text)}: lỗi: ")
    assert str(line_of(text, TEXT.text)) in body[0]
    assert run_cli("build", "--site", site).code == 1


def test_report_never_lists_placeholder_text_as_a_person(make_site, run_cli) -> None:
    """``report --format csv`` listed "Họ và tên người …" for Sở Nội vụ."""
    site, path = scaffolded(make_site, run_cli)
    draft = run_cli("report", "--year", "2025", "--format", "csv", "--site", site)
    assert draft.code == 0 and SUBJECT.text not in draft.out  # a draft is never reported
    publish(path)
    published = run_cli("report", "--year", "2025", "--format", "csv", "--site", site)
    assert published.code == 1 and SUBJECT.text not in published.out
    assert messages(published.err, "chữ mẫu")


def test_following_the_scaffolds_awards_comment_works(make_site, run_cli, build_ok, tmp_path) -> None:
    """Removing the ``#`` of the award lines, as the scaffold's comment says, was a YAML error."""
    site, path = scaffolded(make_site, run_cli)
    text = publish(path)
    text = re.sub(r"^#(  - name:|    year:|    decision:)", r"\1", text, flags=re.M)
    text = text.replace(SUBJECT.text, "Nguyễn Văn A")
    text = text.split("\n---\n")[0] + "\n---\n\nAnh A lái đò hơn hai mươi năm.\n"
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err
    out = tmp_path / "out"
    build_ok(site, out)
    page = page_html(out, "Gương sáng Nguyễn Văn A", "guong-dien-hinh", "2025/07")
    assert "Bằng khen của Chủ tịch UBND tỉnh" in page


def test_items_under_an_empty_list_get_the_right_fix(make_site, run_cli) -> None:
    """``awards: []`` followed by items: the fix was about quoting colons."""
    text = article("Gương sáng", subject="Nguyễn Văn B", subject_kind="ca-nhan").replace(
        "subject_kind: ca-nhan\n", "subject_kind: ca-nhan\nawards: []   # khen thưởng\n"
        "  - name: Bằng khen\n    year: 2024\n")
    result = run_cli("check", "--site", make_site({"content/guong-dien-hinh/b.md": text}))
    assert result.code == 1
    found = messages(result.err, "không đọc được")
    assert found and 'xóa "[]" sau "awards:"' in found[0]
