"""Cards in lists: the default theme's card is rendered once and reused on pages of every
depth (Renderer._card), a site's own card once per depth. Either way its links must lead to
the right file from each page that shows it, and be the links a page of that depth gets."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest
from conftest import MakeSite
from helpers import article
from hypothesis import example, given
from hypothesis import strategies as st

from sitegen import pipeline
from sitegen.core.config import load_config
from sitegen.core.urls import output_file, relative
from sitegen.output.claims import Collected
from sitegen.pipeline import BuildOptions, prepare
from sitegen.render.cardlinks import UP, completed, up_link, ups
from sitegen.render.environment import make_environment, theme_dir

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>\n'
TITLE_LINK = re.compile(r'<(h[23]) class="card-title"><a href="([^"]*)"')
IMAGE = re.compile(r'class="card-image" src="([^"]*)"')


def _stand_in(depth: int) -> str:
    """The page a card was rendered from before it was shared: links valid at ``depth``."""
    return "_/" * depth


def _page_depth(rel: str) -> int:
    folder = posixpath.dirname(rel)
    return folder.count("/") + 1 if folder else 0


def _lands(rel: str, link: str) -> str:
    """The output file that ``link``, on the page whose file is ``rel``, opens."""
    file = link.partition("#")[0]
    file = output_file(file) if file.endswith("/") or file in ("", ".") else file
    return posixpath.normpath(posixpath.join(posixpath.dirname(rel), file))


def _site(make_site: MakeSite, pretty: bool = False, files: dict[str, str] | None = None,
          first_title: str = "Phong trào thi đua số 1") -> Path:
    """Nine articles with one tag (three pages of its list at four a page), every other one a
    bundle with a picture, so that cards show on pages 0, 1, 2 and 4 folders down."""
    tree: dict[str, str] = dict(files or {})
    for day in range(1, 10):
        title = first_title if day == 1 else f"Phong trào thi đua số {day}"
        keys: dict[str, object] = {"tags": ["Thi đua yêu nước"]}
        if day % 2:
            keys.update(image="anh.svg", image_alt="Ảnh minh họa")
            tree[f"content/tin-tuc/bai-{day}/index.md"] = article(
                title, date=f"2025-03-{day:02d}", **keys)
            tree[f"content/tin-tuc/bai-{day}/anh.svg"] = SVG
        else:
            tree[f"content/tin-tuc/bai-{day}.md"] = article(title, date=f"2025-03-{day:02d}",
                                                            **keys)
    return make_site(tree, config="title: Thử thẻ bài\nbase_url: https://example.gov.vn/tt/\n"
                     f"page_size: 4\npretty_links: {'true' if pretty else 'false'}\n")


def _articles(out: Path) -> dict[str, str]:
    """{article's output file: its folder as a site path}."""
    return {p.relative_to(out).as_posix(): p.parent.relative_to(out).as_posix() + "/"
            for p in out.glob("tin-tuc/*/*/*/index.html")}


# ------------------------------------------------------------------ the marker, alone

_SEGMENT = st.text(alphabet="abcdeghiklmnoprstuvy0123456789-", min_size=1, max_size=8)
_TARGET = st.builds(
    lambda parts, end, fragment: "/".join(parts) + end + fragment,
    st.lists(_SEGMENT, max_size=4),
    st.sampled_from(["", "/", "/index.html", ".svg"]),
    st.sampled_from(["", "#noi-dung"]))


@given(_TARGET, st.integers(min_value=0, max_value=6), st.booleans())
@example("", 2, True).via("the home page with pretty links: ./ from the root")
@example("#noi-dung", 0, True).via("a part of the home page, from the root")
@example("", 3, False).via("the home page's index.html")
def test_a_shared_link_is_the_link_a_page_of_that_depth_gets(
        target: str, depth: int, pretty: bool) -> None:
    target = target.lstrip("/")  # site paths have no leading slash ("/" alone is the home page)
    shared = f'<a href="{up_link(target, pretty)}">x</a><img src="{up_link(target, pretty)}">'
    expected = relative(_stand_in(depth), target, pretty)
    assert completed(shared, ups(depth)) == f'<a href="{expected}">x</a><img src="{expected}">'


# ------------------------------------------------------------------ the default theme

@pytest.mark.parametrize("pretty", [False, True])
def test_default_cards_lead_to_their_pages_and_pictures_from_every_depth(
        make_site: MakeSite, build_ok, tmp_path: Path, pretty: bool) -> None:
    out = tmp_path / "out"
    build_ok(_site(make_site, pretty), out)
    articles = _articles(out)
    assert len(articles) == 9
    depths: set[int] = set()
    titles = images = 0
    for page in sorted(out.rglob("index.html")):
        rel = page.relative_to(out).as_posix()
        text = page.read_text(encoding="utf-8")
        assert UP not in text, rel  # every marker completed, none left for readers
        depth = _page_depth(rel)
        for heading, link in TITLE_LINK.findall(text):
            assert heading == ("h3" if rel == "index.html" else "h2"), rel  # the home's are h3
            target = articles[_lands(rel, link)]
            assert link == relative(_stand_in(depth), target, pretty), (rel, link)
            depths.add(depth)
            titles += 1
        for src in IMAGE.findall(text):
            landed = _lands(rel, src)
            assert landed.endswith("/anh.svg") and (out / landed).is_file(), (rel, src)
            assert src == relative(_stand_in(depth), landed, True), (rel, src)
            images += 1
    assert {0, 1, 2, 4} <= depths, depths  # home, section, tag, the tag's third page
    assert titles > 3 * 9 and images > 3 * 5


def test_a_title_that_looks_like_the_marker_is_shown_as_written(
        make_site: MakeSite, build_ok, tmp_path: Path) -> None:
    out = tmp_path / "out"
    title = f"Bài {UP} có dấu nhỏ hơn"
    build_ok(_site(make_site, first_title=title), out)
    oldest = (out / output_file("tin-tuc/trang/3/")).read_text(encoding="utf-8")  # 9 by 4
    assert f">{html.escape(title, quote=False)}</a>" in oldest


# ------------------------------------------------------------------ a site's own card

#: A card with every kind of link, one of them through a filter that would strip a marker.
OWN_CARD = """\
<li class="card">
<a data-link="page" href="{{ href(p.path) | striptags }}">{{ p.title }}</a>
<a data-link="part" href="{{ href(p.path ~ '#noi-dung') }}">Nội dung</a>
<a data-link="home" href="{{ href('') }}">Trang chủ</a>
<a data-link="asset" href="{{ asset('site.css') }}">CSS</a>
</li>
"""
OWN_LINK = re.compile(r'data-link="(\w+)" href="([^"]*)"')


@pytest.mark.parametrize("pretty", [False, True])
def test_a_sites_own_card_may_filter_its_links(
        make_site: MakeSite, build_ok, tmp_path: Path, pretty: bool) -> None:
    out = tmp_path / "out"
    build_ok(_site(make_site, pretty, {"templates/_card.html": OWN_CARD}), out)
    articles = _articles(out)
    checked = 0
    for page in sorted(out.rglob("index.html")):
        rel = page.relative_to(out).as_posix()
        depth = _page_depth(rel)
        for kind, link in OWN_LINK.findall(page.read_text(encoding="utf-8")):
            landed = _lands(rel, link)
            if kind in ("page", "part"):
                target = articles[landed] + ("#noi-dung" if kind == "part" else "")
            else:
                target = {"home": "", "asset": "assets/site.css"}[kind]
                assert landed == (output_file(target) if kind == "home" else target), (rel, link)
            assert link == relative(_stand_in(depth), target, pretty or kind == "asset"), \
                (rel, link)
            checked += 1
    assert checked > 4 * 9


@pytest.mark.parametrize(("templates", "shared"), [
    ("none", True),  # the site has no templates/: the theme's files
    ("copies", True),  # a site's templates/ that began as a copy of the theme
    ("changed", False),  # a copy changed: the card may be the site's own
])
def test_cards_are_shared_only_when_the_card_is_the_default_themes(
        make_site: MakeSite, templates: str, shared: bool) -> None:
    files: dict[str, str] = {}
    if templates != "none":
        for name in ("_card.html", "_macros.html"):
            text = (theme_dir() / name).read_text(encoding="utf-8")
            files[f"templates/{name}"] = text + ("{# của đơn vị #}\n" if templates == "changed"
                                                 and name == "_macros.html" else "")
    config, _ = load_config(_site(make_site, files=files))
    _, renderer, _ = prepare(config, BuildOptions(), make_environment(config))
    assert renderer.shares_cards is shared


def test_each_card_is_held_once_as_utf8(make_site: MakeSite) -> None:
    """A card shown on many pages is kept for them: as UTF-8 alone, the bytes the pages are
    spliced from (held as text and again encoded, the cards were a tenth of serve's memory
    at 10,000 articles); every list page still shows its cards."""
    config, _ = load_config(_site(make_site))
    options = BuildOptions()
    loaded, renderer, tasks = prepare(config, options, make_environment(config))
    collected = Collected()
    pipeline.make_site(config, options, loaded, renderer, tasks, collected, parallel=False)
    cards = [text for text, _reads in renderer._cards.values()]
    assert len(cards) >= 9 and all(isinstance(text, bytes) for text in cards)
    held = set(renderer._encoded.values())
    assert not [card for card in cards if card in held]
    shown = sum(len(TITLE_LINK.findall(f.data.decode())) for f in collected.files
                if f.data is not None and f.path.endswith((".html", "/")))
    assert shown >= 9 * 3  # the tag's list, the section's, the home page's …
