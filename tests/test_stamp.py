"""The no-change build (sitegen.incremental.stamp): skipped only when nothing a build reads has changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import FIXED_EPOCH, article, snapshot, write_tree
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.config import load_config
from sitegen.incremental.stamp import Stamp, stamp_path, valid_until
from sitegen.incremental.trusted import read_trusted, write_trusted
from sitegen.pipeline import BuildReport, build

SKIPPED = "Không có gì thay đổi từ lần dựng trước"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

FILES = {
    "content/tin-tuc/le-phat-dong.md": article("Lễ phát động thi đua", "2025-02-10",
                                                tags=["thi đua"], unit="Phòng Quản lý du lịch"),
    "content/tin-tuc/tap-huan.md": article("Tập huấn chuyển đổi số", "2025-02-20"),
    "content/pages/gioi-thieu.md": article("Giới thiệu", None),
    "static/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n',
}


@pytest.fixture
def built(make_site: Callable[..., Path], build_ok,
          tmp_path: Path) -> tuple[Path, Path]:
    site = make_site(FILES)
    out = tmp_path / "out"
    build_ok(site, out)
    return site, out


def files_and_inodes(out: Path) -> dict[str, tuple[bytes, int]]:
    return {rel: (data, (out / rel).stat().st_ino) for rel, data in snapshot(out).items()}


def test_a_second_build_with_nothing_changed_writes_nothing(built: tuple[Path, Path],
                                                            run_cli) -> None:
    site, out = built
    before = files_and_inodes(out)
    folder = out.stat().st_ino
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 0 and result.out.startswith(SKIPPED), result.out
    assert files_and_inodes(out) == before and out.stat().st_ino == folder
    again = run_cli("build", "--site", site, "--output", out, "--clean")  # --clean builds
    assert again.code == 0 and again.out.startswith("Đã dựng 2 bài viết")
    assert snapshot(out) == {rel: data for rel, (data, _) in before.items()}


#: Run in a fresh interpreter: `sitegen build`, then the modules it imported, one a line.
_IMPORTED = ("import sys; from sitegen.cli import main; code = main(sys.argv[1:]); "
             "print('\\n'.join(sorted(sys.modules))); sys.exit(code)")


@pytest.mark.parametrize("touched", [False, True])
def test_a_build_with_nothing_to_do_imports_none_of_the_pipeline(
        built: tuple[Path, Path], touched: bool) -> None:
    """Importing the pipeline (its renderer, Markdown, Jinja) was two thirds of a no-change
    build: the stamp is looked at first, and the pipeline imported only to build."""
    site, out = built
    if touched:
        touch_content(site)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(FIXED_EPOCH)}
    ran = subprocess.run([sys.executable, "-c", _IMPORTED, "build", "--site", str(site),
                          "--output", str(out)], capture_output=True, text=True, env=env,
                         check=True)
    summary, *modules = ran.stdout.splitlines()
    heavy = {"sitegen.pipeline", "jinja2", "markdown", "sitegen.render.renderer"} & set(modules)
    if touched:
        assert summary.startswith("Đã dựng 2 bài viết") and "sitegen.pipeline" in heavy
    else:
        assert summary.startswith(SKIPPED) and not heavy, heavy


def test_a_look_taken_before_another_build_is_taken_again(built: tuple[Path, Path]) -> None:
    """`sitegen build` looks at the stamp before the lock: a build that waited while another
    built the same files takes its look again, and has nothing to do."""
    from sitegen.core.config import load_config as load
    from sitegen.incremental.stamp import look

    site, out = built
    config, _ = load(site, output=out)
    (site / "content/tin-tuc/tap-huan.md").write_text(article("Tập huấn, sửa", "2025-02-20"),
                                                      encoding="utf-8")
    before = look(config, False, False, False)
    assert before.last is None  # an edit: something to build
    assert not build(config).skipped  # another build, while this one waited
    assert build(config, seen=before).skipped


def touch_content(site: Path) -> None:
    """Rewrite a file with the same bytes and put its modification time back."""
    path = site / "content/tin-tuc/tap-huan.md"
    st = path.stat()
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize("change", [
    pytest.param(lambda s: write_tree(s, {"content/tin-tuc/tap-huan.md":
                                          article("Tập huấn chuyển đổi số", "2025-02-21")}),
                 id="edit"),
    pytest.param(touch_content, id="rewrite-keeping-mtime"),
    pytest.param(lambda s: write_tree(s, {"content/tin-tuc/moi.md": article("Bài mới")}), id="add"),
    pytest.param(lambda s: (s / "content/tin-tuc/tap-huan.md").unlink(), id="delete"),
    pytest.param(lambda s: (s / "content/tin-tuc/tap-huan.md").rename(
        s / "content/tin-tuc/tap-huan-2.md"), id="rename"),
    pytest.param(lambda s: write_tree(s, {"static/files/a.txt": "a"}), id="static"),
    pytest.param(lambda s: write_tree(s, {"templates/404.html": "<!DOCTYPE html><title>404</title>"}),
                 id="template"),
    pytest.param(lambda s: write_tree(s, {"config.yaml": (s / "config.yaml").read_text(
        encoding="utf-8") + "tagline: Khẩu hiệu mới\n"}), id="config"),
])
def test_any_change_to_the_inputs_builds(built: tuple[Path, Path], run_cli,
                                         change: Callable[[Path], object]) -> None:
    site, out = built
    change(site)
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 0 and result.out.startswith("Đã dựng"), result.out


@pytest.mark.parametrize("more", [["--drafts"], ["--future"], ["--base-url", "https://khac.vn/"]])
def test_other_options_build(built: tuple[Path, Path], run_cli,
                             more: list[str]) -> None:
    site, out = built
    result = run_cli("build", "--site", site, "--output", out, *more)
    assert result.out.startswith("Đã dựng"), result.out


def test_another_clock_builds(built: tuple[Path, Path], run_cli,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    site, out = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(FIXED_EPOCH + 86_400))
    result = run_cli("build", "--site", site, "--output", out)
    assert result.out.startswith("Đã dựng"), result.out


def test_a_replaced_or_missing_output_builds(built: tuple[Path, Path],
                                             run_cli,
                                             tmp_path: Path) -> None:
    site, out = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    shutil.rmtree(out)
    copy.rename(out)  # the same files, another folder
    assert run_cli("build", "--site", site, "--output", out).out.startswith("Đã dựng")
    shutil.rmtree(out)
    result = run_cli("build", "--site", site, "--output", out)
    assert result.out.startswith("Đã dựng") and (out / "index.html").is_file()


def test_a_damaged_stamp_is_ignored(built: tuple[Path, Path], run_cli) -> None:
    site, out = built
    path = stamp_path(load_config(site, output=out)[0])
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))
    assert run_cli("build", "--site", site, "--output", out).out.startswith("Đã dựng")


def test_warnings_are_shown_again(make_site: Callable[..., Path], run_cli,
                                  tmp_path: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": article("A", tieu_de="x")})  # an unknown key
    out = tmp_path / "out"
    first = run_cli("build", "--site", site, "--output", out)
    second = run_cli("build", "--site", site, "--output", out)
    assert second.out.startswith(SKIPPED)
    assert "tieu_de" in first.err and second.err == first.err


def test_the_clock_ends_a_stamp(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """With the real clock, a stamp holds until its moment (midnight, an article due)."""
    site, out = built
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    config, _ = load_config(site, output=out)
    first = build(config)
    assert not first.skipped and build(config).skipped
    path = stamp_path(config)
    stamp = read_trusted(path)
    assert isinstance(stamp, Stamp) and stamp.until is not None
    assert stamp.until > datetime.now(config.zone)
    write_trusted(path, Stamp(stamp.inputs, datetime.now(config.zone) - timedelta(seconds=1),
                              stamp.output, stamp.report))
    assert not build(config).skipped
    assert build(config).skipped


def test_an_article_due_later_ends_the_stamp_then(make_site: Callable[..., Path],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    soon = datetime.now(HANOI).replace(microsecond=0) + timedelta(hours=2)
    site = make_site({"content/tin-tuc/a.md": article("A"),
                      "content/tin-tuc/b.md": article("Sắp đăng", soon.isoformat())})
    config, _ = load_config(site, output=tmp_path / "out")
    report = build(config)
    assert isinstance(report, BuildReport) and report.articles == 1
    stamp = read_trusted(stamp_path(config))
    assert isinstance(stamp, Stamp) and stamp.until is not None
    assert stamp.until == min(soon, valid_until(datetime.now(HANOI), None))


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
       st.one_of(st.none(), st.timedeltas(min_value=timedelta(seconds=1),
                                          max_value=timedelta(days=400))))
def test_valid_until_is_the_next_midnight_or_sooner(now: datetime, ahead: timedelta | None) -> None:
    now = now.replace(tzinfo=HANOI)
    until = valid_until(now, now + ahead if ahead else None)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert now < until <= midnight
    assert until.date() == now.date() or until == midnight
    if ahead is not None:
        assert until == min(now + ahead, midnight)
