"""The shortcuts a list page takes, against the plain ways they stand for.

- the JSON-LD of a page that is neither an article nor the home page, written from pieces
  kept per list (``WebPageScripts``): the same text as ``script(page_graph(...))``, whatever
  the titles, labels and addresses hold;
- the breadcrumbs and the pager written in Python (:mod:`sitegen.render.navigation`): the
  same HTML as the theme's macros wrote in Jinja before them (kept here as the reference);
- the templates a build's environment keeps in a dict: the same template objects;
- a list's cards written by one call (``cards``): the cards ``card`` writes one by one;
- the cards kept encoded and spliced into a page's bytes (:mod:`sitegen.render.splices`):
  the page rendered as text and encoded whole.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from conftest import MakeSite
from helpers import BASE_URL, FIXED_NOW, article
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.core.config import load_config
from sitegen.core.site import Pager
from sitegen.core.urls import Links
from sitegen.features.structured_data import SCHEMA, WebPageScripts, page_graph, script
from sitegen.pipeline import BuildOptions, load_site, prepare, render
from sitegen.render.environment import make_environment, theme_dir
from sitegen.render.navigation import breadcrumbs_html, pager_html
from sitegen.render.splices import Splices

#: Text with what JSON and a <script> element must escape, Vietnamese and the line separators.
TEXT = st.text(alphabet=st.sampled_from(list('aă đƯ"\\/<>&\n\t\x00\u2028\u2029é😀 -.')),
               max_size=30)
PATH = st.sampled_from(["", "tin-tuc/", "chu-de/du-lich-xanh/", "chu-de/x/trang/2/",
                        "2024/05/", "a&b/<c>/"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("site")
    (folder / "config.yaml").write_text(
        f'title: "Sở <Du lịch> & \\"Ninh Bình\\""\nbase_url: {BASE_URL}\n', encoding="utf-8")
    (folder / "content").mkdir()
    config, _ = load_config(folder)
    return load_site(config, BuildOptions(now=FIXED_NOW), parallel=False).site


@settings(deadline=None)  # a loaded machine: the first examples compile templates
@given(here=PATH.filter(bool), title=TEXT, listing=st.booleans(), lang=st.sampled_from(["vi", "en"]),
       trail=st.none() | st.lists(st.tuples(TEXT, PATH), max_size=4))
def test_web_page_script_is_the_general_one(site, here, title, listing, lang, trail) -> None:  # type: ignore[no-untyped-def]
    fast = WebPageScripts(site.config)
    general = script({"@context": SCHEMA, "@graph": page_graph(
        site, frozenset(), here, None, title, trail, listing, lang)})
    made = fast(here, title, trail, listing, lang)
    assert made == general
    assert fast(here, title, trail, listing, lang) == general  # from what it kept


def test_web_page_script_leaves_other_shapes_to_the_general_way(site) -> None:  # type: ignore[no-untyped-def]
    fast = WebPageScripts(site.config)
    assert fast("a/", "T", [["list", "a/"]], True, "vi") is None  # unhashable: a list
    assert fast("a/", "T", [("a", "b", "c")], True, "vi") is None
    assert fast("a/", "T", [("a", 3)], True, "vi") is None
    assert fast("a/", 3, None, True, "vi") is None


#: The theme's macros as they were before render/navigation.py wrote their HTML.
OLD_MACROS = """
{% macro breadcrumbs(items) %}
{% set words = ui(lang | default(config.language)) %}
{% if trail is defined %}{% set trail.items = [(words.home, '')] + items %}{% endif %}
<nav class="breadcrumbs" aria-label="{{ words.breadcrumbs }}">
  <div class="wrap">
    <ol>
      <li><a href="{{ href('') }}">{{ words.home }}</a></li>
      {% for label, path in items %}
      {% if loop.last %}<li><span aria-current="page">{{ label | shorten(60) }}</span></li>
      {% else %}<li><a href="{{ href(path) }}">{{ label }}</a></li>{% endif %}
      {% endfor %}
    </ol>
  </div>
