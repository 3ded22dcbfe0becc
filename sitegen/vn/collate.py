"""Vietnamese alphabetical order; no IO.

Order of the alphabet (with the Latin letters f, j, w, z slotted after
their Latin neighbours)::

    a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z

Strings are compared in levels, like a dictionary:

1. base letters of the whole string, case-insensitive (digits before
   letters, spaces and punctuation before digits);
2. tones, as a tie-breaker: ngang (none), huyền, hỏi, ngã, sắc, nặng;
3. case, lowercase first;
4. finally the normalised string itself, so the order is total and
   deterministic whatever the input order.

Input may be NFD or use the old tone placement ("hoà"); it is normalised
with :func:`sitegen.vn.text.normalize_tones` first, so both spellings get
the same key.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

from sitegen.vn.text import TONE_MARKS, normalize_tones

__all__ = ["ALPHABET", "SortKey", "packed_key", "sort_key", "sorted_vi"]

#: Letters in collation order (lowercase; each entry is one NFC character).
ALPHABET: tuple[str, ...] = (
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j",
    "k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư",
    "v", "w", "x", "y", "z",
)  # fmt: skip

#: (primary weights, tone weights, case weights, normalised string)
SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]

# Primary weights: separators < punctuation < digits < Vietnamese/Latin
# letters < every other character (by code point).
_W_SPACE = 0
_W_PUNCT = 1
_W_DIGIT0 = 10
_W_LETTER0 = 100
_W_OTHER0 = 1000

_LETTER_WEIGHT: dict[str, int] = {letter: _W_LETTER0 + i for i, letter in enumerate(ALPHABET)}

# Tone weight per combining mark; 0 is ngang (no mark).
_TONE_WEIGHT: dict[str, int] = {mark: i + 1 for i, mark in enumerate(TONE_MARKS)}

# Vowel modifiers that make a distinct letter (breve, circumflex, horn).
_MODIFIERS = frozenset({"\u0306", "\u0302", "\u031b"})


# Each character once: a site's titles repeat a few hundred characters (benchmarks/README.md,
# 'Figures behind the code').
@functools.lru_cache(maxsize=4096)
def _char_weights(ch: str) -> tuple[int, int, int]:
    """Take one NFC character; return its (primary, tone, case) weights."""
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    marks = decomposed[1:]
    tone = 0
    letter = base
    for mark in marks:
        if mark in _TONE_WEIGHT:
            tone = _TONE_WEIGHT[mark]
        elif mark in _MODIFIERS:
            letter += mark
    letter = unicodedata.normalize("NFC", letter)
    lower = letter.lower()
    is_upper = 1 if lower != letter else 0
    if lower in _LETTER_WEIGHT:
        return _LETTER_WEIGHT[lower], tone, is_upper
    if base.isdigit() and base.isascii():
        return _W_DIGIT0 + int(base), tone, is_upper
    if base.isspace():
        return _W_SPACE, 0, 0
    category = unicodedata.category(base)
    if category[0] in "PSZC":
        return _W_PUNCT, 0, 0
    # Any other character (other scripts, other Latin letters such as ß):
    # after all our letters, by code point of its lowercase base.
    lower_base = base.lower()
    code = ord(lower_base) if len(lower_base) == 1 else ord(base)
    return _W_OTHER0 + code, tone, is_upper


def sort_key(s: str) -> SortKey:
    """Take a string; return a key that sorts it in Vietnamese order.

    Accepts NFD input and the old tone placement; both give the same key as
    the NFC, new-placement spelling.  See the module docstring for levels.
    """
    normalised = normalize_tones(s)
    primary: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for ch in normalised:
        p, t, c = _char_weights(ch)
        primary.append(p)
        tones.append(t)
        cases.append(c)
    return tuple(primary), tuple(tones), tuple(cases), normalised


def packed_key(s: str) -> bytes:
    """Take a string; return :func:`sort_key` as one bytes string that sorts the same way.

    Each level is written weight by weight (the primary in three bytes, tone and case in
    one, each weight plus one) and ended by zeros, so that a shorter level sorts first as in
    a tuple; the normalised string follows in UTF-8 (code point order). A page keeps this
    form: far less memory than the tuples (benchmarks/README.md, 'Figures behind the code'),
    and quick to load from the build cache.
    """
    primary, tones, cases, normalised = sort_key(s)
    out = bytearray()
    for weight in primary:
        out += (weight + 1).to_bytes(3, "big")
    out += b"\0\0\0"
    out += bytes(t + 1 for t in tones) + b"\0"
    out += bytes(c + 1 for c in cases) + b"\0"
    out += normalised.encode("utf-8", "surrogatepass")
    return bytes(out)


def sorted_vi(items: Iterable[str]) -> list[str]:
    """Take strings; return a new list of them in Vietnamese order."""
    return sorted(items, key=sort_key)
