"""The search index: folded terms, title ranking, the file format search.js reads."""

from __future__ import annotations

import base64
import json
import unicodedata
from array import array
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXED_NOW, article
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.config import load_config
from sitegen.core.site import Site, assemble_site
from sitegen.core.sources import find_sources
from sitegen.features.search.files import (
    DOCS_PER_FILE,
    RESULTS_PAGE,
    _plan,
    _replan,
    decode,
    encode,
    file_bytes,
    find_shard,
    index_files,
    plan_shards,
    result_table,
    shard_name,
)
from sitegen.features.search.index import index_state, index_update
from sitegen.features.search.inverted import Postings, SearchIndex, _typecode, build_index, search
from sitegen.features.search.keys import (
    TOKEN,
    Folder,
    exact,
    exact_terms,
    index_keys,
    pairs,
    split_keys,
    terms,
    text_work,
)
from sitegen.incremental.reading import read_pages
from sitegen.incremental.reuse import Memo, MemoryMemo
from sitegen.pipeline import BuildOptions, render
from sitegen.vn.text import fold

FILES = {
    # oldest first; the title of the oldest names the query, the newer only say it in the body
    "content/tin-tuc/tong-ket.md": article(
        "Tổng kết thi đua năm 2024", "2024-12-20", body="Hội nghị tổng kết."),
    "content/tin-tuc/tap-huan.md": article(
        "Tập huấn nghiệp vụ", "2025-03-01", body="Lớp tập huấn phục vụ phong trào thi đua."),
    "content/tin-tuc/dinh-thi-hoa.md": article(
        "Gương sáng Đinh Thị Hoa", "2025-04-02", body="Chị Hoa chèo đò trên sông Sào Khê."),
    "content/tin-tuc/hoa-binh.md": article(
        "Ngày hội hòa bình", "2025-05-03", body="HÒA BÌNH và hữu nghị.", tags=["Thủy sản"]),
    "content/tin-tuc/thi-rieng.md": article(
        "Thi tay nghề", "2025-06-04", body="Cuộc thi nấu ăn; đua thuyền rồng."),
    "content/tin-tuc/nfd.md": article(
        unicodedata.normalize("NFD", "Ủy ban biểu dương"), "2025-06-10",
        body=unicodedata.normalize("NFD", "Đoàn viên thi đua lập thành tích.")),
    "content/pages/gioi-thieu.md": article("Giới thiệu", None, body="Trang giới thiệu Sở."),
}


def site_of(folder: Path) -> Site:
    """The site model of a site folder (the pipeline up to assemble_site; nothing rendered)."""
    config, _ = load_config(folder)
    pages, problems = read_pages(config, find_sources(config), work=text_work)
    assert not [p for p in problems if p.is_error]
    return assemble_site(config, pages, FIXED_NOW).site


@pytest.fixture
def index(make_site: Callable[..., Path]) -> SearchIndex:
    return build_index(site_of(make_site(FILES)))


def titles(index: SearchIndex, query: str) -> list[str]:
    return [index.docs[n].title for n in search(index, query)]


def test_terms_are_folded() -> None:
    assert terms("Thi Đua, ĐINH thị Hoà!") == ["thi", "dua", "dinh", "thi", "hoa"]
    assert terms(unicodedata.normalize("NFD", "Quyết định 1526/QĐ-TTg")) == [
        "quyet", "dinh", "1526", "qd", "ttg"]
    assert terms("  ") == [] and terms("snake_case") == ["snake", "case"]


def test_finds_words_typed_without_accents(index: SearchIndex) -> None:
    found = titles(index, "thi dua")
    assert set(found) == {"Tổng kết thi đua năm 2024", "Tập huấn nghiệp vụ", "Thi tay nghề",
                          unicodedata.normalize("NFC", "Ủy ban biểu dương")}
    assert titles(index, "THI ĐUA") == found == titles(index, "thi   đua")
    assert titles(index, "dinh") == ["Gương sáng Đinh Thị Hoa"]
    assert titles(index, "doan vien") == ["Ủy ban biểu dương"]  # written in NFD


