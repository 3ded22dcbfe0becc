"""Issue 18, items 4, 5, 6 (check), 9 (the body) and 10: what ``sitegen check`` finds in
bodies as writers bring them from Hugo, Jekyll, Word and older pages, and in articles made
with ``sitegen new`` and never filled in. Every fixture is written here."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from helpers import BASE_URL, article
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from sitegen.core.anchors import lost_fragments
from sitegen.core.bodytidy import tidy_body
from sitegen.core.placeholders import DECISION, OPENING, SUBJECT, TEXT
from sitegen.core.rawpictures import img_attributes, img_tag, rewrite_pictures
from sitegen.vn.slug import slugify


def line_of(text: str, needle: str) -> int:
    """The line (from 1) of ``text`` where ``needle`` first stands."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def messages(err: str, what: str) -> list[str]:
    """The lines of ``err`` (check's output) that contain ``what``."""
    return [line for line in err.splitlines() if what in line]


def picture(kind: str = "JPEG") -> bytes:
    """A small real picture."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (30, 120, 60)).save(buffer, kind)
    return buffer.getvalue()


def page_html(out: Path, title: str, section: str = "tin-tuc", month: str = "2025/03") -> str:
    """The built page of the article titled ``title`` (dated in ``month``)."""
    return (out / section / month / slugify(title) / "index.html").read_text(encoding="utf-8")


def prose(html: str) -> str:
    """The article's body as it stands in its page."""
    m = re.search(r'<div class="prose">(.*?)</div>\s*<section class="share', html, re.S)
    assert m, "the page has no article body"
    return m[1]


# --- item 4: Hugo and Jekyll syntax ------------------------------------------------------

def test_shortcodes_and_liquid_tags_are_one_warning_naming_their_lines(make_site, run_cli) -> None:
    body = ("Mở đầu bài.\n\n{{< figure src=\"le-hoi.jpg\" >}}\n\nCập nhật lúc {{ site.time }}.\n\n"
            "{{% notice %}}Chú ý{{% /notice %}}\n\n{% include chia-se.html %}\n\n"
            "```\n{{ trong_khoi_ma }}\n```\n\nMã `{{ trong_dong_ma }}` là ví dụ.\n")
    text = article("Lễ hội Tràng An", body=body)
    site = make_site({"content/tin-tuc/le-hoi.md": text})
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err
    found = messages(result.err, "là thẻ của Hugo hoặc Jekyll")
    assert len(found) == 1, result.err
    first = line_of(text, "{{< figure")
    assert found[0].startswith(f"content/tin-tuc/le-hoi.md:{first}: cảnh báo: ")
    listed = re.search(r"\(dòng ([\d, ]+)\)", found[0])
    assert listed, found[0]
    assert [int(n) for n in listed[1].split(", ")] == [
        line_of(text, t) for t in ("{{< figure", "{{ site.time", "{{% notice", "{% include")]
    assert "trong_khoi_ma" not in result.err and "trong_dong_ma" not in result.err
    assert run_cli("check", "--site", site, "--strict").code == 1


def test_jekyll_highlight_becomes_a_code_block(make_site, run_cli, build_ok, tmp_path) -> None:
    """``{% highlight %}`` became a heading or text and ``{% endhighlight %}`` vanished."""
    body = ("Chạy lệnh sau:\n\n{% highlight python %}\nprint('xin chào')\n"
            "{% endhighlight %}\n\nHết.\n")
    text = article("Hướng dẫn chạy lệnh", body=body)
    site = make_site({"content/tin-tuc/lenh.md": text})
    result = run_cli("check", "--site", site)
    found = messages(result.err, "{% highlight %}")
    assert len(found) == 1 and found[0].startswith(
        f"content/tin-tuc/lenh.md:{line_of(text, '{% highlight')}: cảnh báo: ")
    out = tmp_path / "out"
    build_ok(site, out)
    html = prose(page_html(out, "Hướng dẫn chạy lệnh"))
    code = re.search(r'<pre><code class="language-python">(.*?)</code></pre>', html, re.S)
    assert code and "print(" in code[1] and "xin chào" in code[1], html
    assert "{%" not in html and "<h2" not in html


# --- item 5: pictures where writers put them ---------------------------------------------

