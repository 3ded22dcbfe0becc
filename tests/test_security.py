"""No way for a writer to run script on the published site (issue 22, items 1-3).

Every page, feed and JSON a build makes is read the way a browser reads it: each attribute
of each element, character references decoded (html.parser), and for URLs the scheme the
WHATWG URL parser would see. An event handler, a ``style`` outside the allowed table
alignments, or a URL whose scheme is not http, https, mailto or tel is a failure.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, article, write_tree
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen.core import sanitize, sources
from sitegen.core.config import load_config
from sitegen.core.errors import ContentError
from sitegen.core.sanitize import url_scheme
from sitegen.core.urls import relative
from sitegen.pipeline import BuildOptions, render

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"}
SAFE_SCHEMES = {None, "http", "https", "mailto", "tel"}


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def executable(html: str) -> list[str]:
    """What in ``html`` a browser would run: handlers, and URLs of any other scheme."""
    parser = _Attributes()
    parser.feed(html)
    bad = []
    for tag, name, value in parser.found:
        if name.startswith("on"):
            bad.append(f"<{tag} {name}>")
        elif name in URL_ATTRIBUTES and url_scheme(value) not in SAFE_SCHEMES:
            bad.append(f'<{tag} {name}="{value}">')
        elif name == "style" and tag not in ("td", "th"):
            bad.append(f'<{tag} style="{value}">')
    return bad


def executable_in_files(files: dict[str, bytes]) -> list[str]:
    """``executable`` over every HTML page, every Atom and RSS feed's entries and the JSON Feed."""
    bad: list[str] = []
    for path, data in files.items():
        if path.endswith(".html") or path.endswith("/") or path == "":
            bad += [f"{path}: {b}" for b in executable(data.decode("utf-8"))]
        elif path.endswith(".xml") and b"<feed" in data:
            for content in ET.fromstring(data).iter("{http://www.w3.org/2005/Atom}content"):
                bad += [f"{path}: {b}" for b in executable(content.text or "")]
        elif path.endswith(".xml") and b"<rss" in data:
            for content in ET.fromstring(data).iter("{http://purl.org/rss/1.0/modules/content/}encoded"):
                bad += [f"{path}: {b}" for b in executable(content.text or "")]
        elif path.endswith(".json") and b"content_html" in data:
            for item in json.loads(data)["items"]:
                bad += [f"{path}: {b}" for b in executable(item["content_html"])]
    return bad


def built(site: Path) -> dict[str, bytes]:
    """Every file ``check`` would publish for ``site``, by site path, with its bytes."""
    config, _ = load_config(site)
    rendered = render(config, BuildOptions(), parallel=False)
    out = {}
    for f in rendered.files:
        data = f.data if f.data is not None else Path(f.source).read_bytes() if f.source else b""
        out[f.path] = data
    return out


def test_the_checker_sees_what_a_browser_runs() -> None:
    """The scan itself: each form that ran script in Chromium is caught."""
    for html in ['<a href="javascript:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">',
                 '<a href="java&Tab;script:alert(1)">', '<a href=" \x01javascript:x">',
                 '<img src="x" onload="alert(1)">', '<p style="position:fixed">']:
        assert executable(html), html
    assert executable('<a href="./javascript:alert(1)">x</a><td style="text-align: left">') == []


@pytest.mark.parametrize("target", [
    "sitegen:root:tin-tuc/2025/03/bai-thu/javascript:alert(document.domain)",
    "sitegen:static:images/javascript:alert(document.domain)",
    "sitegen:root:gioi-thieu/javascript:alert(document.domain)",
    "SITEGEN:page:tin-tuc/a.md",
])
def test_a_writer_cannot_write_the_internal_link_marker(make_site, target: str) -> None:
    body = (f"[tài liệu]({target})\n\n"
            f'<p><a href="{target}">trong HTML</a> và <img src="{target}" alt="ảnh"></p>\n')
    site = make_site({"content/tin-tuc/bai-thu.md": article("Bài thử", body=body),
                      "content/tin-tuc/a.md": article("A")})
    files = built(site)
    assert executable_in_files(files) == []
    page = files["tin-tuc/2025/03/bai-thu/"].decode()
    assert "javascript" not in page.split("<main", 1)[1] and "sitegen:" not in page


