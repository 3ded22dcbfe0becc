"""Tests for sitegen.vn.text: NFC, tone placement, folding, same_key."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.vn.text import TONE_MARKS, fold, nfc, normalize_tones, same_key

VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđghklmnpqrstvx"


def _all_letters() -> list[str]:
    """Return every Vietnamese letter, lower and upper, with every tone."""
    letters: list[str] = []
    for vowel in VOWELS:
        letters.append(vowel)
        letters.extend(nfc(vowel + mark) for mark in TONE_MARKS)
    letters.extend(CONSONANTS)
    letters.extend([letter.upper() for letter in letters])
    return letters


VIETNAMESE_LETTERS = _all_letters()
vietnamese_text = st.text(
    alphabet=st.sampled_from([*VIETNAMESE_LETTERS, " ", "-", ",", "0", "9"]),
    max_size=40,
)

# Onsets that can precede oa/oe/uy, and the three ambiguous rhymes.
ONSETS = ["", "b", "ch", "đ", "h", "kh", "l", "ng", "nh", "t", "th", "tr", "x", "s"]


@st.composite
def ambiguous_syllable(draw: st.DrawFn) -> tuple[str, str]:
    """Draw an oa/oe/uy syllable; return (old placement, new placement)."""
    onset = draw(st.sampled_from(ONSETS))
    rhyme = draw(st.sampled_from(["oa", "oe", "uy"]))
    tone = draw(st.sampled_from(TONE_MARKS))
    upper = draw(st.booleans())
    on_second = onset + rhyme[0] + nfc(rhyme[1] + tone)
    on_first = onset + nfc(rhyme[0] + tone) + rhyme[1]
    if upper:
        return on_second.upper(), on_first.upper()
    return on_second, on_first


def test_nfc_composes_decomposed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Thủy Đinh Thị Hoa")
    assert decomposed != "Thủy Đinh Thị Hoa"
    assert nfc(decomposed) == "Thủy Đinh Thị Hoa"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Hoá", "Hóa"),
        ("uỷ", "ủy"),
        ("Uỷ ban", "Ủy ban"),
        ("UỶ BAN", "ỦY BAN"),
        ("HOÀ", "HÒA"),
        ("toà án", "tòa án"),
        ("Hoà Bình, Thuỷ-lợi!", "Hòa Bình, Thủy-lợi!"),
        ("xoè", "xòe"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("luỹ", "lũy"),
    ],
)
def test_old_placement_is_rewritten(old: str, new: str) -> None:
    assert normalize_tones(old) == new
    assert normalize_tones(new) == new
    assert normalize_tones(old) == normalize_tones(new)


@pytest.mark.parametrize(
    "word",
    [
        "quý",  # "qu" onset: the tone is on y in every convention
        "quỳ",
        "Quỷ",
        "hoàn",  # final consonant: unambiguous
        "toán",
        "khuya",  # rhyme "uya", not "uy"
        "khuỷu",
        "giữ",
        "gìn",
        "hoa",  # no tone mark
        "Nguyễn",
        "thuở",
        "hòa",
    ],
)
def test_unambiguous_syllables_are_kept(word: str) -> None:
    assert normalize_tones(word) == word


def test_normalize_tones_returns_nfc_for_nfd_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Hoà thuỷ")
    assert normalize_tones(decomposed) == "Hòa thủy"


@given(ambiguous_syllable())
def test_both_placements_normalise_to_the_first_vowel(pair: tuple[str, str]) -> None:
    old, new = pair
    assert normalize_tones(old) == new
    assert normalize_tones(unicodedata.normalize("NFD", old)) == new


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_normalize_tones_is_idempotent_nfc_and_length_preserving(s: str) -> None:
    once = normalize_tones(s)
    assert normalize_tones(once) == once
    assert once == nfc(once)
    assert len(once) == len(nfc(s))
    assert fold(once) == fold(s)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Thi Đua", "thi dua"),
        ("Đinh", "dinh"),
        ("đường", "duong"),
        ("Ninh Bình", "ninh binh"),
        ("TRÀNG AN", "trang an"),
        ("Hoà", "hoa"),
        ("Ưu tú", "uu tu"),
    ],
)
def test_fold_examples(text: str, folded: str) -> None:
    assert fold(text) == folded


@settings(max_examples=200)
@given(vietnamese_text)
def test_fold_of_vietnamese_is_ascii_and_nfd_insensitive(s: str) -> None:
    folded = fold(s)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(unicodedata.normalize("NFD", s)) == folded


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("du lịch", "Du Lịch"),
        ("  du   lịch ", "du lịch"),
        ("Hoà Lư", "hòa lư"),
        ("Uỷ ban", "ủy ban"),
        ("Phòng Quản lý\tdu lịch", "phòng quản lý du lịch"),
        (unicodedata.normalize("NFD", "Tràng An"), "tràng an"),
    ],
)
def test_same_key_matches(a: str, b: str) -> None:
    assert same_key(a) == same_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("du lịch", "du lich"),  # diacritics are kept
        ("Đinh", "Dinh"),
        ("hòa", "hỏa"),
        ("Tam Cốc", "Tam  Cốc  Bích Động"),
    ],
)
def test_same_key_keeps_distinctions(a: str, b: str) -> None:
    assert same_key(a) != same_key(b)


def test_same_key_collapses_and_strips() -> None:
    assert same_key("  Văn   phòng\nSở  ") == "văn phòng sở"


@settings(max_examples=200)
@given(st.text(max_size=30))
def test_same_key_is_idempotent(s: str) -> None:
    key = same_key(s)
    assert same_key(key) == key
    assert key == key.strip()
    assert "  " not in key
