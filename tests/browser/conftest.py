"""Fixtures for the browser tests: the example site built once, served, and a headless Chromium.

The example site (the repository's own ``config.yaml`` and ``content/``, or the folder named
by ``SITEGEN_BROWSER_SITE``) is built once per session into a temporary folder with a fixed
``SOURCE_DATE_EPOCH``, then served by a small threaded ``http.server`` on 127.0.0.1 (a free
port) under the sub-path ``/tuyen-truyen/``, as a department's portal would publish it.

Chromium is Debian's (``/usr/bin/chromium``, or ``SITEGEN_CHROMIUM``), driven by Playwright
for Python; no browser is ever downloaded. Without either, every browser test is skipped
with the reason.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
PREFIX = "/tuyen-truyen/"
#: The build clock of the browser tests: 1 January 2026, 00:00 UTC.
EPOCH = 1767225600
CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
AXE_CANDIDATES = (os.environ.get("SITEGEN_AXE", ""), "/tmp/qa-node/node_modules/axe-core/axe.min.js")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder under PREFIX only; everything else is a 404. A missing file
    under PREFIX gets the site's 404.html, as a portal's server is told to send it."""

    def __init__(self, *args: Any, directory: str, **kwargs: Any) -> None:
        super().__init__(*args, directory=directory, **kwargs)

    def send_head(self) -> Any:
        path = urlsplit(self.path).path
        if path == PREFIX.rstrip("/"):
            self.send_response(301)
            self.send_header("Location", PREFIX)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not path.startswith(PREFIX):
            self.send_error(404, "outside the site's sub-path")
            return None
        if not os.path.exists(self.translate_path(self.path)):
            return self._not_found()
        return super().send_head()

    def _not_found(self) -> Any:
        """The site's 404.html with status 404, as nginx's ``error_page 404`` sends it."""
        page = Path(self.translate_path(PREFIX + "404.html"))
        if not page.is_file():
            self.send_error(404)
            return None
        data = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def translate_path(self, path: str) -> str:
        rest = urlsplit(path).path[len(PREFIX) - 1:]
        return super().translate_path(rest)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def site_folder() -> Path:
    """The site the browser tests build: SITEGEN_BROWSER_SITE, or the repository's example."""
    return Path(os.environ.get("SITEGEN_BROWSER_SITE") or REPO)


@pytest.fixture(scope="session")
def site_config() -> dict[str, Any]:
    """The example site's config.yaml, as data (sections and their kinds, paths)."""
    data = yaml.safe_load((site_folder() / "config.yaml").read_text(encoding="utf-8-sig"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once with SOURCE_DATE_EPOCH fixed."""
    site = site_folder()
    out = tmp_path_factory.mktemp("browser") / "output"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--output", str(out),
         "--quiet"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"the example site does not build:\n{done.stdout}\n{done.stderr}"
    assert (out / "index.html").is_file()
    return out


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/tuyen-truyen/`` serving the built site in ``folder`` for the
    block's length (a small threaded server on a free port, as the portal publishes it)."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(site_output: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/tuyen-truyen/`` serving the built site."""
    with serving(site_output) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright; skipped when either is missing."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, "
                    "or set SITEGEN_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install playwright; "
                    "the browser itself is Debian's chromium, never downloaded)")
    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # a broken chromium install: say so, do not fail every test
            pytest.skip(f"cannot start {CHROMIUM}: {str(exc).splitlines()[0]}")
        try:
            yield b
        finally:
            b.close()


@dataclass
class Visit:
    """A browser context whose every request is recorded, with helpers for the tests."""

    context: Any
    base: str
    requests: list[str] = field(default_factory=list)

    def open(self, rel: str = "", **goto: Any) -> Any:
        page = self.context.new_page()
        page.goto(self.base + rel, wait_until="load", **goto)
        return page

    def foreign_requests(self) -> list[str]:
        """Requests that went anywhere but 127.0.0.1 (data: URLs are no requests)."""
        return [u for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob", "about")
                and urlsplit(u).hostname != "127.0.0.1"]


@pytest.fixture
def visit(browser: Any, base_url: str) -> Iterator[Visit]:
    """A fresh browser context (1280×800) recording requests; ``visit.open(rel)``."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    v = Visit(context, base_url)
    context.on("request", lambda r: v.requests.append(r.url))
    try:
        yield v
    finally:
        context.close()


@pytest.fixture
def new_visit(browser: Any, base_url: str) -> Iterator[Any]:
    """``new_visit(**context_options) -> Visit`` for other viewports or JavaScript off."""
    contexts: list[Any] = []

    def make(**options: Any) -> Visit:
        context = browser.new_context(**options)
        contexts.append(context)
        v = Visit(context, base_url)
        context.on("request", lambda r: v.requests.append(r.url))
        return v

    yield make
    for c in contexts:
        c.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's axe.min.js (SITEGEN_AXE, or where shared/qa/install.sh puts it)."""
    for candidate in AXE_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    pytest.skip("axe-core not found: set SITEGEN_AXE to axe.min.js "
                "(npm install --prefix DIR axe-core), as .ci/run does")
