"""The search's fast paths against their plain forms: a Folder that has read many texts
gives each text's keys as a fresh reading does, and the postings filed wide and narrowed
are those filed one number at a time in arrays of their final type."""

from __future__ import annotations

import tracemalloc
from array import array
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.pages import Page
from sitegen.features.search.files import bitmap_bits
from sitegen.features.search.inverted import _narrowed, _postings, _typecode
from sitegen.features.search.keys import Folder, exact_terms, pairs, split_keys, terms

_WORDS = st.text(alphabet=st.sampled_from(list("aăâbdđeêhiouơưyAĐ àáạằầếệìòôộờùứựỳ,.-\u0301\u0323")),
                 max_size=30)


def _plain_keys(text: str, forms: bool = True) -> list[str]:
    """What Folder.keys gives, by its definition: the terms, the pairs, the exact keys."""
    words = terms(text)
    more = [form for _, form in exact_terms(text)] if forms else []
    return list(dict.fromkeys([*words, *pairs(words), *more]))


@given(st.lists(_WORDS, min_size=1, max_size=12), st.booleans())
def test_a_folder_that_has_read_other_texts_gives_the_same_keys(texts: list[str],
                                                                  forms: bool) -> None:
    # The same runs met again, in other texts and orders: each text's keys are its own.
    folder = Folder()
    for text in [*texts, " ".join(texts), *reversed(texts)]:
        assert split_keys(folder.keys(text, forms)) == _plain_keys(text, forms)


def test_a_folder_forgets_past_its_limit_and_still_gives_the_same_keys() -> None:
    folder = Folder()
    folder.LIMIT = 3
    texts = ["thi đua yêu nước", "Thi Đua, hoà bình", "thi đua - thi đua", "đua"] * 3
    for text in texts:
        assert split_keys(folder.keys(text)) == _plain_keys(text)
    assert len(folder.terms_of) <= 3 + len(set(" ".join(texts).split()))


@given(st.lists(st.integers(0, 65_535), max_size=200))
def test_narrowed_postings_are_the_numbers(numbers: list[int]) -> None:
    wide = array("I", numbers)
    assert _narrowed(wide, "H") == array("H", numbers)
    assert _narrowed(wide, "I") is wide


@dataclass(frozen=True)
class _Keyed:
    """A stand-in for a read page: its index keys alone (Page.derived_text)."""

    derived_text: str


def _plain_postings(pages: list[_Keyed]) -> tuple[dict[str, array[int]], dict[str, array[int]]]:
    """Each key's documents, filed one number at a time into arrays of the final type."""
    code = _typecode(len(pages))
    every: dict[str, array[int]] = defaultdict(lambda: array(code))
    titled: dict[str, array[int]] = defaultdict(lambda: array(code))
    for number, page in enumerate(pages):
        whole, _, heading = page.derived_text.partition("\0")
        for key in split_keys(whole):
            every[key].append(number)
        for key in split_keys(heading):
            titled[key].append(number)
    return dict(sorted(every.items())), dict(sorted(titled.items()))


_KEYS = st.lists(st.sampled_from(["thi", "dua", "thi dua", "đua", "nam", "2024"]),
                 unique=True, max_size=6).map("\n".join)


@given(st.lists(st.tuples(_KEYS, _KEYS).map("\0".join).map(_Keyed), max_size=30))
def test_postings_are_those_filed_a_number_at_a_time(pages: list[_Keyed]) -> None:
    got = _postings(cast(list[Page], pages))
    assert got == _plain_postings(pages)
    assert all(numbers.typecode == "H" for lists in got for numbers in lists.values())


def test_postings_past_two_bytes_keep_four() -> None:
    pages = [_Keyed("thi\ndua\0dua" if n % 2 else "thi\0") for n in range(65_538)]
    every, titled = _postings(cast(list[Page], pages))
    assert every["thi"].typecode == "I" and every["thi"][-1] == 65_537
    assert list(titled["dua"]) == list(range(1, 65_538, 2))
    assert (every, titled) == _plain_postings(pages)


def test_the_wide_lists_are_not_held_whole_beside_the_narrow_ones() -> None:
    """Narrowing lets each wide list go as its copy is made: the peak of filing is the wide
    lists and one copy, not both whole (a fifth of serve's peak at 10,000 articles)."""
    keys = "\n".join(f"khoa{k}" for k in range(40))
    pages = [_Keyed(f"{keys}\0thi") for _ in range(20_000)]
    wide = 4 * 20_000 * 41  # the bytes of every number filed wide
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        every, titled = _postings(cast(list[Page], pages))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(len(v) for v in every.values()) == 20_000 * 40 and len(titled["thi"]) == 20_000
    assert peak < wide * 1.25  # both whole: 1.5 × the wide lists


@given(st.sets(st.integers(0, 3000)).map(sorted))
def test_a_bitmap_has_the_bit_of_each_number(numbers: list[int]) -> None:
    assert bitmap_bits(array("H", numbers)) == sum(1 << n for n in numbers)
