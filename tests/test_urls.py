"""Properties of sitegen.core.urls: relative links resolve, and no path leaves output/."""

from __future__ import annotations

import posixpath
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.core import urls
from sitegen.core.config import Config
from sitegen.core.urls import UnsafePath, alias_path, article_path, check_path, relative, safe_rel

ROOT = Path("/srv/sitegen-test/output")  # never created: safe_rel does not touch the disk

_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
segment = st.lists(_words, min_size=1, max_size=3).map("-".join)
dirs = st.lists(segment, min_size=0, max_size=4)


@st.composite
def site_paths(draw: st.DrawFn) -> str:
    """A site path: "" (home), a directory page "a/b/", or a file "a/feed.xml"."""
    parts = draw(dirs)
    if draw(st.booleans()) or not parts:
        return "/".join(parts) + "/" if parts else ""
    ext = draw(st.sampled_from(["html", "xml", "json", "svg", "pdf"]))
    return "/".join(parts) + "." + ext


def resolve(from_path: str, link: str) -> str:
    """Where a browser lands following ``link`` from the page at ``from_path`` (no leading /)."""
    folder = from_path if from_path == "" or from_path.endswith("/") else posixpath.dirname(from_path)
    landed = posixpath.normpath(posixpath.join("/" + folder, link))
    return landed.lstrip("/")


@given(site_paths(), site_paths())
@example("", "")
@example("404.html", "")
@example("tin-tuc/", "tin-tuc/")
@example("a/b/c/", "")
def test_relative_resolves_to_target(a: str, b: str) -> None:
    link = relative(a, b)
    assert not link.startswith("/"), link
    assert "://" not in link
    # Directory pages are linked through their index.html, so the site works from disk.
    assert resolve(a, link) == urls.output_file(b).rstrip("/")


@given(site_paths(), site_paths())
@example("a/b/", "")
@example("a/", "a/")
def test_relative_pretty_resolves_to_directory(a: str, b: str) -> None:
    link = relative(a, b, pretty=True)
    assert not link.startswith("/"), link
    assert resolve(a, link) == b.rstrip("/")
    is_dir = b == "" or b.endswith("/")
    assert link.endswith("/") == is_dir, (a, b, link)


@given(site_paths(), site_paths(), segment)
def test_relative_keeps_fragment(a: str, b: str, fragment: str) -> None:
    link = relative(a, b + "#" + fragment)
    assert link.endswith("#" + fragment)
    assert resolve(a, link.split("#")[0]) == urls.output_file(b).rstrip("/")


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve()) and path.resolve() != root.resolve()


hostile_parts = st.sampled_from([
    "..", ".", "", "/", "\\", "..\\..", "C:", "c:\\windows", "\x00", "CON", "con.html", "Aux",
    "nul.txt", "COM1", "lpt9", "a ", "a.", "~", "%2e%2e", "//", "/etc/passwd", "\u2025",
    "x" * 300, "đ" * 130,
])
hostile = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(hostile_parts, segment, st.text(max_size=8)), max_size=6).map("/".join),
)


@settings(max_examples=300)
@given(hostile)
@example("../../etc/passwd")
@example("a/../../b")
@example("/etc/passwd")
@example("..")
@example("C:/Windows/system32")
@example("C:foo")
@example("a\\..\\..\\b")
@example("a\x00b")
@example("CON")
@example("tin-tuc/prn/")
@example("x" * 300 + "/")
def test_safe_rel_never_leaves_root(p: str) -> None:
    try:
        target = ROOT / safe_rel(p)
    except UnsafePath:
        return
    assert _inside(target, ROOT), (p, target)


@pytest.mark.parametrize("p", [
    "..", "../x", "a/../../x", "a/./b", "/abs", "C:x", "c:/x", "a\\b", "a\x00b", "CON", "con",
    "aux.html", "tin-tuc/NUL/", "COM1/", "lpt1.txt", "dấu cách /", "a./b", "x" * 256,
])
def test_check_path_refuses(p: str) -> None:
    with pytest.raises(UnsafePath):
        check_path(p)


@pytest.mark.parametrize("p", ["", "tin-tuc/", "tin-tuc/2024/06/a/", "feed.xml", "console/",
                               "con-duong/", "auxiliary.html", "đ" * 127 + "/"])
def test_check_path_accepts(p: str) -> None:
    assert check_path(p) == p
    assert _inside(ROOT / safe_rel(p), ROOT)


@settings(max_examples=300)
@given(hostile)
@example("//evil.example/x")
@example("https://evil.example/")
@example("javascript:alert(1)")
@example("/../../etc/passwd")
@example("/tin-tuc/../../x.html")
@example("?a=1")
@example("#top")
def test_alias_path_never_escapes(alias: str) -> None:
    try:
        path = alias_path(alias)
    except UnsafePath:
        return
    assert path and not path.startswith("/")
    assert ".." not in posixpath.normpath(path).split("/")
    assert check_path(path) == path
    assert _inside(ROOT / safe_rel(path), ROOT)


@pytest.mark.parametrize(("alias", "expected"), [
    ("/tin-tuc/2023/05/le-phat-dong.html", "tin-tuc/2023/05/le-phat-dong.html"),
    ("tin-tuc/a", "tin-tuc/a/"),
    ("/tin-tuc/a/", "tin-tuc/a/"),
    ("/tin-tuc/a.html?id=3#doan-2", "tin-tuc/a.html"),
    ("  /gioi-thieu  ", "gioi-thieu/"),
])
def test_alias_path_examples(alias: str, expected: str) -> None:
    assert alias_path(alias) == expected


@pytest.mark.parametrize("alias", ["", "/", "http://old.example.vn/a.html", "//old.example.vn/a",
                                   "../a.html", "/a/../../b.html", "mailto:a@b.vn"])
def test_alias_path_refuses(alias: str) -> None:
    with pytest.raises(UnsafePath):
        alias_path(alias)


zones = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5))])


@given(segment, st.datetimes(timezones=zones), segment)
@example("tin-tuc", datetime(24, 6, 5, tzinfo=UTC), "a")  # a year written 0024
def test_article_path_format(section: str, when: datetime, slug: str) -> None:
    path = article_path(section, when, slug)
    assert path == f"{section}/{when.year:04d}/{when.month:02d}/{slug}/"
    assert check_path(path) == path
    # the year and month archives hold the article: their addresses must agree
    assert path.startswith(f"{section}/{urls.month_path(when.year, when.month)}")


@given(dirs, site_paths(), st.booleans(), st.one_of(st.none(), segment))
@example([], "", False, None)
@example(["tuyen-truyen"], "assets/site.css", True, None)
def test_rooted_links_reach_the_target_from_any_depth(base: list[str], target: str, pretty: bool,
                                                      fragment: str | None) -> None:
    """The 404 page's links: from any address of the server, the target below base_url."""
    base_url = "https://so.example.gov.vn/" + "".join(f"{d}/" for d in base)
    config = Config(root=ROOT, title="t", base_url=base_url)
    link = urls.rooted(config, target + (f"#{fragment}" if fragment else ""), pretty)
    assert link.startswith("/") and "://" not in link
    wanted = target if pretty else urls.output_file(target)
    for deep in ("", "a/", "tin-tuc/2025/01/bai-cu-da-xoa/", "x/y.html"):
        assert urljoin(base_url + deep, link) == urls.absolute(config, wanted) + (
            f"#{fragment}" if fragment else "")