def test_a_raw_picture_that_does_not_exist_is_an_error(make_site, run_cli) -> None:
    text = article("Ảnh dán từ Word", body='Đoạn đầu.\n\n<img src="khong-co.jpg" alt="Lễ trao thưởng">\n')
    site = make_site({"content/tin-tuc/anh/index.md": text})
    result = run_cli("check", "--site", site)
    assert result.code == 1
    found = messages(result.err, '"khong-co.jpg" không tồn tại')
    assert found and found[0].startswith(
        f"content/tin-tuc/anh/index.md:{line_of(text, '<img')}: lỗi: ")


def test_raw_pictures_without_a_description_are_warned(make_site, run_cli) -> None:
    body = ('<img src="mot.jpg" alt="">\n\nĐoạn <img src="hai.jpg"> giữa.\n\n'
            '<img src="ba.jpg" alt="Đò trên sông Ngô Đồng">\n')
    text = article("Ảnh không mô tả", body=body)
    site = make_site({"content/tin-tuc/anh/index.md": text,
                      **{f"content/tin-tuc/anh/{n}.jpg": picture() for n in ("mot", "hai", "ba")}})
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err
    found = messages(result.err, "thiếu lời mô tả")
    assert [m.split(": cảnh báo")[0] for m in found] == [
        f"content/tin-tuc/anh/index.md:{line_of(text, n)}" for n in ("mot.jpg", "hai.jpg")]


def test_pictures_written_with_a_leading_dot_slash_are_found(make_site, run_cli, build_ok,
                                                            tmp_path) -> None:
    """``./anh.jpg`` (as pasted pages and Word exports write it) was reported missing."""
    body = ('![Lễ trao thưởng](./trao-thuong.jpg)\n\n<img src="./trao-thuong.jpg" alt="Lễ">\n\n'
            "[Tải kế hoạch](./ke-hoach.pdf)\n")
    site = make_site({"content/tin-tuc/le/index.md": article("Lễ trao thưởng", body=body),
                      "content/tin-tuc/le/trao-thuong.jpg": picture(),
                      "content/tin-tuc/le/ke-hoach.pdf": b"%PDF-1.4\n"})
    result = run_cli("check", "--site", site)
    assert result.code == 0 and "không tồn tại" not in result.err, result.err
    out = tmp_path / "out"
    build_ok(site, out)
    folder = out / "tin-tuc/2025/03" / slugify("Lễ trao thưởng")
    html = prose((folder / "index.html").read_text(encoding="utf-8"))
    for src in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert (folder / src).is_file(), src


def test_root_absolute_pictures_are_made_relative(make_site, run_cli, build_ok, tmp_path) -> None:
    """``/images/anh.jpg`` pointed at the portal's root, outside ``/tuyen-truyen/``."""
    body = ("![Toàn cảnh Tràng An](/images/trang-an.jpg)\n\n"
            '<img src="/images/trang-an.jpg" alt="Bến thuyền">\n\n'
            "![Lễ trao thưởng](/trao-thuong.jpg)\n")
    text = article("Ảnh từ trang cũ", body=body)
    site = make_site({"content/tin-tuc/cu/index.md": text,
                      "content/tin-tuc/cu/trao-thuong.jpg": picture(),
                      "static/images/trang-an.jpg": picture()})
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err
    found = messages(result.err, 'bắt đầu bằng "/"')
    assert len(found) == 3
    out = tmp_path / "out"
    build_ok(site, out)
    address = urljoin(BASE_URL, f"tin-tuc/2025/03/{slugify('Ảnh từ trang cũ')}/")
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', prose(page_html(out, "Ảnh từ trang cũ")))
    # Photos are published in widths (name-<width>w.jpg) beside where the original would be.
    wanted = [urljoin(BASE_URL, "images/trang-an"), urljoin(BASE_URL, "images/trang-an"),
              urljoin(address, "trao-thuong")]
    assert len(sources) == len(wanted)
    for src, stem in zip(sources, wanted, strict=True):
        assert urljoin(address, src).startswith(stem), (src, stem)
    for src in sources:  # each file is there in the output
        assert (out / urljoin(address, src).removeprefix(BASE_URL)).is_file(), src


