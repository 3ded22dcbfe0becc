"""In-page links (``[mục 1](#muc-1)``) that lead nowhere: the body's rendered HTML in, the
fragments that match no id in it out; pure.

The ids are read from the HTML as rendered, not recomputed from the headings, so the check
holds whatever ids headings, footnotes and attribute lists (``{#muc-1}``) are given.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

_ID = re.compile(r'<[a-zA-Z][^<>]*?\sid="([^"]*)"')
_SAME_PAGE = re.compile(r'<a\s[^<>]*?href="#([^"]*)"')
#: Fragments a browser scrolls to without an element of that id: the top of the page.
_TOP = frozenset({"", "top"})


@dataclass(frozen=True)
class LostFragment:
    """A link ``#fragment`` (as written in the HTML) with no element of that id; ``nearest``
    is the body's id closest to it, if any is close."""

    fragment: str
    nearest: str | None


def lost_fragments(body_html: str) -> list[LostFragment]:
    """The distinct same-page fragments of ``body_html``'s links that match no id of it."""
    if 'href="#' not in body_html:
        return []
    ids = {html.unescape(m) for m in _ID.findall(body_html)}
    lost: list[LostFragment] = []
    for written in dict.fromkeys(_SAME_PAGE.findall(body_html)):
        fragment = html.unescape(written)
        if fragment.lower() in _TOP or fragment in ids or unquote(fragment) in ids:
            continue
        close = difflib.get_close_matches(unquote(fragment), sorted(ids), n=1, cutoff=0.6)
        lost.append(LostFragment(fragment, close[0] if close else None))
    return lost
