"""Tests for sitegen.vn.slug.slugify."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.vn.slug import slugify

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Text biased towards Vietnamese letters, separators and the letter đ.
vietnamese_text = st.text(
    alphabet=st.sampled_from(list("aăâeêioôơuưyđĐbcdghklmnpqrstvx ÁÀẢÃẠớờởỡợ-_.,!?/0123456789")),
    max_size=60,
)
any_text = st.one_of(vietnamese_text, st.text(max_size=60))


def _fallback(text: str) -> str:
    """Return the documented fallback slug for text."""
    digest = hashlib.blake2b(unicodedata.normalize("NFC", text).encode(), digest_size=8)
    return "bai-" + digest.hexdigest()[:8]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Gương sáng Đinh Thị Hoa", "guong-sang-dinh-thi-hoa"),
        ("ĐẠI HỘI THI ĐUA YÊU NƯỚC", "dai-hoi-thi-dua-yeu-nuoc"),
        ("  --Tràng An, Tam Cốc!!  ", "trang-an-tam-coc"),
        ("Nghị định 145/2013/NĐ-CP", "nghi-dinh-145-2013-nd-cp"),
        ("Hoà bình & thuỷ lợi", "hoa-binh-thuy-loi"),
        ("Ưu tú_năm 2024", "uu-tu-nam-2024"),
    ],
)
def test_examples(title: str, expected: str) -> None:
    assert slugify(title) == expected


def test_nfd_input_gives_the_nfc_result() -> None:
    title = "Gương sáng Đinh Thị Hoa"
    decomposed = unicodedata.normalize("NFD", title)
    assert decomposed != title
    assert slugify(decomposed) == "guong-sang-dinh-thi-hoa"


def test_cut_at_last_word_boundary() -> None:
    assert slugify("mot hai ba bon", max_length=9) == "mot-hai"
    assert slugify("mot hai ba bon", max_length=10) == "mot-hai-ba"
    assert slugify("mot hai ba bon", max_length=7) == "mot-hai"
    assert slugify("mot hai ba bon", max_length=6) == "mot"


def test_single_long_word_is_cut_hard() -> None:
    assert slugify("a" * 100) == "a" * 80
    assert slugify("supercalifragilistic word", max_length=5) == "super"


def test_default_length_is_80() -> None:
    title = " ".join(["chiến sĩ thi đua"] * 20)
    result = slugify(title)
    assert len(result) <= 80
    assert len(result) > 70  # only the last partial word was dropped
    assert result.startswith("chien-si-thi-dua-chien")


@pytest.mark.parametrize("title", ["", "!!!", "   ", "中文标题", "—·—", "😀"])
def test_fallback_when_nothing_remains(title: str) -> None:
    assert slugify(title) == _fallback(title)
    assert SLUG.match(slugify(title))


def test_fallbacks_differ_for_different_titles() -> None:
    assert slugify("中文") != slugify("日本語")


def test_fallback_is_cut_to_small_limits() -> None:
    assert slugify("!!!", max_length=6) == _fallback("!!!")[:6]
    assert slugify("!!!", max_length=4) == "bai"


def test_max_length_must_be_positive() -> None:
    with pytest.raises(ValueError):
        slugify("abc", max_length=0)


@settings(max_examples=300)
@given(any_text, st.integers(min_value=1, max_value=100))
def test_slug_shape_length_and_idempotence(text: str, max_length: int) -> None:
    slug = slugify(text, max_length=max_length)
    assert slug
    assert SLUG.match(slug), slug
    assert len(slug) <= max_length
    assert slugify(slug, max_length=max_length) == slug


@settings(max_examples=200)
@given(any_text)
def test_default_slug_is_idempotent(text: str) -> None:
    slug = slugify(text)
    assert slugify(slug) == slug
    assert len(slug) <= 80


@settings(max_examples=200)
@given(vietnamese_text)
def test_nfd_equals_nfc(text: str) -> None:
    assert slugify(unicodedata.normalize("NFD", text)) == slugify(text)


@settings(max_examples=200)
@given(vietnamese_text)
def test_d_with_stroke_becomes_d(text: str) -> None:
    plain = text.replace("đ", "d").replace("Đ", "D")
    assert slugify(text) == slugify(plain)
    assert "đ" not in slugify(text)


@given(st.text(alphabet="đĐ", min_size=1, max_size=10))
def test_only_d_with_stroke(text: str) -> None:
    assert slugify(text) == "d" * len(text)


def test_latin_letters_without_decomposition_are_kept() -> None:
    assert slugify("Øresund Straße Æsir") == "oresund-strasse-aesir"