def test_a_relative_link_whose_first_segment_has_a_colon_starts_with_dot_slash() -> None:
    here = "tin-tuc/2025/03/bai-thu/"
    assert relative(here, here + "javascript:alert(1)", pretty=True) == "./javascript:alert(1)"
    assert relative(here, here + "a:b/c.pdf", pretty=True) == "./a:b/c.pdf"
    assert relative(here, here + "anh.jpg", pretty=True) == "anh.jpg"
    assert relative("", "a:b/", pretty=True) == "./a:b/"


def test_attribute_lists_carry_no_handler_or_style(make_site, run_cli) -> None:
    body = ('![Logo](/images/logo.svg){: onload="alert(1)" }\n\n'
            "Đoạn văn có thuộc tính.\n"
            '{: onmouseover="alert(2)" onclick="alert(3)" '
            'style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999" '
            "#doan-van .noi-bat }\n")
    site = make_site({"content/tin-tuc/bai-thu/index.md": article("Bài thử", body=body),
                      "static/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    files = built(site)
    assert executable_in_files(files) == []
    page = files["tin-tuc/2025/03/bai-thu/"].decode()
    assert 'id="doan-van"' in page and 'class="noi-bat"' in page  # what the theme documents stays
    result = run_cli("check", "--site", site)
    assert "unsafe-html" in result.err or "không an toàn" in result.err
    assert "onmouseover" in result.err


@pytest.mark.parametrize("name", ["javascript:alert(document.domain)", "&#106;avascript:x.pdf",
                                  'bao "moi".pdf', "a|b.pdf", "bao-cao.", "bao-cao "])
def test_a_bundle_file_named_like_a_scheme_or_unsafe_on_windows_is_refused(make_site,
                                                                         name: str) -> None:
    doc = article("Quyết định thử", number="01/QĐ-SDL", issued="2025-03-01",
                  issuer="Sở Du lịch", file=name)
    site = make_site({"content/van-ban/qd/index.md": doc, f"content/van-ban/qd/{name}": b"%PDF-1.4"})
    config, _ = load_config(site)
    with pytest.raises(ContentError) as caught:
        render(config, BuildOptions(), parallel=False)
    assert any(p.code == "bad-file-name" and name in p.path for p in caught.value.problems)


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("azAZ09._-:&;#"),
               min_size=1, max_size=12))
@example("bao-cao.")
@example("javascript.md")
@example("a..b_c-1.PDF")
def test_a_name_taken_as_plain_passes_every_check_of_a_file_name(name: str) -> None:
    """find_sources skips the name checks for plain names (speed): none of them may be one
    the checks would refuse."""
    if sources._PLAIN_NAME.match(name):
        assert sources._unsafe_name(name) is None and sources._utf8_name(name)


def test_entities_in_link_targets_do_not_make_a_scheme(make_site) -> None:
    body = ("[ent](&#106;avascript:alert(1)) [tab](java&Tab;script:alert(2)) "
            "[amp](&)\n\n"
            '<a href="&#106;avascript:alert(3)">html</a> <a href="java&#9;script:alert(4)">tab</a>\n')
    site = make_site({"content/tin-tuc/bai-thu/index.md": article("Bài thử", body=body),
                      "content/tin-tuc/bai-thu/&": b"x", "content/tin-tuc/bai-thu/&.pdf": b"x"})
    files = built(site)
    assert executable_in_files(files) == []


# Any link target, attribute list and entity a writer may type, through a whole build.
_TARGET = st.one_of(
    st.sampled_from(["javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
                     "java&Tab;script:alert(1)", "java&#x09;script:alert(1)", " javascript:x",
                     "data:text/html,<script>alert(1)</script>", "vbscript:x", "sitegen:root:x",
                     "sitegen:page:tin-tuc/a.md", "&#115;itegen:root:javascript:x", "anh.svg",
                     "./anh.svg", "/images/logo.svg", "../a.md", "#muc", "mailto:a@b.vn"]),
    st.text(alphabet="javscript:&#;x0()/.\t ", max_size=30))
