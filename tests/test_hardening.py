"""Hardening: hostile content, faults and limits — nothing lost, nothing written outside output/."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import markdown
import pytest
from helpers import FIXED_EPOCH, article, snapshot

from sitegen.core.config import load_config
from sitegen.core.errors import ContentError
from sitegen.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]


def many_articles(n: int) -> dict[str, str]:
    """``n`` articles with tags, units and a few paragraphs: enough for a build of ~1 s."""
    body = "\n\n".join(["Đoạn văn về phong trào thi đua yêu nước của ngành du lịch Ninh Bình. " * 8] * 6)
    return {
        f"content/tin-tuc/bai-{i:04d}.md": article(
            f"Bài số {i}", date=f"20{20 + i % 5}-{1 + i % 12:02d}-{1 + i % 27:02d}", body=body,
            tags=[f"chủ đề {i % 17}", "thi đua"], unit=f"Đơn vị {i % 7}")
        for i in range(n)
    }


def run_build(site: Path, out: Path, *more: str, quiet: bool = True) -> subprocess.Popen[bytes]:
    """Start ``sitegen build`` (with the options ``more``) in a child process (``quiet``: its
    output is discarded)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(FIXED_EPOCH)}
    sink = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--site", str(site),
                             "--output", str(out), *more], env=env, stdout=sink, stderr=sink)