@pytest.mark.parametrize("body", [
    '<img src="images/trang-an.jpg" alt="Bến thuyền">\n',
    '<img src="/images/trang-an.jpg" alt="Một">\n\n<img src="images/trang-an.jpg" alt="">\n\n'
    "![Hai](/images/trang-an.jpg)\n",
], ids=["raw-alone", "raw-then-markdown"])
def test_raw_pictures_of_a_photo_are_published(make_site, run_cli, build_ok, tmp_path,
                                               body: str) -> None:
    """A raw ``<img>`` of a photo, alone or before a Markdown picture of the same file, was
    published with its stand-in address, or stopped check and build with an IndexError."""
    text = article("Ảnh thô", body="Đoạn đầu.\n\n" + body)
    site = make_site({"content/tin-tuc/tho.md": text, "static/images/trang-an.jpg": picture()})
    result = run_cli("check", "--site", site)
    assert result.code == 0 and "Traceback" not in result.err, result.err
    out = tmp_path / "out"
    build_ok(site, out)
    folder = out / "tin-tuc/2025/03" / slugify("Ảnh thô")
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', prose(page_html(out, "Ảnh thô")))
    assert len(sources) == body.count("trang-an.jpg")
    for src in sources:
        assert not src.startswith("#") and (folder / src).resolve().is_file(), src


def test_one_picture_shown_twice_is_told_at_each_line(make_site, run_cli) -> None:
    """Warnings about one file shown twice were all told at its first line."""
    body = ("![Có mô tả](/images/trang-an.jpg)\n\nĐoạn.\n\n![](/images/trang-an.jpg)\n\n"
            '<img src="images/trang-an.jpg" alt="">\n')
    text = article("Hai lần", body=body)
    site = make_site({"content/tin-tuc/hai.md": text, "static/images/trang-an.jpg": picture()})
    err = run_cli("check", "--site", site).err
    first, second = line_of(text, "![Có mô tả]"), line_of(text, "![](")
    raw = line_of(text, "<img")
    absolute = messages(err, 'bắt đầu bằng "/"')
    assert sorted(int(m.split(":")[1]) for m in absolute) == [first, second]
    missing = messages(err, "thiếu lời mô tả")
    assert sorted(int(m.split(":")[1]) for m in missing) == [second, raw]


def test_a_root_absolute_picture_that_does_not_exist_is_an_error(make_site, run_cli) -> None:
    text = article("Ảnh mất", body="Đoạn.\n\n![Hội nghị](/uploads/hoi-nghi.jpg)\n")
    result = run_cli("check", "--site", make_site({"content/tin-tuc/mat.md": text}))
    assert result.code == 1
    found = messages(result.err, '"/uploads/hoi-nghi.jpg" không tồn tại')
    assert found and found[0].startswith(f"content/tin-tuc/mat.md:{line_of(text, '![')}: lỗi: ")


def test_pictures_on_other_hosts_become_links(make_site, run_cli, build_ok, tmp_path) -> None:
    """The site promises no request to another host: a hot-linked picture is a link to it."""
    body = ("![Đại biểu dự hội nghị](https://bao.example.vn/anh/hoi-nghi.jpg)\n\n"
            'Đoạn <img src="//cdn.example.com/p.png" alt="Biểu đồ"> giữa.\n\n'
            '<img src="http://anh.example.org/x.jpg">\n')
    text = article("Ảnh trang khác", body=body)
    site = make_site({"content/tin-tuc/khac.md": text})
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err
    found = messages(result.err, "nằm trên trang web khác")
    assert sorted(int(m.split(": cảnh báo")[0].rsplit(":", 1)[1]) for m in found) == [
        line_of(text, h) for h in ("bao.example", "cdn.example", "anh.example")]
    assert all(m.startswith("content/tin-tuc/khac.md:") for m in found)
    out = tmp_path / "out"
    build_ok(site, out)
    html = prose(page_html(out, "Ảnh trang khác"))
    assert "<img" not in html
    assert '<a href="https://bao.example.vn/anh/hoi-nghi.jpg">Đại biểu dự hội nghị</a>' in html
    assert '<a href="//cdn.example.com/p.png">Biểu đồ</a>' in html
    assert '<a href="http://anh.example.org/x.jpg">Ảnh trên anh.example.org</a>' in html


