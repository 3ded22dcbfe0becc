"""Feeds, sitemap, robots.txt, social cards and share links of a small built site.

Every feed is read with feedparser (a real feed reader); the sitemap with ElementTree.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import feedparser
import pytest
from helpers import BASE_URL, article, canonical
from PIL import Image

from sitegen.core.config import Config
from sitegen.features.feeds import entry_id
from sitegen.render.social import share_links

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _picture(fmt: str) -> bytes:
    """A real picture (a file that only starts like one is not published: photo-unreadable)."""
    out = io.BytesIO()
    Image.new("RGB", (120, 63), (155, 28, 28)).save(out, fmt)
    return out.getvalue()


def _png() -> bytes:
    return _picture("PNG")


def _jpeg() -> bytes:
    return _picture("JPEG")


PNG = _png()
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
CONFIG = f"""title: Trang thử nghiệm
tagline: Thi đua yêu nước
base_url: {BASE_URL}
page_size: 2
feed_entries: 3
publisher:
  operator: Sở Du lịch tỉnh Ninh Bình
social:
  default_image: images/the-chia-se.png
"""


def _news(n: int) -> str:
    return f"content/tin-tuc/tin-{n}.md"


FILES: dict[str, str | bytes] = {
    "static/images/the-chia-se.png": PNG,
    "static/images/anh.jpg": _jpeg(),
    "static/images/hinh.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
    _news(1): article("Phát động thi đua năm 2025", "2025-01-05", tags=["Thi đua", "Du lịch"],
                      author="Lê Thu Hà", image="images/anh.jpg",
                      image_alt="Hội trường lễ phát động",
                      body="Xem thêm [bài tổng kết](tin-4.md)."),
    _news(2): article("Tập huấn chuyển đổi số", "2025-02-10", tags=["Du lịch"],
                      image="images/hinh.svg", image_alt="Sơ đồ"),
    _news(3): article("Biểu dương <người tốt> & việc tốt", "2025-03-15", tags=["thi đua"],
                      updated="2025-06-01", aliases=["/tin-tuc/bieu-duong.html"]),
    _news(4): article("Tổng kết thi đua", "2025-04-20", tags=["Thi đua"]),
    _news(5): article("Khai trương tuyến đò mới", "2025-05-25"),
    "content/tin-tuc/english.md": article("Tourism week opens", "2025-05-30", lang="en"),
    "content/phong-trao-thi-dua/nguoi-tot.md": article(
        "Phong trào người tốt việc tốt", "2024-12-01", launched_by="Sở Du lịch",
        start="2024-12-01", tags=["Thi đua"]),
    "content/pages/gioi-thieu.md": article("Giới thiệu", None, body="Trang giới thiệu."),
}

Build = Callable[..., Path]


@pytest.fixture
def build_site(make_site: Callable[..., Path], build_ok: Callable[..., Any],
               tmp_path: Path) -> Build:
    """``build(config=CONFIG, files=FILES, name="out") -> output folder``."""

    def build(config: str = CONFIG, files: dict[str, str | bytes] | None = None,
              name: str = "out") -> Path:
        site = make_site(FILES if files is None else files, config=config)
        out = tmp_path / name
        build_ok(site, out)
        return out

    return build


@pytest.fixture
def out(build_site: Build) -> Path:
    return build_site()


def _feeds(out: Path) -> list[Path]:
    return sorted(out.rglob("feed.xml"))


def _target(out: Path, url: str) -> Path:
    """The file an absolute URL of the site names (a folder's index.html)."""
    assert url.startswith(BASE_URL), url
    rel = urlsplit(url).path[len(urlsplit(BASE_URL).path):]
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


class _Head(HTMLParser):
    """Collects <meta property|name content>, <link> and <a> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.anchors: list[dict[str, str]] = []
        self.buttons: list[dict[str, str | None]] = []
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        key = a.get("property") or a.get("name")
        if tag == "meta" and key and a.get("content") is not None:
            self.meta.setdefault(key, []).append(a["content"] or "")
        elif tag == "link":
            self.links.append({k: v or "" for k, v in a.items()})
        elif tag == "a":
            self.anchors.append({k: v or "" for k, v in a.items()})
        elif tag == "button":
            self.buttons.append(a)
        elif tag == "input":
            self.inputs.append(a)


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _articles(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


# ----------------------------------------------------------------------------- feeds


def test_every_feed_parses_with_absolute_links(out: Path) -> None:
    feeds = _feeds(out)
    names = {f.relative_to(out).as_posix() for f in feeds}
    assert {"feed.xml", "tin-tuc/feed.xml", "phong-trao-thi-dua/feed.xml",
            "chu-de/thi-dua/feed.xml", "chu-de/du-lich/feed.xml"} <= names
    for path in feeds:
        d = feedparser.parse(path.read_bytes())
        assert not d.bozo, (path, d.get("bozo_exception"))
        assert d.version == "atom10"
        assert d.feed.title
        assert d.feed.link.startswith(BASE_URL)
        assert any(link.rel == "self" and link.href == BASE_URL + path.relative_to(out).as_posix()
                   for link in d.feed.links)
        for e in d.entries:
            assert e.link.startswith(BASE_URL) and _target(out, e.link).is_file(), e.link
            assert e.title and e.summary and e.updated_parsed
            for href in re.findall(r'(?:href|src)="([^"]*)"', e.content[0].value):
                assert href.startswith(("https://", "http://", "#")), href


def test_feed_titles_are_vietnamese(out: Path) -> None:
    def title(rel: str) -> str:
        return str(feedparser.parse((out / rel).read_bytes()).feed.title)

    assert title("feed.xml") == "Trang thử nghiệm"
    assert title("tin-tuc/feed.xml") == "Tin tức"
    assert title("chu-de/thi-dua/feed.xml") == "Chủ đề: Thi đua"
    d = feedparser.parse((out / "feed.xml").read_bytes())
    assert d.feed.subtitle == "Thi đua yêu nước"
    assert d.feed.author == "Sở Du lịch tỉnh Ninh Bình"


def test_newest_entries_only_and_the_right_ones(out: Path) -> None:
    site = feedparser.parse((out / "feed.xml").read_bytes())
    assert [e.title for e in site.entries] == [
        "Tourism week opens", "Khai trương tuyến đò mới", "Tổng kết thi đua"]  # feed_entries: 3
    tag = feedparser.parse((out / "chu-de/thi-dua/feed.xml").read_bytes())
    assert [e.title for e in tag.entries] == [
        "Tổng kết thi đua", "Biểu dương <người tốt> & việc tốt", "Phát động thi đua năm 2025"]
    section = feedparser.parse((out / "phong-trao-thi-dua/feed.xml").read_bytes())
    assert [e.title for e in section.entries] == ["Phong trào người tốt việc tốt"]


def test_entry_dates_author_language_and_categories(out: Path) -> None:
    tag = feedparser.parse((out / "chu-de/thi-dua/feed.xml").read_bytes())
    by_title = {e.title: e for e in tag.entries}
    updated = by_title["Biểu dương <người tốt> & việc tốt"]
    assert updated.published == "2025-03-15T00:00:00+07:00"
    assert updated.updated == "2025-06-01T00:00:00+07:00"
    first = by_title["Phát động thi đua năm 2025"]
    assert first.author == "Lê Thu Hà"
    assert {t.label for t in first.tags} == {"Thi đua", "Du lịch"}
    # the link marker of the body is an absolute address in a feed
    assert BASE_URL + "tin-tuc/2025/04/tong-ket-thi-dua/" in first.content[0].value
    english = feedparser.parse((out / "feed.xml").read_bytes()).entries[0]
    assert english.title == "Tourism week opens" and english.content[0].language == "en"


def test_ids_are_tag_uris_stable_across_builds(build_site: Build,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_site(name="first")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2025, 12, 31).timestamp())))
    second = build_site(name="second")
    for path in [*_feeds(first), *first.rglob("rss.xml"), first / "feed.json",
                 first / "sitemap.xml"]:
        rel = path.relative_to(first)
        assert path.read_bytes() == (second / rel).read_bytes(), rel
    ids = [e.id for e in feedparser.parse((first / "feed.xml").read_bytes()).entries]
    assert ids[1] == "tag:example.gov.vn,2025-05-25:/tuyen-truyen/tin-tuc/2025/05/khai-truong-tuyen-do-moi/"
    assert len(set(ids)) == len(ids)


RFC_822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
                     r"|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")


def test_an_rss_2_feed_beside_every_atom_feed(out: Path) -> None:
    for atom_path in _feeds(out):
        rel = atom_path.relative_to(out).as_posix().removesuffix("feed.xml") + "rss.xml"
        raw = (out / rel).read_bytes()
        rss, atom = feedparser.parse(raw), feedparser.parse(atom_path.read_bytes())
        assert not rss.bozo, (rel, rss.get("bozo_exception"))
        assert rss.version == "rss20", rel
        assert rss.feed.title == atom.feed.title and rss.feed.link == atom.feed.link
        assert rss.feed.subtitle  # the channel's description, required by RSS 2.0
        assert rss.feed.language == "vi"
        assert any(link.rel == "self" and link.href == BASE_URL + rel
                   and link.type == "application/rss+xml" for link in rss.feed.links)
        root = ET.fromstring(raw)
        dates = [e.text or "" for e in root.iter() if e.tag in ("pubDate", "lastBuildDate")]
        assert dates and all(RFC_822.match(d) for d in dates), dates
        for element in root.iter("item"):  # the guid is the item's address: isPermaLink
            guid = element.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "true"
            assert guid.text == element.findtext("link")
        # the same entries as the Atom feed, in the same order
        assert [e.link for e in rss.entries] == [e.link for e in atom.entries]
        for item, entry in zip(rss.entries, atom.entries, strict=True):
            assert item.title == entry.title
            assert item.id == item.link
            assert item.published_parsed == entry.published_parsed
            assert item.summary == entry.summary
            assert item.content[0].value == entry.content[0].value
            assert {t.term for t in item.get("tags", [])} == {t.label for t in entry.get("tags", [])}
            assert item.get("author") == entry.get("author")


def test_json_feed_1_1(out: Path) -> None:
    data = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == "Trang thử nghiệm"
    assert data["home_page_url"] == BASE_URL and data["feed_url"] == BASE_URL + "feed.json"
    assert len(data["items"]) == 3
    atom_ids = [e.id for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert [i["id"] for i in data["items"]] == atom_ids
    for item in data["items"]:
        assert item["title"] and item["content_html"] and item["summary"]
        assert item["url"].startswith(BASE_URL) and _target(out, item["url"]).is_file()
        datetime.fromisoformat(item["date_published"])
        datetime.fromisoformat(item["date_modified"])
    assert data["items"][1]["_sitegen"] == {"section": "tin-tuc", "section_title": "Tin tức"}


def test_xml_unsafe_text_stays_well_formed(build_site: Build) -> None:
    files = dict(FILES)
    files[_news(5)] = article("Tiêu đề có \x0c ký tự lạ <b> & \"ngoặc\"", "2025-05-25",
                              summary="Tóm tắt ]]> có & và <")
    out = build_site(files=files)
    d = feedparser.parse((out / "feed.xml").read_bytes())
    assert not d.bozo
    entry = next(e for e in d.entries if "ký tự lạ" in e.title)
    assert entry.title.endswith("ký tự lạ <b> & \"ngoặc\"")
    assert b"\x0c" not in (out / "feed.xml").read_bytes()
    assert entry.summary == "Tóm tắt ]]> có & và <"


def test_feeds_are_announced_on_their_pages(out: Path) -> None:
    def alternates(rel: str) -> list[tuple[str, str, str]]:
        return [(link["type"], link["title"], link["href"]) for link in _head(out / rel).links
                if link.get("rel") == "alternate"]

    rss = "application/rss+xml"
    assert alternates("index.html") == [
        ("application/atom+xml", "Trang thử nghiệm", "feed.xml"),
        (rss, "Trang thử nghiệm (RSS)", "rss.xml"),
        ("application/feed+json", "Trang thử nghiệm (JSON Feed)", "feed.json")]
    assert alternates("trang/2/index.html")[0][2] == "../../feed.xml"
    assert alternates("tin-tuc/index.html") == [("application/atom+xml", "Tin tức", "feed.xml"),
                                                (rss, "Tin tức (RSS)", "rss.xml")]
    assert alternates("tin-tuc/trang/2/index.html") == [
        ("application/atom+xml", "Tin tức", "../../feed.xml"),
        (rss, "Tin tức (RSS)", "../../rss.xml")]
    assert alternates("chu-de/thi-dua/index.html") == [
        ("application/atom+xml", "Chủ đề: Thi đua", "feed.xml"),
        (rss, "Chủ đề: Thi đua (RSS)", "rss.xml")]
    assert alternates("2025/index.html") == []
    assert all(alternates(a.relative_to(out).as_posix()) == [] for a in _articles(out))


# ------------------------------------------------------------------- sitemap, robots


def test_sitemap_lists_every_page_and_only_pages(out: Path) -> None:
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == SM + "urlset"
    entries = {u.findtext(SM + "loc"): u.findtext(SM + "lastmod") for u in root}
    assert len(entries) == len(root)  # no duplicates
    for loc in entries:
        assert _target(out, loc).is_file(), loc
    listed = {_target(out, loc).relative_to(out).as_posix() for loc in entries}
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    aliases = {"tin-tuc/bieu-duong.html", "404.html"}
    assert aliases <= pages
    assert listed == pages - aliases  # articles, pages, lists and their pages, terms, search …
    for a in _articles(out):
        assert canonical(a.read_text(encoding="utf-8")) in entries
    for rel in ("", "trang/2/", "tin-tuc/trang/2/", "chu-de/", "chu-de/thi-dua/trang/2/",
                "2025/", "2025/05/", "gioi-thieu/", "tim-kiem/"):
        assert BASE_URL + rel in entries, rel
    assert all(W3C_DATETIME.match(d) for d in entries.values() if d)
    assert entries[BASE_URL] == "2025-05-30T00:00:00+07:00"  # newest article on the home page
    # updated counts: the article, and the page of the list that shows it
    assert entries[BASE_URL + "tin-tuc/2025/03/bieu-duong-nguoi-tot-viec-tot/"] == \
        "2025-06-01T00:00:00+07:00"
    assert entries[BASE_URL + "chu-de/"] == "2025-06-01T00:00:00+07:00"
    assert entries[BASE_URL + "gioi-thieu/"] is None  # undated page: no lastmod


def test_robots_names_the_sitemap(out: Path) -> None:
    text = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE_URL}sitemap.xml" in text.splitlines()
    assert "User-agent: *" in text
    assert "Disallow: /tuyen-truyen/tim-kiem/index/" in text


# -------------------------------------------------------------- cards and share links

CARD = ("og:type", "og:site_name", "og:title", "og:description", "og:url", "og:locale",
        "og:image", "og:image:alt", "article:published_time", "article:modified_time",
        "twitter:card", "twitter:title", "twitter:description", "twitter:image")


def test_every_article_has_a_complete_card(out: Path) -> None:
    articles = _articles(out)
    assert len(articles) == 7
    for path in articles:
        head = _head(path)
        meta = {k: v[0] for k, v in head.meta.items()}
        missing = [k for k in CARD if not meta.get(k)]
        assert not missing, (path, missing)
        assert meta["og:type"] == "article"
        assert meta["og:url"] == canonical(path.read_text(encoding="utf-8"))
        assert meta["og:image"].startswith(BASE_URL) and _target(out, meta["og:image"]).is_file()
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["og:locale"] in ("vi_VN", "en_US")


def test_card_pictures_and_languages(out: Path) -> None:
    def meta(rel: str) -> dict[str, str]:
        return {k: v[0] for k, v in _head(out / rel).meta.items()}

    own = meta("tin-tuc/2025/01/phat-dong-thi-dua-nam-2025/index.html")
    assert own["og:image"] == BASE_URL + "images/anh-og.jpg"  # the photo's 1200×630 crop
    assert own["og:image:alt"] == "Hội trường lễ phát động"
    assert own["og:locale"] == "vi_VN"
    assert own["og:title"] == "Phát động thi đua năm 2025"
    assert own["article:published_time"] == "2025-01-05T00:00:00+07:00"
    svg = meta("tin-tuc/2025/02/tap-huan-chuyen-doi-so/index.html")  # cards do not show SVG
    assert svg["og:image"] == BASE_URL + "images/the-chia-se.png"
    updated = meta("tin-tuc/2025/03/bieu-duong-nguoi-tot-viec-tot/index.html")
    assert updated["article:modified_time"] == "2025-06-01T00:00:00+07:00"
    assert meta("tin-tuc/2025/05/tourism-week-opens/index.html")["og:locale"] == "en_US"
    home = meta("index.html")
    assert home["og:type"] == "website" and home["og:url"] == BASE_URL
    assert home["og:image"] == BASE_URL + "images/the-chia-se.png"
    page = meta("gioi-thieu/index.html")
    assert page["og:type"] == "website" and "article:published_time" not in page


def test_both_share_links_on_every_article(out: Path) -> None:
    for path in _articles(out):
        head = _head(path)
        url = canonical(path.read_text(encoding="utf-8"))
        shares = {a["href"]: a for a in head.anchors if "share-link" in a.get("class", "")}
        fb = f"https://www.facebook.com/sharer/sharer.php?u={quote(url, safe='')}"
        zalo = f"https://sp.zalo.me/share_inline?url={quote(url, safe='')}"
        assert set(shares) == {fb, zalo}, path
        for a in shares.values():
            assert a["target"] == "_blank" and a["rel"] == "noopener noreferrer"
        text = path.read_text(encoding="utf-8")
        assert text.count("(mở cửa sổ mới)") >= 2
        assert "Chia sẻ lên Facebook" in text and "Chia sẻ qua Zalo" in text
        copy = [b for b in head.buttons if "data-copy-link" in b]
        assert copy and "hidden" in copy[0]  # shown by share.js only
        assert any(i.get("value") == url and "readonly" in i for i in head.inputs)
        assert "Theo dõi Zalo OA" not in text


def test_zalo_official_account(build_site: Build) -> None:
    out = build_site(config=CONFIG + "  zalo_oa_id: '1234567890'\n")
    path = out / "tin-tuc/2025/05/khai-truong-tuyen-do-moi/index.html"
    hrefs = [a["href"] for a in _head(path).anchors]
    assert any(h.startswith("https://sp.zalo.me/share_inline?url=") and
               h.endswith("&oaid=1234567890") for h in hrefs)
    assert "https://zalo.me/1234567890" in hrefs
    assert "Theo dõi Zalo OA" in path.read_text(encoding="utf-8")


def test_share_links_encode_the_whole_address() -> None:
    config = Config(root=Path("/nonexistent"), title="T", base_url=BASE_URL)
    links = share_links(config, "https://example.gov.vn/a b/?x=1&y=đ")
    assert links.facebook.endswith("?u=https%3A%2F%2Fexample.gov.vn%2Fa%20b%2F%3Fx%3D1%26y%3D%C4%91")
    assert links.zalo_oa is None


def test_entry_id_has_host_date_and_path() -> None:
    class _Dated:
        date = datetime(2024, 2, 20, 0, 0)
        path = "tin-tuc/2024/02/le-phat-dong/"

    config = Config(root=Path("/nonexistent"), title="T", base_url=BASE_URL)
    assert entry_id(config, _Dated()) == (  # type: ignore[arg-type]
        "tag:example.gov.vn,2024-02-20:/tuyen-truyen/tin-tuc/2024/02/le-phat-dong/")


def test_a_site_without_articles_has_empty_feeds(build_site: Build) -> None:
    out = build_site(files={})
    d = feedparser.parse((out / "feed.xml").read_bytes())
    assert not d.bozo and d.entries == [] and d.feed.updated
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"] == []
    assert ET.parse(out / "sitemap.xml").getroot().findtext(f"{SM}url/{SM}loc") is not None
