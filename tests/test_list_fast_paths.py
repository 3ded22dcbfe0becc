"""The shortcuts a list page takes, against the plain ways they stand for.

- the JSON-LD of a page that is neither an article nor the home page, written from pieces
  kept per list (``WebPageScripts``): the same text as ``script(page_graph(...))``, whatever
  the titles, labels and addresses hold;
- the templates a build's environment keeps in a dict: the same template objects.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from helpers import BASE_URL, FIXED_NOW
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.config import load_config
from sitegen.features.structured_data import SCHEMA, WebPageScripts, page_graph, script
from sitegen.pipeline import BuildOptions, load_site
from sitegen.render.environment import make_environment

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


def test_a_build_environment_keeps_each_template_once(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(f"title: T\nbase_url: {BASE_URL}\n", encoding="utf-8")
    config, _ = load_config(tmp_path)
    env = make_environment(config, reload=False)
    assert env.get_template("list.html") is env.get_template("list.html")
    env.loader = jinja2.DictLoader({"list.html": "{{ 1 + 1 }}"})  # kept by loader and name
    assert env.get_template("list.html").render() == "2"
    served = make_environment(config, reload=True)  # serve: Jinja's cache, files checked
    assert served.get_template("list.html").render  # found through Jinja's own lookup