def test_either_tone_placement(index: SearchIndex) -> None:
    assert titles(index, "hoà bình") == titles(index, "hòa binh") == ["Ngày hội hòa bình"]
    assert titles(index, "thuỷ sản") == ["Ngày hội hòa bình"]  # a tag, written "Thủy"
    assert titles(index, "uỷ ban") == ["Ủy ban biểu dương"]


def test_title_matches_first_then_phrases_then_newest(index: SearchIndex) -> None:
    assert titles(index, "thi dua") == [
        "Tổng kết thi đua năm 2024",  # the oldest, but "thi đua" is its title
        "Ủy ban biểu dương", "Tập huấn nghiệp vụ",  # "thi đua" in the body, newer first
        "Thi tay nghề",  # "thi" in the title, "đua" elsewhere: not the phrase
    ]
    assert titles(index, "thi") == ["Thi tay nghề", "Gương sáng Đinh Thị Hoa",
                                    "Tổng kết thi đua năm 2024", "Ủy ban biểu dương",
                                    "Tập huấn nghiệp vụ"]


ACCENTS = {
    # the older articles have the words with the accents a reader types
    "content/tin-tuc/quoc-khanh.md": article(
        "Quốc khánh nước Cộng hòa", "2024-09-02", body="Mít tinh kỷ niệm."),
    "content/tin-tuc/phong-trao.md": article(
        "Phong trào của ngành", "2024-10-01", body="Cán bộ thi đua lập thành tích."),
    "content/tin-tuc/hoa-lu.md": article("Lễ hội Hoa Lư", "2025-03-01", body="Rước kiệu."),
    "content/tin-tuc/dua-khach.md": article(
        "Đón khách", "2025-04-01", body="Bà Thị đưa khách thăm chùa."),
}


def test_the_accents_typed_rank_first_then_accent_free(make_site: Callable[..., Path]) -> None:
    """Issue 20, item 5: "hoà" (either tone placement) finds "Cộng hòa" before "Hoa Lư";
    "thi đua" finds "thi đua" before "Thị đưa", which "thi dua" ranks as newer."""
    accents = build_index(site_of(make_site(ACCENTS)))
    assert titles(accents, "hoà") == titles(accents, "HÒA") == [
        "Quốc khánh nước Cộng hòa", "Lễ hội Hoa Lư"]
    assert titles(accents, "hoa") == ["Lễ hội Hoa Lư", "Quốc khánh nước Cộng hòa"]
    assert titles(accents, "thi đua") == ["Phong trào của ngành", "Đón khách"]
    assert titles(accents, "thi dua") == ["Đón khách", "Phong trào của ngành"]
    assert titles(accents, "thị đưa") == ["Đón khách", "Phong trào của ngành"]
    files, manifest = index_files(accents)  # the exact keys are in the shards read for them
    for query in ("hoà", "hoa", "thi đua", "thi dua", "thị đưa"):
        assert _read_files(files, manifest, query) == titles(accents, query)


def test_every_word_must_be_found(index: SearchIndex) -> None:
    assert titles(index, "thi xyzzy") == []
    assert titles(index, "thi song") == ["Gương sáng Đinh Thị Hoa"]  # "Thị", "sông": folded
    assert titles(index, "") == titles(index, " ,;") == []
    assert titles(index, "xyzzy") == []


def test_undated_pages_are_found_last(index: SearchIndex) -> None:
    assert titles(index, "gioi thieu") == ["Giới thiệu"]
    page = index.docs[search(index, "gioi thieu")[0]]
    assert page.date == "" and page.section == -1
    assert page.link == "gioi-thieu/index.html"


def test_docs_carry_what_a_result_shows(index: SearchIndex) -> None:
    doc = index.docs[search(index, "dinh")[0]]
    assert doc.link == "tin-tuc/2025/04/guong-sang-dinh-thi-hoa/index.html"
    assert doc.date == "2025-04-02"
    assert index.sections[doc.section] == "Tin tức"
    assert doc.summary.startswith("Chị Hoa chèo đò")


