"""The text of a sanitised body: made NFC and rid of invisible characters, its first
paragraph as a reader sees it, its plain text, and a summary cut short; pure.

The sanitiser decodes character references, and CKEditor pastes write a letter as an
entity followed by a combining tone mark (``g&ocirc;̀m``): decoded, that is ``gồm`` in
decomposed form, which search, feeds and sorting would treat as another word. Pasted
text also carries zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) that
split a word invisibly. :func:`tidy` mends both in text and in attribute values that
are text (``alt``, ``title``), never in addresses (``href``, ``src``), where a
character is part of where the link goes.
"""

from __future__ import annotations

import html
import re
import unicodedata

from sitegen.vn.text import nfc

#: Characters that take no room and mean nothing in the site's text.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = str.maketrans("", "", ZERO_WIDTH)
_ANY_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")
#: A tag of sanitised HTML (whose text has every ``<`` and ``>`` escaped).
_TAG = re.compile(r"<[^<>]*>")
_ATTRIBUTE = re.compile(r'(\s[a-zA-Z][-a-zA-Z0-9_:.]*=")([^"]*)(")')
_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "poster"})
_P = re.compile(r"<p(?:\s[^<>]*)?>(.*?)</p>", re.S)
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.S)
_BREAK = re.compile(r"<br\s*/?>")


def _text(text: str) -> str:
    if text.isascii():
        return text
    return nfc(text.translate(_ZERO_WIDTH))


def _tag(tag: str) -> str:
    if tag.isascii() or tag.startswith("</"):
        return tag

    def attribute(m: re.Match[str]) -> str:
        name = m[1].strip()[:-2].lower()
        return m[0] if name in _URL_ATTRIBUTES else m[1] + _text(m[2]) + m[3]

    return _ATTRIBUTE.sub(attribute, tag)


def tidy(body: str) -> str:
    """Sanitised HTML in; the same with its text NFC and without zero-width characters.

    Each text run and attribute value is normalised on its own, so that a combining mark
    at the start of a text never merges with the ``>`` before it (``>`` + U+0338 is ``≯``).
    """
    if body.isascii() or (unicodedata.is_normalized("NFC", body)
                          and not _ANY_ZERO_WIDTH.search(body)):
        return body  # most bodies: nothing to mend, and a whole NFC text is NFC in parts
    out: list[str] = []
    last = 0
    for m in _TAG.finditer(body):
        out.append(_text(body[last:m.start()]))
        out.append(_tag(m[0]))
        last = m.end()
    out.append(_text(body[last:]))
    return "".join(out)


def first_paragraph(body: str) -> str:
    """The text of the first paragraph (``<p>``) of sanitised HTML ``body`` that has any, as
    read: tags gone (a line break is a space, footnote numbers are left out), character
    references decoded, spaces collapsed; "" when there is none. A paragraph holding only
    a picture is passed over."""
    for m in _P.finditer(body):
        inner = _BREAK.sub(" ", _FOOTNOTE_REF.sub("", m[1]))
        text = " ".join(html.unescape(_TAG.sub("", inner)).split())
        if text:
            return text
    return ""


_ANY_TAG = re.compile(r"<[^>]+>")
_ENTITY = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " "}


def plain_text(html: str) -> str:
    """HTML in, its text with tags removed and spaces collapsed out."""
    text = _ANY_TAG.sub(" ", html)
    for entity, char in _ENTITY.items():
        text = text.replace(entity, char)
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, ending with …"""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.–- ")
    return cut + "…"