# Bundle file names: scheme-like, entity-like, dotted, spaced, Vietnamese.
_FILE_NAME = st.one_of(
    st.sampled_from(["javascript:alert(1)", "&#106;avascript:x.pdf", "java&Tab;script:x",
                     "a:b.pdf", "tài liệu.pdf", "&", "x.svg"]),
    st.text(alphabet="javscript:&#;x0. đ", min_size=1, max_size=20)).filter(
        lambda n: n not in (".", "..") and "/" not in n and not n.startswith(("_", ".")))
_ATTRS = st.lists(st.sampled_from(['onload="alert(1)"', 'onclick="x"', 'style="position:fixed"',
                                   'href="javascript:x"', 'src="javascript:x"', "#id1", ".lop",
                                   'title="t"', 'formaction="javascript:x"']), max_size=3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=_TARGET, attrs=_ATTRS, tag=st.sampled_from(["a", "img"]), with_html=st.booleans(),
       name=_FILE_NAME)
@example(target="javascript:alert(1)", attrs=[], tag="a", with_html=False, name="0.")
def test_no_link_attribute_list_entity_or_file_name_makes_script(
        tmp_path_factory, target: str, attrs: list[str], tag: str, with_html: bool,
        name: str) -> None:
    site = tmp_path_factory.mktemp("site")
    link = f"[x]({target})" if tag == "a" else f"![x]({target})"
    raw = f'<{tag} {"href" if tag == "a" else "src"}="{target}">y</{tag}>' if tag == "a" else \
        f'<img src="{target}" alt="y">'
    body = (f"{link}{{: {' '.join(attrs)} }}\n\n{raw if with_html else ''}\n\n"
            f"Đoạn cuối.\n{{: {' '.join(attrs)} }}\n\n[tệp kèm](<{name}>)\n")
    (site / "config.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    write_tree(site, {"content/tin-tuc/bai-thu/index.md": article("Bài thử", body=body),
                      "content/tin-tuc/bai-thu/anh.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
                      f"content/tin-tuc/bai-thu/{name}": b"tep",
                      "content/tin-tuc/a.md": article("A"),
                      "static/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    try:
        files = built(site)
    except ContentError as exc:  # a broken link or an unsafe file name is an error, not a page
        assert all(p.code in ("broken-link", "missing-image", "bad-file-name", "active-file",
                              "unsafe-path") for p in exc.problems if p.is_error)
        return
    assert executable_in_files(files) == []


class _Runs:
    """A pickle that, once loaded, creates the file ``marker``: what a forged cache ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        import os

        return os.system, (f"touch {self.marker}",)


def test_a_forged_cache_file_is_never_unpickled(make_site, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 10: .sitegen/ files are pickles. One written in sitegen's own format but without
    this machine's key (kept outside the site folder) is refused before it is loaded, in the
    format of the last release (a CRC-32) as in the current one (a MAC with another key)."""
    import pickle
    import zlib

    from sitegen.incremental import trusted as cache
    from sitegen.incremental.stamp import stamp_path

    site = make_site({"content/tin-tuc/a.md": article("A")})
    config, _ = load_config(site, output=tmp_path / "out")
    from sitegen.pipeline import build

    build(config)
    marker = tmp_path / "ran"
    payload = cache._stamp() + pickle.dumps(_Runs(marker))
    old_format = b"sitegen-cache-2\n" + zlib.crc32(payload).to_bytes(4, "big") + payload
    stamp_path(config).write_bytes(old_format)
    (site / ".sitegen" / "pages.bin").write_bytes(old_format)
    build(config)
    assert not marker.exists()

    monkeypatch.setenv("SITEGEN_CACHE_KEY", str(tmp_path / "another-machine.key"))
    cache.cache_key.cache_clear()
    cache.write_trusted(stamp_path(config), _Runs(marker))  # signed with another key
    monkeypatch.delenv("SITEGEN_CACHE_KEY")
    cache.cache_key.cache_clear()
    assert cache.read_trusted(stamp_path(config)) is None
    build(config)
    assert not marker.exists()
    assert cache.key_path().stat().st_mode & 0o077 == 0  # the key: its user's only
    assert not cache.key_path().is_relative_to(site)


@pytest.mark.parametrize("src", [
    "https://evil.example\\@www.youtube-nocookie.com/embed/x",
    "https://evil.example&#92;@www.youtube-nocookie.com/embed/x",
    "https://user:pw@www.youtube-nocookie.com/embed/x",
    "https://www.youtube-nocookie.com:8443/embed/x",
    "https://www.you&#9;tube-nocookie.com/embed/x",
])
def test_an_iframe_is_kept_only_from_an_allowed_host_as_a_browser_reads_it(make_site,
                                                                          src: str) -> None:
    """Item 6: urlsplit saw www.youtube-nocookie.com where Chromium loaded evil.example."""
    config = MINIMAL_CONFIG + "html:\n  iframe_hosts: [www.youtube-nocookie.com]\n"
    body = (f'<iframe src="{src}" title="x"></iframe>\n\n'
            '<iframe src="https://www.youtube-nocookie.com/embed/ok" title="Video" '
            'allow="camera; microphone; geolocation"></iframe>\n')
    site = make_site({"content/tin-tuc/a.md": article("A", body=body)}, config=config)
    page = built(site)["tin-tuc/2025/03/a/"].decode()
    frames = [value for tag, name, value in _attributes(page) if tag == "iframe" and name == "src"]
    assert frames == ["https://www.youtube-nocookie.com/embed/ok"]
    assert not [name for tag, name, _ in _attributes(page) if tag == "iframe" and name == "allow"]


def _attributes(html: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(html)
    return parser.found


def test_few_aliases_that_expand_to_a_huge_value_are_refused_with_a_short_message(
        make_site, run_cli, tmp_path: Path) -> None:
    """Item 8: under the 50-alias limit, 16 levels of 3 aliases made a value of 43 million
    items; its message alone was 344 MB. Ten levels (30 aliases, 59,049 items) suffice here."""
    lines = ["a0: &a0 [x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 10)]
    bomb = "---\ntitle: Bom\ndate: 2024-01-01\n" + "\n".join(lines) + "\nlang: *a9\n---\nx\n"
    site = make_site({"content/tin-tuc/a.md": bomb})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "content/tin-tuc/a.md" in result.err and "bí danh" in result.err
    assert len(result.err) < 2000


def test_messages_quote_at_most_200_characters_and_no_control_characters(
        make_site, run_cli, tmp_path: Path) -> None:
    """Items 8 and 15: a long value is cut in messages; ESC and BEL never reach the terminal."""
    value = "\x1b[2J\x07" + "dài " * 300
    site = make_site({"content/tin-tuc/a.md": article("A", lang=value)})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "content/tin-tuc/a.md" in result.err
    assert "\x1b" not in result.err and "\x07" not in result.err and "\\x1b" in result.err
    assert len(result.err) < 1500


def test_an_article_with_too_many_tags_is_refused_and_output_stays_linear(make_site, run_cli,
                                                                         tmp_path: Path) -> None:
    """Item 9: each tag's feed repeated all of an entry's tags: 5,000 tags gave 2.7 GB."""
    many = [f"chủ đề {i}" for i in range(31)]
    site = make_site({"content/tin-tuc/a.md": article("A", tags=many)})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "too-many" not in result.err  # the message, not the code
    assert "content/tin-tuc/a.md" in result.err and "tối đa 30" in result.err
    ok = make_site({"content/tin-tuc/a.md": article("A", tags=many[:30])})
    assert run_cli("build", "--site", ok, "--output", tmp_path / "ok").code == 0
    size = sum(f.stat().st_size for f in (tmp_path / "ok").rglob("*") if f.is_file())
    assert size < 30_000_000


def test_control_characters_in_a_body_reach_no_page_feed_or_index(make_site) -> None:
    """Item 15: a NUL reached pages, feeds and the search index (with the parser's own
    \\x02wzxhzdk:0\\x03 placeholder); STX/ETX typed by a writer could forge that placeholder."""
    body = "Đoạn\x00 có NUL, \x02wzxhzdk:0\x03 và \x1b[2J thoát.\n\n<b>in đậm</b>\n"
    site = make_site({"content/tin-tuc/a.md": article("A", body=body)})
    files = built(site)
    for path, data in files.items():
        if path.endswith((".html", "/", ".xml", ".json")) or path == "":
            assert not any(c in data for c in (b"\x00", b"\x02", b"\x03", b"\x1b")), path
    assert "wzxhzdk:0 và" in files["tin-tuc/2025/03/a/"].decode()  # the writer's text, as typed


def test_a_bundle_file_name_of_254_bytes_builds_every_time(make_site, build_ok,
                                                          tmp_path: Path) -> None:
    """Item 13: the temporary name .<name>.<pid>.sitegen-tmp was too long for such a name."""
    name = "a" * 250 + ".pdf"
    assert len(name.encode()) == 254
    site = make_site({"content/tin-tuc/a/index.md": article("A", body=f"[tệp]({name})"),
                      f"content/tin-tuc/a/{name}": b"%PDF-1.4 one"})
    out = tmp_path / "out"
    for version in (b"two", b"three", b"four"):
        build_ok(site, out)
        (site / "content/tin-tuc/a" / name).write_bytes(b"%PDF-1.4 " + version)
    build_ok(site, out)
    assert (out / "tin-tuc/2025/03/a" / name).read_bytes() == b"%PDF-1.4 four"


@pytest.mark.parametrize("linked", ["static", "content/tin-tuc", "content_dir"])
def test_a_folder_that_links_out_of_the_site_publishes_nothing(make_site, run_cli,
                                                               tmp_path: Path, linked: str) -> None:
    """Item 5: static/ itself, or a section folder, linked to a folder outside the site
    published everything under it; a content_dir outside the site crashed."""
    secret = tmp_path / "outside"
    write_tree(secret, {"bi-mat.txt": "mật khẩu", "b.md": article("Bí mật")})
    config = MINIMAL_CONFIG + (f"content_dir: {secret}\n" if linked == "content_dir" else "")
    site = make_site({"content/pages/gioi-thieu.md": article("Giới thiệu", date=None)},
                     config=config)
    if linked != "content_dir":
        (site / linked).symlink_to(secret, target_is_directory=True)
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "Traceback" not in result.err
    assert "ra ngoài thư mục" in result.err
    assert not (tmp_path / "out").exists()


def test_a_link_inside_the_site_to_its_hidden_folders_is_refused(make_site, run_cli,
                                                                  tmp_path: Path) -> None:
    """Item 5: a symlink to ../.git/config published a token in the remote URL."""
    site = make_site({"content/tin-tuc/a.md": article("A"),
                      ".git/config": '[remote "origin"]\n url = https://token@example/x\n'})
    (site / "static").mkdir()
    (site / "static/cau-hinh.txt").symlink_to(site / ".git/config")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "static/cau-hinh.txt" in result.err
    assert not (tmp_path / "out").exists()


SVG_SCRIPT = ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script>'
              '<rect width="4" height="3"/></svg>')
SVG_HANDLER = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
SVG_LINK = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<a xlink:href="&#106;avascript:alert(1)"><rect/></a></svg>')
SVG_CLEAN = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4"/></svg>'
#: A safe drawing as an illustration program writes it: a foreignObject of plain text, and a
#: label that merely reads like code.
SVG_LABELLED = ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="9" height="9">'
                '<p xmlns="http://www.w3.org/1999/xhtml">Chú thích</p></foreignObject>'
                "<text>javascript: onclick = chỉ là chữ</text></svg>")


@pytest.mark.parametrize(("rel", "data"), [
    ("content/tin-tuc/a/bieu-do.svg", SVG_SCRIPT),
    ("content/tin-tuc/a/bieu-do.svg", SVG_HANDLER),
    ("content/tin-tuc/a/bieu-do.svg", SVG_LINK),
    ("content/tin-tuc/a/ban-in.html", "<script>alert(document.domain)</script>"),
    ("static/trang.html", "<p>trang</p><script>alert(1)</script>"),
    ("static/du-lieu.xml", '<html xmlns="http://www.w3.org/1999/xhtml"><script>x</script></html>'),
    # What a regex over the text missed (found in review; each ran in Chromium):
    ("static/prefix.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                          'xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>'),
    ("static/tab.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
                       'xlink"><a xlink:href="java&#9;script:alert(1)"><rect/></a></svg>'),
    ("static/dtd.svg", '<!DOCTYPE svg [<!ENTITY a "java"><!ENTITY b "script:alert(1)">]>'
                       '<svg xmlns="http://www.w3.org/2000/svg"><a href="&a;&b;"><rect/></a></svg>'),
    ("static/utf16.svg", "\ufeff" + SVG_HANDLER),
    ("static/set.svg", '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" '
                       'to="javascript:alert(1)"/><rect/></a></svg>'),
    ("static/khong-duoi", "<!doctype html><script>alert(document.domain)</script>"),
    ("static/du-lieu.dat", "  <html><body onload=alert(1)>"),
    ("static/so-do.xsd", '<x:schema xmlns:x="http://www.w3.org/2001/XMLSchema"/>'),
])
def test_a_file_that_runs_script_when_opened_is_not_published(make_site, run_cli, tmp_path: Path,
                                                              rel: str, data: str) -> None:
    """Item 4: these were copied byte for byte and ran script in the site's origin."""
    encoded = data.encode("utf-16") if rel.endswith("utf16.svg") else data
    site = make_site({"content/tin-tuc/a/index.md": article("A"), rel: encoded,
                      "static/images/sach.svg": SVG_CLEAN,
                      "static/images/nhan.svg": SVG_LABELLED})
    result = run_cli("check", "--site", site)
    assert result.code == 1 and rel in result.err and "html.allow_files" in result.err
    assert "static/images/sach.svg" not in result.err and "nhan.svg" not in result.err
    allowed = make_site({"content/tin-tuc/a/index.md": article("A"), rel: encoded},
                        config=MINIMAL_CONFIG + f"html:\n  allow_files: [{rel}]\n")
    assert run_cli("build", "--site", allowed, "--output", tmp_path / "out").code == 0


@pytest.mark.parametrize("alias", ["/.sitegen-output", "/.htaccess", "/.well-known/security.txt",
                                   "/tin-tuc/cu:moi.html", '/tin-tuc/"bai".html', "/a|b/",
                                   "/tin-tuc/<x>/"])
def test_an_alias_that_is_hidden_or_not_a_windows_name_is_refused_naming_the_article(
        make_site, run_cli, tmp_path: Path, alias: str) -> None:
    """Item 14: such aliases made dot-folders, names the portal's NTFS share cannot hold, or
    an exit 2 that named no article."""
    site = make_site({"content/tin-tuc/a.md": article("A", aliases=[alias])})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "content/tin-tuc/a.md" in result.err and "aliases" in result.err
    assert not (tmp_path / "out").exists()


def test_an_element_of_the_body_never_takes_an_id_of_the_theme(make_site) -> None:
    """Item 15: an element with the theme's id lien-ket-bai-viet broke "Sao chép liên kết";
    a heading "Nội dung" took the main landmark's id noi-dung."""
    body = ('<p id="lien-ket-bai-viet">đoạn</p>\n\n## Nội dung\n\n[về đầu mục](#noi-dung)\n\n'
            '## Mục riêng\n\n## Kết quả\n\nMẫu: `<div id="noi-dung">`\n')
    site = make_site({"content/tin-tuc/a.md": article("A", body=body)})
    page = built(site)["tin-tuc/2025/03/a/"].decode()
    ids = [value for _, name, value in _attributes(page) if name == "id"]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'id="lien-ket-bai-viet-bai"' in page and 'href="#noi-dung-bai"' in page
    assert 'id="muc-rieng"' in page  # ids that clash with nothing stay as they are
    assert 'id="ket-qua"' in page  # the search page's id: not on an article page
    assert '&lt;div id="noi-dung"&gt;' in page  # a code sample's text is left as it is


def test_a_full_disk_names_the_file_and_says_so_in_vietnamese(make_site, run_cli, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 15: the disk-full message named no file ("không đọc/ghi được : No space …")."""
    import errno

    from sitegen.output import writer

    class Full:  # a file whose writes fail as on a full disk, naming no file (as the OS does)
        def __init__(self, fh: object) -> None:
            self.fh = fh

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    real_open = open

    def opening(path: object, mode: str = "r", *args: object, **kw: object) -> object:
        fh = real_open(path, mode, *args, **kw)  # type: ignore[call-overload]
        return Full(fh) if mode == "xb" and str(path).endswith("index.html") else fh

    monkeypatch.setattr(writer, "open", opening, raising=False)
    site = make_site({"content/tin-tuc/a.md": article("A")})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 2 and "ổ đĩa đã đầy" in result.err
    assert "index.html" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_a_read_only_output_is_refused_and_left_as_it_is(make_site, run_cli, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 12: a read-only output/ was swapped out and the build said success. (The suite
    runs as root, whom permissions do not stop: os.access stands in for a writer's user.)"""
    import os

    from helpers import snapshot

    from sitegen.output import writer

    site = make_site({"content/tin-tuc/a.md": article("A")})
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    before = snapshot(out)
    real = os.access
    monkeypatch.setattr(writer.os, "access",
                        lambda p, mode: False if Path(p) == out.resolve() else real(p, mode))
    (site / "content/tin-tuc/b.md").write_text(article("B"), encoding="utf-8")
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 2 and "chỉ đọc" in result.err and str(out) in result.err
    assert snapshot(out) == before


def test_a_spare_that_cannot_be_marked_is_not_updated(make_site, build_ok, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 12: after a read-only output had become the spare, every later build, --clean
    included, failed on .output.spare/.sitegen-dirty until it was fixed by hand."""
    from helpers import snapshot

    site = make_site({"content/tin-tuc/a.md": article("A")})
    out = tmp_path / "out"
    build_ok(site, out)
    build_ok(site, out, "--clean")  # now there is a spare
    real = Path.touch

    def touch(self: Path, *args: object, **kw: object) -> None:
        if self.name == ".sitegen-dirty":
            raise PermissionError(13, "Permission denied", str(self))
        real(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "touch", touch)
    (site / "content/tin-tuc/b.md").write_text(article("B"), encoding="utf-8")
    build_ok(site, out)
    build_ok(site, out, "--clean")
    clean = tmp_path / "clean"
    build_ok(site, clean, "--clean")
    assert snapshot(out) == snapshot(clean)


def test_control_characters_written_as_yaml_escapes_reach_no_output(make_site, run_cli,
                                                                    tmp_path: Path) -> None:
    """Found in review: decode() dropped raw control bytes, but YAML's escapes ("\\e", "\\x02")
    made them again in titles and tags; an alias with one made a folder Windows cannot hold."""
    text = ('---\ntitle: "A\\x02zz\\x03\\0\\e[2J"\ndate: 2025-03-10\ntags: ["\\e[31mđỏ"]\n---\n'
            "Nội dung.\n")
    site = make_site({"content/tin-tuc/a.md": text})
    files = built(site)
    for path, data in files.items():
        if path.endswith((".html", "/", ".xml", ".json")) or path == "":
            assert not any(c in data for c in (b"\x00", b"\x02", b"\x03", b"\x1b")), path
    alias = make_site({"content/tin-tuc/a.md": article("A", aliases=["/cu\x01ten/"])})
    assert run_cli("build", "--site", alias, "--output", tmp_path / "out").code == 0
    names = [p.name for p in (tmp_path / "out").rglob("*")]
    assert "cuten" in names and not [n for n in names if any(ord(c) < 0x20 for c in n)]


def test_marker_text_in_a_code_sample_is_left_as_written_and_a_raw_marker_warns(make_site,
                                                                                run_cli) -> None:
    """Found in review: resolve_markers rewrote marker-looking text in code samples, and a
    writer's raw <a href="sitegen:…"> was removed without a warning."""
    body = ('Mẫu: `href="sitegen:root:x"`\n\n'
            '<p><a href="sitegen:root:gioi-thieu/">tự ghi</a></p>\n')
    site = make_site({"content/tin-tuc/a.md": article("A", body=body)})
    page = built(site)["tin-tuc/2025/03/a/"].decode()
    assert 'href="sitegen:root:x"' in page.split("<main", 1)[1]  # the sample, as text
    assert executable_in_files(built(site)) == []
    result = run_cli("check", "--site", site)
    assert "sitegen:" in result.err and "không an toàn" in result.err


@settings(max_examples=2000, deadline=None)
@given(html=st.text(alphabet=' \t\n\u00a0\u2028=="\'<>/aon-._:1xé', max_size=40))
@example(html='<a  href = "x" onclick=alert(1) b= c=d x =">"y=z>')
def test_the_attributes_found_from_each_equals_sign_are_the_patterns_matches(html: str) -> None:
    """The warnings' attribute scan (_attributes) finds what _ATTR.findall finds, in order."""
    assert list(sanitize._attributes(html)) == sanitize._ATTR.findall(html)
