"""Files that would run script in the portal's origin when a reader opens them: the bundle or
static file in, why it is active (or None) out. [IO: reads the files it must look into]

A browser opens an HTML or XML page, or an SVG drawing, as a document of the portal's own
origin: its scripts read what the portal's pages can. So such a file is published only when
``html.allow_files`` names it. What is looked at, and why:

- by name: the HTML and XML family (``.html``, ``.xhtml``, ``.xml``, ``.xsd``, ``.svgz`` …);
- an SVG drawing: parsed as XML (so a namespace prefix, ``<s:script>``, or a UTF-16 file
  hides nothing), and refused for a DOCTYPE (its entities can spell anything), an element
  that runs or loads code (``script``, ``iframe``, ``object``, ``embed``, ``handler``,
  ``base``, ``meta``, ``link``) in any namespace, an ``on…`` handler, or an attribute whose
  value, spaces and controls removed, holds ``javascript:``, ``vbscript:`` or
  ``data:text/html`` (what an ``<a>``, ``<set>`` or ``<animate>`` could load); text in the
  drawing is not looked at, so a label reading "javascript:" is fine;
- any other name that a server may send without a type: its first bytes, as a browser
  sniffs them (``<!doctype html``, ``<html``, ``<script`` …).
"""

from __future__ import annotations

import re
import xml.parsers.expat
from pathlib import Path

#: Names a browser renders as a page that can run script.
DOCUMENT_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".xml", ".xsl", ".xslt",
    ".xsd", ".rss", ".atom", ".rdf", ".kml", ".mml", ".xbl", ".svgz",
})
#: Names servers label with a type browsers never run as a page (pictures, documents,
#: archives, media, fonts, plain text and data): their bytes are not looked into.
PASSIVE_SUFFIXES = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff",
    ".heic", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods",
    ".odp", ".rtf", ".epub", ".zip", ".rar", ".7z", ".gz", ".mp3", ".mp4", ".m4a", ".ogg",
    ".oga", ".webm", ".wav", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".txt", ".csv",
    ".json", ".css", ".js", ".ics", ".vcf", ".md",
})
_SVG_CODE = frozenset({"script", "iframe", "embed", "object", "handler", "listener", "frame",
                       "frameset", "base", "meta", "link"})
_LOADS_CODE = ("javascript:", "vbscript:", "data:text/html")
_SQUEEZE = re.compile(r"[\x00-\x20]+")
_SNIFFED = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<script|<iframe|<svg|<\?xml"
                      rb"|<!--|<h1|<div|<table|<a\s|<style|<title|<p[\s>]|<br|<b[\s>]|<font)",
                      re.IGNORECASE)


class _Refused(Exception):
    pass


def svg_code(data: bytes) -> str | None:
    """What in an SVG drawing's bytes could run or load code, or None when nothing could."""
    found: list[str] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def doctype(*_: object) -> None:
        raise _Refused("<!DOCTYPE>")  # stopped at once: its entities are never expanded

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1].lower()
        if local in _SVG_CODE:
            found.append(f"<{local}>")
        for key, value in attributes.items():
            attribute = key.rsplit(" ", 1)[-1].lower()
            if attribute.startswith("on"):
                found.append(f"{attribute}=")
            elif any(code in _SQUEEZE.sub("", value).lower() for code in _LOADS_CODE):
                found.append(f'{attribute}="{value[:30]}"')

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        return str(exc)
    except xml.parsers.expat.ExpatError:
        return "không đọc được như một tệp XML"
    return ", ".join(dict.fromkeys(found)) or None


def active(path: Path) -> str | None:
    """Why the file at ``path`` would run script when opened, or None."""
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return "là trang HTML/XML"
    if suffix in PASSIVE_SUFFIXES:
        return None
    try:
        if suffix == ".svg":
            found = svg_code(path.read_bytes())
            return f"là hình SVG có mã chạy được ({found})" if found else None
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return None
    return "mở ra sẽ được trình duyệt đọc như trang HTML" if _SNIFFED.match(head) else None
