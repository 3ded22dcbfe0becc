"""Photos in the browser (issue 19): a phone's 4000×3000 photo as an article's picture, and the
home page a phone loads, measured in headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import EPOCH, serving
from tests.photos import phone_jpeg

#: The most a phone may load for the home page: HTML, CSS, JS and the pictures it picks.
BUDGET = 400_000

ARTICLE = """---
title: Người lái đò giữ hồn Tràng An
date: 2025-12-01
image: anh.jpg
image_alt: Chị Hoa chèo đò đưa du khách qua hang Sáng
image_caption: Chị Hoa trên dòng Sào Khê
image_credit: Trần Văn A
---

Hơn mười năm gắn bó với dòng Sào Khê, chị Hoa đã đưa hàng nghìn lượt khách qua các hang động.

![Đoàn khách xuống đò ở bến Tràng An](ben-do.jpg "Bến đò Tràng An. Ảnh: Lê Thị B")

Mỗi chuyến đò là một lần giới thiệu quê hương.

![Hang Sáng nhìn từ trên đò](hang-sang.jpg)
"""


@pytest.fixture(scope="module")
def photo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site whose only article has a phone's photo and two more in its body, built and
    served under the portal's sub-path."""
    site = tmp_path_factory.mktemp("photos") / "site"
    bundle = site / "content" / "tin-tuc" / "lai-do"
    bundle.mkdir(parents=True)
    (site / "config.yaml").write_text(
        "title: Gương sáng Ninh Bình\nbase_url: https://example.gov.vn/tuyen-truyen/\n",
        encoding="utf-8")
    (bundle / "index.md").write_text(ARTICLE, encoding="utf-8")
    (bundle / "anh.jpg").write_bytes(phone_jpeg(4000, 3000, orientation=6))
    (bundle / "ben-do.jpg").write_bytes(phone_jpeg(4000, 3000, orientation=1, seed=2))
    (bundle / "hang-sang.jpg").write_bytes(phone_jpeg(3000, 4000, orientation=1, seed=3))
    out = site / "output"
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site),
                           "--quiet"], env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)},
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with serving(out) as url:
        yield url


def _load(browser: Any, url: str, scale: float) -> tuple[int, list[tuple[str, int]], Any]:
    """Load ``url`` at 390 px and ``scale`` device pixels per CSS pixel; the bytes every
    response transferred (headers and body, as Chromium counts them), each response's, and
    the context (closed by the caller)."""
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  device_scale_factor=scale, is_mobile=True)
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="networkidle")
    sizes = []
    for r in responses:
        s = r.request.sizes()
        sizes.append((r.url, s["responseBodySize"] + s["responseHeadersSize"]))
    return sum(n for _, n in sizes), sizes, context


@pytest.mark.parametrize("scale", [2, 3])
def test_home_at_390_px_loads_under_400_kb(browser: Any, photo_url: str, scale: float) -> None:
    total, sizes, context = _load(browser, photo_url, scale)
    try:
        pictures = [(u, n) for u, n in sizes if u.endswith((".webp", ".jpg", ".png"))]
        assert len(pictures) == 1 and pictures[0][0].endswith(".webp"), sizes
        assert not any(u.endswith("/anh.jpg") for u, _ in sizes), "the original was loaded"
        assert total <= BUDGET, f"{total} bytes: {sizes}"
        print(f"home at 390 px, {scale}x: {total} bytes ({pictures[0][1]} of picture)")
    finally:
        context.close()


def test_article_picture_keeps_its_box_and_the_first_is_eager(browser: Any,
                                                              photo_url: str) -> None:
    """The featured picture's box is the upright picture's shape before it loads, and it is
    the only one loaded at once (the body's are lazy)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(photo_url + "tin-tuc/2025/12/nguoi-lai-do-giu-hon-trang-an/index.html",
                  wait_until="load")
        box = page.eval_on_selector(".lead-image img", "e => [e.width, e.height, e.naturalWidth,"
                                    " e.naturalHeight, e.currentSrc]")
        width, height, natural_w, natural_h, src = box
        assert abs(height / width - 4 / 3) < 0.01, box
        assert natural_h > natural_w and src.endswith(".webp"), box
        lazy = page.eval_on_selector_all(".prose img", "es => es.map(e => e.loading)")
        assert lazy == ["lazy", "lazy"]
    finally:
        context.close()


def test_picture_shows_its_caption_and_credit(browser: Any, photo_url: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(photo_url + "tin-tuc/2025/12/nguoi-lai-do-giu-hon-trang-an/index.html")
        # the caption as a sentence, the credit on the line under it
        assert page.inner_text(".lead-image figcaption") == \
            "Chị Hoa trên dòng Sào Khê.\nẢnh: Trần Văn A"
        assert page.inner_text(".prose figure figcaption") == "Bến đò Tràng An. Ảnh: Lê Thị B"
    finally:
        context.close()
