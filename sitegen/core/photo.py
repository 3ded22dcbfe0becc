"""Picture bytes in; their facts, or their published variants, out (Pillow); pure.

:func:`inspect` reads what a build must know of a picture without decoding its pixels:
its upright size (after the EXIF orientation), a digest, and what is wrong with it.
:func:`make` decodes it once and makes every variant a job asks for
(:mod:`sitegen.core.pictures`): orientation baked in, colour profile converted to sRGB,
no metadata written.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile, ImageOps

from sitegen.core.digest import digest
from sitegen.core.pictures import (
    JPEG_QUALITY,
    MAX_BYTES,
    MAX_SIDE,
    UNPUBLISHABLE,
    WEBP_QUALITY,
    Facts,
    Variant,
    suffix,
)

#: EXIF orientations that swap width and height (a phone held upright).
_TURNED = frozenset({5, 6, 7, 8})
_ORIENTATION = 0x0112


def inspect(data: bytes, name: str) -> Facts:
    """The :class:`Facts` of the picture file ``name`` whose bytes are ``data``."""
    ext = suffix(name)
    facts_digest = digest(data)
    code: str | None = None
    if ext in UNPUBLISHABLE or _is_heic(data):
        code = "photo-heic" if ext in (".heic", ".heif") or _is_heic(data) else "photo-format"
        return Facts(None, facts_digest, code, len(data))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a decompression-bomb warning: too-large below
            with Image.open(io.BytesIO(data)) as im:
                w, h = im.size
                orientation = im.getexif().get(_ORIENTATION, 1)
                fmt = im.format
    except (OSError, ValueError, SyntaxError, struct.error, Image.DecompressionBombError):
        return Facts(None, facts_digest, code="photo-unreadable", bytes=len(data))
    size = (h, w) if orientation in _TURNED else (w, h)
    if not _complete(data, fmt):
        code = "photo-truncated"
    elif max(w, h) > MAX_SIDE or len(data) > MAX_BYTES:
        code = "photo-too-large"
    return Facts(size, facts_digest, code, len(data))


def _is_heic(data: bytes) -> bool:
    """Whether ``data`` is an HEIF container (iPhone photos), whatever its name."""
    return data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim",
                                                  b"heis", b"hevc", b"hevx")


def _complete(data: bytes, fmt: str | None) -> bool:
    """Whether the file's end is there (a JPEG's end marker after its scan, a PNG's IEND, a
    WebP's whole RIFF chunk): a copy cut short is the usual broken photo."""
    if fmt == "JPEG":
        scan = _jpeg_scan(data)
        return scan is not None and data.find(b"\xff\xd9", scan) >= 0
    if fmt == "PNG":
        return b"IEND" in data[-64:]
    if fmt == "WEBP":
        return len(data) >= 8 + int.from_bytes(data[4:8], "little")
    return True


def _jpeg_scan(data: bytes) -> int | None:
    """Where a JPEG's first scan's data starts (after the segments, whose lengths are read:
    an EXIF thumbnail is a whole JPEG inside a segment)."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length: int = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xDA:
            return i + 2 + length
        i += 2 + length
    return None


@dataclass(frozen=True)
class Made:
    """A picture's variants' bytes, in the job's order, and its trouble (``truncated``:
    made with the missing part grey), or none when it could not be decoded at all."""

    files: tuple[bytes, ...] | None
    trouble: str | None = None


def make(data: bytes, variants: Sequence[Variant]) -> Made:
    """Decode ``data`` once and make each of ``variants`` of it."""
    trouble: str | None = None
    try:
        picture = _decode(data, truncated=False)
    except (OSError, ValueError, SyntaxError, struct.error, Image.DecompressionBombError):
        try:
            picture = _decode(data, truncated=True)
            trouble = "photo-truncated"
        except (OSError, ValueError, SyntaxError, struct.error, Image.DecompressionBombError):
            return Made(None, "photo-unreadable")
    files = []
    resized: dict[tuple[int, int], Image.Image] = {}
    for v in sorted(variants, key=lambda v: -v.width):  # each from the smallest larger one
        files.append((v, _encode(_sized(picture, v, resized), v.format)))
    by_variant = dict(files)
    return Made(tuple(by_variant[v] for v in variants), trouble)


def _decode(data: bytes, *, truncated: bool) -> Image.Image:
    """The picture upright, in sRGB, as RGB or RGBA, its metadata dropped."""
    ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                upright = ImageOps.exif_transpose(im)
                icc = im.info.get("icc_profile")
                picture = _srgb(upright, icc)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    picture.info.clear()
    return picture


def _srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """``im`` as RGB (RGBA when it is transparent) in sRGB: its colour profile, if any, applied."""
    alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    mode = "RGBA" if alpha else "RGB"
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target = ImageCms.createProfile("sRGB")
            out = ImageCms.profileToProfile(im, source, target, outputMode=mode)
            if out is not None:
                return out
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    return im.convert(mode) if im.mode != mode else im.copy()


def _sized(picture: Image.Image, v: Variant, resized: dict[tuple[int, int], Image.Image]) -> Image.Image:
    """``picture`` cropped (the social card) and scaled to ``v``'s size; each size is made
    from the smallest larger one already made (``resized``), which is faster and as sharp."""
    source = picture
    if v.crop:
        source = _card_crop(picture, v.width / v.height)
    elif resized:
        larger = [k for k in resized if k[0] >= v.width and k[1] >= v.height]
        if larger:
            source = resized[min(larger)]
    if source.size == (v.width, v.height):
        out = source
    else:
        out = source.resize((v.width, v.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if not v.crop:
        resized[(v.width, v.height)] = out
    return out


def _card_crop(picture: Image.Image, ratio: float) -> Image.Image:
    """The widest ``ratio`` crop of ``picture``: centred across, and a little above the middle
    down a tall picture, where faces usually are."""
    w, h = picture.size
    cw, ch = (w, round(w / ratio)) if w / h < ratio else (round(h * ratio), h)
    left = (w - cw) // 2
    top = round((h - ch) * 0.4)
    return picture.crop((left, top, left + cw, top + ch))


def _encode(im: Image.Image, fmt: str) -> bytes:
    """``im`` in ``fmt``, with no metadata (no EXIF, XMP, IPTC or colour profile)."""
    out = io.BytesIO()
    if fmt == "WEBP":
        im.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    elif fmt == "JPEG":
        rgb = im
        if im.mode == "RGBA":  # a transparent PNG's social card: on white
            rgb = Image.new("RGB", im.size, (255, 255, 255))
            rgb.paste(im, mask=im.getchannel("A"))
        rgb.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    else:
        im.save(out, "PNG", optimize=True)
    return out.getvalue()
