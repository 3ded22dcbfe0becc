"""What a page reads while it renders, and which pages an edit renders again.

The reads (sitegen.render.trace) are what an incremental build compares to decide which
pages to render (sitegen.incremental.reuse); tests/test_incremental.py checks that the
result equals a clean build, here that an edit renders no more than what read it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import TESTS, example_site

from sitegen.core.config import load_config
from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.core.urls import output_file
from sitegen.incremental.depends import Values
from sitegen.incremental.record import Record
from sitegen.incremental.trusted import read_trusted
from sitegen.pipeline import BuildOptions, load_site
from sitegen.render.environment import make_environment
from sitegen.render.renderer import Renderer
from sitegen.render.trace import Reads

REPO = TESTS.parent


def site_of(root: Path, future: bool = True) -> Site:
    config, _ = load_config(root)
    return load_site(config, BuildOptions(future=future), parallel=False).site


def reads_of(site: Site, source: str) -> frozenset[tuple[object, ...]]:
    """What ``source`` reads while rendered in ``site``'s env."""
    env = make_environment(site.config)
    reads: Reads = env.reads  # type: ignore[attr-defined]
    env.globals["site"] = site
    reads.begin()
    env.from_string(source).render()
    return reads.end()


@pytest.fixture(scope="module")
def golden() -> Site:
    return site_of(TESTS / "golden" / "site")


def test_a_count_a_head_and_a_whole_list_are_reads_of_their_own(golden: Site) -> None:
    assert reads_of(golden, "{{ site.articles | length }}") == {("len", ("site",), "articles")}
    assert reads_of(golden, "{% for p in site.articles[:2] %}{{ p.title }}{% endfor %}") == \
        {("head", ("site",), "articles", 2)}
    assert ("all", ("site",), "articles") in \
        reads_of(golden, "{{ site.articles | map(attribute='title') | join }}")
    term = golden.tags.terms[0]
    assert reads_of(golden, f"{{{{ site.tags.of(['{term.name}']) | length }}}}") == \
        {("call", ("tax", "tags"))}


def test_another_pages_body_is_read_by_its_source_and_its_title_is_not_a_read(
        golden: Site) -> None:
    first = golden.articles[0]
    assert reads_of(golden, "{{ site.articles[:1][0].title }}") == \
        {("head", ("site",), "articles", 1)}
    assert ("body", first.source) in reads_of(golden, "{{ (site.articles[:1] | first).body_html }}")


def test_a_field_outside_the_fingerprint_is_read_whole(golden: Site) -> None:
    assert reads_of(golden, "{{ site.next_change }}") == {("all", ("site",), "next_change")}
    assert reads_of(golden, "{{ site.by_source | length }}") == {("all", ("site",), "by_source")}
    assert reads_of(golden, "{{ site.tags.path }} {{ site.config.title }}") == frozenset()


