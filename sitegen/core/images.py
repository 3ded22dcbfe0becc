"""Picture bytes in, pixel size out (PNG, JPEG, GIF, WebP, SVG); pure.

Pages set ``width`` and ``height`` on every picture so the layout does not
jump while it loads; this reads the size from the file's header.
"""

from __future__ import annotations

import re
import struct

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})

_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_NUM = rb"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*"


def image_size(data: bytes, suffix: str) -> tuple[int, int] | None:
    """Return ``(width, height)`` in pixels, or None when the header does not say."""
    suffix = suffix.lower()
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            w, h = struct.unpack("<HH", data[6:10])
            return int(w), int(h)
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
        if suffix == ".svg":
            return _svg_size(data)
    except (struct.error, IndexError, ValueError):
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        # SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC)
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return int(w), int(h)
        i += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", data[26:30])
        return int(w) & 0x3FFF, int(h) & 0x3FFF
    if chunk == b"VP8L":
        b = data[21:25]
        w = 1 + (((b[1] & 0x3F) << 8) | b[0])
        h = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
        return w, h
    return None


def _svg_size(data: bytes) -> tuple[int, int] | None:
    m = _SVG_TAG.search(data[:4096])
    if not m:
        return None
    tag = m.group(0)
    w = re.search(rb"\swidth\s*=\s*[\"']" + _NUM + rb"[\"']", tag)
    h = re.search(rb"\sheight\s*=\s*[\"']" + _NUM + rb"[\"']", tag)
    if w and h:
        return round(float(w.group(1))), round(float(h.group(1)))
    vb = re.search(rb"viewBox\s*=\s*[\"']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)", tag)
    if vb:
        return round(float(vb.group(1))), round(float(vb.group(2)))
    return None
