"""``sitegen serve``, live: a real server on a free port, real file edits, the reload signal."""

from __future__ import annotations

import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import article

from sitegen.commands.serve import EVENTS, RELOAD_JS, serve
from sitegen.core.config import load_config
from sitegen.core.urls import output_file


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(predicate, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class Events:
    """Reads the server's event stream in a thread and keeps the versions it announces."""

    def __init__(self, url: str, page: str | None = None) -> None:
        """``page``: the address of the page that opens the stream (its script's Referer)."""
        self.versions: list[str] = []
        headers = {"Referer": page} if page else {}
        self.resp = urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                           timeout=30)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.resp:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    self.versions.append(line[6:])
        except (OSError, ValueError):
            pass


@pytest.fixture
def served(make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    site = make_site({
        "content/tin-tuc/a.md": article("Bài thứ nhất", body="Đoạn đầu tiên."),
        "content/tin-tuc/b.md": article("Bài nháp", draft=True),
        "content/tin-tuc/c.md": article("Bài hẹn ngày", date="2099-01-01"),
    })
    config, _ = load_config(site)
    scratch = tmp_path / "scratch"  # where serve keeps the texts it read
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    ready: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(site, config, 0),
                              kwargs={"ready": ready.append, "stop": stop}, daemon=True)
    thread.start()
    assert wait_for(lambda: bool(ready)), "the server did not start"
    yield ready[0], site
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the server did not stop"
    assert list(scratch.iterdir()) == [], "serve left its temporary folder"


def test_serves_pages_with_the_reload_script_and_badges(served) -> None:
    base, _site = served
    status, home = fetch(base)
    assert status == 200 and RELOAD_JS in home and "Bài thứ nhất" in home
    status, script = fetch(base + RELOAD_JS.lstrip("/"))
    assert status == 200 and EVENTS in script
    _, draft = fetch(base + "tin-tuc/2025/03/bai-nhap/")
    assert "BẢN NHÁP" in draft
    _, future = fetch(base + "tin-tuc/2099/01/bai-hen-ngay/")
    assert "CHỜ ĐĂNG" in future
    assert fetch(base + "khong-co/")[0] == 404


def test_edit_rebuilds_and_signals_reload(served) -> None:
    base, site = served
    events = Events(base + EVENTS.lstrip("/"))
    assert wait_for(lambda: len(events.versions) >= 1)
    source = site / "content" / "tin-tuc" / "a.md"
    source.write_text(article("Bài đã sửa", body="Đoạn đầu tiên."), encoding="utf-8")
    assert wait_for(lambda: "Bài đã sửa" in fetch(base)[1]), "the edit never showed"
    assert wait_for(lambda: len(events.versions) >= 2), "no reload signal"
    assert events.versions[-1] != events.versions[0]


def test_the_reload_signal_reaches_the_pages_a_build_changed(served) -> None:
    """A body edit reloads its article's page once (its preview, sitegen.commands.preview),
    not a page it does not change; a listener whose page is not known hears every build."""
    base, site = served
    a_page = base + "tin-tuc/2025/03/bai-thu-nhat/"
    listeners = {name: Events(base + EVENTS.lstrip("/"), page)
                 for name, page in [("a", a_page), ("draft", base + "tin-tuc/2025/03/bai-nhap/"),
                                    ("unknown", None)]}
    assert wait_for(lambda: all(len(e.versions) == 1 for e in listeners.values()))
    source = site / "content" / "tin-tuc" / "a.md"
    source.write_text(article("Bài thứ nhất", body="Đoạn đầu tiên.\n\nĐoạn hai."), encoding="utf-8")
    # the preview's signal, then the whole build's
    assert wait_for(lambda: len(listeners["unknown"].versions) == 3), listeners["unknown"].versions
    assert "Đoạn hai" in fetch(a_page)[1]
    time.sleep(0.3)
    assert len(listeners["a"].versions) == 2 and len(listeners["draft"].versions) == 1
    source.write_text(article("Bài thứ nhất đã sửa", body="Đoạn đầu tiên."), encoding="utf-8")
    assert wait_for(lambda: len(listeners["a"].versions) == 3), "its page changed: a signal"


