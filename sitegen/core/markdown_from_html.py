"""The HTML that mammoth makes of a Word document in; the Markdown a writer would have typed
for it, and its title, out; pure.

Only the subset mammoth writes is understood: ``h1``–``h6``, ``p``, ``strong``, ``em``, ``s``,
``sup``, ``sub``, ``br``, ``a``, ``img``, nested ``ul``/``ol``, ``blockquote``, ``table`` and
the footnotes and endnotes mammoth lists at the end (``<li id="footnote-1">``, referred to
by ``<a href="#footnote-1">``). Any other element gives its text. Text is escaped so that it
reads back as the same text: a Word paragraph that starts ``1. `` or ``# `` stays a paragraph.

The title is the first ``h1`` of class ``title`` (Word's Title style), else the first
heading; the other headings keep their order, the highest becoming ``##`` (the page's
title is its only ``h1``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape
from html.entities import html5
from html.parser import HTMLParser
from urllib.parse import quote

#: The class mammoth's style map gives the paragraph in Word's Title style.
TITLE_CLASS = "title"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: Links kept as links; any other (a bookmark, a file on the writer's computer) keeps its text.
LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_NOTE_ID = re.compile(r"(footnote|endnote)-(-?\d+)")
_NOTE_BACK = re.compile(r"(footnote|endnote)-ref-(-?\d+)")
_VOID = frozenset({"br", "img"})
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
#: Raw-HTML elements kept as they are in Markdown (Markdown has no syntax for them).
_RAW_INLINE = {"sup": "sup", "sub": "sub", "s": "s", "del": "s"}


@dataclass
class Node:
    """An element of the parsed HTML (mutable while parsed; never leaves this module)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """The element's text, white space collapsed."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return _SPACE.sub(" ", "".join(parts))


@dataclass(frozen=True)
class Converted:
    """A Word document as Markdown: its title (plain text, "" when it has none), its body,
    and what could not be kept: (Vietnamese phrase, how many times), e.g.
    ``("liên kết tới tệp trên máy tính", 2)``."""

    title: str
    markdown: str
    dropped: tuple[tuple[str, int], ...]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, 0, -1):
            if self._stack[i].tag == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def parse(html: str) -> Node:
    """``html`` as a tree below a ``root`` node."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def convert(html: str) -> Converted:
    """Convert mammoth's ``html`` to Markdown (see the module's docstring)."""
    root = parse(unicodedata.normalize("NFC", html))
    title = _take_title(root)
    writer = _Writer(_heading_shift(root))
    body = writer.blocks(root.children)
    notes = writer.notes_text()
    markdown = "\n\n".join(b for b in (body, notes) if b)
    return Converted(title=title, markdown=markdown + "\n" if markdown else "",
                     dropped=tuple(writer.dropped.items()))


def _take_title(root: Node) -> str:
    """Remove the title's element from ``root`` and return its text."""
    found: tuple[Node, Node] | None = None
    for parent, node in _walk(root):
        if node.tag == "h1" and TITLE_CLASS in node.attrs.get("class", "").split():
            found = (parent, node)
            break
        if found is None and node.tag in HEADINGS:
            found = (parent, node)
    if found is None:
        return ""
    parent, node = found
    parent.children.remove(node)
    return node.text().strip()


def _walk(node: Node) -> list[tuple[Node, Node]]:
    """Every element below ``node`` with its parent, in document order."""
    out: list[tuple[Node, Node]] = []
    for child in node.children:
        if isinstance(child, Node):
            out.append((node, child))
            out.extend(_walk(child))
    return out


def _heading_shift(root: Node) -> int:
    """How much to add to a heading's level so that the highest left becomes ``h2``."""
    levels = [int(n.tag[1]) for _, n in _walk(root) if n.tag in HEADINGS]
    return 2 - min(levels) if levels else 0


