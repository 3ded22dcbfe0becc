"""Pictures written as raw HTML (``<img src="anh.jpg">``, pasted from Word or a CMS page):
found in the raw HTML the Markdown parser set aside, so that they are checked and resolved
like Markdown pictures; and what counts as a picture on another host. Pure.

The rewritten tag is still cleaned by the sanitiser afterwards, like all raw HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.postprocessors import Postprocessor

from sitegen.core.sanitize import url_scheme

#: An HTML comment (left as it is) or an ``<img>`` start tag.
_IMG_OR_COMMENT = re.compile(r"<!--.*?-->|<img\b(?:\"[^\"]*\"|'[^']*'|[^'\">])*>", re.S | re.I)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")

#: A raw picture's attributes (names lower-case, values decoded) in; its replacement HTML out.
PictureFix = Callable[[Mapping[str, str], str], str]


def other_host(src: str) -> bool:
    """Whether the picture address ``src`` is on another host (``https://…``, ``//host/…``):
    the reader's browser would ask that host for it."""
    return url_scheme(src) in ("http", "https") or src.strip().startswith(("//", "\\\\"))


def other_host_text(src: str) -> str:
    """The text of the link that stands for a picture on another host without a description."""
    try:
        host = urlsplit(src.strip()).hostname or ""
    except ValueError:  # "https://[bad" is not an address
        host = ""
    return f"Ảnh trên {host}" if host else "Ảnh"


def img_attributes(tag: str) -> dict[str, str]:
    """The attributes of the start tag ``tag`` (``<img …>``), names lower-case, values with
    character references decoded; the first of a repeated name wins, as in browsers."""
    attrs: dict[str, str] = {}
    for name, value in _ATTR.findall(tag[4:].rstrip(">").rstrip("/")):
        value = value[1:-1] if value[:1] in ("'", '"') else value
        attrs.setdefault(name.lower(), html.unescape(value))
    return attrs


def img_tag(attrs: Mapping[str, str]) -> str:
    """An ``<img>`` start tag with ``attrs`` (values escaped)."""
    return "<img" + "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items()) + ">"


def rewrite_pictures(raw: str, fix: PictureFix) -> str:
    """``raw`` HTML with each ``<img>`` tag outside comments replaced by ``fix(attributes,
    tag as written)``."""
    def sub(m: re.Match[str]) -> str:
        tag = m[0]
        return tag if tag.startswith("<!--") else fix(img_attributes(tag), tag)

    return _IMG_OR_COMMENT.sub(sub, raw) if "<img" in raw.lower() else raw


class RawPictures(Postprocessor):
    """Rewrites the pictures of every raw HTML block before the blocks are put back in
    the page (so it runs before Python-Markdown's ``raw_html`` postprocessor)."""

    def __init__(self, md: Markdown, fix: PictureFix) -> None:
        super().__init__(md)
        self.fix = fix

    def run(self, text: str) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(blocks):
            # Each block once: the toc extension runs every postprocessor on each heading.
            if isinstance(block, str) and not isinstance(block, _Rewritten):
                blocks[i] = _Rewritten(rewrite_pictures(block, self.fix))
        return text


class _Rewritten(str):
    """A raw HTML block whose pictures were rewritten."""

    __slots__ = ()