def test_broken_file_shows_its_error_in_its_place_and_the_site_recovers(served) -> None:
    """Issue 20, item 11: the broken article's address shows its errors; every other page
    is built and served, with the errors in a banner."""
    base, site = served
    address = base + "tin-tuc/2025/03/bai-thu-nhat/"
    assert fetch(address)[0] == 200
    source = site / "content" / "tin-tuc" / "a.md"
    source.write_text(article("Bài thứ nhất", date="hôm qua"), encoding="utf-8")
    assert wait_for(lambda: 'role="alert"' in fetch(base)[1]), "the error never showed"
    status, page = fetch(address)
    assert status == 500 and "content/tin-tuc/a.md" in page and "không phải là ngày" in page
    assert "đang có lỗi" in page and RELOAD_JS in page  # it reloads by itself once fixed
    status, draft = fetch(base + "tin-tuc/2025/03/bai-nhap/")
    assert status == 200 and "Bài nháp" in draft and 'role="alert"' in draft
    source.write_text(article("Bài đã khỏi", body="Đoạn đầu tiên."), encoding="utf-8")
    assert wait_for(lambda: "Bài đã khỏi" in fetch(base)[1]), "the site did not recover"
    assert 'role="alert"' not in fetch(base)[1]
    assert fetch(base + "tin-tuc/2025/03/bai-da-khoi/")[0] == 200


def test_starting_with_a_broken_file_serves_every_page_that_is_fine(make_site, serve_site) -> None:
    """Issue 20, item 11: it answered every page with 404 under a "last good build" banner."""
    site = make_site({
        "content/tin-tuc/a.md": article("Bài thứ nhất"),
        "content/tin-tuc/hong.md": article("Bài bị hỏng", draft="có"),
        "content/tin-tuc/khong-doc-duoc.md": '---\ntitle: "Không đóng\ndate: 2025-03-10\n---\nx\n',
    })
    base = serve_site(site)
    status, home = fetch(base)
    assert status == 200 and "Bài thứ nhất" in home
    assert 'role="alert"' in home and "hong.md" in home and "khong-doc-duoc.md" in home
    assert "bản tốt gần nhất" not in home
    assert fetch(base + "tin-tuc/2025/03/bai-thu-nhat/")[0] == 200
    status, broken = fetch(base + "tin-tuc/2025/03/bai-bi-hong/")
    assert status == 500 and "content/tin-tuc/hong.md" in broken and "[draft]" in broken


def test_a_busy_port_takes_the_next_one_and_says_so(make_site, serve_site, capsys) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        base = serve_site(make_site({"content/tin-tuc/a.md": article("Bài")}), port)
        assert base != f"http://127.0.0.1:{port}/"
        assert fetch(base)[0] == 200
    err = capsys.readouterr().err
    assert f"Cổng {port} đang được dùng" in err and "--port" in err
    assert "Address already in use" not in err


