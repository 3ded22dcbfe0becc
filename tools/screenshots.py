"""Take the README's screenshots again: the example site built, served under /tuyen-truyen/,
and photographed in headless Chromium at a phone's width (390 px) and a desktop's (1280 px).

    python tools/screenshots.py            # writes docs/screenshots/*.png

Needs Playwright for Python (the test extra) and Debian's Chromium (/usr/bin/chromium, or
SITEGEN_CHROMIUM); nothing is downloaded. The build clock is fixed (SOURCE_DATE_EPOCH), so the
pictures change only when the theme or the example content does.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "docs" / "screenshots"
PREFIX = "/tuyen-truyen/"
EPOCH = "1767225600"  # 1 January 2026, as the browser tests build
CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
#: (file name stem, address under the site, whole page or only the first screen)
PAGES = (
    ("home", "", False),
    ("article", "guong-dien-hinh/2024/09/"
                "to-do-so-7-tam-coc-tap-the-doan-ket-tan-tam-tren-dong-ngo-dong/", False),
    ("roll", "guong-dien-hinh/danh-sach/", False),
    ("search", "tim-kiem/?q=thi+dua", False),
)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under PREFIX, as the department's portal publishes it."""

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(PREFIX)) \
            if path.startswith(PREFIX) else "/nonexistent"

    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    """Build, serve, photograph every page of PAGES at 390 and 1280 px; 0 when all were taken."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(REPO),
                        "--output", str(out), "--quiet"], check=True, env=env)
        handler = functools.partial(_Handler, directory=str(out))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for width, height in ((390, 844), (1280, 900)):
                page = browser.new_page(viewport={"width": width, "height": height})
                for stem, address, full in PAGES:
                    response = page.goto(base + address, wait_until="networkidle")
                    if response is None or response.status != 200:
                        print(f"{address}: {response and response.status}", file=sys.stderr)
                        return 1
                    page.screenshot(path=str(SHOTS / f"{stem}-{width}.png"), full_page=full)
                page.close()
            browser.close()
        server.shutdown()
    print(f"{len(PAGES) * 2} screenshots in {SHOTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