</nav>
{% endmacro %}
{% macro pager_nav(pager) %}
{% set words = ui(lang | default(config.language)) %}
{% if pager.count > 1 %}
<nav class="pager" aria-label="{{ words.pages }}">
  <ul>
    {% if pager.previous is not none %}<li><a href="{{ href(pager.previous) }}" rel="prev"><span aria-hidden="true">« </span>{{ words.newer }}</a></li>{% endif %}
    <li><span aria-current="page">{{ words.page }} {{ pager.number }}/{{ pager.count }}</span></li>
    {% if pager.next is not none %}<li><a href="{{ href(pager.next) }}" rel="next">{{ words.older }}<span aria-hidden="true"> »</span></a></li>{% endif %}
  </ul>
</nav>
{% endif %}
{% endmacro %}
"""  # noqa: E501 (the macros' lines as they were)

WORDS = {"home": "Trang chủ", "breadcrumbs": "Bạn <đang> ở", "pages": "Phân trang",
         "newer": "Mới & hơn", "older": "Cũ hơn", "page": "Trang"}


@settings(deadline=None)
@given(items=st.lists(st.tuples(TEXT | TEXT.map(lambda t: t * 5), PATH), max_size=4),
       here=PATH, number=st.integers(1, 4), count=st.integers(1, 4))
def test_breadcrumbs_and_pager_are_the_old_macros(site, items, here, number, count) -> None:  # type: ignore[no-untyped-def]
    number = min(number, count)
    links = Links(here)

    def href(target: str) -> str:
        return links(target, False)

    pager = Pager(number, count, (), here, "a/", "a/trang/1/" if number > 1 else None,
                  "a/trang/9/" if number < count else None)
    assert str(breadcrumbs_html(items, WORDS, href)) == str(_call(site, "breadcrumbs", items, href))
    assert str(pager_html(pager, WORDS, href)) == str(_call(site, "pager_nav", pager, href))


def _call(site, macro: str, argument, href):  # type: ignore[no-untyped-def]
    """The old macro ``macro`` called on ``argument`` from a page whose links are ``href``."""
    env = make_environment(site.config, reload=False)
    template = env.from_string("{% import '_old.html' as m with context %}"
                               "{{ m[macro](argument) }}")
    env.loader = jinja2.DictLoader({"_old.html": OLD_MACROS})
    return template.render(ui=lambda lang: WORDS, lang="vi", config=site.config, href=href,
                           macro=macro, argument=argument)


def test_a_build_environment_keeps_each_template_once(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(f"title: T\nbase_url: {BASE_URL}\n", encoding="utf-8")
    config, _ = load_config(tmp_path)
    env = make_environment(config, reload=False)
    assert env.get_template("list.html") is env.get_template("list.html")
    env.loader = jinja2.DictLoader({"list.html": "{{ 1 + 1 }}"})  # kept by loader and name
    assert env.get_template("list.html").render() == "2"
    served = make_environment(config, reload=True)  # serve: Jinja's cache, files checked
    assert served.get_template("list.html").render  # found through Jinja's own lookup


@pytest.mark.parametrize("here", ["chu-de/thi-dua/", "chu-de/thi-dua/trang/2/", "", "404.html"])
def test_a_lists_cards_are_its_cards_one_by_one(make_site: MakeSite, here: str) -> None:
    """``cards(pages)`` (one call a list) writes what ``card(p, eager=loop.first)`` wrote for
    each of them, from pages of every depth."""
    files = {f"content/tin-tuc/bai-{day}.md": article(
        f"Bài <{day}> & số {day}", date=f"2025-03-{day:02d}", tags=["Thi đua"])
        for day in range(1, 6)}
    files["content/tin-tuc/bai-6/index.md"] = article(
        "Bài có ảnh", date="2025-03-06", image="anh.svg", image_alt="Ảnh")
    files["content/tin-tuc/bai-6/anh.svg"] = '<svg xmlns="http://www.w3.org/2000/svg"/>\n'
    config, _ = load_config(make_site(files, config=f"title: T\nbase_url: {BASE_URL}\n"))
    _, renderer, _ = prepare(config, BuildOptions(now=FIXED_NOW), make_environment(config),
                             parallel=False)
    assert renderer.shares_cards
    links = renderer._links(here)
    pages = renderer.site.articles
    one_by_one = "".join(links["card"](p, eager=n == 0) for n, p in enumerate(pages))
    assert "has-image" in one_by_one and "&lt;1&gt;" in one_by_one
    assert links["cards"](pages) == one_by_one
    assert links["cards"](()) == ""


def test_a_templates_globals_are_the_environments_in_a_dict_of_its_own(tmp_path: Path) -> None:
    """SiteEnvironment.make_globals: a plain dict (no ChainMap to iterate at every context),
    holding the environment's globals, whose changes stay in the template; autoescaping is
    decided by the name as Jinja's select_autoescape decides it."""
    (tmp_path / "config.yaml").write_text(f"title: T\nbase_url: {BASE_URL}\n", encoding="utf-8")
    config, _ = load_config(tmp_path)
    env = make_environment(config, reload=False)
    template = env.get_template("list.html")
    assert type(template.globals) is dict and template.globals == env.globals
    template.globals["mine"] = 1
    assert "mine" not in env.globals
    assert env.autoescape("a.html") and env.autoescape("b.xml") and not env.autoescape("c.txt")
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_splices_put_each_fragment_where_its_marker_is() -> None:
    splices = Splices()
    assert not splices.active
    outer = splices.open()
    first, second = splices.hold("ă<".encode()), splices.hold(b"B")
    assert splices.close(f"x{second}é{first}", outer) == "xBéă<".encode()
    assert not splices.active
    for shown in ("{0}{0}{1}", "{1}", "{0}{1}{1}",  # a fragment repeated, dropped
                  "{0}<sitegen-splice-00>", "{0}{1}<sitegen-splice-", "{0}{1}<sitegen-splice-٣>"):
        outer = splices.open()
        marks = [splices.hold(b"a"), splices.hold(b"b")]
        assert splices.close(shown.format(*marks), outer) is None, shown
    outer = splices.open()  # a page rendered inside another keeps the outer's fragments
    mark = splices.hold(b"o")
    inner = splices.open()
    assert splices.close("i", inner) == b"i" and splices.active
    paused = splices.pause()
    assert not splices.active
    splices.resume(paused)
    assert splices.close(f"<{mark}>", outer) == b"<o>"


