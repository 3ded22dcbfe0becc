"""Tests for sitegen.vn.collate: Vietnamese alphabetical order."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.vn.collate import ALPHABET, packed_key, sort_key, sorted_vi
from sitegen.vn.text import normalize_tones

words = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắầẻễịọốờủũựỳ 0129-")),
    max_size=20,
)


def test_brief_example() -> None:
    items = ["Đà Nẵng", "Dung", "Ăn", "An", "Âu", "Bình", "Hòa", "hoa"]
    assert sorted_vi(items) == ["An", "Ăn", "Âu", "Bình", "Dung", "Đà Nẵng", "hoa", "Hòa"]


def test_alphabet_order() -> None:
    expected = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert sorted_vi(shuffled) == expected
    assert list(ALPHABET) == expected


def test_tone_order_is_dictionary_order() -> None:
    expected = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted_vi(reversed(expected)) == expected


def test_tones_only_break_ties() -> None:
    # Base letters of the whole string decide first.
    assert sorted_vi(["ma c", "mà b"]) == ["mà b", "ma c"]
    assert sorted_vi(["mai", "má"]) == ["má", "mai"]
    assert sorted_vi(["Hưng", "hùng", "hung"]) == ["hung", "hùng", "Hưng"]


def test_case_is_ignored_except_as_last_tie_breaker() -> None:
    assert sorted_vi(["bình", "An"]) == ["An", "bình"]
    assert sorted_vi(["Hoa", "hoa"]) == ["hoa", "Hoa"]
    assert sorted_vi(["HÒA", "hoa", "Hòa"]) == ["hoa", "Hòa", "HÒA"]


def test_d_with_stroke_after_d() -> None:
    assert sorted_vi(["Đa", "Dz", "Dương", "Đăng"]) == ["Dương", "Dz", "Đa", "Đăng"]


def test_digits_before_letters_and_spaces_first() -> None:
    assert sorted_vi(["b", "1", "a", "9"]) == ["1", "9", "a", "b"]
    assert sorted_vi(["Anh", "An Giang"]) == ["An Giang", "Anh"]


def test_latin_extras_follow_their_neighbours() -> None:
    assert sorted_vi(["g", "f", "ê"]) == ["ê", "f", "g"]
    assert sorted_vi(["k", "j", "i"]) == ["i", "j", "k"]
    assert sorted_vi(["x", "w", "v"]) == ["v", "w", "x"]
    assert sorted_vi(["z", "y"]) == ["y", "z"]


def test_nfd_and_old_placement_give_the_same_key() -> None:
    assert sort_key("Hoà") == sort_key("Hòa")
    assert sort_key(unicodedata.normalize("NFD", "Thuỷ")) == sort_key("Thủy")


def test_units_from_config_sort() -> None:
    units = [
        "Văn phòng Sở",
        "Phòng Quản lý du lịch",
        "Phòng Kế hoạch - Tài chính",
        "Trung tâm Thông tin xúc tiến du lịch",
        "Ban Quản lý Quần thể danh thắng Tràng An",
        "Khu du lịch Tam Cốc - Bích Động",
        "Hiệp hội Du lịch Ninh Bình",
    ]
    assert sorted_vi(units) == [
        "Ban Quản lý Quần thể danh thắng Tràng An",
        "Hiệp hội Du lịch Ninh Bình",
        "Khu du lịch Tam Cốc - Bích Động",
        "Phòng Kế hoạch - Tài chính",
        "Phòng Quản lý du lịch",
        "Trung tâm Thông tin xúc tiến du lịch",
        "Văn phòng Sở",
    ]


@settings(max_examples=200)
@given(words)
def test_key_invariant_under_nfd(s: str) -> None:
    assert sort_key(unicodedata.normalize("NFD", s)) == sort_key(s)


OLD_NEW = [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Uỷ", "Ủy"), ("hoá", "hóa")]


@settings(max_examples=100)
@given(words, st.sampled_from(OLD_NEW), words)
def test_key_invariant_under_tone_placement(before: str, pair: tuple[str, str], after: str) -> None:
    old, new = pair
    assert sort_key(f"{before} {old} {after}") == sort_key(f"{before} {new} {after}")


@settings(max_examples=200)
@given(words, words)
def test_equal_keys_iff_same_normalised_text(a: str, b: str) -> None:
    assert (sort_key(a) == sort_key(b)) == (normalize_tones(a) == normalize_tones(b))


@settings(max_examples=100)
@given(st.lists(words, max_size=15))
def test_sorted_vi_is_a_deterministic_sorted_permutation(items: list[str]) -> None:
    result = sorted_vi(items)
    assert sorted(result) == sorted(items)
    keys = [sort_key(item) for item in result]
    assert keys == sorted(keys)
    reverse_result = sorted_vi(list(reversed(items)))
    assert [normalize_tones(x) for x in reverse_result] == [normalize_tones(x) for x in result]


@settings(max_examples=100)
@given(words, words)
def test_tones_never_outrank_base_letters(a: str, b: str) -> None:
    # Stripping tones on both sides must not reverse a strict base-letter order.
    def strip(s: str) -> str:
        marks = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
        nfd = unicodedata.normalize("NFD", normalize_tones(s))
        return unicodedata.normalize("NFC", "".join(ch for ch in nfd if ch not in marks))

    if sort_key(strip(a))[0] < sort_key(strip(b))[0]:
        assert sort_key(a) < sort_key(b)


@pytest.mark.parametrize("text", ["", " ", "-", "123"])
def test_key_accepts_edge_cases(text: str) -> None:
    primary, tones, cases, normalised = sort_key(text)
    assert len(primary) == len(tones) == len(cases) == len(text)
    assert normalised == text
    assert sorted_vi(["a", text]) == [text, "a"]


@settings(max_examples=300)
@given(st.one_of(words, st.text(max_size=12)), st.one_of(words, st.text(max_size=12)))
def test_packed_keys_sort_as_keys_do(a: str, b: str) -> None:
    """The bytes a page keeps order two titles exactly as the key tuples do (any text,
    prefixes, other scripts, surrogates included)."""
    assert (packed_key(a) < packed_key(b)) == (sort_key(a) < sort_key(b))
    assert (packed_key(a) == packed_key(b)) == (sort_key(a) == sort_key(b))


def test_packed_keys_put_a_prefix_first() -> None:
    titles = ["Thi đua", "Thi", "Thị", "thi đua yêu nước", "Thi  đua", "Đà Lạt", "Da"]
    assert sorted(titles, key=packed_key) == sorted(titles, key=sort_key)