def test_a_hot_linked_picture_inside_a_link_leaves_its_description(make_site, build_ok,
                                                                  tmp_path) -> None:
    """A badge ``[![…](https://…)](https://…)`` would have become an empty link and a link
    nested in it."""
    body = ("[![Giải thưởng du lịch](https://huy-hieu.example/a.svg)](https://giai-thuong.example)"
            '\n\n<a href="https://giai-thuong.example"><img src="https://huy-hieu.example/b.svg" '
            'alt="Huy hiệu"></a>\n')
    site = make_site({"content/tin-tuc/huy-hieu.md": article("Huy hiệu", body=body)})
    out = tmp_path / "out"
    build_ok(site, out)
    html = prose(page_html(out, "Huy hiệu"))
    links = re.findall(r'<a href="([^"]*)">(.*?)</a>', html)
    assert links == [("https://giai-thuong.example", "<span>Giải thưởng du lịch</span>"),
                     ("https://giai-thuong.example", "Huy hiệu")], html


# --- item 6: in-page links ----------------------------------------------------------------

def test_in_page_links_that_match_no_id_are_warned(make_site, run_cli) -> None:
    body = ("Xem [mục một](#muc-mot), [mục không có](#muc-khong-co) và chú thích[^1].\n\n"
            "## Mục một {#muc-mot}\n\nNội dung.\n\n[^1]: Chú thích.\n")
    text = article("Liên kết trong bài", body=body)
    result = run_cli("check", "--site", make_site({"content/tin-tuc/lk.md": text}))
    assert result.code == 0, result.err
    found = messages(result.err, "không dẫn tới mục nào")
    assert len(found) == 1, result.err
    assert found[0].startswith(f"content/tin-tuc/lk.md:{line_of(text, '#muc-khong-co')}: cảnh báo: ")
    assert '"#muc-khong-co"' in found[0]


def test_lost_fragments_reads_the_ids_of_the_html() -> None:
    ids = ["muc-1", "bảng-số-liệu", "fn:1"]
    html = "".join(f'<h2 id="{i}">x</h2>' for i in ids) + (
        '<a href="#muc-1">a</a><a href="#b%E1%BA%A3ng-s%E1%BB%91-li%E1%BB%87u">b</a>'
        '<a href="#fn:1">c</a><a href="#">d</a><a href="#muc-2">e</a><a href="#muc-2">e</a>')
    lost = lost_fragments(html)
    assert [(f.fragment, f.nearest) for f in lost] == [("muc-2", "muc-1")]


# --- item 9: what pasting leaves in the body ----------------------------------------------

def test_old_front_matter_in_the_body_is_warned_and_left_out(make_site, run_cli, build_ok,
                                                            tmp_path) -> None:
    body = ("---\ntitle: Bài cũ trên Hugo\ncategories: [tin-tuc]\ndescription: Mô tả cũ\n---\n\n"
            "Đoạn mở đầu thật.\n")
    text = article("Bài chuyển trang", body=body)
    site = make_site({"content/tin-tuc/chuyen.md": text})
    result = run_cli("check", "--site", site)
    found = messages(result.err, "phần thông tin đầu bài cũ")
    assert len(found) == 1
    old_fence = line_of(text, "title: Bài cũ") - 1
    assert found[0].startswith(f"content/tin-tuc/chuyen.md:{old_fence}: cảnh báo: ")
    out = tmp_path / "out"
    build_ok(site, out)
    page = page_html(out, "Bài chuyển trang")
    assert "categories" not in page and "Bài cũ trên Hugo" not in page
    assert "<hr" not in prose(page)
    assert 'name="description" content="Đoạn mở đầu thật."' in page


def test_a_rule_above_a_paragraph_is_not_front_matter(make_site, run_cli, build_ok, tmp_path) -> None:
    body = "---\nLưu ý: đường vào hang đóng cửa.\n---\n\nĐoạn sau.\n"
    site = make_site({"content/tin-tuc/luu-y.md": article("Lưu ý", body=body)})
    result = run_cli("check", "--site", site)
    assert "thông tin đầu bài cũ" not in result.err
    out = tmp_path / "out"
    build_ok(site, out)
    assert "đường vào hang đóng cửa" in page_html(out, "Lưu ý")


