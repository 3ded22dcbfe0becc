"""The shortcuts a page's rendering takes through Jinja's machinery must give what Jinja
gives: the escaping of each output (output_escape), the calls of the helpers (SiteContext),
and the lists of the site model a template reads, watched once for every page (Reads)."""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import Any

import jinja2
import pytest
from helpers import TESTS
from markupsafe import Markup, escape

from sitegen.core.config import load_config
from sitegen.core.site import Site
from sitegen.pipeline import BuildOptions, load_site
from sitegen.render.environment import make_environment, output_escape
from sitegen.render.trace import Reads, Watched


class Html:
    """An object that says how it is written in HTML (``__html__``)."""

    def __html__(self) -> str:
        return "<b>đậm</b>"


class Text:
    def __str__(self) -> str:
        return "a < b & \"c\""


VALUES: list[Any] = ["", "Hà Nội <script>alert('x')</script> & \"q\"", Markup("<i>nghiêng</i>"),
                     7, 2.5, None, True, Html(), Text(), datetime.date(2025, 3, 1),
                     type("MarkupSub", (Markup,), {})("<u>x</u>")]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_an_output_is_escaped_as_markupsafe_escapes_it(value: Any) -> None:
    made = output_escape(value)
    assert isinstance(made, Markup)
    assert str(made) == str(escape(value))


@pytest.fixture(scope="module")
def golden() -> Site:
    config, _ = load_config(TESTS / "golden" / "site")
    return load_site(config, BuildOptions(future=True), parallel=False).site


def _both(golden: Site, source: str, **values: Any) -> tuple[str, str]:
    """``source`` rendered by sitegen's environment and by Jinja's own, alike otherwise."""
    ours = make_environment(golden.config)
    plain = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                               undefined=jinja2.StrictUndefined)
    plain.filters.update(ours.filters)
    return ours.from_string(source).render(values), plain.from_string(source).render(values)


TEMPLATE = """{% macro item(x) %}<li>{{ x }}</li>{% endmacro %}
{%- set kept %}{{ shout(word) }}{% endset -%}
<p title="{{ word }}">{{ word }} {{ number }} {{ safe }} {{ nothing }} {{ kept }}</p>
<ul>{% for w in words %}{{ item(w) }}{{ where() }}{{ loop.index }}{% endfor %}</ul>
{% autoescape false %}{{ word }}{% endautoescape %}
{{ word | upper }} {{ words | join(', ') }} {{ "%s-%s" | format(word, number) }}
{{ 'split/me'.split('/') | first }} {{ empty() is undefined }} {{ add(1, b=2) }} {{ part('<') }}
{% block b %}{{ where() }}{{ item(word) }}{% endblock %}"""


def test_a_template_renders_as_with_jinja_alone(golden: Site) -> None:
    @jinja2.pass_context
    def where(ctx: jinja2.runtime.Context) -> str:
        # asks for its context, and is given it (the page's, without the loop's variables)
        return f"[{ctx.get('w', '-')}]"

    def empty() -> Any:
        raise StopIteration

    values = {"word": "<Tôi & bạn>", "number": 3, "safe": Markup("<br>"), "nothing": None,
              "words": ["a<", "b&"], "shout": lambda s: s.upper() + "!", "where": where,
              "empty": empty, "add": lambda a, b=0: a + b,
              "part": functools.partial(lambda a, b: a + b, "&")}
    ours, plain = _both(golden, TEMPLATE, **values)
    assert ours == plain
    assert "[-]" in ours and "&lt;TÔI &amp; BẠN&gt;!" in ours  # where() had its context
    assert "&amp;&lt;" in ours


def test_a_list_is_watched_once_and_read_by_every_page_that_reads_it(golden: Site) -> None:
    env = make_environment(golden.config)
    reads: Reads = env.reads  # type: ignore[attr-defined]
    template = env.from_string("{{ site.articles | length }}")
    frames, watched = [], []
    for _ in range(2):  # two pages
        reads.begin()
        assert template.render(site=golden) == str(len(golden.articles))
        watched.append(env.getattr(golden, "articles"))
        frames.append(reads.end())
    assert frames == [{("len", ("site",), "articles")}] * 2
    first = watched[0]
    assert isinstance(first, Watched) and watched[1] is first
    reads.begin()
    assert list(first) == list(golden.articles)  # read in a third page: noted there
    assert ("all", ("site",), "articles") in reads.end()


def test_the_next_sites_list_is_its_own(golden: Site, tmp_path: Path) -> None:
    """``serve`` keeps the environment while the site is made again: a list of the same
    owner is watched anew when it is another list."""
    env = make_environment(golden.config)
    reads: Reads = env.reads  # type: ignore[attr-defined]
    template = env.from_string("{{ site.articles | length }}")
    assert template.render(site=golden) == str(len(golden.articles))
    fewer = Site.__new__(Site)
    fewer.__dict__.update(golden.__dict__)
    object.__setattr__(fewer, "articles", golden.articles[:1])
    reads.begin()
    assert template.render(site=fewer) == "1"
    assert reads.end() == {("len", ("site",), "articles")}
    reads.begin()
    assert template.render(site=golden) == str(len(golden.articles))  # and back
    reads.end()
