"""An article's ``unit`` against the department's list (``config.units``); pure.

A unit written otherwise than in the list ("Phòng QLDL" for "Phòng Quản lý du lịch") would
become a unit of its own in the yearly report, while the real one is undercounted; so it is
a warning (an error under ``--strict``) that names the nearest unit of the list. Near means,
the Vietnamese way: without accents and case, with the words of a name shortened to their
initials as people abbreviate them (QLDL, KH-TC), or a part of the name, or a slip of a few
letters.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from sitegen.core.errors import Problem, warning
from sitegen.core.suggest import distance
from sitegen.vn.slug import slugify
from sitegen.vn.text import fold

_WORD = re.compile(r"\w+")


def _words(name: str) -> list[str]:
    return _WORD.findall(fold(name))


def _forms(name: str) -> set[str]:
    """``name`` folded, and with its last words cut to initials: "phong quan ly du lich",
    "phong qldl", "pqldl" … (every split)."""
    words = _words(name)
    return {" ".join([*words[:k], "".join(w[0] for w in words[k:])]).strip()
            for k in range(len(words))} | {" ".join(words)}


def _score(typed: str, unit: str) -> float:
    """How far ``typed`` is from ``unit``: 0 for an abbreviation of it or a run of its
    words, else the share of letters to change (1 is nothing alike)."""
    typed_words = _words(typed)
    plain = " ".join(typed_words)
    if not plain:
        return 1.0
    unit_words = _words(unit)
    n = len(typed_words)
    if plain in _forms(unit) or any(unit_words[i:i + n] == typed_words
                                    for i in range(len(unit_words) - n + 1)):
        return 0.0
    return min(distance(plain, form) / max(len(plain), len(form)) for form in _forms(unit))


def nearest_unit(typed: str, units: Sequence[str]) -> str | None:
    """The unit of ``units`` nearest ``typed``, or None when none is near (a third of the
    letters or more to change)."""
    scored = sorted((_score(typed, u), i) for i, u in enumerate(units))
    return units[scored[0][1]] if scored and scored[0][0] < 1 / 3 else None


@functools.lru_cache(maxsize=8)
def _folded(units: tuple[str, ...]) -> frozenset[str]:
    """The units as compared (slugs: case, accents and tone placement folded), made once for
    the config's list rather than once an article."""
    return frozenset(slugify(u) for u in units)


def unit_problem(rel: str, line: int | None, unit: str, units: Sequence[str]) -> Problem | None:
    """A warning when ``unit`` is not one of ``units`` (the same up to case, accents and tone
    placement counts as one, as in the report); None when it is, or when no list is kept."""
    if not units or slugify(unit) in _folded(tuple(units)):
        return None
    best = nearest_unit(unit, units)
    hint = (f'có phải ý bạn là "{best}"? Chép đúng tên đó' if best else
            "chép đúng một tên trong danh sách: " + "; ".join(units))
    return warning(rel, f'đơn vị "{unit}" không có trong danh sách units của config.yaml, nên '
                        "báo cáo năm sẽ tính nó là một đơn vị riêng.",
                   "unknown-unit", line=line, key="unit",
                   fix=f"{hint}; đơn vị mới thì nhờ quản trị thêm vào units trong config.yaml.")
