"""The Markdown extras as a reader gets them (issue 18, problem 3 and 6): a page with
strikethrough, highlight, task lists, footnotes, 2-space nested lists and in-page links
written the GitHub way, checked by axe-core and by following a link in Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import EPOCH, serving

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

BODY = """Bài có **đủ loại** Markdown mà người viết hay dùng[^1].

## 1. Linux là gì

Việc cần làm:
- [x] ~~Gửi giấy mời~~ đã gửi
- [ ] Chuẩn bị ==hội trường==
  - kê bàn
  - treo băng rôn

[Về mục Nội dung](#nội-dung)

## Nội dung:

Xem lại [mục một](#1-linux-là-gì).

[^1]: Ghi chú cuối bài.
"""


@pytest.fixture(scope="module")
def extras_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A one-article site using every extra, built and served under the portal's sub-path."""
    root = tmp_path_factory.mktemp("extras")
    site, out = root / "site", root / "output"
    (site / "content" / "tin-tuc").mkdir(parents=True)
    (site / "config.yaml").write_text(
        "title: Trang thử\nbase_url: https://example.gov.vn/tuyen-truyen/\n", encoding="utf-8")
    (site / "content" / "tin-tuc" / "du-loai.md").write_text(
        "---\ntitle: " + json.dumps("Đủ loại Markdown", ensure_ascii=False)
        + "\ndate: 2025-03-10\n---\n\n" + BODY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site),
                           "--output", str(out), "--quiet"], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)},
                          check=False)
    assert done.returncode == 0, done.stderr
    [article] = (out / "tin-tuc").glob("*/*/*/index.html")
    with serving(out) as url:
        yield url + article.parent.relative_to(out).as_posix() + "/"


def test_extras_pass_axe_and_unfolded_links_reach_their_heading(
        browser: Any, extras_url: str, axe_script: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(extras_url, wait_until="load")
        assert page.locator("h1").inner_text() == "Đủ loại Markdown"
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        assert not result["violations"], [(v["id"], v["nodes"][0]["target"])
                                          for v in result["violations"]]
        tasks = page.get_by_role("img", name="Đã xong")
        assert tasks.count() == 1 and page.get_by_role("img", name="Chưa xong").count() == 1
        assert page.locator(".prose li li").count() == 2  # the 2-space nested items
        ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
        assert len(ids) == len(set(ids))
        for link, heading in (("mục một", "1. Linux là gì"), ("Về mục Nội dung", "Nội dung:")):
            page.get_by_role("link", name=link).click()
            assert page.evaluate("document.querySelector(':target')?.textContent") == heading
    finally:
        context.close()
