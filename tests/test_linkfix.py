"""The fix suggested for a link or file that leads nowhere (sitegen.core.linkfix; issue 20,
item 16): the path the writer meant, counted from the writer's own file, and an example that
fits the kind of file."""

from __future__ import annotations

import posixpath

import pytest
from helpers import article
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.linkfix import file_fix, page_link_fix

ARTICLES = frozenset({"guong-dien-hinh/dinh-thi-hoa.md", "tin-tuc/ra-mat/index.md",
                      "tin-tuc/tin.md", "van-ban/quyet-dinh-1526/index.md"})


@pytest.mark.parametrize(("source", "written", "right"), [
    ("tin-tuc/ra-mat/index.md", "../guong-dien-hinh/dinh-thi-hoa.md",
     "../../guong-dien-hinh/dinh-thi-hoa.md"),
    ("tin-tuc/tin.md", "guong-dien-hinh/dinh-thi-hoa.md", "../guong-dien-hinh/dinh-thi-hoa.md"),
    ("tin-tuc/tin.md", "../guong-dien-hinh/dinh-thi-hao.md", "../guong-dien-hinh/dinh-thi-hoa.md"),
    ("guong-dien-hinh/dinh-thi-hoa.md", "../van-ban/quyet-dinh-1526.md",
     "../van-ban/quyet-dinh-1526/index.md"),
])
def test_a_broken_article_link_gets_the_path_meant(source: str, written: str, right: str) -> None:
    fix = page_link_fix(source, written, ARTICLES)
    assert f'"{right}"' in fix
    assert f'"{written}"' not in fix


@given(st.sampled_from(sorted(ARTICLES)), st.sampled_from(sorted(ARTICLES)))
def test_the_suggested_path_leads_to_the_article(source: str, target: str) -> None:
    """From any article, a link written from content/ (a common slip) is answered with a
    path that, joined to the writer's folder, is the article."""
    fix = page_link_fix(source, target, ARTICLES)
    right = fix.split('"')[1]
    assert posixpath.normpath(posixpath.join(posixpath.dirname(source), right)) == target


def test_from_a_bundle_with_nothing_near_the_example_climbs_two_levels() -> None:
    assert "../../" in page_link_fix("tin-tuc/ra-mat/index.md", "khong-co-gi.md", ARTICLES)


@pytest.mark.parametrize(("written", "example"), [
    ("ke-hoach.docx", "tai-lieu/ke-hoach.docx"), ("quyet-dinh.pdf", "tai-lieu/quyet-dinh.pdf"),
    ("hoi-nghi.jpg", "images/anh.jpg"), ("so-do.PNG", "images/anh.jpg"),
])
def test_the_example_fits_the_kind_of_file(written: str, example: str) -> None:
    fix = file_fix(written, frozenset(), None)
    assert fix.endswith(f"ví dụ {example}")


def test_a_file_in_static_or_beside_the_article_is_named() -> None:
    assert "images/anh.jpg" in file_fix("anh.jpg", frozenset({"images/anh.jpg"}), None)
    assert '"Ke-hoach.docx"' in file_fix("ke-hoach.docx", frozenset(), frozenset({"Ke-hoach.docx"}))


def test_check_prints_the_fitting_fixes(make_site, run_cli) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/guong-dien-hinh/dinh-thi-hoa.md": article(
            "Hoa", subject="Đinh Thị Hoa", subject_kind="ca-nhan"),
        "content/tin-tuc/ra-mat/index.md": article(
            "Ra mắt", body="[Hoa](../guong-dien-hinh/dinh-thi-hoa.md) [Kế hoạch](ke-hoach.docx)"),
    })
    err = run_cli("check", "--site", site).err
    link = next(x for x in err.splitlines() if "dinh-thi-hoa.md" in x)
    assert '"../../guong-dien-hinh/dinh-thi-hoa.md"' in link
    docx = next(x for x in err.splitlines() if "ke-hoach.docx" in x)
    assert "images/anh.jpg" not in docx and "ke-hoach.docx" in docx.split("Cách sửa:")[1]
