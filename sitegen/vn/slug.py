"""ASCII address parts ("slugs") from Vietnamese titles; no IO.

What python-slugify does and what sitegen keeps:

* sitegen applies the Vietnamese rules first, with :func:`sitegen.vn.text.fold`
  (NFC, casefold, ``đ``/``Đ`` → ``d``, every tone mark and vowel modifier
  stripped) plus a few Latin letters that have no decomposition (``ß`` →
  ``ss``, ``ø`` → ``o``, ...).  Vietnamese needs no transliteration table:
  after this step a Vietnamese title is plain ASCII.
* sitegen then marks every character outside ``[a-z0-9]`` as a separator,
  except letters of non-Latin scripts in a title that has no Latin letter
  at all.  This is what keeps published addresses where they are:
  python-slugify's own ASCII step would otherwise change Vietnamese slugs
  (it drops the comma of a decimal "6,5" → ``65``, drops ``’`` inside a word
  → ``divoire``, and transliterates symbols: ``m²`` → ``m2``, ``°C`` → ``degc``,
  ``€`` → ``eur``, ``©`` → ``c``).  A Vietnamese title that quotes a Greek
  or Cyrillic letter ("β-caroten", "10 Ω") keeps its old address too.
* python-slugify (its frozen "legacy" pipeline and the text-unidecode
  backend, both named; entity decoding off; no length limit) does the ASCII
  step on that: it transliterates the remaining non-Latin letters ("Москва"
  → ``moskva``, "中文" → ``zhong-wen``), lowercases, turns every run of
  other characters into one hyphen and trims hyphens at both ends.  A title
  with a Latin letter is already ``[a-z0-9-]`` at that point and is not
  passed to it: sitegen's own rule gives the same result, faster
  (benchmarks/README.md, 'Figures behind the code').
* sitegen keeps its own truncation (cut at the last word boundary, see
  :func:`_truncate`; python-slugify's ``word_boundary`` rules differ) and its
  "bai-" + hash fallback when nothing is left, so that every promised
  property (ASCII, stable, idempotent, at most ``max_length``, never
  empty, matches :data:`SLUG_RE`) stays under sitegen's own tests.

Why this is safe although transliteration tables may change between
releases: requirements/*.txt lock python-slugify and text-unidecode with
hashes, so the table cannot move an address silently, and naming the
backend keeps an installed Unidecode from taking over.  A lock update that
changed a slug would fail the pinned transliterations in
tests/vn/test_slug.py and, for Vietnamese titles, the comparison with the
pre-change implementation there and the golden site test.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from slugify import slugify as _ascii_slug

from sitegen.vn.text import fold, nfc

__all__ = ["SLUG_RE", "slugify"]

#: What every result of :func:`slugify` matches.
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_LATIN_LETTER_RE = re.compile(r"[a-z]")

# A few Latin letters that have no decomposition to a base letter, so that
# names such as "Øresund" or "Straße" keep their letters.  Vietnamese does
# not need any of these.
_EXTRA_LATIN = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)

# Blocks of Latin letters, Latin-looking letters and letter-like symbols
# (IPA, modifier letters, super/subscripts, ℓ ℕ, ligatures, fullwidth and
# mathematical letters).  Such a letter that is still not ASCII after the
# Vietnamese rules stays a separator, as it always was.
_LATIN_BLOCK_RE = re.compile(
    "["
    "\u0000-\u02ff"  # Basic Latin to Spacing Modifier Letters
    "\u1d00-\u1dbf"  # Phonetic Extensions (+ Supplement)
    "\u1e00-\u1eff"  # Latin Extended Additional
    "\u2070-\u218f"  # Super/Subscripts, Letterlike Symbols, Number Forms
    "\u2c60-\u2c7f"  # Latin Extended-C
    "\ua720-\ua7ff"  # Latin Extended-D
    "\uab30-\uab6f"  # Latin Extended-E
    "\ufb00-\ufb06"  # Latin ligatures
    "\uff21-\uff3a\uff41-\uff5a"  # fullwidth Latin letters
    "\U00010780-\U000107bf"  # Latin Extended-F
    "\U0001d400-\U0001d7ff"  # Mathematical Alphanumeric Symbols
    "\U0001df00-\U0001dfff"  # Latin Extended-G
    "]"
)

# The micro sign is a Latin-1 symbol that case folding turns into the Greek
# letter μ; it stays a separator.  (The ohm sign cannot get the same care:
# it is canonically equivalent to Greek Ω, and NFD and NFC input must agree.)
_MICRO_SIGN = "\u00b5"

_FALLBACK_PREFIX = "bai-"


def _keep_other_scripts(match: re.Match[str]) -> str:
    """Take a run of characters outside ``[a-z0-9]``; return what python-slugify sees.

    Letters of non-Latin scripts, and combining marks right after them (the
    spacing vowel signs of Devanagari, Thai, ...), are kept for
    transliteration; everything else, non-ASCII digits included, becomes a
    hyphen.
    """
    run = match.group(0)
    if run.isascii():
        return "-"
    kept: list[str] = []
    in_word = False
    for ch in run:
        if ch.isalpha() and not _LATIN_BLOCK_RE.match(ch):
            in_word = True
        elif not (in_word and unicodedata.category(ch).startswith("M")):
            in_word = False
            ch = "-"
        kept.append(ch)
    return "".join(kept)


def _truncate(slug: str, max_length: int) -> str:
    """Take a valid slug; return it cut to at most ``max_length`` characters.

    The cut is made at the last hyphen at or before ``max_length`` so whole
    words are kept; a first word longer than ``max_length`` is cut hard.
    """
    if len(slug) <= max_length:
        return slug
    boundary = slug.rfind("-", 0, max_length + 1)
    if boundary > 0:
        return slug[:boundary]
    return slug[:max_length]


def _fallback(text: str, max_length: int) -> str:
    """Take the original text; return "bai-" plus 8 hex digits of its hash.

    Used when nothing of the text survives; the hash (BLAKE2b, 8-byte
    digest, of the NFC text) keeps different empty-looking titles apart.
    Cut hard to ``max_length`` (without a trailing hyphen) for very small
    limits.
    """
    digest = hashlib.blake2b(nfc(text).encode("utf-8"), digest_size=8).hexdigest()
    return (_FALLBACK_PREFIX + digest[:8])[:max_length].rstrip("-")


def slugify(text: str, max_length: int = 80) -> str:
    """Take a title and a length limit; return a non-empty ASCII slug.

    Steps: NFC, lowercase, ``đ``/``Đ`` → ``d``, strip diacritics, every run
    of characters outside ``[a-z0-9]`` becomes one hyphen, hyphens trimmed
    at both ends, then cut at a word boundary to ``max_length``.  A title
    without any Latin letter has its letters of other scripts transliterated
    by python-slugify ("Москва" → "moskva") instead.  When nothing is left,
    "bai-" + the first 8 hex digits of
    ``blake2b(nfc(text).encode(), digest_size=8)``.

    "Gương sáng Đinh Thị Hoa" → "guong-sang-dinh-thi-hoa".  NFD and NFC
    input give the same slug, and ``slugify(slugify(x)) == slugify(x)``.
    Raises ValueError when ``max_length`` < 1.
    """
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    folded = fold(text.replace(_MICRO_SIGN, " ")).translate(_EXTRA_LATIN)
    if _LATIN_LETTER_RE.search(folded):  # Vietnamese and Latin titles: sitegen's own rule
        slug = _NON_ALNUM_RE.sub("-", folded).strip("-")
    else:  # letters of other scripts, if any, are transliterated by python-slugify
        slug = _ascii_slug(_NON_ALNUM_RE.sub(_keep_other_scripts, folded), entities=False,
                           decimal=False, hexadecimal=False, backend="text-unidecode",
                           algorithm="legacy")
    slug = _truncate(slug, max_length)
    return slug or _fallback(text, max_length)
