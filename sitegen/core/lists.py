"""Lists written the GitHub or Word way, made lists Python-Markdown reads as meant; pure.

Python-Markdown nests a list item only when it is indented by 4 spaces, and starts a
list only after a blank line. Writers (and text pasted from GitHub, Word or older CMS
pages) indent nested items by 2 or 3 spaces and put a list right under the line that
introduces it ("Danh sách:" then "- a"). Both used to come out wrong without a word:
nested items flattened, the list run into the paragraph.

:func:`loosen_lists` rewrites the body's lines before Python-Markdown parses them, as
CommonMark reads them:

* a bullet item (``-``, ``*``, ``+``), or a numbered item starting at ``1.``, right
  after a line of text starts a list: a blank line is put before it;
* inside a list, an item indented past its parent's marker is its child, whatever
  the number of spaces (writers mean it so, also under ``1.``), and is re-indented to
  4 spaces per level; the lines that belong to an item (indented at least to its
  text) move with it.

A table right under a line of text (its head, then ``| --- |``) gets its blank line too.
A list already written with 4-space indents comes out unchanged. It runs after
Python-Markdown's own fenced-code and raw-HTML steps, whose blocks are then
placeholders, so code and pasted HTML are never touched; an indented code block
(4 spaces after a blank line, outside a list) is not a list and is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.preprocessors import Preprocessor

#: A list item: indent, marker, at least one space, text.
_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}\.)( +)(?=\S)")
#: A thematic break written with list markers ("- - -", "* * *"), which is not a list.
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
#: A table's second line, under its head: ``| --- | :-: |`` (with at least one ``|``).
_TABLE_RULE = re.compile(r"^ {0,3}(?=[^|]*\|)\|? *:?-+:? *(\| *:?-+:? *)*\|? *$")
#: Lines that are not a paragraph's text: a list cannot be said to follow "a line of text".
_NOT_TEXT = re.compile(r"^ {0,3}(#|>|\||```|~~~|\[\^?[^\]]*\]:)|^ {4}|^\x02|^\t")


@dataclass(frozen=True)
class _Item:
    """An open list item: where the writer put its marker and its text, and its depth."""

    marker: int
    text: int
    depth: int
    shift: int


def _item(line: str) -> re.Match[str] | None:
    return None if _RULE.match(line) else _ITEM.match(line)


def _starts_list(m: re.Match[str]) -> bool:
    """Whether an item may interrupt a paragraph (CommonMark: bullets, and numbers from 1)."""
    return not m[2][0].isdigit() or m[2] == "1."


def loosen_lists(lines: list[str]) -> list[str]:
    """The body's ``lines`` with lists made to Python-Markdown's rules (see the module)."""
    out: list[str] = []
    open_items: list[_Item] = []
    blank_before = True
    in_text = False  # the previous line is a paragraph's text outside any list
    for i, line in enumerate(lines):
        if not line.strip():
            out.append(line)
            blank_before, in_text = True, False
            continue
        m = _item(line)
        if m and (open_items or (len(m[1]) <= 3 and (blank_before or (in_text and _starts_list(m))))):
            if in_text:
                out.append("")
            out.append(_place_item(m, line, open_items))
            blank_before = in_text = False
            continue
        indent = len(line) - len(line.lstrip(" "))
        owner = next((it for it in reversed(open_items) if indent >= it.text), None)
        if owner is None:
            if blank_before:  # text back at the margin after a blank line ends the list
                open_items.clear()
            if in_text and "|" in line and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
                out.append("")  # a table right under a line of text
            out.append(line)
            in_text = not open_items and not _NOT_TEXT.match(line)
        else:
            if blank_before:
                del open_items[open_items.index(owner) + 1:]
            out.append(" " * max(indent + owner.shift, 4 * (owner.depth + 1)) + line.lstrip(" "))
            in_text = False
        blank_before = False
    return out


def _place_item(m: re.Match[str], line: str, open_items: list[_Item]) -> str:
    """``line``, an item, re-indented for its depth; ``open_items`` updated to end with it."""
    indent = len(m[1])
    while open_items and open_items[-1].marker > indent:
        open_items.pop()
    if open_items and open_items[-1].marker == indent:
        depth = open_items.pop().depth
    elif open_items:  # indented past the parent's marker, by any number of spaces: a child
        depth = open_items[-1].depth + 1
    else:
        depth = 0
    placed = 4 * depth if depth else min(indent, 3)
    open_items.append(_Item(marker=indent, text=indent + len(m[2]) + len(m[3]), depth=depth,
                            shift=placed - indent))
    return " " * placed + line[indent:]


class ListPreprocessor(Preprocessor):
    """Runs :func:`loosen_lists` on the body, after fenced code and raw HTML are stashed."""

    def run(self, lines: list[str]) -> list[str]:
        return loosen_lists(lines)
