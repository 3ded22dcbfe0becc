"""HTML in, safe HTML out: the allowlist that keeps a pasted ``<script>`` from readers; pure.

Python-Markdown passes raw HTML through untouched, so whatever a writer pastes
(from Word, from another site) is cleaned by nh3 (the Rust ``ammonia``
sanitiser) before it is published. What is removed is reported as a warning
naming the file and line, so the writer knows. The allowlist can be widened in
``config.yaml`` (``html: {allow_tags: [...], iframe_hosts: [...]}``).
"""

from __future__ import annotations

import functools
import html
import re
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul",
})
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role", "aria-label",
                               "aria-hidden", "tabindex"})
ATTRIBUTES = {
    "a": {"href", "hreflang", "rel", "download"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "style"}, "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start", "type", "reversed"}, "time": {"datetime"}, "q": {"cite"},
    "blockquote": {"cite"}, "col": {"span"}, "colgroup": {"span"}, "details": {"open"},
    # No "allow": what an embedded page may use (camera, microphone, location) is not the
    # writer's to grant; browsers give an iframe none of it unless allowed.
    "iframe": {"src", "width", "height", "title", "allowfullscreen", "loading",
               "referrerpolicy"},
}
#: The URL schemes a writer's links and pictures may use; anything else (javascript:, data:,
#: vbscript:, and sitegen's own internal markers, which only the build makes) is removed.
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_NOISE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
STYLE_PROPERTIES = frozenset({"text-align", "vertical-align", "width"})
#: Tags removed with everything inside them: code, and players whose inside is only the
#: text a browser shows when it cannot play them ("Your browser does not support the
#: video tag."), meaningless once the player is gone. Unless a site allows them.
CONTENT_GONE = frozenset({"script", "style", "template", "video", "audio", "object", "iframe",
                          "canvas"})
_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9:-]*)")
_ATTR = re.compile(r"\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
#: The characters of an attribute's name in :data:`_ATTR`.
_NAME_CHARS = frozenset(string.ascii_letters + string.digits + "-_:.")
#: A link's scheme that :func:`_risky_attributes` names.
_RISKY_SCHEME = re.compile(r"^(javascript|data|vbscript|sitegen):")


@dataclass(frozen=True)
class Policy:
    """What raw HTML may contain: extra tags beyond the default, and iframe hosts."""

    extra_tags: frozenset[str] = frozenset()
    iframe_hosts: frozenset[str] = frozenset()

    @property
    def tags(self) -> set[str]:
        tags = set(TAGS | self.extra_tags)
        if self.iframe_hosts:
            tags.add("iframe")
        return tags


def iframe_host(src: str) -> str | None:
    """The host an iframe's ``src`` loads from, read the way a browser reads it, or None when
    it is not a plain ``https://host/…`` address: a backslash (which browsers read as a
    slash, so ``https://evil.example\\@good.host/`` loads evil.example), user information
    (``user@``), a port, or tabs and newlines (dropped by browsers) are refused."""
    url = html.unescape(src).strip(_C0_AND_SPACE)
    if "\\" in url or _URL_NOISE.search(url) or not url.lower().startswith("https://"):
        return None
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc \
            or parts.port is not None:
        return None
    return (parts.hostname or "").lower() or None


def _filter(policy: Policy) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "iframe" and attr == "src":
            return value if iframe_host(value) in policy.iframe_hosts else None
        return value
    return keep


@functools.lru_cache(maxsize=8)
def _cleaner(policy: Policy) -> nh3.Cleaner:
    """The sanitiser for ``policy``, made once: ``nh3.clean`` built it anew on every call,
    half of its time on a body. Its attribute filter (a call back into Python for each
    attribute) is given only when iframes are allowed, the one tag it judges."""
    tags = policy.tags
    attributes: dict[str, set[str]] = {k: set(v) for k, v in ATTRIBUTES.items()
                                       if k in tags or k not in CONTENT_GONE}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    return nh3.Cleaner(
        tags=tags, clean_content_tags=set(CONTENT_GONE - tags), attributes=attributes,
        attribute_filter=_filter(policy) if "iframe" in tags else None,
        url_schemes=set(SCHEMES), link_rel=None, strip_comments=True,
        filter_style_properties=set(STYLE_PROPERTIES))


def clean(html: str, policy: Policy) -> str:
    """Return ``html`` with everything outside the allowlist removed."""
    cleaned: str = _cleaner(policy).clean(html)
    if "<iframe" in cleaned:  # an iframe whose src was refused goes whole
        cleaned = re.sub(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", "", cleaned, flags=re.S)
    return cleaned


def url_scheme(url: str) -> str | None:
    """The scheme a browser sees in ``url``, lower-case, or None for a relative URL.

    As a browser reads an attribute: character references decoded (``&#106;avascript:``,
    ``java&Tab;script:``), then as the WHATWG URL parser does: tabs and newlines removed
    anywhere, C0 controls and spaces stripped at both ends.
    """
    decoded = _URL_NOISE.sub("", html.unescape(url)).strip(_C0_AND_SPACE)
    m = _URL_SCHEME.match(decoded)
    return m.group(1).lower() if m else None


def removed(raw: str, policy: Policy) -> list[str]:
    """What :func:`clean` would take out of ``raw``: tag names and attribute names, for warnings."""
    return removed_between(raw, clean(raw, policy))


def removed_between(raw: str, kept: str) -> list[str]:
    """The tag names and risky attributes in ``raw`` that are not in ``kept``."""
    gone = [f"<{t}>" for t in sorted(_tags(raw) - _tags(kept))]
    risky = _risky_attributes(raw)
    if risky:  # most bodies have none: then none is gone, and ``kept`` is not read for them
        gone += sorted(risky - _risky_attributes(kept))
    return gone


def _tags(html: str) -> set[str]:
    return {m.lower() for m in _TAG.findall(html)}


def _attributes(html: str) -> Iterator[tuple[str, str]]:
    """``_ATTR.findall(html)``: the same (name, value) pairs in the same order, found from
    each ``=`` of ``html`` instead of by trying the pattern at every space of its text (two
    thirds of the time of sanitising a body, most of it in its prose).

    A match's ``=`` is the first after its start, and the one place a match ending at an
    ``=`` can start is fixed by what stands before it: spaces, the name, and the space
    before the name. When no match starts there, none reaches that ``=``.
    """
    pos = 0
    while (equals := html.find("=", pos)) >= 0:
        start = equals
        while start > pos and html[start - 1].isspace():
            start -= 1
        while start > pos and html[start - 1] in _NAME_CHARS:
            start -= 1
        found = _ATTR.match(html, start - 1) if start > pos else None
        if found is None:
            pos = equals + 1
            continue
        yield found[1], found[2]
        pos = found.end()


def _risky_attributes(html: str) -> set[str]:
    out: set[str] = set()
    for name, value in _attributes(html):
        name = name.lower()
        v = value.strip("\"'").strip().lower()
        scheme = _RISKY_SCHEME.match(v)
        if name in ("href", "src") and scheme:
            out.add(f'{name}="{scheme.group(0)}…"')
        elif name.startswith("on") or name in ("style", "srcdoc", "formaction"):
            out.add(f"{name}=")
    return out


def policy_from(extra_tags: Iterable[str], iframe_hosts: Iterable[str]) -> Policy:
    """Make a Policy from config values (lower-cased)."""
    return Policy(frozenset(t.lower() for t in extra_tags),
                  frozenset(h.lower() for h in iframe_hosts))
