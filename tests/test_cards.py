"""Cards in lists are rendered once and reused on pages of every depth (Renderer._card):
their links must still lead to the right file from each page that shows them."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from conftest import MakeSite
from helpers import article

from sitegen.urls import output_file, relative

#: A card whose every kind of link is marked, so that the test can find each one.
CARD = """\
<li class="card">
<a data-link="page" href="{{ href(p.path) }}">{{ p.title }}</a>
<a data-link="part" href="{{ href(p.path ~ '#noi-dung') }}">Nội dung</a>
<a data-link="home" href="{{ href('') }}">Trang chủ</a>
<a data-link="asset" href="{{ asset('site.css') }}">CSS</a>
</li>
"""

LINK = re.compile(r'data-link="(\w+)" href="([^"]*)"')
TRICKY_TITLE = "Bài <sitegen-up> có dấu nhỏ hơn"


def _site(make_site: MakeSite, pretty: bool = False) -> Path:
    files: dict[str, str] = {"templates/_card.html": CARD}
    for day in range(1, 10):  # more than one page of the tag's list: pages two folders deeper
        title = TRICKY_TITLE if day == 1 else f"Phong trào thi đua số {day}"
        files[f"content/tin-tuc/bai-{day}.md"] = article(
            title, date=f"2025-03-{day:02d}", tags=["Thi đua yêu nước"])
    return make_site(files, config="title: Thử thẻ bài\nbase_url: https://example.gov.vn/tt/\n"
                     f"page_size: 4\npretty_links: {'true' if pretty else 'false'}\n")


@pytest.mark.parametrize("pretty", [False, True])
def test_card_links_lead_to_their_files_from_pages_of_every_depth(
        make_site: MakeSite, build_ok, tmp_path: Path, pretty: bool) -> None:
    site = _site(make_site, pretty)
    out = tmp_path / "out"
    build_ok(site, out)
    articles = {p.parent.relative_to(out).as_posix() + "/"
                for p in out.glob("tin-tuc/*/*/*/index.html")}
    assert len(articles) == 9
    depths: set[int] = set()
    checked = 0
    for page in sorted(out.rglob("index.html")):
        rel = page.relative_to(out).as_posix()
        html = page.read_text(encoding="utf-8")
        assert "<sitegen-up>" not in html, rel  # every marker replaced, none left for readers
        links = LINK.findall(html)
        if not links:
            continue
        folder = posixpath.dirname(rel)
        depths.add(folder.count("/") + 1 if folder else 0)
        for kind, link in links:
            file, _, fragment = link.partition("#")
            file = output_file(file) if file.endswith("/") else file  # pretty: the folder's page
            landed = posixpath.normpath(posixpath.join(folder, file))
            if kind in ("page", "part"):
                assert landed.removesuffix("/index.html") + "/" in articles, (rel, link)
                assert fragment == ("noi-dung" if kind == "part" else ""), (rel, link)
            elif kind == "home":
                assert landed == "index.html", (rel, link)
            else:
                assert landed == "assets/site.css", (rel, link)
            # What the card gave when it was rendered anew for each depth, from a stand-in.
            target = {"page": None, "part": None, "home": "", "asset": "assets/site.css"}[kind]
            if target is not None:
                here = "_/" * (folder.count("/") + 1 if folder else 0)
                assert link == relative(here, target, pretty or kind == "asset"), (rel, link)
            checked += 1
    assert {0, 1, 2, 4} <= depths, depths  # home, section, tag, the tag's second page
    assert checked > 4 * 9


def test_a_title_that_looks_like_the_marker_is_shown_as_written(
        make_site: MakeSite, build_ok, tmp_path: Path) -> None:
    site = _site(make_site)
    out = tmp_path / "out"
    build_ok(site, out)
    oldest = (out / output_file("tin-tuc/trang/3/")).read_text(encoding="utf-8")  # 9 by 4
    assert ">Bài &lt;sitegen-up&gt; có dấu nhỏ hơn</a>" in oldest
