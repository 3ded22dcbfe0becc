"""ASCII address parts ("slugs") from Vietnamese titles; no IO.

Written directly instead of on top of python-slugify.  python-slugify
transliterates through a third-party table (text-unidecode/Unidecode) whose
output may change between versions, which would silently move published
addresses; it also applies its own truncation rules.  Doing the few steps
here keeps every property we promise (ASCII, stable, idempotent, bounded
length, never empty) under our own tests, and Vietnamese needs no
transliteration table: stripping combining marks plus ``đ`` → ``d`` covers
the whole alphabet.
"""

from __future__ import annotations

import hashlib
import re

from sitegen.vn.text import fold, nfc

__all__ = ["SLUG_RE", "slugify"]

#: What every result of :func:`slugify` matches.
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")

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

_FALLBACK_PREFIX = "bai-"


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
    at both ends, then cut at a word boundary to ``max_length``.  When
    nothing is left, "bai-" + the first 8 hex digits of
    ``blake2b(nfc(text).encode(), digest_size=8)``.

    "Gương sáng Đinh Thị Hoa" → "guong-sang-dinh-thi-hoa".  NFD and NFC
    input give the same slug, and ``slugify(slugify(x)) == slugify(x)``.
    Raises ValueError when ``max_length`` < 1.
    """
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    ascii_ish = fold(text).translate(_EXTRA_LATIN)
    slug = _NON_ALNUM_RE.sub("-", ascii_ish).strip("-")
    slug = _truncate(slug, max_length)
    return slug or _fallback(text, max_length)