# --- escaping ---------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")  # | : a line of it would start a table
_LT = re.compile(r"<(?=[A-Za-z/!?])")
_AMP = re.compile(r"&(#|[A-Za-z0-9]+)")
_LINE_START = (
    (re.compile(r"^(#|>|[-+*](?=\s|$)|-(?=[-\s]*$))"), r"\\\1"),  # heading, quote, bullet,
    # a rule or a setext heading's underline (---)
    (re.compile(r"^(\d+)\.(?=\s|$)"), r"\1\\."),                # numbered item
    (re.compile(r"^=(?==*\s*$)"), "&#61;"),                     # a setext heading's underline
    (re.compile(r"^:(?=\s)"), "&#58;"),                         # a definition (def_list)
    (re.compile(r"^~~~"), "&#126;~~"),                          # a fenced code block
)


def escape_text(text: str) -> str:
    """Text with every character Markdown would read as markup escaped (not line starts)."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LT.sub("&lt;", _AMP.sub(_ampersand, text))


def _ampersand(m: re.Match[str]) -> str:
    """``&`` as ``&amp;`` where a browser would read a character reference (``&#0``, ``&copy``,
    even without ``;``); else as typed (``AT&T``)."""
    name = m[1]
    if name == "#" or any(name[:i] in html5 for i in range(1, len(name) + 1)) \
            or name + ";" in html5:
        return "&amp;" + name
    return m[0]


def escape_line_start(line: str) -> str:
    """``line`` with a start Markdown would read as a block (``1. ``, ``# ``, ``- ``) escaped."""
    for pattern, repl in _LINE_START:
        line = pattern.sub(repl, line, count=1)
    return line


def _url(href: str) -> str:
    """A link target that ends where Markdown expects: no space, parenthesis or angle bracket."""
    return quote(href, safe="/:?#[]@!$&'*+,;=%~-._")


# --- writing ------------------------------------------------------------------------------

class _Writer:
    """Turns the tree into Markdown blocks; remembers the notes and what it left out."""

    def __init__(self, shift: int) -> None:
        self.shift = shift
        self.note_labels: dict[str, str] = {}     # "footnote-3" → "1"
        self.note_bodies: dict[str, Node] = {}
        self.dropped: dict[str, int] = {}

    def drop(self, what: str) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + 1

    # blocks

    def blocks(self, nodes: list[Node | str]) -> str:
        """Block-level ``nodes`` as Markdown blocks separated by blank lines."""
        return "\n\n".join(text for _, text in self.block_parts(nodes))

    def block_parts(self, nodes: list[Node | str]) -> list[tuple[str, str]]:
        """Block-level ``nodes`` as (tag, Markdown) pairs, empty blocks left out."""
        out: list[tuple[str, str]] = []
        loose: list[Node | str] = []  # inline content outside any paragraph
        for node in [*nodes, Node("end-of-blocks")]:
            if isinstance(node, str) or node.tag not in _BLOCKS:
                loose.append(node)
                continue
            if loose:
                out.append(("p", self.paragraph(loose)))
                loose = []
            if node.tag != "end-of-blocks":
                out.append((node.tag, self.block(node)))
        return [(tag, text) for tag, text in out if text]

    def block(self, node: Node) -> str:
        tag = node.tag
        if tag in HEADINGS:
            level = min(6, int(tag[1]) + self.shift)
            text = self.inline(node.children, plain=True).replace("<br>\n", " ").strip()
            if text.endswith("#"):  # Markdown drops a heading's closing #s
                text = text[:-1] + "\\#"
            return f"{'#' * level} {text}" if text else ""
        if tag == "p":
            return self.paragraph(node.children)
        if tag in ("ul", "ol"):
            if self._is_notes(node):
                self._keep_notes(node)
                return ""
            return self.list_(node)
        if tag == "blockquote":
            inner = self.blocks(node.children)
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if tag == "table":
            return self.table(node)
        if tag == "dl":  # Word comments (mammoth lists them only when asked to)
            return ""
        return self.blocks(node.children)  # div, li's paragraphs …

    def paragraph(self, nodes: list[Node | str]) -> str:
        text = self.inline(nodes).strip()
        lines = [escape_line_start(line.strip()) for line in text.split("\n")]
        return "\n".join(line for line in lines if line)

    def list_(self, node: Node) -> str:
        items: list[str] = []
        number = 0
        for child in node.children:
            if not (isinstance(child, Node) and child.tag == "li"):
                continue
            number += 1
            marker = f"{number}. " if node.tag == "ol" else "- "
            body = ""
            for tag, text in self.block_parts(child.children):  # a sub-list keeps the list tight
                body += ("\n" if tag in ("ul", "ol") else "\n\n") + text if body else text
            items.append(marker + _indent(body))
        return "\n".join(items)

    # tables

    def table(self, node: Node) -> str:
        """A Markdown table, its first row the header; raw HTML when a cell spans rows or
        columns or holds a list or a table, which a Markdown table cannot."""
        rows = _rows(node)
        if not rows:
            return ""
        if not all(_plain_cell(cell) for row in rows for cell in row):
            return _html_table(rows)
        texts = [[self._cell(cell) for cell in row] for row in rows]
        width = max(len(row) for row in texts)
        texts = [row + [""] * (width - len(row)) for row in texts]
        lines = [texts[0], ["---"] * width, *texts[1:]]
        return "\n".join("| " + " | ".join(row) + " |" for row in lines)

    def _cell(self, cell: Node) -> str:
        parts = [text for _, text in self.block_parts(cell.children)]
        return "<br>".join(parts).replace("<br>\n", "<br>").replace("\n", " ")

    # notes

    def _is_notes(self, node: Node) -> bool:
        items = [c for c in node.children if isinstance(c, Node)]
        return bool(items) and all(
            c.tag == "li" and _NOTE_ID.fullmatch(c.attrs.get("id", "")) for c in items)

    def _keep_notes(self, node: Node) -> None:
        for li in node.children:
            if isinstance(li, Node):
                self.note_bodies[li.attrs["id"]] = li

    def note_ref(self, note_id: str) -> str:
        label = self.note_labels.setdefault(note_id, str(len(self.note_labels) + 1))
        return f"[^{label}]"

    def notes_text(self) -> str:
        """The notes referred to, as ``[^1]: text`` in the order of their references."""
        out = []
        for note_id, label in self.note_labels.items():
            body = self.note_bodies.get(note_id)
            text = self.blocks(body.children) if body is not None else ""
            out.append(f"[^{label}]: " + _indent(text))
        return "\n".join(out)

    # inline

    def inline(self, nodes: list[Node | str], *, plain: bool = False) -> str:
        """Inline ``nodes`` as Markdown text (``plain``: without bold and italic)."""
        out: list[str] = []
        for node in nodes:
            piece = self._inline_one(node, plain, out[-1][-1:] if out else "")
            if piece:
                out.append(piece)
        return "".join(out)

    def _inline_one(self, node: Node | str, plain: bool, before: str) -> str:
        if isinstance(node, str):
            return escape_text(_SPACE.sub(" ", node))
        tag = node.tag
        if tag in ("strong", "b", "em", "i"):
            inner = self.inline(node.children, plain=plain)
            if plain:
                return inner
            return _emphasis("**" if tag in ("strong", "b") else "*", inner, before)
        if tag == "br":
            return "<br>\n"
        if tag == "img":
            alt = _SPACE.sub(" ", node.attrs.get("alt", "")).strip()
            return f"![{escape_text(alt)}]({_url(node.attrs.get('src', ''))})"
        if tag == "a":
            return self._link(node, plain)
        if tag in _RAW_INLINE:
            if tag == "sup" and _is_note_ref(node):
                return self._link(next(n for _, n in _walk(node) if n.tag == "a"), plain)
            inner = self.inline(node.children, plain=plain)
            raw = _RAW_INLINE[tag]
            return f"<{raw}>{inner}</{raw}>" if inner.strip() else inner
        return self.inline(node.children, plain=plain)  # span, a paragraph inside a cell …

    def _link(self, node: Node, plain: bool) -> str:
        href = node.attrs.get("href", "")
        if href.startswith("#") and _NOTE_ID.fullmatch(href[1:]):
            return self.note_ref(href[1:])
        if href.startswith("#") and _NOTE_BACK.fullmatch(href[1:]):
            return ""  # mammoth's way back from a note to its reference; Markdown makes its own
        inner = self.inline(node.children, plain=plain)
        if not href:  # a bookmark: Word's anchors for its table of contents, cross-references
            return inner
        if not href.lower().startswith(LINK_SCHEMES):
            self.drop("liên kết tới dấu trang trong tài liệu" if href.startswith("#")
                      else "liên kết tới tệp trên máy tính")
            return inner
        text = inner.strip()
        if not text:
            return inner
        if node.text().strip() == href and re.fullmatch(r"https?://[^\s<>]+", href):
            return f"<{escape(href, quote=False)}>"
        return f"[{text}]({_url(href)})"


#: Elements that begin a block of their own.
_BLOCKS = frozenset({*HEADINGS, "p", "ul", "ol", "blockquote", "table", "dl", "div",
                     "end-of-blocks"})


def _emphasis(marker: str, inner: str, before: str) -> str:
    """``inner`` between ``marker``s, its edge spaces outside; as HTML where the markers would
    touch other asterisks (``*a***b**``), which Markdown would read otherwise."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    if (before == "*" and not lead) or core[0] == "*" or (core[-1] == "*" and core[-2:] != "\\*"):
        tag = "strong" if marker == "**" else "em"
        return f"{lead}<{tag}>{core}</{tag}>{trail}"
    return f"{lead}{marker}{core}{marker}{trail}"


def _rows(table: Node) -> list[list[Node]]:
    """The cells of each row of ``table`` (not of a table inside it)."""
    rows: list[list[Node]] = []
    for child in table.children:
        if not isinstance(child, Node):
            continue
        if child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(_rows(child))
        elif child.tag == "tr":
            rows.append([c for c in child.children if isinstance(c, Node) and c.tag in ("td", "th")])
    return rows


def _plain_cell(cell: Node) -> bool:
    """Whether ``cell`` fits a Markdown table's cell: one row, one column, text only."""
    if cell.attrs.get("colspan", "1") != "1" or cell.attrs.get("rowspan", "1") != "1":
        return False
    return not any(n.tag in ("ul", "ol", "table", "blockquote", *HEADINGS) for _, n in _walk(cell))


_HTML_KEEP = {"p": (), "strong": (), "em": (), "ul": (), "ol": (), "li": (), "br": (),
              "sup": (), "sub": (), "s": (), "table": (), "thead": (), "tbody": (), "tr": (),
              "td": ("colspan", "rowspan"), "th": ("colspan", "rowspan"), "img": ("src", "alt"),
              "a": ("href",)}


def _html_table(rows: list[list[Node]]) -> str:
    """``rows`` as a raw HTML table (kept elements: :data:`_HTML_KEEP`), one row a line."""
    lines = ["<table>"]
    for row in rows:
        lines.append("<tr>" + "".join(_html(cell) for cell in row) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _html(node: Node | str) -> str:
    if isinstance(node, str):
        return escape(_SPACE.sub(" ", node), quote=False)
    inner = "".join(_html(c) for c in node.children)
    if node.tag not in _HTML_KEEP:
        return inner
    if node.tag == "a" and not node.attrs.get("href", "").lower().startswith(LINK_SCHEMES):
        return inner
    attrs = "".join(f' {k}="{escape(node.attrs[k])}"' for k in _HTML_KEEP[node.tag]
                    if k in node.attrs)
    if node.tag in _VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def _indent(text: str) -> str:
    """``text`` with every line but the first indented four spaces (a list item's body)."""
    lines = text.split("\n")
    return "\n".join([lines[0]] + [f"    {line}" if line else "" for line in lines[1:]])


def _is_note_ref(node: Node) -> bool:
    """Whether ``node`` (a ``sup``) holds only a reference to a note, such as mammoth's
    ``<sup><a href="#footnote-1">[1]</a></sup>`` (Word's own superscript may wrap it again)."""
    inner = [n for _, n in _walk(node)]
    links = [n for n in inner if n.tag == "a"]
    return (len(links) == 1 and all(n.tag in ("a", "sup") for n in inner)
            and links[0].attrs.get("href", "").startswith("#")
            and bool(_NOTE_ID.fullmatch(links[0].attrs["href"][1:])))