def test_no_free_port_is_said_in_vietnamese_with_the_fix(make_site, capsys,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sitegen.commands.ports.PORT_TRIES", 1)
    site = make_site({"content/tin-tuc/a.md": article("Bài")})
    config, _ = load_config(site)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert serve(site, config, taken.getsockname()[1]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lỗi: cổng ") and "đang được dùng" in err
    assert "sitegen serve --port" in err and "Address already in use" not in err


def test_binds_to_loopback_only(served) -> None:
    base, _ = served
    assert base.startswith("http://127.0.0.1:")


def test_rebuilds_reuse_pages_and_equal_a_fresh_render(make_site, tmp_path: Path) -> None:
    """serve renders again only what an edit touches; its files equal a full render's."""
    from sitegen.commands.serve import SiteServer
    from sitegen.pipeline import BuildOptions, render

    site = make_site({
        "content/tin-tuc/a.md": article("Lễ phát động thi đua", "2025-02-10", tags=["thi đua"]),
        "content/tin-tuc/b.md": article("Tập huấn chuyển đổi số", "2025-02-20"),
        "content/pages/gioi-thieu.md": article("Giới thiệu", None),
    })
    config, _ = load_config(site)
    server = SiteServer(site, config, log=lambda _: None)
    server.rebuild()
    edits = [
        ("content/tin-tuc/a.md", article("Lễ phát động thi đua", "2025-02-10", tags=["thi đua"],
                                         body="Nội dung bài viết.\n\nĐoạn hai thêm vào.")),
        ("content/tin-tuc/b.md", article("Tập huấn chuyển đổi số (sửa)", "2025-02-20")),
        ("content/tin-tuc/c.md", article("Bài thứ ba", "2025-03-01", tags=["thi đua"])),
    ]
    for step, (rel, text) in enumerate(edits):
        (site / rel).write_text(text, encoding="utf-8")
        before = dict(server.state.files)
        state = server.rebuild()
        if step == 0:  # the text of one article: every other page and feed is kept
            keyed = {output_file(here) for here in server.memo.keys}
            made = {rel for rel, f in state.files.items() if before.get(rel) is not f
                    and rel in keyed}
            a_page = next(p for p in made if p.endswith("/le-phat-dong-thi-dua/index.html"))
            # the search index's files made again are those whose bytes changed (new words)
            index = {rel for rel in made if rel.startswith("tim-kiem/index/")}
            assert index and all(state.files[rel].read() != before[rel].read() for rel in index)
            # the feeds that carry a.md's text: the site's (Atom, RSS, JSON), its section's and
            # its tag's (Atom, RSS)
            assert made - index == {a_page, "feed.xml", "rss.xml", "feed.json", "tin-tuc/feed.xml",
                                    "tin-tuc/rss.xml", "chu-de/thi-dua/feed.xml",
                                    "chu-de/thi-dua/rss.xml"}, made
            assert server.memo.kept == len(server.memo.keys) - len(made)
        assert not [p for p in state.problems if p.is_error]
        fresh = render(server.config, BuildOptions(drafts=True, future=True), parallel=False)
        got = {path: f.read() for path, f in state.files.items()}
        want = {f.path: f.data if f.data is not None else f.source.read_bytes()  # type: ignore[union-attr]
                for f in fresh.files}
        assert got == {output_file(p): d for p, d in want.items()}, rel


def test_a_request_that_names_another_host_is_refused(served) -> None:
    """A page of another site whose name a DNS rebinding points at 127.0.0.1 sends its own
    name as Host: it must not read the writer's drafts."""
    import http.client

    base, _ = served
    port = int(base.rsplit(":", 1)[1].strip("/"))

    def status(host: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/tin-tuc/2025/03/bai-nhap/", headers={"Host": host})
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        return response.status, body

    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example"):
        code, body = status(host)
        assert code == 403 and "Bài nháp" not in body, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST"):
        assert status(host)[0] == 200, host


def test_serve_keeps_the_markdown_time_limit_after_its_first_build(make_site, tmp_path: Path) -> None:
    """Its rebuilds ran in a thread, where the time limit (a SIGALRM) did nothing: an edit
    that build refuses was published by serve. Now the command line rebuilds in its main
    thread. The limit is tiny, and the edit a body of 4,000 list items."""
    import subprocess
    import sys

    from helpers import MINIMAL_CONFIG

    site = make_site({"content/tin-tuc/a.md": article("A", body="Một dòng.")},
                     config=MINIMAL_CONFIG + "markdown_time_limit: 0.02\n")
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--site", str(site),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        assert proc.stdout is not None
        line = ""
        while "http://" not in line:
            line = proc.stdout.readline()
            assert line, "serve did not start"
        base = line.split("http://", 1)[1].split()[0].rstrip("/")
        slow = "".join(f"- mục {i} **đậm** [liên kết](#m{i})\n" for i in range(4000))
        (site / "content/tin-tuc/a.md").write_text(article("A", body=slow), encoding="utf-8")
        assert wait_for(lambda: "quá phức tạp" in fetch(f"http://{base}/")[1], timeout=30)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_a_static_file_turned_into_a_link_out_is_not_served_from_the_last_good_build(
        served, tmp_path: Path) -> None:
    """After a failed rebuild the last good build is served; a static file replaced meanwhile
    by a link to a file outside the site was served from it."""
    base, site = served
    (site / "static").mkdir(exist_ok=True)
    (site / "static/tep.txt").write_text("công khai", encoding="utf-8")
    assert wait_for(lambda: fetch(base + "tep.txt") == (200, "công khai"))
    source = site / "content" / "tin-tuc" / "a.md"
    source.write_text(article("Bài thứ nhất", date="hôm qua"), encoding="utf-8")  # broken
    assert wait_for(lambda: 'role="alert"' in fetch(base)[1])
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    (site / "static/tep.txt").unlink()
    (site / "static/tep.txt").symlink_to(secret)
    time.sleep(0.5)  # the watcher sees it; the build stays broken
    status, text = fetch(base + "tep.txt")
    assert "mật khẩu" not in text and status == 404


def test_the_404_pages_links_from_base_urls_path_are_served(served) -> None:
    """The 404 page links from base_url's path (/tuyen-truyen/assets/site.css); serve, which
    serves the site at /, answers those addresses too."""
    base, _site = served
    status, page = fetch(base + "tin-tuc/2025/01/bai-cu-da-xoa/")
    assert status == 404
    sheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert sheet and sheet[1] == "/tuyen-truyen/assets/site.css"
    status, css = fetch(base.rstrip("/") + sheet[1])
    assert status == 200 and "--red" in css


def test_an_article_moved_by_its_new_title_is_found_at_its_old_address(served) -> None:
    """A new title (no slug) moves the article: the page open at the old address is told
    to reload, and is sent on to the new address, through any later move too."""
    base, site = served
    old = base + "tin-tuc/2025/03/bai-thu-nhat/"
    listener = Events(base + EVENTS.lstrip("/"), old)
    assert wait_for(lambda: len(listener.versions) == 1)
    source = site / "content" / "tin-tuc" / "a.md"
    source.write_text(article("Bài đổi tên", body="Đoạn đầu tiên."), encoding="utf-8")
    assert wait_for(lambda: len(listener.versions) == 2), "the old page was not told to reload"
    status, page = fetch(old)  # urllib follows the redirect
    assert status == 200 and "Bài đổi tên" in page
    request = urllib.request.Request(old, method="GET")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as found:
        opener.open(request, timeout=5)
    assert found.value.code == 302
    assert found.value.headers["Location"] == "/tin-tuc/2025/03/bai-doi-ten/"
    source.write_text(article("Bài đổi tên lần hai", body="Đoạn đầu tiên."), encoding="utf-8")
    assert wait_for(lambda: "Bài đổi tên lần hai" in fetch(old)[1])
    assert "Bài đổi tên lần hai" in fetch(base + "tin-tuc/2025/03/bai-doi-ten/")[1]
    source.write_text(article("Bài thứ nhất", body="Đoạn đầu tiên."), encoding="utf-8")
    assert wait_for(lambda: "Bài thứ nhất" in fetch(base + "tin-tuc/2025/03/bai-doi-ten/")[1])
    status, page = fetch(old)  # its own address again: served, not sent on
    assert status == 200 and "Bài thứ nhất" in page
    assert fetch(base + "tin-tuc/2025/03/khong-co/")[0] == 404


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None