def _shorter_form(ids: list[int]) -> list[int] | str:
    """What encode must give, written the plain way: the gaps or the bitmap, whichever is
    shorter as JSON (the gaps on a tie)."""
    gaps = [b - a for a, b in zip([0, *ids], ids, strict=False)]
    bits = bytearray(ids[-1] // 8 + 1 if ids else 0)
    for n in ids:
        bits[n >> 3] |= 1 << (n & 7)
    bitmap = base64.b64encode(bytes(bits)).decode("ascii")
    return bitmap if len(json.dumps(bitmap)) < len(json.dumps(gaps, separators=(",", ":"))) \
        else gaps


@given(st.lists(st.integers(min_value=0, max_value=5000), unique=True).map(sorted))
def test_encode_decode(ids: list[int]) -> None:
    data = encode(ids)
    assert decode(json.loads(json.dumps(data))) == ids
    assert data == _shorter_form(ids)


def test_encode_chooses_the_shorter_form_where_the_two_are_close() -> None:
    """Evenly spaced sets, where the gaps' and the bitmap's lengths cross (the bounds that
    spare encode from writing the gaps out must never decide wrongly)."""
    checked = 0
    for step in range(1, 17):
        for start in (0, 5, 100, 9_990):  # 100: the first gap is the widest
            for count in range(1, 300):
                ids = list(range(start, start + count * step, step))
                assert encode(ids) == _shorter_form(ids), (step, start, count)
                checked += 1
    assert checked == 16 * 4 * 299


def test_dense_sets_become_bitmaps() -> None:
    assert isinstance(encode(list(range(0, 3000, 2))), str)
    assert encode([5, 900, 4000]) == [5, 895, 3100]


@given(st.dictionaries(st.text(alphabet="abcdđeghz0ø", min_size=1, max_size=9),
                       st.integers(min_value=1, max_value=400), min_size=1, max_size=60),
       st.integers(min_value=50, max_value=2000))
def test_every_term_is_found_in_its_shard(sizes: dict[str, int], limit: int) -> None:
    sizes = {fold(t): n for t, n in sizes.items()}
    shards = plan_shards(sizes, limit)
    placed = {t: key for key, group in shards.items() for t in group}
    assert sorted(placed) == sorted(sizes)  # every term once
    for term, key in placed.items():
        assert find_shard(term, shards) == key
        assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789_" for c in key)


@given(st.dictionaries(st.text(alphabet="abcdhz_", min_size=1, max_size=8),
                       st.integers(min_value=1, max_value=300), min_size=1, max_size=80),
       st.data(), st.integers(min_value=50, max_value=1500))
def test_a_plan_brought_up_to_date_is_the_plan_made_afresh(sizes: dict[str, int],
                                                          data: st.DataObject,
                                                          limit: int) -> None:
    """An edit changes, adds and removes a few keys: the last plan brought up to date is
    the plan made afresh, and so are the sizes it weighed, whether or not a prefix is split
    or joined again, a shard emptied or made (planning starts again only when no key is left)."""
    plan, totals = _plan(sizes, limit)
    size = st.integers(min_value=1, max_value=300)
    changed = data.draw(st.dictionaries(st.sampled_from(sorted(sizes)), size, max_size=4))
    added = data.draw(st.dictionaries(st.text(alphabet="abcdhz_", min_size=1, max_size=8)
                                      .filter(lambda t: t not in sizes), size, max_size=4))
    removed = data.draw(st.lists(st.sampled_from(sorted(sizes)), max_size=3, unique=True))
    after = {t: n for t, n in (sizes | changed | added).items() if t not in removed}
    changes = {t: (sizes.get(t, 0), after.get(t, 0)) for t in {*changed, *added, *removed}}
    replanned = _replan(plan, totals, changes, after, limit)
    assert (replanned is None) == (not after)
    if replanned is not None:
        assert replanned == _plan(after, limit)


def test_big_shards_are_split() -> None:
    sizes = {f"th{c}{d}": 100 for c in "aeiou" for d in "abc"} | {"ta": 10, "t": 5, "b": 5}
    shards = plan_shards(sizes, limit=400)
    assert max(sum(sizes[t] for t in g) for g in shards.values()) <= 400
    assert find_shard("thia", shards) == "thi" and find_shard("t", shards) in shards
    assert find_shard("zz", shards) in shards or find_shard("zz", shards) is None


def _read_files(files: Mapping[str, bytes], manifest: Mapping[str, Any],
                query: str) -> list[str]:
    """What search.js does, from the files: the titles of the ranked results."""
    sequence = terms(query)
    words = list(dict.fromkeys(sequence))
    joined = list(dict.fromkeys(pairs(sequence)))

    def entry(key: str) -> tuple[set[int], set[int]] | None:
        name = find_shard(key, manifest["shards"])
        found = json.loads(files[shard_name(name)]).get(key) if name is not None else None
        if found is None:
            return None
        return set(decode(found[0])), set(decode(found[1])) if len(found) > 1 else set()

    entries, pair_entries = [entry(w) for w in words], [entry(p) for p in joined]
    if not words or not all(entries):
        return []
    known = [e for e in entries if e]
    pair_sets = [e for e in pair_entries if e]
    accented = [e for form in dict.fromkeys(f for _, f in exact_terms(query))
                if (e := entry(form))]
    found = set.intersection(*(every for every, _ in known))

    def rank(n: int) -> tuple[int, ...]:
        in_title = sum(n in t for _, t in known)
        return (-sum(n in e for e, _ in accented), -sum(n in t for _, t in pair_sets),
                -(in_title == len(words)),
                -sum(n in e for e, _ in pair_sets), -in_title, n)

    ranked = sorted(found, key=rank)
    per = manifest["perFile"]
    return [json.loads(files[f"docs-{n // per}"])[n % per][0] for n in ranked]


@pytest.mark.parametrize("query", ["thi dua", "dinh", "hoà", "uỷ ban", "gioi thieu", "zzz", "thi",
                                   "thi song", "constructor", "thi dua thi", "thi đua"])
def test_the_files_give_the_same_results(index: SearchIndex, query: str) -> None:
    files, manifest = index_files(index)
    assert _read_files(files, manifest, query) == titles(index, query)
    assert manifest["count"] == len(index.docs) and manifest["perFile"] == DOCS_PER_FILE


def test_search_page_and_index_files_are_rendered(make_site: Callable[..., Path]) -> None:
    config, _ = load_config(make_site(FILES))
    rendered = {f.path: f for f in render(config, BuildOptions(now=FIXED_NOW)).files}
    html = (rendered["tim-kiem/"].data or b"").decode("utf-8")
    assert '<form class="search-form" method="get" action="index.html"' in html
    assert 'name="q"' in html and "<noscript>" in html and "tắt JavaScript" in html
    assert "search.js" in html
    assert {"tim-kiem/index/terms.json", "tim-kiem/index/docs-0.json"} <= set(rendered)
    start = html.index('id="cau-hinh-tim-kiem">') + len('id="cau-hinh-tim-kiem">')
    manifest = json.loads(html[start:html.index("</script>", start)])
    assert manifest["index"] == "index/" and manifest["root"] == "../"
    assert manifest["shards"] == [""] and manifest["sections"][0] == "Gương điển hình tiên tiến"
    assert manifest["page"] == RESULTS_PAGE
    # The engine is written into the head, ahead of the stylesheets, which would hold a
    # script up: it must start the index fetches for ?q= while the page is arriving.
    engine = html.index("window.sitegenSearch = {")
    assert html.index('id="cau-hinh-tim-kiem"') < engine < html.index('rel="stylesheet"')
    assert engine < html.index("</head>") < html.index('<form class="search-form"')


def test_the_index_is_the_same_bytes_every_build(make_site: Callable[..., Path]) -> None:
    folder = make_site(FILES)
    assert index_files(build_index(site_of(folder))) == index_files(build_index(site_of(folder)))


_VIETNAMESE = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƠ àáảãạằắẳẵặầấẩẫậ"
                                  "èéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ_,.-/\u0301"
                                  "\u0323\u0300")),
    max_size=40)


