"""Pure helpers for Vietnamese text: normalisation, tone placement, folding.

Nothing in this module performs IO; every function maps a ``str`` to a ``str``.

Vietnamese letters carry up to two diacritics: a *vowel modifier*
(breve in ``ă``, circumflex in ``â ê ô``, horn in ``ơ ư``) and one of five
*tone marks* (huyền ``à``, hỏi ``ả``, ngã ``ã``, sắc ``á``, nặng ``ạ``).  The
letter ``đ`` is a separate letter, not ``d`` plus a mark, so Unicode
decomposition never turns it into ``d``; it is mapped explicitly where needed.

Tone placement: in the open rhymes ``oa``, ``oe``, ``uy`` two spellings are
in use, mark on the first vowel (``hòa``, ``khỏe``, ``thủy``, ``Ủy ban``)
or on the second (``hoà``, ``khoẻ``, ``thuỷ``, ``Uỷ ban``).
:func:`normalize_tones` rewrites both to the first, which is the spelling
of the Department's own documents and of current administrative texts
("Ủy ban nhân dân").  (Linguists call the second one the "new" placement;
which name applies does not matter here, only that there is one form.)
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "TONE_MARKS",
    "fold",
    "nfc",
    "normalize_tones",
    "same_key",
    "upper_first",
]

#: Combining characters of the five Vietnamese tone marks, in dictionary
#: order (huyền, hỏi, ngã, sắc, nặng).  "ngang" is the absence of a mark.
TONE_MARKS: tuple[str, ...] = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

_TONE_SET = frozenset(TONE_MARKS)

# A run of letters (no digits, no underscore) is one syllable candidate.
_WORD_RE = re.compile(r"[^\W\d_]+")

# Initial consonants that may stand before the rhymes "oa", "oe", "uy".
# "q" is deliberately absent: in "quy"/"quý" the "u" belongs to the onset
# "qu" and the tone already sits on "y" under either convention.
_ONSETS = frozenset(
    {
        "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l",
        "m", "n", "ng", "ngh", "nh", "p", "ph", "r", "s", "t", "th", "tr",
        "v", "x",
    }
)  # fmt: skip

# The rhymes whose tone placement is ambiguous when nothing follows them.
_AMBIGUOUS_RHYMES = ("oa", "oe", "uy")


def nfc(s: str) -> str:
    """Take any string and return its Unicode NFC (composed) form."""
    return unicodedata.normalize("NFC", s)


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Take an NFC syllable; return it NFC without its tone mark, and the mark.

    The mark is ``None`` when the syllable carries no tone mark or carries
    more than one (which is not valid Vietnamese and is left alone).
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [ch for ch in decomposed if ch in _TONE_SET]
    if len(tones) != 1:
        return syllable, None
    bare = "".join(ch for ch in decomposed if ch not in _TONE_SET)
    return nfc(bare), tones[0]


@functools.lru_cache(maxsize=65_536)  # syllables repeat: each one worked out once
def _canonical_syllable(syllable: str) -> str:
    """Take one NFC syllable; return it NFC with the canonical tone placement.

    Only an onset followed by exactly ``oa``, ``oe`` or ``uy`` (no final
    consonant, no further vowel) is touched: the tone mark is put on the
    first vowel of the pair (``hòa``, ``khỏe``, ``thủy``, ``Ủy``), the
    placement used in the Department's documents.  Everything else is
    returned unchanged.
    """
    bare, tone = _split_tone(syllable)
    if tone is None:
        return syllable
    lower = bare.lower()
    if len(lower) != len(bare):  # exotic case mapping; do not guess
        return syllable
    for rhyme in _AMBIGUOUS_RHYMES:
        if lower.endswith(rhyme) and lower[: -len(rhyme)] in _ONSETS:
            cut = len(bare) - len(rhyme)
            first_vowel = nfc(bare[cut] + tone)
            return bare[:cut] + first_vowel + bare[cut + 1 :]
    return syllable


def normalize_tones(s: str) -> str:
    """Take any string; return it NFC with one tone placement for oa/oe/uy.

    "hoà" and "hòa", "thuỷ" and "thủy", "khoẻ" and "khỏe", "uỷ" and "ủy"
    all come out as the second spelling of each pair (mark on the first
    vowel).  Work is done syllable by syllable, a syllable being a maximal
    run of letters; syllables with a final consonant (``hoàn``), with the
    onset ``qu`` (``quý``) or outside the three ambiguous rhymes are kept.
    Case is preserved.
    """
    return _WORD_RE.sub(lambda m: _canonical_syllable(m.group(0)), nfc(s))


def _strip_marks(s: str) -> str:
    """Take any string; return it with all combining marks (Mn) removed."""
    decomposed = unicodedata.normalize("NFD", s)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return nfc(kept)


def fold(s: str) -> str:
    """Take any string; return its search form: casefolded, no diacritics.

    NFC, casefold, every combining mark removed, ``đ``/``Đ`` → ``d``:
    "Thi Đua" → "thi dua", "Đinh" → "dinh".  Vietnamese text folds to
    plain ASCII.  Idempotent: ``fold(fold(s)) == fold(s)``.
    """
    return _strip_marks(nfc(s).casefold().replace("đ", "d"))


@functools.lru_cache(maxsize=65_536)  # tags, units and fields repeat across articles
def same_key(s: str) -> str:
    """Take a tag/unit/field name; return the key that decides "the same".

    ``casefold(normalize_tones(nfc(s.strip())))`` with every internal run
    of whitespace collapsed to one space.  Diacritics are kept, so
    "du lịch" and "du lich" have different keys, while "Hoà Lư" and
    "hòa  lư" share one.
    """
    collapsed = " ".join(nfc(s).split())
    return nfc(normalize_tones(collapsed).casefold())


def upper_first(s: str) -> str:
    """Take a name; return it with its first letter upper case and the rest as written
    ("khen thưởng" → "Khen thưởng", "đổi mới" → "Đổi mới"), as a title starts."""
    s = nfc(s)
    return s[:1].upper() + s[1:]
