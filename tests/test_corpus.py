"""A 300-article synthetic corpus with real writers' quirks, built end to end.

Uses the shared benchmark generator (``shared/bench/make_corpus.py`` next to the
repository, or ``$SITEGEN_SHARED/bench/make_corpus.py``); skipped when it is absent.
Every expectation is computed from the generated files themselves.
"""

from __future__ import annotations

import functools
import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from helpers import FIXED_EPOCH

from sitegen.cli import main
from sitegen.core.config import Config
from sitegen.vn.slug import slugify

SLUG_LENGTH = Config.__dataclass_fields__["slug_length"].default

REPO = Path(__file__).resolve().parents[1]
N = 300


def corpus_script() -> Path | None:
    shared = os.environ.get("SITEGEN_SHARED")
    candidates = [Path(shared) / "bench/make_corpus.py"] if shared else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared/bench/make_corpus.py")
    return next((p for p in candidates if p.is_file()), None)


@dataclass(frozen=True)
class Built:
    site: Path
    out: Path
    code: int
    err: str
    sections: tuple[str, ...]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    script = corpus_script()
    if script is None:
        pytest.skip("shared/bench/make_corpus.py not found (set SITEGEN_SHARED to the shared "
                    "folder that holds bench/make_corpus.py)")
    root = tmp_path_factory.mktemp("corpus")
    site, out = root / "site", root / "out"
    subprocess.run([sys.executable, str(script), str(N), str(site), "--quirks"], check=True,
                   capture_output=True)
    shutil.copy(REPO / "config.yaml", site / "config.yaml")
    sections = tuple(yaml.safe_load((site / "config.yaml").read_text(encoding="utf-8"))["sections"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(FIXED_EPOCH))
        from io import StringIO

        err = StringIO()
        mp.setattr(sys, "stderr", err)
        mp.setattr(sys, "stdout", StringIO())
        code = main(["build", "--site", str(site), "--output", str(out), "--future"])
    yield Built(site, out, code, err.getvalue(), sections)


def front_matter(path: Path) -> dict:
    """The front matter of a generated file, read independently of sitegen."""
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    text = unicodedata.normalize("NFC", text)
    assert text.startswith("---\n")
    return yaml.safe_load(text[4:text.index("\n---\n", 4)])


@functools.cache
def _articles(site: Path) -> tuple[tuple[str, dict], ...]:
    return tuple((p.parent.name, front_matter(p)) for p in sorted((site / "content").rglob("*.md")))


def articles(built: Built) -> tuple[tuple[str, dict], ...]:
    """(section, front matter) of every generated article."""
    return _articles(built.site)


def expected_page(section: str, meta: dict) -> str:
    when = meta["date"]
    assert isinstance(when, date | datetime)
    slug = slugify(meta["title"], SLUG_LENGTH)  # the corpus site keeps the default slug_length
    return f"{section}/{when.year:04d}/{when.month:02d}/{slug}/index.html"


def test_corpus_builds(corpus: Built) -> None:
    assert corpus.code == 0, corpus.err[-3000:]
    assert "Traceback" not in corpus.err


def test_the_corpus_has_quirks(corpus: Built) -> None:
    """The generator's quirks are really there (else this file tests less than it says)."""
    raws = [p.read_bytes() for p in (corpus.site / "content").rglob("*.md")]
    assert len(raws) == N
    assert any(b"\r\n" in r for r in raws)
    assert any(r.startswith(b"\xef\xbb\xbf") for r in raws)
    assert any(not unicodedata.is_normalized("NFC", r.decode("utf-8-sig")) for r in raws)


def test_one_page_per_article(corpus: Built) -> None:
    assert corpus.code == 0
    expected = [expected_page(section, meta) for section, meta in articles(corpus)]
    assert len(expected) == N and len(set(expected)) == N
    sections = "|".join(map(re.escape, corpus.sections))
    pattern = re.compile(rf"^({sections})/\d{{4}}/\d{{2}}/[^/]+/index\.html$")
    found = sorted(p.relative_to(corpus.out).as_posix() for p in corpus.out.rglob("index.html"))
    article_pages = [f for f in found if pattern.match(f)]
    assert sorted(article_pages) == sorted(expected)


def test_one_page_per_distinct_tag(corpus: Built) -> None:
    assert corpus.code == 0
    # The build merges tags whose addresses coincide, so distinct tags are distinct slugs.
    expected = {slugify(unicodedata.normalize("NFC", str(t)))
                for _, meta in articles(corpus) for t in meta.get("tags") or ()}
    tags_dir = corpus.out / "chu-de"
    found = {p.parent.name for p in tags_dir.glob("*/index.html")}
    assert found == expected
    page_size = yaml.safe_load((corpus.site / "config.yaml").read_text(encoding="utf-8")).get(
        "page_size", 10)
    for slug in sorted(expected):  # a tag's pages link to every article carrying it
        carrying = {expected_page(section, meta) for section, meta in articles(corpus)
                    if slug in {slugify(str(t)) for t in meta.get("tags") or ()}}
        first = tags_dir / slug / "index.html"
        more = sorted((tags_dir / slug).glob("trang/*/index.html"))
        assert 1 + len(more) == -(-len(carrying) // page_size), slug
        linked = {target for page in [first, *more] for target in internal_targets(corpus.out, page)}
        assert carrying <= linked, (slug, sorted(carrying - linked)[:3])


_ATTR = re.compile(r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def links(page: Path) -> Iterator[str]:
    """Every href and src value of an HTML file, entities decoded."""
    for m in _ATTR.finditer(page.read_text(encoding="utf-8")):
        yield html.unescape(m.group(2) if m.group(2) is not None else m.group(3))


def internal_targets(out: Path, page: Path) -> Iterator[str]:
    """The files below ``out`` that the relative links of ``page`` lead to (index.html added)."""
    folder = posixpath.dirname(page.relative_to(out).as_posix())
    for link in links(page):
        if not link or link.startswith(("#", "/")) or _SCHEME.match(link):
            continue
        target = posixpath.normpath(posixpath.join(folder, unquote(link.split("#")[0].split("?")[0])))
        yield target + "/index.html" if (out / target).is_dir() else target


def test_every_internal_link_resolves(corpus: Built) -> None:
    assert corpus.code == 0
    out = corpus.out.resolve()
    broken: dict[str, list[str]] = {}
    absolute: dict[str, list[str]] = {}
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > N
    config = yaml.safe_load((corpus.site / "config.yaml").read_text(encoding="utf-8"))
    root = urlsplit(config["base_url"]).path  # the 404 page's links start there
    for page in pages:
        rel = page.relative_to(out).as_posix()
        folder = posixpath.dirname(rel)
        for link in links(page):
            if not link or link.startswith("#") or _SCHEME.match(link):
                continue
            if link.startswith("/") and not (rel == "404.html" and link.startswith(root)):
                absolute.setdefault(link, []).append(rel)
                continue
            path = unquote(link.split("#", 1)[0].split("?", 1)[0])
            base = folder
            if link.startswith("/"):  # the 404 page's: from base_url's path
                base, path = "", path[len(root):]
            target = posixpath.normpath(posixpath.join(base, path))
            resolved = out / target
            if resolved.is_dir():
                resolved = resolved / "index.html"
            inside = target != ".." and not target.startswith("../")
            if not (inside and resolved.is_file()):
                broken.setdefault(link if inside else f"{link} (outside output/)", []).append(rel)
    assert not absolute, {k: v[:3] for k, v in list(absolute.items())[:10]}
    assert not broken, {k: (len(v), v[:3]) for k, v in list(broken.items())[:15]}