LIST_PAGES = ("chu-de/thi-dua/", "chu-de/thi-dua/trang/2/", "trang/2/", "tin-tuc/", "2025/03/")


def _list_site(make_site: MakeSite, templates: dict[str, str] | None = None) -> Path:
    files = {f"content/tin-tuc/bai-{day}.md": article(
        f"Bài <{day}> & số {day}", date=f"2025-03-{day:02d}", tags=["Thi đua"])
        for day in range(1, 8)}
    return make_site({**files, **(templates or {})},
                     config=f"title: T\nbase_url: {BASE_URL}\npage_size: 4\n")


def _files(site: Path, spliced: bool = True) -> tuple[dict[str, bytes], int]:
    """The site's files, with the cards spliced in or every page encoded whole, and how
    many fragments were spliced."""
    config, _ = load_config(site)
    held: list[bytes] = []
    hold = Splices.hold
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Splices, "hold", lambda self, data: held.append(data) or hold(self, data))
        if not spliced:  # never open: every page rendered as text
            patch.setattr(Splices, "open", Splices.pause)
        rendered = render(config, BuildOptions(now=FIXED_NOW), parallel=False)
    return {f.path: f.data for f in rendered.files if f.data is not None}, len(held)


def test_spliced_cards_are_the_cards_written_as_text(make_site: MakeSite) -> None:
    site = _list_site(make_site)
    (spliced, held), (plain, none) = _files(site), _files(site, spliced=False)
    assert held >= len(LIST_PAGES) and none == 0
    assert spliced == plain
    for path in LIST_PAGES:
        assert b"sitegen-splice" not in spliced[path] and b'class="card' in spliced[path]


def test_a_template_that_shows_its_cards_twice_is_rendered_without_splicing(
        make_site: MakeSite) -> None:
    own = (theme_dir() / "list.html").read_text(encoding="utf-8").replace(
        "{{ cards(pager.items) -}}", "{% set shown = cards(pager.items) %}{{ shown }}{{ shown -}}")
    files, held = _files(_list_site(make_site, {"templates/list.html": own}))
    page = files["chu-de/thi-dua/"]
    assert held
    assert b"sitegen-splice" not in page
    assert page.count("Bài &lt;7&gt; &amp; số 7".encode()) == 2
