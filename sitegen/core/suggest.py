"""Nearest-known-word suggestions for misspelt keys (``tittle`` → ``title``); pure."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, known: Iterable[str]) -> str | None:
    """Return the known word closest to ``word``, or None when nothing is close."""
    matches = difflib.get_close_matches(word.lower(), sorted(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_key_fix(word: str, known: Iterable[str]) -> str:
    """Return the Vietnamese fix for an unknown key: the nearest key, or the list of keys."""
    known = sorted(known)
    best = nearest(word, known)
    if best:
        return f'có phải ý bạn là "{best}"? Sửa tên khóa, hoặc xóa dòng này nếu không dùng.'
    return "các khóa được dùng: " + ", ".join(known) + "."