@given(_VIETNAMESE)
def test_folding_a_word_at_a_time_is_folding(text: str) -> None:
    assert Folder().terms(text) == TOKEN.findall(fold(text))


@given(_VIETNAMESE, st.lists(_VIETNAMESE, max_size=4))
def test_index_keys_are_the_terms_and_pairs_of_the_text_and_the_title(
        title: str, rest: list[str]) -> None:
    whole, heading = index_keys(title, rest)
    every = terms("\n".join([title, *rest]))
    titled = terms(title)
    accented = [form for _, form in exact_terms("\n".join([title, *rest]))]
    for keys, words, more in ((split_keys(whole), every, accented),
                              (split_keys(heading), titled, [])):
        # Each once, in the order met: the terms, then the pairs, then the exact keys.
        assert keys == list(dict.fromkeys([*words, *pairs(words), *more]))


def test_a_site_without_articles_still_has_its_search_page(
        make_site: Callable[..., Path]) -> None:
    config, _ = load_config(make_site({}))
    rendered = {f.path: f for f in render(config, BuildOptions(now=FIXED_NOW)).files}
    assert json.loads(rendered["tim-kiem/index/terms.json"].data or b"") == {}
    assert not any(path.startswith("tim-kiem/index/docs") for path in rendered)
    assert b"docs-0.json" not in (rendered["tim-kiem/"].data or b"")  # no result table to preload


