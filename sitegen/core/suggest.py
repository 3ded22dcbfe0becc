"""Nearest-known-word suggestions for misspelt keys (``tittle`` → ``title``); pure.

A word is suggested only when it is a slip away from what was typed: a few letters
typed wrong, left out, doubled or swapped (an edit distance of about one letter in three),
so that ``math`` (another generator's key) is not answered with ``author``.
"""

from __future__ import annotations

from collections.abc import Iterable


def distance(a: str, b: str) -> int:
    """The number of letters to insert, delete, change or swap (two side by side) to turn
    ``a`` into ``b`` (the optimal-string-alignment distance)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[len(b)]


def close_enough(typed: str, known: str) -> bool:
    """Whether ``known`` is a likely slip for ``typed``: at most one edit in three letters of
    the longer word and never more than three, or ``typed`` is ``known`` with a word more
    (``tin-tuc-moi`` for ``tin-tuc``)."""
    if len(known) >= 3 and any(typed.startswith(known + sep) or typed.endswith(sep + known)
                               for sep in "-_ "):
        return True
    return distance(typed, known) <= min(3, max(1, max(len(typed), len(known)) // 3))


def nearest(word: str, known: Iterable[str]) -> str | None:
    """Return the known word closest to ``word``, or None when nothing is close."""
    typed = word.lower()
    scored = sorted((distance(typed, k.lower()), k) for k in known
                    if close_enough(typed, k.lower()))
    return scored[0][1] if scored else None


def unknown_key_fix(word: str, known: Iterable[str]) -> str:
    """Return the Vietnamese fix for an unknown key: the nearest key, or the list of keys."""
    known = sorted(known)
    best = nearest(word, known)
    if best:
        return f'có phải ý bạn là "{best}"? Sửa tên khóa, hoặc xóa dòng này nếu không dùng.'
    return "các khóa được dùng: " + ", ".join(known) + "."
