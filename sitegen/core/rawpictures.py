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

_TAG_BODY = r"""(?:"[^"]*"|'[^']*'|[^'">])*>"""
#: An HTML comment (left as it is), an ``<img>`` start tag, or a link's start or end tag.
_TOKEN = re.compile(rf"<!--.*?-->|<img\b{_TAG_BODY}|<a\b{_TAG_BODY}|</a\s*>", re.S | re.I)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")

#: A raw picture's attributes (names lower-case, values decoded), its tag as written and
#: whether it stands inside a link, in; its replacement HTML out.
PictureFix = Callable[[Mapping[str, str], str, bool], str]


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


def rewrite_pictures(raw: str, fix: PictureFix, links: int = 0) -> tuple[str, int]:
    """``raw`` HTML with each ``<img>`` tag outside comments replaced by ``fix(attributes,
    tag as written, inside a link)``, and how many links are open at its end; ``links``:
    how many are open at its start (an inline ``<a>`` is a raw block of its own)."""
    def sub(m: re.Match[str]) -> str:
        nonlocal links
        tag = m[0]
        if tag[:2] == "</":
            links = max(0, links - 1)
        elif tag[1] in "aA":
            links += 1
        elif tag[1] in "iI":
            return fix(img_attributes(tag), tag, links > 0)
        return tag

    if "<img" not in raw.lower() and "<a" not in raw.lower() and "</a" not in raw.lower():
        return raw, links
    return _TOKEN.sub(sub, raw), links


class RawPictures(Postprocessor):
    """Rewrites the pictures of every raw HTML block before the blocks are put back in
    the page (so it runs before Python-Markdown's ``raw_html`` postprocessor)."""

    def __init__(self, md: Markdown, fix: PictureFix) -> None:
        super().__init__(md)
        self.fix = fix

    def run(self, text: str) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        links = 0
        for i, block in enumerate(blocks):
            if not isinstance(block, str):
                continue
            # Each block once (the toc extension runs every postprocessor on each heading);
            # the links open are counted through them all, in the order of the text.
            rewritten, links = rewrite_pictures(block, _keep if isinstance(block, _Rewritten)
                                                else self.fix, links)
            blocks[i] = _Rewritten(rewritten)
        return text


def _keep(attrs: Mapping[str, str], tag: str, in_link: bool) -> str:
    return tag


class _Rewritten(str):
    """A raw HTML block whose pictures were rewritten."""

    __slots__ = ()