_WORDS_POOL = ("thi", "đua", "yêu", "nước", "Tràng", "An", "Hoa", "Lư", "chuyển", "đổi", "số",
               "du", "lịch", "văn", "minh", "khen", "thưởng", "Đinh", "Thị", "người", "tốt",
               "việc", "sáng", "kiến", "hòa", "bình", "Bái", "Đính", "Tam", "Cốc")


@pytest.mark.parametrize("seed", range(4))
def test_the_index_updated_from_the_last_state_is_the_index_built_afresh(
        seed: int, make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    import sitegen.features.search.index as search_module

    rng = random.Random(seed)
    per_file = 4  # several files of the result table

    def text(n: int) -> str:
        return " ".join(rng.choice(_WORDS_POOL) for _ in range(n))

    def write(i: int, title: str) -> str:  # a fixed slug: a new title keeps the address
        return article(title, f"2025-{1 + i:02d}-{10 + i}", body=text(40), slug=f"bai-{i}")

    titles = {i: f"Bài {i}: {text(4)}" for i in range(12)}
    folder = make_site({f"content/tin-tuc/bai-{i}.md": write(i, t) for i, t in titles.items()})
    state, _ = index_state(site_of(folder), None, per_file=per_file)
    for _ in range(4):
        last_digests = dict(state.digests)
        i = rng.randrange(12)  # a new text, or a new title too: the same addresses, new words
        if rng.random() < 0.5:
            titles[i] = f"Bài {i}: {text(4)}"
        new = write(i, titles[i])
        (folder / f"content/tin-tuc/bai-{i}.md").write_text(new, encoding="utf-8")
        site = site_of(folder)
        with monkeypatch.context() as m:  # updated, not built afresh
            m.setattr(search_module, "_postings", lambda _: pytest.fail("built afresh"))
            updated, files = index_state(site, state, per_file=per_file)
        fresh, fresh_files = index_state(site, None, per_file=per_file)
        assert updated.digests == fresh.digests and updated.plan == fresh.plan
        assert updated.every == fresh.every and updated.titled == fresh.titled
        # Files the update made are the fresh ones; a file it kept is made again the same;
        # and all are those of the reference, index_files.
        table = result_table(site, per_file)
        want = {name: file_bytes(fresh, name, table) for name in fresh_files}
        assert want == index_files(build_index(site), per_file)[0]
        documents = len(site.articles) + len(site.pages)  # in several files of the table
        assert sum(name.startswith("docs-") for name in want) == -(-documents // per_file) > 1
        assert any(data is None for name, data in files.items() if name.startswith("docs-"))
        for name, data in files.items():
            assert (data if data is not None else file_bytes(updated, name, table)) == want[name]
        assert state.digests == last_digests  # the last state is left whole
        state = updated



def test_a_fresh_index_keeps_its_files_for_a_build_and_not_for_serve(
        make_site: Callable[..., Path], tmp_path: Path) -> None:
    folder = make_site({f"content/tin-tuc/bai-{i}.md": article(f"Bài {i}: thi đua {i}",
                                                                f"2025-03-{10 + i}")
                        for i in range(6)})
    site = site_of(folder)
    want = index_files(build_index(site))[0]
    _, built = index_update(site, Memo(tmp_path))  # a build writes the files soon after
    assert built == want
    state, served = index_update(site, MemoryMemo(tmp_path))  # serve makes each when written
    assert served.keys() == want.keys() and all(data is None for data in served.values())
    table = result_table(site)
    assert {name: file_bytes(state, name, table) for name in served} == want


@pytest.mark.parametrize("documents", [1, 2, 65_535, 65_536, 65_537, 1_000_000])
def test_postings_hold_every_document_number(documents: int) -> None:
    """The index's arrays are as small as the site allows, and never too small."""
    ids = array(_typecode(documents), [0, documents - 1])
    assert list(ids) == [0, documents - 1]
    assert ids.itemsize == (2 if documents <= 65_536 else 4)


def _lists(min_size: int) -> st.SearchStrategy[dict[str, list[int]]]:
    return st.dictionaries(st.text("abcdđ ", min_size=1, max_size=4),
                           st.sets(st.integers(0, 40), min_size=min_size, max_size=6).map(sorted),
                           max_size=12)


@given(_lists(1), _lists(0), st.integers(0, 40))
def test_postings_replaced_are_the_postings_made_afresh(
        lists: dict[str, list[int]], changes: dict[str, list[int]], number: int) -> None:
    """Postings in blocks (here of two keys, so that there are several): a key's numbers,
    the keys of a document, and new lists for some keys (an empty one removes the key)
    give what building them from the whole dictionary gives."""
    before = Postings.of({k: array("H", v) for k, v in lists.items()}, "H", block=2)
    assert all(0 < len(b.keys) <= 2 for b in before.blocks)
    assert {k: list(v) for k, v in before.as_dict().items()} == dict(sorted(lists.items()))
    assert before.holding(number) == {k for k, v in lists.items() if number in v}
    assert list(before.get("không có")) == []
    after = before.replaced({k: array("H", v) for k, v in changes.items()})
    merged = {k: v for k, v in {**lists, **changes}.items() if v}
    assert after == Postings.of({k: array("H", v) for k, v in merged.items()}, "H", block=2)
    for key, numbers in merged.items():
        assert list(after.get(key)) == numbers
    assert list(after.firsts) == sorted(after.firsts)
    # Blocks no change falls in are shared, not copied.
    effective = {k for k, v in changes.items() if v or k in lists}
    shared = sum(any(a is b for a in after.blocks) for b in before.blocks)
    assert shared >= len(before.blocks) - len(effective)


#: Numbers whose bytes straddle: 0x0302 (770) is the high byte of 0x02xx and the low byte
#: of 0x03xx side by side (in an 'H' array, little-endian), or the other way round.
_STRADDLING = st.one_of(st.integers(0, 1200), st.sampled_from((2, 3, 515, 770, 771, 0x0203)))


@given(st.dictionaries(st.text("abc", min_size=1, max_size=3),
                       st.sets(_STRADDLING, min_size=1, max_size=12).map(sorted), max_size=8),
       _STRADDLING, st.sampled_from(("H", "I")))
def test_the_keys_of_a_document_are_found_in_the_numbers_bytes(
        lists: dict[str, list[int]], number: int, code: str) -> None:
    """Postings.holding searches each block's bytes for a number's: a find that straddles
    two numbers (their bytes side by side make the number's) is not a key of it."""
    postings = Postings.of({k: array(code, v) for k, v in lists.items()}, code, block=3)
    assert postings.holding(number) == {k for k, v in lists.items() if number in v}


@given(_VIETNAMESE)
def test_an_exact_key_folds_to_its_term(text: str) -> None:
    for term, form in exact_terms(text):
        assert fold(form) == term != form
        assert exact(form) == form  # already the one form: NFC, folded case, one placement
    assert exact("Hoà") == exact("HÒA") == "hòa" and exact("Thuỷ") == "thủy"
