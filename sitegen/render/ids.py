"""A body's ids kept apart from the theme's: pure, but for reading the templates' sources.

    a body's HTML + the ids the theme's templates write → the body with its clashing ids renamed

Two elements of one id break the theme's script and the reader's "skip to content", so an
id that the article and page templates also give an element (``noi-dung``, the main
landmark; ``lien-ket-bai-viet``, the copy-link field) is renamed in the body.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Sequence, Set
from typing import Protocol

import jinja2
import jinja2.meta

_LITERAL_ID = re.compile(r'\bid="([^"{}]+)"')
_ID_IN_TAG = re.compile(r'(<[a-zA-Z][^<>]*?\sid=")([^"]+)"')

#: The templates a body is shown in, with what they include: the header and footer come
#: through chrome() and cards through card(), not by include, so they are named here.
BODY_TEMPLATES = ("article.html", "page.html", "_header.html", "_footer.html", "_card.html")


def own_ids(html: str, theme_ids: Set[str]) -> str:
    """``html`` (a body) with each id of ``theme_ids`` renamed ``<id>-bai`` (``<id>-bai-2`` …
    if the body has that id too), and the body's own links to it with it. Only ids in tags
    are read and renamed (a code sample's text is left as it is)."""
    own = {m[2] for m in _ID_IN_TAG.finditer(html)}
    for taken in sorted(own & theme_ids):
        new = free_id(f"{taken}-bai", own | theme_ids)
        own.add(new)
        html = re.sub(rf'(<[a-zA-Z][^<>]*?\sid="){re.escape(taken)}(")', rf"\g<1>{new}\2", html)
        html = re.sub(rf'(<a\s[^<>]*?href="#){re.escape(taken)}(")', rf"\g<1>{new}\2", html)
    return html


def free_id(wanted: str, taken: Set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3`` … the first that is not in ``taken``."""
    n, candidate = 1, wanted
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def template_ids(env: jinja2.Environment, names: Sequence[str] = BODY_TEMPLATES) -> set[str]:
    """The ids the templates ``names``, and those they extend, include or import, write
    literally."""
    ids: set[str] = set()
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        with contextlib.suppress(jinja2.TemplateError, OSError, UnicodeDecodeError, TypeError):
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
            found, referenced = _ids_and_references(env, source)
            ids.update(found)
            todo.extend(referenced)
    return ids


class KeptStates(Protocol):
    """Where a build keeps values for the next one (the render memo,
    :class:`sitegen.incremental.reuse.Memo`): under ``base``, the digest of the code, the
    config and every template's bytes."""

    @property
    def base(self) -> str: ...

    def state(self, name: str) -> object | None: ...

    def keep(self, name: str, value: object) -> None: ...


#: The name the theme's ids are kept under between builds (KeptStates.state).
THEME_IDS = "theme-ids"


def kept_template_ids(env: jinja2.Environment, states: KeptStates | None) -> frozenset[str]:
    """:func:`template_ids` of ``env``, kept in ``states`` from build to build under their
    ``base``: parsing the templates was 0.06 s of a one-article edit at 10,000 articles, and
    ``base`` changes with any template's bytes (or the code, or the config)."""
    base = states.base if states is not None else ""
    kept = states.state(THEME_IDS) if states is not None and base else None
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == base \
            and isinstance(kept[1], frozenset):
        return kept[1]
    ids = frozenset(template_ids(env))
    if states is not None and base:
        states.keep(THEME_IDS, (base, ids))
    return ids


@functools.lru_cache(maxsize=64)
def _ids_and_references(env: jinja2.Environment,
                        source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ids template ``source`` writes literally and the templates it names, parsed once
    a process (``serve`` shows bodies on every rebuild: 80 ms a rebuild parsing them)."""
    return (tuple(_LITERAL_ID.findall(source)),
            tuple(n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n))