# --- faults -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from helpers import MINIMAL_CONFIG, write_tree

    site = tmp_path_factory.mktemp("big")
    (site / "config.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    write_tree(site, many_articles(300))
    return site


def _writing(out: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    """Wait until the build ``proc`` writes its new site beside ``out`` (its spare marked
    dirty, or a staging folder made); False when it ended first."""
    from sitegen.output.swap import spare_path
    from sitegen.output.trees import DIRTY

    started = time.time_ns()
    dirty, staging = spare_path(out) / DIRTY, out.parent / f".{out.name}.staging-{proc.pid}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if staging.exists():  # this build's own (a killed one's is named by its pid)
            return True
        try:
            if dirty.stat().st_mtime_ns >= started:  # marked by this build, not a killed one
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.002)
    return False


def test_sigkill_at_any_moment_leaves_the_last_output_untouched(big_site: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "output"
    assert run_build(big_site, out).wait(120) == 0
    # Change the content so that a completed build would change the output.
    extra = big_site / "content" / "tin-tuc" / "bai-moi.md"
    extra.write_text(article("Bài mới chen vào", date="2024-05-05"), encoding="utf-8")
    try:
        old = snapshot(out)
        assert run_build(big_site, tmp_path / "new").wait(120) == 0
        new = snapshot(tmp_path / "new")
        assert new != old
        killed_before_the_end = 0
        # Early kills (start-up, reading), then kills timed from the moment the build starts
        # writing (its spare marked dirty, or a staging folder made), not from a clock: a build
        # over the last output may be much faster than a fresh one.
        for when, delay in (("start", 0.2), ("start", 0.5), ("writing", 0.0),
                            ("writing", 0.02), ("writing", 0.1), ("writing", 0.3)):
            proc = run_build(big_site, out)
            if when == "start" or _writing(out, proc):
                time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            now = snapshot(out)
            # Killed before the swap: the old site, exactly; after it: the new site, whole.
            assert now in (old, new), f"half a site after a kill ({when}, {delay} s)"
            if proc.returncode == -signal.SIGKILL and now == old:
                killed_before_the_end += 1
        assert killed_before_the_end >= 3, "too few kills landed during the build"
        # The next build cleans up after the killed ones and succeeds.
        final = run_build(big_site, out)
        assert final.wait(120) == 0
        leftovers = [p.name for p in out.parent.iterdir()
                     if p.name.startswith((".output.staging-", ".output.old-"))]
        assert leftovers == []
        assert "bai-moi-chen-vao" in "".join(p.as_posix() for p in out.rglob("index.html"))
    finally:
        extra.unlink()


def test_sigint_stops_with_a_message_and_keeps_the_output(big_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "output"
    assert run_build(big_site, out).wait(120) == 0
    good = snapshot(out)
    # Clean builds, so that the timed one and the interrupted ones do the same work (an
    # incremental build could end before the signal); earlier and earlier if one still does.
    started = time.monotonic()
    assert run_build(big_site, tmp_path / "timing", "--clean").wait(120) == 0
    duration = time.monotonic() - started
    for fraction in (0.6, 0.35, 0.15):  # past the imports, inside the build
        proc = run_build(big_site, out, "--clean", quiet=False)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert snapshot(out) == good  # interrupted, or finished with the same content
        if proc.returncode != 0:
            break
    assert proc.returncode == 130, "every build finished before SIGINT arrived"
    assert "Đã dừng" in err.decode() and "Traceback" not in err.decode()


def test_two_builds_at_once_equal_one_build(big_site: Path, tmp_path: Path) -> None:
    single = tmp_path / "single"
    assert run_build(big_site, single).wait(120) == 0
    shared = tmp_path / "shared"
    procs = [run_build(big_site, shared) for _ in range(2)]
    assert [p.wait(180) for p in procs] == [0, 0]
    assert snapshot(shared) == snapshot(single)


def test_builds_are_reproducible_and_keep_unchanged_mtimes(big_site: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_build(big_site, a).wait(120) == 0
    assert run_build(big_site, b).wait(120) == 0
    assert snapshot(a) == snapshot(b)
    page = next(a.rglob("bai-so-1/index.html"))
    before = page.stat().st_mtime_ns
    time.sleep(0.05)
    assert run_build(big_site, a).wait(120) == 0
    assert next(a.rglob("bai-so-1/index.html")).stat().st_mtime_ns == before


# --- hostile content --------------------------------------------------------------------

def built_html(site: Path, out: Path) -> str:
    config, _ = load_config(site, output=out)
    build(config, BuildOptions())
    return "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def test_raw_html_is_sanitised_and_each_removal_warns(make_site, run_cli, tmp_path: Path) -> None:
    body = ("Mở đầu.\n\n<script>alert('x')</script>\n\n<p onclick=\"steal()\">Đoạn</p>\n\n"
            "[bấm](javascript:alert(1))\n\n![ảnh](data:image/png;base64,AAAA)\n\n"
            '<iframe src="https://www.youtube.com/embed/abc"></iframe>\n\n'
            '<span style="background:url(https://evil.example/x.png)">chữ</span>\n\n'
            '<a href="vbscript:msgbox(1)">vb</a>')
    site = make_site({"content/tin-tuc/a.md": article("A", body=body)})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 0, result.err
    html = (next((tmp_path / "out").rglob("a/index.html"))).read_text(encoding="utf-8")
    body_html = html.split('class="prose"', 1)[1]
    for bad in ("<script>alert", "onclick", "javascript:", "data:image", "<iframe",
                "evil.example", "vbscript:"):
        assert bad not in body_html, bad
    assert "Đoạn" in body_html and "chữ" in body_html
    for removed in ("<script>", "onclick=", "javascript:", "<iframe>", "style=", "vbscript:"):
        assert removed in result.err, removed
    assert "content/tin-tuc/a.md:" in result.err


def test_iframes_only_from_allowed_hosts(make_site, tmp_path: Path) -> None:
    from helpers import MINIMAL_CONFIG

    config = MINIMAL_CONFIG + "html:\n  iframe_hosts: [www.youtube-nocookie.com]\n"
    body = ('<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>\n\n'
            '<iframe src="https://evil.example/x" title="x"></iframe>')
    site = make_site({"content/tin-tuc/a.md": article("A", body=body)}, config=config)
    html = built_html(site, tmp_path / "out")
    assert "https://www.youtube-nocookie.com/embed/abc" in html
    assert "evil.example" not in html


def test_front_matter_text_is_always_escaped(make_site, tmp_path: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": article(
        "<script>alert(1)</script> Tiêu đề", summary='"><img src=x onerror=alert(1)>',
        tags=["<b>thẻ</b>"], unit="<i>Đơn vị</i>")})
    html = built_html(site, tmp_path / "out")
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html
    assert "<b>thẻ</b>" not in html and "&lt;b&gt;thẻ&lt;/b&gt;" in html


# --- containment ------------------------------------------------------------------------

@pytest.mark.parametrize("alias", ["../../etc/passwd", "/../x", "C:\\x", "https://evil.example/",
                                   "a/../../b", "tin-tuc/CON/"])
def test_aliases_never_leave_output(make_site, run_cli, tmp_path: Path, alias: str) -> None:
    site = make_site({"content/tin-tuc/a.md": article("A", aliases=[alias])})
    out = tmp_path / "sub" / "output"
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 1
    assert "content/tin-tuc/a.md" in result.err and "[aliases]" in result.err
    assert not (tmp_path / "etc").exists() and not (tmp_path / "b").exists()


def test_symlinks_leading_out_of_the_site_are_refused(make_site, run_cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("mật", encoding="utf-8")
    site = make_site({"content/tin-tuc/a/index.md": article("A"),
                      "static/placeholder.txt": "x"})
    os.symlink(secret, site / "content" / "tin-tuc" / "a" / "leak.txt")
    os.symlink(tmp_path, site / "static" / "escape")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1
    assert "leak.txt" in result.err and "static/escape" in result.err
    assert not any("mật" in p.read_text(errors="ignore") for p in tmp_path.rglob("out/**/*")
                   if p.is_file())


def test_reserved_and_overlong_names_are_errors_not_writes(make_site, run_cli,
                                                           tmp_path: Path) -> None:
    site = make_site({"content/tin-tuc/a/index.md": article("A"),
                      "content/tin-tuc/a/nul.txt": "x",
                      "content/tin-tuc/b.md": article("B", slug="con")})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1
    assert "nul.txt" in result.err and "content/tin-tuc/b.md" in result.err
    assert not (tmp_path / "out").exists()


# --- limits ---------------------------------------------------------------------------------

def test_file_over_the_size_limit_is_named(make_site, run_cli, tmp_path: Path) -> None:
    from helpers import MINIMAL_CONFIG

    site = make_site({"content/tin-tuc/a.md": article("A", body="chữ " * 2000)},
                     config=MINIMAL_CONFIG + "max_file_size: 5000\n")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "content/tin-tuc/a.md" in result.err and "quá lớn" in result.err


def test_yaml_bomb_is_refused(make_site, run_cli, tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    bomb = "---\ntitle: Bom\ndate: 2024-01-01\n" + "\n".join(lines) + "\n---\nx\n"
    site = make_site({"content/tin-tuc/a.md": bomb})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "content/tin-tuc/a.md" in result.err and "bí danh" in result.err


SLOW = "NỘI-DUNG-CHẬM"


@pytest.fixture
def slow_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python-Markdown made slow on purpose for a body holding SLOW (30 s at most, so that a
    missing time limit fails the test instead of hanging it); other bodies convert as usual.
    Both articles are read in this process (fewer than the default Tuning.read_pool_from)."""
    convert = markdown.Markdown.convert

    def slow(self: markdown.Markdown, source: str) -> str:
        if SLOW in source:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                time.sleep(0.01)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", slow)


@pytest.mark.usefixtures("slow_parser")
def test_body_that_makes_the_parser_crawl_is_reported(make_site, run_cli, tmp_path: Path) -> None:
    from helpers import MINIMAL_CONFIG

    site = make_site({"content/tin-tuc/a.md": article("A", body=SLOW),
                      "content/tin-tuc/b.md": article("B")},
                     config=MINIMAL_CONFIG + "markdown_time_limit: 0.5\n")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1
    assert "content/tin-tuc/a.md" in result.err and "content/tin-tuc/b.md" not in result.err
    assert "quá phức tạp" in result.err and "0.5 giây" in result.err
    assert not (tmp_path / "out").exists()


def test_body_that_makes_the_parser_recurse_too_deep_is_reported(
        make_site, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    convert = markdown.Markdown.convert

    def deep(self: markdown.Markdown, source: str) -> str:
        if SLOW in source:
            raise RecursionError
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", deep)
    site = make_site({"content/tin-tuc/a.md": article("A", body=SLOW),
                      "content/tin-tuc/b.md": article("B")})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1 and "Traceback" not in result.err
    assert "content/tin-tuc/a.md" in result.err and "content/tin-tuc/b.md" not in result.err
    assert "lồng nhau quá sâu" in result.err


def test_markdown_time_limit_must_be_positive_seconds(make_site, run_cli, tmp_path: Path) -> None:
    from helpers import MINIMAL_CONFIG

    site = make_site({"content/tin-tuc/a.md": article("A")},
                     config=MINIMAL_CONFIG + "markdown_time_limit: 0\n")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 2 and "markdown_time_limit" in result.err


def test_build_lock_makes_the_second_build_wait(make_site, tmp_path: Path) -> None:
    from sitegen.output.swap import build_lock

    site = make_site({"content/tin-tuc/a.md": article("A")})
    config, _ = load_config(site, output=tmp_path / "out")
    order: list[str] = []
    with build_lock(config):
        worker = threading.Thread(target=lambda: (build(config), order.append("second")))
        worker.start()
        time.sleep(0.5)
        order.append("first done")
    worker.join(30)
    assert order == ["first done", "second"]


def test_unsafe_body_does_not_break_the_build_error_type(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": b"---\ntitle: \xff\xfe\n---\n"})
    config, _ = load_config(site)
    with pytest.raises(ContentError) as info:
        build(config)
    assert info.value.problems[0].path == "content/tin-tuc/a.md"
