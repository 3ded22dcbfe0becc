"""The Markdown writers use beyond Python-Markdown's own, and in-page links; pure.

* ``~~gạch~~`` (strikethrough, ``<del>``), ``==đánh dấu==`` (highlight, ``<mark>``) and
  task lists ``- [ ] việc`` / ``- [x] việc`` come from pymdown-extensions (``tilde``,
  ``mark``, ``tasklist``). Single tildes are left as text: "5~7 km" is a range, not a
  subscript.
* A task's box is a mark a screen reader names ("Chưa xong" / "Đã xong"), not a form
  field: a disabled checkbox with no label is what pymdown-extensions writes, and the
  sanitiser rightly lets no ``<input>`` through (:func:`task_mark`).
* Footnotes' back-links are titled in Vietnamese.
* A link to a heading as GitHub writes it (``#1-linux-là-gì``) goes to the id sitegen
  gave that heading (``1-linux-la-gi``, folded as slugs are) (:func:`in_page`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Set
from typing import Any
from urllib.parse import unquote

from markdown.util import HTML_PLACEHOLDER

from sitegen.vn.slug import slugify

#: pymdown-extensions used on every body, after Python-Markdown's own (see markup.EXTENSIONS).
PYMDOWN = ("pymdownx.tilde", "pymdownx.mark", "pymdownx.tasklist")

#: Their settings, and the Vietnamese words of the footnotes.
CONFIGS: dict[str, dict[str, Any]] = {
    "pymdownx.tilde": {"subscript": False},
    "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
    "extra": {"footnotes": {"BACKLINK_TITLE": "Quay lại chỗ chú thích {} trong bài"}},
}

#: What a task's mark says and shows, done or not.
TASK = {False: ("Chưa xong", "☐"), True: ("Đã xong", "☑")}

_SUFFIX = re.compile(r"^(.*)-(\d+)$")
#: Python-Markdown's stand-in for a piece of raw HTML (markdown.util.HTML_PLACEHOLDER).
_STASHED = re.compile(HTML_PLACEHOLDER.replace("%s", r"(\d+)"))


def task_mark(item: ET.Element, stash: list[str | ET.Element]) -> None:
    """Make the checkbox that pymdown-extensions put first in the task list ``item`` (an
    ``<li>``, or its first ``<p>``, as raw HTML in Python-Markdown's ``stash``) the mark
    ``<span class="task" role="img" aria-label="Đã xong">☑</span>``."""
    holder = item[0] if not (item.text or "").strip() and len(item) and item[0].tag == "p" \
        else item
    m = _STASHED.match(holder.text or "")
    if m is None or int(m[1]) >= len(stash):
        return
    label, shown = TASK["checked" in str(stash[int(m[1])])]
    stash[int(m[1])] = f'<span class="task" role="img" aria-label="{label}">{shown}</span> '


def in_page(href: str, ids: Set[str]) -> str:
    """``href`` made to point at an id of the page when it is ``#`` + a heading's text in
    another spelling: accents and ``đ`` kept, percent-encoded, upper-case, or GitHub's
    ``-1`` for the second heading of the same text (Python-Markdown writes ``_1``).
    Any other ``href`` is returned as it is."""
    if not href.startswith("#") or len(href) == 1 or href[1:] in ids:
        return href
    wanted = unquote(href[1:])
    if wanted in ids:
        return "#" + wanted
    folded = slugify(wanted)
    if folded in ids:
        return "#" + folded
    m = _SUFFIX.match(wanted)
    if m and f"{slugify(m[1])}_{m[2]}" in ids:
        return f"#{slugify(m[1])}_{m[2]}"
    return href