def _rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The site paths of the pages the next builds render (spied on Renderer.make)."""
    made: list[str] = []
    make = Renderer.make

    def spy(self: Renderer, task, record=True):  # type: ignore[no-untyped-def]
        made.append(task.here)
        return make(self, task, record)

    monkeypatch.setattr(Renderer, "make", spy)
    return made


def _edit(path: Path, **fields: object) -> None:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    data.update(fields)
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                    + "---\n" + body, encoding="utf-8")


def _apart(site: Site) -> Iterator[tuple[str, str]]:
    """Pairs of articles (sources) in different sections sharing no tag, unit or field."""
    def terms(p: Page) -> set[tuple[str, str]]:
        meta = p.meta
        found = (*site.tags.of(meta.tags), *site.units.of((meta.unit,) if meta.unit else ()),
                 *site.fields.of((meta.field,) if meta.field else ()))
        return {(t.taxonomy, t.slug) for t in found}
    for a in site.articles:
        for b in site.articles:
            if a.section != b.section and not terms(a) & terms(b):
                yield a.content_rel, b.path


def _built_once(tmp_path: Path, run_cli,  # type: ignore[no-untyped-def]
                monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list[str], int]:
    """The example site built once: its folder, its output, the list the next build's
    rendered pages go to, and how many pages the first build rendered."""
    site_dir = example_site(tmp_path / "site")
    out = tmp_path / "out"
    made = _rendered(monkeypatch)
    assert run_cli("build", "--site", site_dir, "--output", out).code == 0
    every = len(made)
    made.clear()
    return site_dir, out, made, every


@pytest.mark.parametrize("change", ["title", "summary", "tags"])
def test_a_change_of_what_an_article_shows_renders_what_shows_it_and_not_the_rest(
        change: str, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    site_dir, out, made, every = _built_once(tmp_path, run_cli, monkeypatch)
    site = site_of(site_dir, future=False)
    edited, unrelated = next(_apart(site))
    article = site.by_source[edited]
    value = {"title": article.title + " (đã sửa)", "summary": "Tóm tắt mới.",
             "tags": [*article.meta.tags, "Thẻ mới"]}[change]
    _edit(site_dir / "content" / edited, **{change: value})
    assert run_cli("build", "--site", site_dir, "--output", out).code == 0
    assert site_of(site_dir, future=False).by_source[edited].path in made
    assert unrelated not in made, (change, unrelated)
    assert next(p.path for p in site.pages) not in made  # an undated page shows no article
    assert "404.html" not in made
    assert len(made) < every / 2, (len(made), every)
    if change == "tags":
        assert any(here.endswith("/the-moi/") for here in made)  # the new tag's page


def test_a_new_title_of_an_aliased_article_renders_its_alias_not_every_page(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """An old address (``aliases``) points at the article's address, which follows its title:
    the alias page is made again, but the aliases are no part of what every page reads."""
    site_dir, out, made, every = _built_once(tmp_path, run_cli, monkeypatch)
    site = site_of(site_dir, future=False)
    aliased = {p.source for p in site.articles if p.meta.aliases}
    edited, unrelated = next((a, b) for a, b in _apart(site)
                             if site.by_source[a].source in aliased)
    article = site.by_source[edited]
    _edit(site_dir / "content" / edited, title=article.title + " mới", slug=None)
    assert run_cli("build", "--site", site_dir, "--output", out).code == 0
    now = site_of(site_dir, future=False)
    moved = now.by_source[edited].path
    assert moved != article.path  # the address follows the title
    aliases = [a.path for a in now.aliases if a.target == moved]
    assert aliases and set(aliases) <= set(made)
    assert unrelated not in made
    assert len(made) < every / 2, (len(made), every)
    # each alias sends to the new address (relative links: its last part is in the page)
    slug = moved.rstrip("/").rpartition("/")[2]
    assert all(slug in (out / output_file(a)).read_text(encoding="utf-8") for a in aliases)


def test_a_new_title_looks_up_only_the_list_reads_around_the_article(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A list whose pages and order are the same tells which of its counts, heads, slices
    and windows changed from the places of its changed pages: those that hold the edited
    article are looked up, no other (and the output is a clean build's,
    tests/test_incremental.py)."""
    site_dir, out, _, _ = _built_once(tmp_path, run_cli, monkeypatch)
    site = site_of(site_dir, future=False)
    article = site.articles[len(site.articles) // 2]
    _edit(site_dir / "content" / article.content_rel, title=article.title + " (đã sửa)")
    looked: list[tuple[object, ...]] = []
    of = Values.of

    def spy(self: Values, dep: tuple[object, ...]) -> bytes:
        looked.append(dep)
        return of(self, dep)  # type: ignore[arg-type]

    monkeypatch.setattr(Values, "of", spy)
    assert run_cli("build", "--site", site_dir, "--output", out).code == 0
    now = site_of(site_dir, future=False)

    def holds(dep: tuple[object, ...]) -> bool:
        values = Values(now, {})
        items = values.list_of(dep[1], dep[2])  # type: ignore[arg-type]
        at = next(i for i, p in enumerate(items) if p.source == article.source)
        if dep[0] == "head":
            return at < dep[3]  # type: ignore[operator]
        if dep[0] == "slice":
            return dep[3] <= at < dep[4]  # type: ignore[operator]
        centre = values.place(dep[1], dep[2], dep[3])  # type: ignore[arg-type]
        return centre is not None and abs(at - centre) <= dep[4]  # type: ignore[operator]

    def of_pages(dep: tuple[object, ...]) -> bool:  # (the roll's entries are not pages)
        items = Values(now, {}).list_of(dep[1], dep[2])  # type: ignore[arg-type]
        return all(isinstance(p, Page) for p in items)

    lists = [d for d in looked if d[0] in ("len", "head", "slice", "win") and of_pages(d)]
    assert lists and all(d[0] != "len" and holds(d) for d in lists)  # no list grew or shrank


def test_a_body_change_renders_only_its_article(tmp_path: Path, run_cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    site_dir = example_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", site_dir, "--output", out).code == 0
    site = site_of(site_dir, future=False)
    article = site.articles[len(site.articles) // 2]
    path = site_dir / "content" / article.content_rel
    path.write_text(path.read_text(encoding="utf-8") + "\nMột đoạn thêm.\n", encoding="utf-8")
    made = _rendered(monkeypatch)
    assert run_cli("build", "--site", site_dir, "--output", out).code == 0
    search = site.config.paths.search + "/"  # made each build by its feature, from the index
    assert set(made) - {search} == {article.path}


def test_a_body_linking_to_an_article_follows_its_new_address(tmp_path: Path, run_cli) -> None:
    """A title change moves an article (its address is made from the title); the pages
    whose bodies link to it read its address (a ("page", …) read), so they are made again."""
    from helpers import snapshot

    site_dir = example_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", site_dir, "--output", out).code == 0
    site = site_of(site_dir, future=False)
    linking = next(p for p in site.articles if p.links and p.links[0] in site.by_source
                   and "slug" not in (site_dir / "content" / p.links[0]).read_text("utf-8"))
    target = site.by_source[linking.links[0]]
    record = read_trusted(site_dir / ".sitegen" / "pages.bin")
    assert isinstance(record, Record)
    assert ("page", target.content_rel) in {record.reads[i] for i in record.files[linking.path][3]}
    _edit(site_dir / "content" / target.content_rel, title="Một tiêu đề hoàn toàn mới")
    assert run_cli("build", "--site", site_dir, "--output", out).code == 0
    moved = site_of(site_dir, future=False).by_source[target.content_rel].path
    assert moved != target.path
    clean = tmp_path / "clean"
    shutil.copytree(site_dir, clean, ignore=shutil.ignore_patterns(".sitegen", "output"))
    assert run_cli("build", "--site", clean, "--output", clean / "output", "--clean").code == 0
    page = linking.path + "index.html"
    assert snapshot(out)[page] == snapshot(clean / "output")[page]
    assert moved.rstrip("/").rsplit("/", 1)[-1] in snapshot(out)[page].decode()


def test_the_record_keeps_kept_pages_indexes_and_drops_reads_nobody_holds(tmp_path: Path) -> None:
    """The reads table grows by the reads of the pages rendered; once most of it is held by
    no page (pages gone or rendered again), it is written without them, indexes renumbered."""
    from sitegen.incremental.reuse import Memo

    class Site:  # what Memo.record asks of the build's Values
        def tokens(self) -> dict[str, bytes]:
            return {}

        def of(self, dep: tuple[object, ...]) -> bytes:
            return repr(dep).encode()

        def list_mark(self, owner: object, attribute: str,
                      changed: object) -> tuple[bytes, None]:
            return repr((owner, attribute)).encode(), None

    reads = tuple(("all", ("site",), f"x{i}") for i in range(3000))
    last = Record(reads=reads, values=tuple(repr(d).encode() for d in reads))
    memo = Memo(tmp_path, last, same_site=True, values=Site())  # type: ignore[arg-type]
    memo.keys = {"kept/": ("k1", "kept/index.html", None, (5, 2999), b""),
                 "new/": ("k2", "new/index.html", None, (("all", ("site",), "y"), reads[7]), b"")}
    record = memo.record({"kept/index.html": (1, 2, 3), "new/index.html": (4, 5, 6)})
    assert len(record.reads) == 4  # x5, x2999, y, x7: the 2,997 others held by no page
    for here, wanted in (("kept/", [reads[5], reads[2999]]),
                         ("new/", [("all", ("site",), "y"), reads[7]])):
        indexes = record.files[here][3]
        assert [record.reads[i] for i in indexes] == wanted
        assert [record.values[i] for i in indexes] == [repr(d).encode() for d in wanted]
