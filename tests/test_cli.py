"""The ``sitegen build`` command through ``main(argv)``: exit codes, messages, options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import BASE_URL, article, canonical, snapshot, write_tree

from sitegen import __version__
from sitegen.cli import main
from sitegen.output.trees import MARKER
from sitegen.render.environment import theme_dir
from sitegen.vn.slug import slugify

PUBLISHED = {
    "content/tin-tuc/le-phat-dong.md": article("Lễ phát động thi đua năm 2025", "2025-02-10",
                                                tags=["thi đua"]),
    "content/guong-dien-hinh/dinh-thi-hoa.md": article(
        "Gương sáng Đinh Thị Hoa", "2024-06-05", subject="Đinh Thị Hoa", subject_kind="ca-nhan"),
    "content/pages/gioi-thieu.md": article("Giới thiệu", None),
}
DRAFT = ("content/tin-tuc/ban-nhap.md", article("Bản nháp chưa duyệt", "2025-03-01", draft=True))
FUTURE = ("content/tin-tuc/sap-dang.md", article("Hội nghị cuối năm", "2025-12-20"))

SUMMARY = re.compile(r"^Đã dựng (\d+) bài viết, (\d+) trang; ghi (\d+) tệp \((\d+) không đổi\) "
                     r"trong \d+\.\d\d giây\.$", re.MULTILINE)


def path_of(title: str, section: str, date: str) -> str:
    return f"{section}/{date[:4]}/{date[5:7]}/{slugify(title)}/index.html"


DRAFT_PAGE = path_of("Bản nháp chưa duyệt", "tin-tuc", "2025-03-01")
FUTURE_PAGE = path_of("Hội nghị cuối năm", "tin-tuc", "2025-12-20")
ARTICLE_PAGE = path_of("Lễ phát động thi đua năm 2025", "tin-tuc", "2025-02-10")


@pytest.fixture
def site(make_site) -> Path:
    return make_site({**PUBLISHED, DRAFT[0]: DRAFT[1], FUTURE[0]: FUTURE[1]})


def test_build_succeeds_and_prints_the_summary(site: Path, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 0, result.err
    m = SUMMARY.search(result.out)
    assert m, result.out
    articles, _pages, files, unchanged = map(int, m.groups())
    assert articles == 2  # the draft and the future article are not counted
    assert files == len(snapshot(out)) - 1  # every file but sitegen's marker
    assert unchanged == 0
    assert result.err == ""
    assert (out / ARTICLE_PAGE).is_file() and (out / "gioi-thieu/index.html").is_file()
    before = snapshot(out)
    again = run_cli("build", "--site", site, "--output", out)  # nothing changed: nothing to do
    assert again.code == 0 and again.err == ""
    assert again.out.startswith(f"Không có gì thay đổi từ lần dựng trước: giữ nguyên {files} tệp "
                                "(2 bài viết"), again.out
    assert snapshot(out) == before
    clean = SUMMARY.search(run_cli("build", "--site", site, "--output", out, "--clean").out)
    assert clean and int(clean.group(4)) == files  # --clean builds, and every file is unchanged


def test_output_option(site: Path, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "noi-khac" / "xuat"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    assert (out / MARKER).is_file()
    assert not (site / "output").exists()


def test_default_site_is_the_current_folder(site: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(site)
    assert run_cli("build").code == 0
    assert (site / "output" / ARTICLE_PAGE).is_file()


def test_relative_paths_from_another_folder(site: Path, run_cli, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("build", "--site", site.name, "--output", "ra")
    assert result.code == 0, result.err
    assert (tmp_path / "ra" / ARTICLE_PAGE).is_file()


def test_canonical_urls_use_base_url(site: Path, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    html = (out / ARTICLE_PAGE).read_text(encoding="utf-8")
    assert canonical(html) == BASE_URL + ARTICLE_PAGE.removesuffix("index.html")


@pytest.mark.parametrize("base", ["https://sodulich.ninhbinh.gov.vn/tuyen-truyen/",
                                  "http://localhost:8000", "https://thu.example/a/b/"])
def test_base_url_option_changes_canonical_urls(site: Path, run_cli, tmp_path: Path,
                                                base: str) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out, "--base-url", base).code == 0
    prefix = base if base.endswith("/") else base + "/"
    for name in (ARTICLE_PAGE, "index.html", "gioi-thieu/index.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert canonical(html) == prefix + name.removesuffix("index.html"), name
        assert BASE_URL not in html, f"{name} still names the config's base_url"


def test_bad_base_url_option_is_a_usage_error(site: Path, run_cli, tmp_path: Path) -> None:
    result = run_cli("build", "--site", site, "--output", tmp_path / "o", "--base-url", "ftp:/x")
    assert result.code == 2 and "[base_url]" in result.err


def test_drafts_option(site: Path, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    assert not (out / DRAFT_PAGE).exists()
    assert "Bản nháp chưa duyệt" not in "".join(
        p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    result = run_cli("build", "--site", site, "--output", out, "--drafts")
    assert result.code == 0
    assert (out / DRAFT_PAGE).is_file()
    assert not (out / FUTURE_PAGE).exists()
    m = SUMMARY.search(result.out)
    assert m and m.group(1) == "3"


def test_future_option(site: Path, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    assert not (out / FUTURE_PAGE).exists()
    assert run_cli("build", "--site", site, "--output", out, "--future").code == 0
    assert (out / FUTURE_PAGE).is_file() and not (out / DRAFT_PAGE).exists()


def test_future_follows_the_clock(site: Path, run_cli, tmp_path: Path, monkeypatch) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    day = datetime(2025, 12, 20, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    assert (out / FUTURE_PAGE).is_file()


def test_site_without_templates_uses_the_default_theme(site: Path, run_cli, tmp_path) -> None:
    assert not (site / "templates").exists()
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.startswith("<!DOCTYPE html>") and f"sitegen {__version__}" in home
    theme_assets = theme_dir() / "assets"
    shipped = sorted(p.relative_to(theme_assets).as_posix() for p in theme_assets.rglob("*")
                     if p.is_file() and not p.name.startswith((".", "_")))
    copied = sorted(p.relative_to(out / "assets").as_posix() for p in (out / "assets").rglob("*")
                    if p.is_file()) if (out / "assets").is_dir() else []
    assert copied == shipped


def test_site_templates_override_the_theme(site: Path, run_cli, tmp_path: Path) -> None:
    write_tree(site, {"templates/404.html": "<p>Trang riêng của Sở: {{ config.title }}</p>\n"})
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    mine = (out / "404.html").read_text(encoding="utf-8")
    assert mine.strip() == "<p>Trang riêng của Sở: Trang thử nghiệm</p>"
    assert "<!DOCTYPE html>" in (out / ARTICLE_PAGE).read_text(encoding="utf-8")


def test_content_error_exit_1(site: Path, run_cli, tmp_path: Path) -> None:
    write_tree(site, {"content/tin-tuc/hong.md": "---\ntitle: Hỏng\n---\n"})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 1
    assert "content/tin-tuc/hong.md: lỗi [date]" in result.err
    assert result.out == "" and not (tmp_path / "out").exists()


def test_missing_config_exit_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", "--site", tmp_path, "--output", tmp_path / "out")
    assert result.code == 2
    assert "config.yaml" in result.err and "--site" in result.err


@pytest.mark.parametrize(("config", "needle"), [
    ("title: Trang: thử\nbase_url: https://example.gov.vn/\n", "config.yaml:1"),
    ("- a\n- b\n", "config.yaml"),
    ("title: T\nbase_url: https://example.gov.vn/\npage_size: 0\n", "[page_size]"),
    ("title: T\nbase_url: https://example.gov.vn/\ntimezone: Mars/Base\n", "[timezone]"),
    ("title: T\nbase_url: https://example.gov.vn/\nsections:\n  tin-tuc:\n    kind: blog\n",
     "[sections.tin-tuc.kind]"),
    ("base_url: example.gov.vn\n", "[title]"),
])
def test_bad_config_exit_2(make_site, run_cli, tmp_path: Path, config: str, needle: str) -> None:
    site = make_site(config=config)
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 2
    assert needle in result.err and "Traceback" not in result.err


def test_config_problems_all_reported_at_once(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(config="base_url: khong-phai-url\npage_size: -1\nlanguage: fr\n")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 2
    for key in ("[title]", "[base_url]", "[page_size]", "[language]"):
        assert key in result.err, key


def test_config_unknown_key_is_a_warning(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(PUBLISHED, config=f"title: T\nbase_url: {BASE_URL}\npage_sise: 5\n")
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 0
    assert "config.yaml:3: cảnh báo [page_sise]" in result.err
    assert '"page_size"' in result.err


def test_warnings_do_not_stop_the_build(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({**PUBLISHED, "content/lac-loai.md": article("Lạc", "2025-01-01")})
    result = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert result.code == 0
    assert "content/lac-loai.md: cảnh báo" in result.err
    assert SUMMARY.search(result.out)


def test_usage_errors_exit_2(run_cli, capsys) -> None:
    for argv in (["xay-dung"], ["build", "--khong-co"], []):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2, argv
    assert "lỗi cú pháp lệnh" in capsys.readouterr().err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"sitegen {__version__}"


def test_ignored_files_are_not_published(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({**PUBLISHED, "content/tin-tuc/_nhap.md": "không hợp lệ",
                      "content/tin-tuc/.bai.md.swp": b"\x00\x01",
                      "content/_cu/bai.md": "không hợp lệ",
                      "static/.DS_Store": b"\x00", "static/_ban-nhap.svg": "<svg/>"})
    out = tmp_path / "out"
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 0, result.err
    names = [p.name for p in out.rglob("*")]
    assert not [n for n in names if n.startswith("_") or n in (".DS_Store", ".bai.md.swp")]


ARGPARSE_ENGLISH = ("usage:", "options", "positional arguments", "show this help message",
                    "the following arguments are required", "invalid choice", "choose from",
                    "unrecognized arguments", "expected one argument", "invalid int value",
                    "show program's version")


@pytest.mark.parametrize("argv", [
    ["--help"], ["build", "--help"], ["report", "--help"], ["new"], ["report", "--year", "2025",
                                                                   "--format", "pdf"],
    ["build", "--bogus"], ["build", "--output"], ["serve", "--port", "abc"], ["khong-co"],
])
def test_the_command_line_speaks_vietnamese(argv: list[str], capsys) -> None:
    """Issue 20, item 12: argparse's own words (usage, options, errors) were English."""
    with pytest.raises(SystemExit):
        main(argv)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert text.strip()
    assert not [w for w in ARGPARSE_ENGLISH if w in text.lower()], text
    assert "cách dùng:" in text


def test_a_failed_build_names_the_output_folder_it_left_alone(make_site, run_cli, tmp_path) -> None:
    """With --output, a failed build still said "thư mục output/ giữ nguyên"."""
    site = make_site({"content/tin-tuc/a.md": "---\ntitle: Bài\n---\n\nThiếu ngày.\n"})
    out = tmp_path / "ban-dung"
    result = run_cli("build", "--site", site, "--output", out)
    assert result.code == 1
    assert f"thư mục {out} giữ nguyên" in result.err and "output/" not in result.err
    assert "giữ nguyên" in run_cli("build", "--site", site).err.splitlines()[-1]
    assert "giữ nguyên" not in run_cli("check", "--site", site).err


def test_a_misspelt_command_gets_the_nearest(capsys) -> None:
    """``sitegen buidl`` listed the commands but did not say which one was meant."""
    said = []
    for argv in (["buidl"], ["zzzz"]):
        with pytest.raises(SystemExit):
            main(argv)
        said.append(capsys.readouterr().err.rstrip())
    assert said[0].endswith("Có phải ý bạn là build?")
    assert "Có phải ý bạn là" not in said[1]
