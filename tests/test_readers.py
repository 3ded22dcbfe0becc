"""What a reader sees on the example site, built once (issue 20, 'Readers'): one date style,
English chrome on English pages, the home page, tag pages, related articles, the footer.
The browser-only checks (widths, the 404 page served deep, search) are in tests/browser."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, TESTS

from sitegen.cli import main

REPO = TESTS.parent
#: dd/mm/yyyy, or a date written with a one-digit day or month.
DATE = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repository's example site, built once; yields its output folder."""
    root = tmp_path_factory.mktemp("example")
    site, out = root / "site", root / "out"
    site.mkdir()
    shutil.copy(REPO / "config.yaml", site / "config.yaml")
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, site / folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(FIXED_EPOCH))
        mp.setattr(sys, "stderr", StringIO())
        mp.setattr(sys, "stdout", StringIO())
        assert main(["build", "--site", str(site), "--output", str(out), "--quiet"]) == 0
    yield out


class _Texts(HTMLParser):
    """The text inside the elements whose tag or one of whose classes is in ``wanted``."""

    def __init__(self, wanted: set[str]) -> None:
        super().__init__()
        self.wanted, self.stack, self.found = wanted, [], []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "br", "meta", "link", "input", "hr", "source"):
            return
        names = {tag, *(dict(attrs).get("class") or "").split()}
        hit = bool(names & self.wanted)
        self.stack.append(hit)
        if hit:
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any(self.stack):
            self.found[-1] += data


def texts(html: str, *wanted: str) -> list[str]:
    """The texts of the elements of ``html`` named by tag or class in ``wanted``."""
    parser = _Texts(set(wanted))
    parser.feed(html)
    return [t.strip() for t in parser.found]


def pages(out: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(out.rglob("*.html")):
        yield path.relative_to(out).as_posix(), path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 2. dates

def test_every_date_the_theme_writes_is_dd_mm_yyyy(example: Path) -> None:
    """Cards, ranges, calendar and commemorations: dd/mm/yyyy everywhere (the writer's own
    text, in titles and bodies, is left as written)."""
    seen, bad = 0, {}
    for rel, html in pages(example):
        shown = texts(html, "time", "card-fact", "calendar-date", "calendar-number",
                      "facts-list")
        shown += re.findall(r'class="anniversary-text"><strong>.*?</strong> (\([^)]*\))', html)
        for text in shown:
            for written in DATE.findall(text):
                seen += 1
                if not re.fullmatch(r"\d\d/\d\d/\d{4}", written):
                    bad.setdefault(rel, set()).add(written)
    assert seen > 100, "too few dates found: the test reads the wrong elements"
    assert not bad, f"dates not written dd/mm/yyyy: {bad}"


def test_lunar_dates_are_dd_mm_yyyy_marked_al(example: Path) -> None:
    calendar = (example / "lich-ky-niem/index.html").read_text(encoding="utf-8")
    lunar = texts(calendar, "lunar")
    assert lunar and all(re.fullmatch(r"\(\d\d/\d\d/\d{4} ÂL\)", t) for t in lunar), lunar
