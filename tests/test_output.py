"""write_site and the output folder: atomic, collision-checked, never somewhere precious."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import article, snapshot, write_tree

from sitegen.core.config import load_config
from sitegen.core.errors import OutputError
from sitegen.output.claims import find_collisions
from sitegen.output.files import RenderedFile
from sitegen.output.swap import cleanup_stale, spare_path
from sitegen.output.trees import DIRTY, MARKER
from sitegen.output.writer import write_site

GOOD = {
    "content/tin-tuc/le-phat-dong.md": article("Lễ phát động thi đua", "2025-02-10",
                                                tags=["thi đua"]),
    "content/tin-tuc/tap-huan.md": article("Tập huấn chuyển đổi số", "2025-02-20"),
    "static/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n',
}


def inodes(root: Path) -> dict[str, tuple[int, int]]:
    """{relative path: (inode, mtime_ns)} of every file below ``root``."""
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """Folders a build left beside the output: never any but the lock and the spare."""
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and not p.name.endswith((".lock", ".spare")))


def same_as_clean(build_ok, site: Path, out: Path, clean: Path) -> None:
    """Assert that ``out`` holds exactly what a clean build of ``site`` into ``clean`` gives."""
    shutil.rmtree(clean, ignore_errors=True)
    build_ok(site, clean, "--clean")
    assert snapshot(out) == snapshot(clean)


@pytest.fixture
def built(make_site, build_ok, tmp_path: Path) -> tuple[Path, Path]:
    """A good site and its first build."""
    site = make_site(GOOD)
    out = tmp_path / "out"
    build_ok(site, out)
    return site, out


# --- a build that stops leaves output/ alone -----------------------------------------

def test_content_error_keeps_previous_tree(built, run_cli) -> None:
    site, out = built
    before, stamps = snapshot(out), inodes(out)
    write_tree(site, {"content/tin-tuc/hong.md": "không có front matter\n"})
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 1
    assert snapshot(out) == before and inodes(out) == stamps
    assert leftovers(out) == []


def test_broken_template_keeps_previous_tree(built, run_cli) -> None:
    site, out = built
    before = snapshot(out)
    write_tree(site, {"templates/article.html": "{% extends 'base.html' %}{% block main %}{% if %}"})
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code in (1, 2)
    assert "Traceback" not in result.err
    assert "article.html" in result.err
    assert snapshot(out) == before and leftovers(out) == []


def test_failure_while_writing_keeps_previous_tree(built, tmp_path: Path) -> None:
    """A write that dies half-way (here: a copied file vanished) swaps nothing in."""
    site, out = built
    before, stamps = snapshot(out), inodes(out)
    config, _ = load_config(site, output=out)
    files = [RenderedFile("index.html", "home.html", data=b"<p>new home</p>\n"),
             RenderedFile("a/", "x", data=b"a"),
             RenderedFile("images/gone.svg", "static/images/gone.svg", source=tmp_path / "gone.svg")]
    with pytest.raises(OSError):
        write_site(files, config)
    assert snapshot(out) == before and inodes(out) == stamps
    assert leftovers(out) == []


def test_unsafe_path_refused_before_swap(built) -> None:
    site, out = built
    before = snapshot(out)
    config, _ = load_config(site, output=out)
    with pytest.raises(OutputError):
        write_site([RenderedFile("a/", "x", data=b"a"),
                    RenderedFile("../../thoat.html", "aliases", data=b"x")], config)
    assert snapshot(out) == before and leftovers(out) == []
    assert not (out.parent.parent / "thoat.html").exists()


# --- unchanged files are kept as they were -------------------------------------------

def test_unchanged_files_keep_inode_and_mtime(built, run_cli) -> None:
    site, out = built
    stamps = inodes(out)
    del stamps[MARKER]  # sitegen's own marker is written afresh; every published file is kept
    result = run_cli("build", "--site", site, "--output", out, "--clean")  # a build, not a skip
    assert result.code == 0
    after = inodes(out)
    del after[MARKER]
    assert after == stamps
    n = len(stamps)
    assert f"ghi {n} tệp ({n} không đổi)" in result.out, result.out


def test_changed_file_is_replaced_others_kept(built, run_cli) -> None:
    site, out = built
    stamps = inodes(out)
    logo = site / "static/images/logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n')
    assert run_cli("build", "--site", site, "--output", out).code == 0
    after = inodes(out)
    assert (out / "images/logo.svg").read_text() == logo.read_text()
    assert after["images/logo.svg"] != stamps["images/logo.svg"]
    article_page = next(k for k in stamps if k.endswith("tap-huan-chuyen-doi-so/index.html"))
    assert after[article_page] == stamps[article_page]


def test_removed_article_disappears(built, run_cli) -> None:
    site, out = built
    (site / "content/tin-tuc/tap-huan.md").unlink()
    assert run_cli("build", "--site", site, "--output", out).code == 0
    assert not list(out.rglob("tap-huan-chuyen-doi-so"))


def test_stale_staging_cleaned_and_lost_output_restored(built) -> None:
    site, out = built
    config, _ = load_config(site, output=out)
    stale = out.parent / f".{out.name}.staging-99999"
    (stale / "x").mkdir(parents=True)
    before = snapshot(out)
    old = out.parent / f".{out.name}.old-99999"
    out.rename(old)  # a swap by two renames killed between them
    cleanup_stale(config)
    assert snapshot(out) == before
    assert not stale.exists() and not old.exists()


# --- the spare: the output before last, brought up to date -------------------------------

def edit(site: Path, n: int) -> None:
    write_tree(site, {"content/tin-tuc/tap-huan.md": article("Tập huấn chuyển đổi số",
                                                             "2025-02-20", body=f"Lần {n}.")})


@pytest.fixture
def updated(built, build_ok) -> tuple[Path, Path]:
    """``built``, built again after an edit: its first output is now the spare, and the
    files of both folders are recorded."""
    site, out = built
    edit(site, 1)
    build_ok(site, out)
    return site, out


def test_the_spare_is_updated_not_rebuilt(updated, build_ok) -> None:
    site, out = updated
    spare = spare_path(out)
    assert (spare / MARKER).is_file() and not (spare / DIRTY).exists()
    stamps, before = inodes(out), snapshot(out)
    edit(site, 2)
    build_ok(site, out)  # from the spare: a file with the same bytes is the same file as before
    after, now = inodes(out), snapshot(out)
    del stamps[MARKER], after[MARKER]
    assert after.keys() == stamps.keys()
    same = [rel for rel in after if now[rel] == before[rel]]
    assert all(after[rel] == stamps[rel] for rel in same)
    changed = [rel for rel in after if now[rel] != before[rel]]
    assert any("tap-huan" in rel for rel in changed) and len(same) > len(changed)
    article_page = next(rel for rel in changed if "tap-huan" in rel)
    assert "Lần 2." in (out / article_page).read_text(encoding="utf-8")


def test_files_are_replaced_never_rewritten(updated, build_ok, tmp_path: Path) -> None:
    """Output and spare share unchanged files: a change must not reach the output swapped out."""
    site, out = updated
    page = next(p for p in out.rglob("index.html") if "tap-huan" in str(p))
    keep = tmp_path / "kept-link.html"
    os.link(page, keep)  # the inode the current output shows
    before = keep.read_bytes()
    for n in (2, 3):
        edit(site, n)
        build_ok(site, out)
    assert keep.read_bytes() == before
    assert "Lần 3." in page.read_text(encoding="utf-8")


def test_a_spare_left_dirty_or_odd_is_not_trusted(updated, build_ok, make_site,
                                                   tmp_path: Path) -> None:
    site, out = updated
    spare = spare_path(out)
    (spare / DIRTY).touch()  # killed while updating it
    (spare / "rac.html").write_text("rác", encoding="utf-8")
    edit(site, 2)
    build_ok(site, out)
    assert not (out / "rac.html").exists() and not (out / DIRTY).exists()
    # a file where the new site needs a folder: the spare is dropped and the build succeeds
    spare = spare_path(out)
    shutil.rmtree(spare / "tin-tuc")
    (spare / "tin-tuc").write_text("không phải thư mục", encoding="utf-8")
    edit(site, 3)
    build_ok(site, out)
    same_as_clean(build_ok, site, out, tmp_path / "clean")


def walks(monkeypatch: pytest.MonkeyPatch, out: Path) -> list[str]:
    """The names of the folders ``out`` and its spare each time sitegen lists one of them
    from now on (os.scandir watched when sitegen's code calls it: a walk of the folder)."""
    walked: list[str] = []
    folders = {str(out.resolve()), str(spare_path(out.resolve()))}
    real = os.scandir

    def scandir(path: Any = None) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.startswith("sitegen.") and isinstance(path, str | os.PathLike) \
                and os.fspath(path) in folders:
            walked.append(Path(path).name)
        return real(path) if path is not None else real()

    monkeypatch.setattr(os, "scandir", scandir)
    return walked


def test_the_files_of_both_folders_are_recorded_not_walked(updated, build_ok, monkeypatch,
                                                           tmp_path: Path) -> None:
    site, out = updated
    walked = walks(monkeypatch, out)
    for n in (2, 3, 4):  # deleted, added and changed files: the record follows them
        if n == 3:
            write_tree(site, {"content/tin-tuc/moi.md": article("Bài mới", "2025-03-01")})
        if n == 4:
            (site / "content/tin-tuc/moi.md").unlink()
        edit(site, n)
        build_ok(site, out)
        same_as_clean(build_ok, site, out, tmp_path / f"clean{n}")
    assert walked == []


def test_a_folder_whose_marker_is_not_the_recorded_one_is_walked(updated, build_ok, monkeypatch,
                                                                tmp_path: Path) -> None:
    site, out = updated
    walked = walks(monkeypatch, out)
    (out / MARKER).unlink()  # made anew (copied back, say): not the folder recorded
    (out / MARKER).write_text("sitegen\n", encoding="utf-8")
    (out / "rac.html").write_text("rác", encoding="utf-8")
    edit(site, 2)
    build_ok(site, out)
    assert walked == ["out"]
    edit(site, 3)
    build_ok(site, out)  # the folder with rac.html is now the spare, and its record is right
    same_as_clean(build_ok, site, out, tmp_path / "clean")
    assert walked == ["out"]


@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_a_page_changed_by_hand_in_the_output_is_made_again(updated, build_ok, tmp_path: Path,
                                                            how: str) -> None:
    """A kept page is the last build's file only while that file is as the build left it
    (size, time and inode): one changed by hand in output/ is rendered again."""
    site, out = updated  # a spare, and a record of both folders
    page = next(p for p in out.rglob("index.html") if "le-phat-dong" in p.as_posix())
    text = page.read_text(encoding="utf-8").replace("</title>", " (sửa tay)</title>", 1)
    if how == "in place":  # the same inode, in both folders
        with page.open("r+", encoding="utf-8") as fh:
            fh.write(text)
    else:  # a new file renamed over it, as an editor saves
        page.unlink()
        page.write_text(text, encoding="utf-8")
    # A second paragraph only: the summary, and so every other page's key, stays the same.
    write_tree(site, {"content/tin-tuc/tap-huan.md": article(
        "Tập huấn chuyển đổi số", "2025-02-20", body="Lần 1.\n\nĐoạn thêm.")})
    build_ok(site, out)
    same_as_clean(build_ok, site, out, tmp_path / "clean")
    assert sum(p.stat().st_nlink == 1 for p in out.rglob("*.html")) <= 3  # the rest kept
    # and the build after, which updates the folder the page was changed in
    write_tree(site, {"content/tin-tuc/tap-huan.md": article(
        "Tập huấn chuyển đổi số", "2025-02-20", body="Lần 1.\n\nĐoạn thêm nữa.")})
    build_ok(site, out)
    same_as_clean(build_ok, site, out, tmp_path / "clean")


def test_a_file_replaced_by_hand_in_the_output_and_in_static_is_published(
        updated, build_ok, tmp_path: Path) -> None:
    """A hot fix made in output/ (a new file renamed over the old one) and then in static/:
    the build compares with the file output/ holds now, not with the one it recorded."""
    site, out = updated  # a spare, and a record of both folders
    fixed = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n'
    (out / "images/logo.svg").unlink()
    (out / "images/logo.svg").write_text(fixed, encoding="utf-8")
    write_tree(site, {"static/images/logo.svg": fixed})
    for n in (2, 3):
        edit(site, n)
        build_ok(site, out)
        assert (out / "images/logo.svg").read_text(encoding="utf-8") == fixed
        same_as_clean(build_ok, site, out, tmp_path / f"clean{n}")


# --- places the build must never replace ---------------------------------------------

@pytest.mark.parametrize("where", [".", "content", "static", "templates", "..", "content/tin-tuc",
                                   # inside a source folder: the next build would read the output
                                   # back as content, or republish it inside itself
                                   "content/xuat", "static/xuat", "templates/xuat"])
def test_refuses_precious_output_dirs(make_site, run_cli, tmp_path: Path, where: str) -> None:
    site = make_site({**GOOD, "templates/404.html": "<!DOCTYPE html><title>404</title>\n"},
                     name="trang")
    out = (site / where).resolve()
    before = snapshot(tmp_path)
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and "lỗi" in result.err
    after = snapshot(tmp_path)
    after.pop(f".{out.name}.lock", None)
    assert {k: v for k, v in after.items() if not k.endswith(".lock")} == {
        k: v for k, v in before.items() if not k.endswith(".lock")}


def test_refuses_output_dir_in_config_equal_to_site(make_site, run_cli) -> None:
    site = make_site(GOOD, config="title: T\nbase_url: https://example.gov.vn/\noutput_dir: .\n")
    before = snapshot(site)
    result = run_cli("build", "--site", site)
    assert result.code == 2
    assert snapshot(site) == before


def test_refuses_foreign_non_empty_folder(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(GOOD)
    out = tmp_path / "tai-lieu"
    write_tree(out, {"bao-cao.docx": b"PK\x03\x04 quan trong", "anh/a.jpg": b"\xff\xd8"})
    before = snapshot(out)
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 2
    assert "không do sitegen tạo" in result.err
    assert snapshot(out) == before


def test_refuses_an_existing_file_as_output(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(GOOD)
    notes = tmp_path / "ghi-chu.txt"
    notes.write_text("báo cáo quan trọng\n", encoding="utf-8")
    result = run_cli("build", "--site", site, "--output", notes)
    assert result.code == 2
    assert notes.is_file() and notes.read_text(encoding="utf-8") == "báo cáo quan trọng\n"


def test_accepts_empty_or_missing_folder(make_site, build_ok, tmp_path: Path) -> None:
    site = make_site(GOOD)
    empty = tmp_path / "trong"
    empty.mkdir()
    build_ok(site, empty)
    build_ok(site, tmp_path / "chua-co" / "out")
    assert (empty / MARKER).is_file() and (tmp_path / "chua-co/out" / MARKER).is_file()


def test_default_output_is_site_output(make_site, run_cli) -> None:
    site = make_site(GOOD)
    assert run_cli("build", "--site", site).code == 0
    assert (site / "output" / MARKER).is_file() and (site / "output/index.html").is_file()


# --- one path, one file ---------------------------------------------------------------

def test_find_collisions_compares_output_files() -> None:
    files = [RenderedFile("tin-tuc/", "list.html", data=b""),
             RenderedFile("tin-tuc/index.html", "static/tin-tuc/index.html", source=Path("x")),
             RenderedFile("a.html", "a", data=b""), RenderedFile("a.html/", "b", data=b"")]
    (problem,) = find_collisions(files)
    assert problem.path == "static/tin-tuc/index.html" and problem.code == "output-collision"
    assert "list.html" in problem.message


def test_static_file_colliding_with_a_page_is_an_error(make_site, run_cli, previous_output) -> None:
    site = make_site({**GOOD, "static/tin-tuc/index.html": "<p>trang tĩnh</p>\n"})
    before = snapshot(previous_output)
    result = run_cli("build", "--site", site, "--output", previous_output)
    assert result.code == 1
    assert "static/tin-tuc/index.html" in result.err and "tin-tuc/index.html" in result.err
    assert snapshot(previous_output) == before


def test_page_colliding_with_a_section_list_is_an_error(make_site, run_cli) -> None:
    site = make_site({**GOOD, "content/pages/tin-tuc.md": article("Tin tức", None)})
    result = run_cli("build", "--site", site, "--output", site.parent / "out")
    assert result.code == 1
    assert "content/pages/tin-tuc.md" in result.err and "tin-tuc/index.html" in result.err


def test_alias_cannot_overwrite_the_home_page(make_site, run_cli, tmp_path: Path) -> None:
    """An alias "/./" names the home page's file: an error, never a silent overwrite."""
    site = make_site({"content/tin-tuc/a.md": article("Bài một", "2025-02-10",
                                                      aliases=["/./"])})
    out = tmp_path / "out"
    result = run_cli("build", "--site", site, "--output", out)
    if result.code == 0:
        home = (out / "index.html").read_text(encoding="utf-8")
        assert 'http-equiv="refresh"' not in home, "the home page was replaced by a redirect"
    else:
        assert result.code == 1 and "aliases" in result.err


def test_output_names_are_utf8_safe(make_site, build_ok, tmp_path: Path) -> None:
    """Every file the build writes has an ASCII-safe name (no Vietnamese marks in addresses)."""
    site = make_site({"content/tin-tuc/bài-viết.md": article("Thi đua yêu nước", "2025-02-10",
                                                            tags=["Điển hình tiên tiến"])})
    out = tmp_path / "out"
    build_ok(site, out)
    names = [p.relative_to(out).as_posix() for p in out.rglob("*")]
    assert names and all(n.isascii() for n in names), [n for n in names if not n.isascii()]
    assert os.path.isfile(out / "tin-tuc/2025/02/thi-dua-yeu-nuoc/index.html")


def test_bundle_file_name_not_utf8_is_reported_not_a_crash(make_site, run_cli, tmp_path) -> None:
    """A picture copied from an old Windows machine may have a cp1258/latin-1 name."""
    site = make_site({"content/tin-tuc/hoi-nghi/index.md": article("Hội nghị", "2025-02-10")})
    folder = os.fsencode(site / "content/tin-tuc/hoi-nghi")
    with open(os.path.join(folder, b"\xe1nh h\xf4i ngh\xec.jpg"), "wb") as fh:  # "ảnh hội nghị"
        fh.write(b"\xff\xd8\xff\xd9")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err
    assert "content/tin-tuc/hoi-nghi/" in result.err  # the writer is told which file


def test_the_summary_counts_the_html_pages_written_however_they_were_made(
        run_cli, build_ok, tmp_path: Path) -> None:
    """The count line said 36 pages on a clean build and 46, then 50 after edits: kept feeds,
    JSON and photos were counted as pages. It is the number of HTML files, every time."""
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "golden" / "site", site)
    out = tmp_path / "out"

    def said_and_found(result: Any) -> tuple[int, int]:
        said = int(result.out.split(" trang")[0].rsplit(" ", 1)[1])
        return said, sum(1 for _ in out.rglob("*.html"))

    clean = said_and_found(build_ok(site, out))
    assert clean[0] == clean[1]
    article_file = next((site / "content" / "tin-tuc").glob("*.md"))
    article_file.write_text(article_file.read_text(encoding="utf-8") + "\nMột dòng mới.\n",
                            encoding="utf-8")
    assert said_and_found(build_ok(site, out)) == clean