def test_a_first_heading_repeating_the_title_is_shown_once(make_site, run_cli, build_ok,
                                                           tmp_path) -> None:
    title = "Gương sáng Đinh Thị Hoa"
    text = article(title, body=f"# {title}\n\nHơn mười năm gắn bó với dòng Sào Khê.\n")
    other = article("Bài khác", body="# Một tiêu đề khác\n\nĐoạn.\n")
    site = make_site({"content/tin-tuc/hoa.md": text, "content/tin-tuc/khac.md": other})
    result = run_cli("check", "--site", site)
    found = messages(result.err, "lặp lại tiêu đề bài")
    assert len(found) == 1
    assert found[0].startswith(f"content/tin-tuc/hoa.md:{line_of(text, '# Gương')}: cảnh báo: ")
    out = tmp_path / "out"
    build_ok(site, out)
    page = page_html(out, title)
    headings = re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", page, re.S)
    assert [h for h in headings if title in h] == [title]
    assert "Một tiêu đề khác" in page_html(out, "Bài khác")


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
    # The example award as it stands is the scaffold's, not a real one: it is never published
    # nor reported to Sở Nội vụ.
    result = run_cli("check", "--site", site)
    found = messages(result.err, "lỗi [awards]")
    assert result.code == 1 and len(found) == 1 and DECISION.text in found[0], result.err
    path.write_text(text.replace(DECISION.text, "2150/QĐ-UBND"), encoding="utf-8")
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err
    out = tmp_path / "out"
    build_ok(site, out)
    page = page_html(out, "Gương sáng Nguyễn Văn A", "guong-dien-hinh", "2025/07")
    assert "Bằng khen của Chủ tịch UBND tỉnh" in page and "2150/QĐ-UBND" in page


def test_items_under_an_empty_list_get_the_right_fix(make_site, run_cli) -> None:
    """``awards: []`` followed by items: the fix was about quoting colons."""
    text = article("Gương sáng", subject="Nguyễn Văn B", subject_kind="ca-nhan").replace(
        "subject_kind: ca-nhan\n", "subject_kind: ca-nhan\nawards: []   # khen thưởng\n"
        "  - name: Bằng khen\n    year: 2024\n")
    result = run_cli("check", "--site", make_site({"content/guong-dien-hinh/b.md": text}))
    assert result.code == 1
    found = messages(result.err, "không đọc được")
    assert found and 'xóa "[]" sau "awards:"' in found[0]


# --- properties ---------------------------------------------------------------------------

@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from("#-+{}%<>`~=: \nab\u1ea1"), max_size=300),
       st.text(max_size=20))
def test_tidying_a_body_keeps_its_lines(body: str, title: str) -> None:
    """Later messages name lines of the file: the tidied body has as many lines."""
    tidied = tidy_body(body, title, "content/tin-tuc/a.md", 5)
    assert tidied.body.count("\n") == body.count("\n")
    assert all(p.line is None or 5 <= p.line < 5 + body.count("\n") + 1 for p in tidied.problems)


@given(st.text(alphabet=st.sampled_from('<img src=alt"\'>!-/ x\n'), max_size=200),
       st.integers(0, 2))
def test_raw_pictures_left_as_written_change_nothing(raw: str, links: int) -> None:
    kept, still_open = rewrite_pictures(raw, lambda attrs, tag, in_link: tag, links)
    assert kept == raw and still_open >= 0


def test_raw_pictures_know_when_they_stand_inside_a_link() -> None:
    """An inline <a> is a raw block of its own: the links open are counted across blocks."""
    seen: list[tuple[str, bool]] = []

    def note(attrs, tag, in_link):  # type: ignore[no-untyped-def]
        seen.append((attrs["src"], in_link))
        return tag

    _, links = rewrite_pictures('<img src="a"><a href="x">', note)
    _, links = rewrite_pictures('<img src="b"><!-- </a> -->', note, links)
    _, links = rewrite_pictures('</a><img src="c">', note, links)
    assert seen == [("a", False), ("b", True), ("c", False)] and links == 0


@given(st.dictionaries(st.from_regex(r"[a-z][a-z-]{0,8}", fullmatch=True), st.text(max_size=30),
                       max_size=5))
def test_img_attributes_read_back_what_img_tag_writes(attrs: dict[str, str]) -> None:
    assert img_attributes(img_tag(attrs)) == attrs
