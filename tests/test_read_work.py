"""The read stage's shortcuts give what the work they replace gave: the sanitiser made once a
policy, the search keys' text folded run by run, control characters looked for in the
file's bytes, the link context sharing the site's mappings, one survey of the tree."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.frontmatter import decode
from sitegen.core.markup import LinkContext, MarkdownRenderer
from sitegen.core.pages import ReadContext, _link_context
from sitegen.core.pictures import Facts
from sitegen.core.sanitize import Policy, clean
from sitegen.core.sources import Asset, Source
from sitegen.features.search.keys import Folder, exact_terms, terms

FRAME = '<p>a</p><iframe src="https://a.example/v" title="t"></iframe><p>b</p>'


def test_each_policy_cleans_with_its_own_allowlist_whatever_was_cleaned_before() -> None:
    allowed = Policy(iframe_hosts=frozenset({"a.example"}))
    other = Policy(iframe_hosts=frozenset({"b.example"}))
    for _ in range(2):  # the second round uses the sanitisers made by the first
        assert clean(FRAME, Policy()) == "<p>a</p><p>b</p>"
        assert clean(FRAME, allowed) == FRAME
        assert clean(FRAME, other) == "<p>a</p><p>b</p>"


def test_an_iframe_allowed_as_a_tag_but_from_no_host_is_removed() -> None:
    # "iframe" in html.allow_tags without iframe_hosts: the src filter still judges it.
    assert clean(FRAME, Policy(extra_tags=frozenset({"iframe"}))) == "<p>a</p><p>b</p>"


_SPACED = st.text(alphabet=st.sampled_from(list("aăđêơưAĐ àáạ_,.-\u0301\u0323\t\n\xa0\u2000\u2003\u3000"
                                                "\u200b\ufeff")), max_size=40)


@given(_SPACED)
def test_folding_run_by_run_between_spaces_is_folding_word_by_word(text: str) -> None:
    # Spaces of every kind (no-break, em, ideographic), and marks right after a space.
    folder = Folder()
    for _ in range(2):  # the second time from what the folder remembers
        assert folder.split(text) == (terms(text), [form for _, form in exact_terms(text)])


_PIECES = [b"a", b"\r", b"\n", b"\r\n", b"\t", b"\x00", b"\x02", b"\x0b", b"\x0c", b"\x1f",
           b"\x7f", "é".encode(), "\u0301".encode(), b"\xef\xbb\xbf", b"\xc3", b"\xa9", b"\x80"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_a_file_is_decoded_as_its_text_without_controls(pieces: list[bytes]) -> None:
    raw = b"".join(pieces)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        assert decode(raw) is None  # a control byte inside a broken character mends nothing
        return
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in lines if c in "\t\n" or not (c < " " or c == "\x7f"))
    assert decode(raw) == unicodedata.normalize("NFC", kept)


def test_a_control_byte_inside_a_broken_character_is_still_not_utf8() -> None:
    assert decode(b"title: x\xc3\x01\xa9") is None


def test_a_bundle_adds_its_pictures_to_the_sites_and_changes_nothing_of_them() -> None:
    site_sizes = {"images/a.jpg": (800, 600), "anh.jpg": (1, 1)}
    site_troubles = {"images/b.jpg": "photo-unreadable"}
    ctx = ReadContext(static=frozenset(site_sizes), static_sizes=site_sizes, articles=frozenset(),
                      static_troubles=site_troubles)
    plain = Source(rel="content/tin-tuc/a.md", section="tin-tuc", raw=None)
    alone = _link_context(plain, {}, ctx)
    assert (dict(alone.sizes), dict(alone.troubles)) == (site_sizes, site_troubles)
    bundle = {"anh.jpg": Asset("anh.jpg", Path("anh.jpg"), (1200, 900),
                               Facts((1200, 900), "d", "photo-too-large"))}
    bundled = _link_context(replace(plain, bundle=tuple(bundle.values())), bundle, ctx)
    assert bundled.sizes == {"images/a.jpg": (800, 600), "anh.jpg": (1200, 900)}
    assert bundled.troubles == {"images/b.jpg": "photo-unreadable", "anh.jpg": "photo-too-large"}
    assert site_sizes["anh.jpg"] == (1, 1) and len(site_troubles) == 1


def test_one_survey_of_the_tree_finds_later_ids_every_table_and_pictures_in_links() -> None:
    body = ("[a](#Mục-một)\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n"
            "[![x](https://other.example/a.jpg)](https://example.org) "
            "![y](https://other.example/b.jpg)\n\n> | c |\n> | - |\n> | 3 |\n\n## Mục một\n")
    ctx = LinkContext(source="a.md", bundle=None, static=frozenset(), articles=frozenset())
    html = MarkdownRenderer().render(body, ctx, "content/a.md", 5).html
    assert '<a href="#muc-mot">a</a>' in html  # the heading's id, though it comes after
    assert html.count('<div aria-label="Bảng số liệu" class="table-wrap"') == 2  # one quoted
    assert '<a href="https://example.org"><span>x</span></a>' in html  # in a link: text
    assert '<a href="https://other.example/b.jpg">y</a>' in html  # alone: a link to it


def test_one_converter_per_thread_and_settings_kept_for_the_process(make_site) -> None:
    """renderer_for: serve set one up at every rebuild (0.06–0.1 s); a render worker forked
    after the read finds its parent's."""
    import os
    import threading

    from sitegen.core.config import load_config
    from sitegen.core.markup import renderer_for

    config, _ = load_config(make_site({}))
    first = renderer_for(config)
    assert renderer_for(config) is first
    assert renderer_for(replace(config, iframe_hosts=("a.example",))) is not first
    assert renderer_for(replace(config, markdown_time_limit=3.0)) is not first
    in_thread: list[MarkdownRenderer] = []
    worker = threading.Thread(target=lambda: in_thread.append(renderer_for(config)))
    worker.start()
    worker.join()
    assert in_thread and in_thread[0] is not first  # not shared between threads
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        os._exit(0 if renderer_for(config) is first else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    ctx = LinkContext("tin-tuc/a.md", None, frozenset(), frozenset({"tin-tuc/a.md"}))
    body = "## Mục\n\n[x](#muc) <b>đậm</b>\n"
    assert first.render(body, ctx, "content/tin-tuc/a.md", 5).html == \
        MarkdownRenderer(first.policy, first.seconds).render(
            body, ctx, "content/tin-tuc/a.md", 5).html
