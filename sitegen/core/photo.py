"""Picture bytes in; their facts, or their published variants, out (Pillow); pure.

:func:`inspect` reads what a build must know of a picture without decoding its pixels:
its upright size (after the EXIF orientation), a digest, and what is wrong with it.
:func:`make` decodes it once and makes every variant a job asks for
(:mod:`sitegen.core.pictures`): orientation baked in, colour profile converted to sRGB,
no metadata written. Most of its time is the first scaling of the whole picture and the
WebP encoding, so: a JPEG is decoded at a half, a quarter or an eighth of its size when
every variant is still at least as large (the decoder scales the DCT, far less work than
scaling the pixels); the whole picture is scaled once to the widest variant, then turned
upright and given its profile (on those fewer pixels); each smaller variant, the social
card's crop included, is scaled from the smallest one already made that is large enough.
Figures: benchmarks/README.md, "Photos" (``benchmarks/photo_cost.py``).
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile

from sitegen.core.digest import digest
from sitegen.core.pictures import (
    JPEG_QUALITY,
    MAX_BYTES,
    MAX_SIDE,
    UNPUBLISHABLE,
    WEBP_METHOD,
    WEBP_QUALITY,
    Facts,
    Variant,
    suffix,
)

#: EXIF orientations that swap width and height (a phone held upright).
_TURNED = frozenset({5, 6, 7, 8})
_ORIENTATION = 0x0112
#: What each EXIF orientation needs to be upright.
_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
          4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
          6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_90}
#: The turns that swap width and height.
_SWAPS = frozenset(_TURNS[o] for o in _TURNED)


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


def make(data: bytes, variants: Sequence[Variant], *, threads: int = 1) -> Made:
    """Decode ``data`` once and make each of ``variants`` of it; with ``threads`` above 1,
    encode the files in that many threads while the next sizes are scaled (Pillow lets go
    of the GIL while it scales and encodes): one photo on several CPUs."""
    trouble: str | None = None
    try:
        decoded = _decode(data, variants, truncated=False)
    except (OSError, ValueError, SyntaxError, struct.error, Image.DecompressionBombError):
        try:
            decoded = _decode(data, variants, truncated=True)
            trouble = "photo-truncated"
        except (OSError, ValueError, SyntaxError, struct.error, Image.DecompressionBombError):
            return Made(None, "photo-unreadable")
    scaled: list[Image.Image] = []  # the whole picture at the sizes made so far
    order = sorted(variants, key=lambda v: (v.crop, -v.width))  # widest first, cards last
    if threads < 2:
        made = {v: _encode(_sized(decoded, v, scaled), v.format) for v in order}
        return Made(tuple(made[v] for v in variants), trouble)
    sent: set[int] = set()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures: dict[Variant, Future[bytes]] = {}
        for v in order:
            im = _sized(decoded, v, scaled)
            if id(im) in sent:  # one size, two formats: Image.save keeps its options on
                im = im.copy()  # the image, so no two threads may save the same one
            sent.add(id(im))
            futures[v] = pool.submit(_encode, im, v.format)
    return Made(tuple(futures[v].result() for v in variants), trouble)


@dataclass(frozen=True)
class _Decoded:
    """A picture decoded once: its pixels as stored (RGB or RGBA, metadata dropped; a JPEG
    perhaps decoded at a half, a quarter or an eighth of its size), the turn that makes
    them upright, the colour profile still to apply (None: already sRGB), and the upright
    size of the whole picture, which the variants' sizes are of."""

    stored: Image.Image
    turn: Image.Transpose | None
    icc: bytes | None
    size: tuple[int, int]

    @property
    def full(self) -> tuple[int, int]:
        """The upright size of the pixels decoded (the picture's, or a half, a quarter…)."""
        w, h = self.stored.size
        return (h, w) if self.turn in _SWAPS else (w, h)

    def upright(self, size: tuple[int, int]) -> Image.Image:
        """The whole picture upright, in sRGB, scaled to ``size`` (upright): scaled before it
        is turned and its profile applied, which then work on the fewest pixels."""
        w, h = size
        stored = (h, w) if self.turn in _SWAPS else (w, h)
        im = self.stored
        if im.size != stored:
            im = im.resize(stored, Image.Resampling.LANCZOS, reducing_gap=3.0)
        if self.turn is not None:
            im = im.transpose(self.turn)
        return _srgb(im, self.icc)


def _decode(data: bytes, variants: Sequence[Variant], *, truncated: bool) -> _Decoded:
    """The picture decoded, a JPEG at the smallest scale all of ``variants`` can be made
    from without enlarging (:func:`_least`)."""
    ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))  # not closed: ``stored`` may be it
            orientation = im.getexif().get(_ORIENTATION, 1)
            turned = orientation in _TURNED
            w, h = im.size
            size = (h, w) if turned else (w, h)
            if im.format == "JPEG":  # the DCT scaled down while decoding: far less work
                least = _least(size, variants)
                im.draft(None, least[::-1] if turned else least)  # in the stored axes
            im.load()
            icc = im.info.get("icc_profile") or None
            stored = _rgb(im, icc)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    stored.info.clear()
    late = icc if stored.mode in ("RGB", "RGBA") and im.mode == stored.mode else None
    return _Decoded(stored, _TURNS.get(orientation), late, size)


def _least(size: tuple[int, int], variants: Sequence[Variant]) -> tuple[int, int]:
    """The least size (upright) the whole picture of ``size`` may be decoded at so that each
    of ``variants`` (and the card's crop of it) is still at least its size."""
    w, h = size
    scale = float(max(w, h))
    for v in variants:
        left, top, right, bottom = card_box(size, v.width / v.height) if v.crop else (0, 0, w, h)
        scale = min(scale, (right - left) / v.width, (bottom - top) / v.height)
    scale = max(scale, 1.0)
    return max(1, math.ceil(w / scale)), max(1, math.ceil(h / scale))


def _rgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """``im`` as RGB or RGBA (RGBA when it is transparent); a picture of another mode with a
    colour profile is converted to sRGB here (an RGB or RGBA one later, when scaled)."""
    alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    mode = "RGBA" if alpha else "RGB"
    if icc and im.mode in ("CMYK", "L"):
        return _srgb(im, icc, mode)
    return im.convert(mode) if im.mode != mode else im


def _srgb(im: Image.Image, icc: bytes | None, mode: str | None = None) -> Image.Image:
    """``im`` in sRGB (as ``mode``, default its own): its colour profile, if any, applied."""
    mode = mode or im.mode
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target = ImageCms.createProfile("sRGB")
            out = ImageCms.profileToProfile(im, source, target, outputMode=mode)
            if out is not None:
                out.info.clear()
                return out
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    return im.convert(mode) if im.mode != mode else im


def _sized(decoded: _Decoded, v: Variant, scaled: list[Image.Image]) -> Image.Image:
    """The picture (the card's crop of it) at ``v``'s size, made from the smallest whole
    picture already scaled (``scaled``, to which the whole ones made are added) that is at
    least as large: faster than from the decoded one, and as sharp."""
    w, h = decoded.size
    box = card_box(decoded.size, v.width / v.height) if v.crop else (0, 0, w, h)
    for im in sorted(scaled, key=lambda im: im.width):
        sx, sy = im.width / w, im.height / h
        if (box[2] - box[0]) * sx >= v.width and (box[3] - box[1]) * sy >= v.height:
            break
    else:
        im = decoded.upright((v.width, v.height) if not v.crop else decoded.full)
        scaled.append(im)
        sx, sy = im.width / w, im.height / h
    if im.size == (v.width, v.height) and not v.crop:
        return im
    out = im.resize((v.width, v.height), Image.Resampling.LANCZOS, reducing_gap=3.0,
                    box=(box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy))
    if not v.crop:
        scaled.append(out)
    return out


def card_box(size: tuple[int, int], ratio: float) -> tuple[int, int, int, int]:
    """The widest ``ratio`` crop of a picture of ``size`` (left, top, right, bottom): centred
    across, and a little above the middle down a tall picture, where faces usually are."""
    w, h = size
    cw, ch = (w, round(w / ratio)) if w / h < ratio else (round(h * ratio), h)
    left = (w - cw) // 2
    top = round((h - ch) * 0.4)
    return left, top, left + cw, top + ch


def _encode(im: Image.Image, fmt: str) -> bytes:
    """``im`` in ``fmt``, with no metadata (no EXIF, XMP, IPTC or colour profile)."""
    out = io.BytesIO()
    if fmt == "WEBP":
        im.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    elif fmt == "JPEG":
        rgb = im
        if im.mode == "RGBA":  # a transparent PNG's social card: on white
            rgb = Image.new("RGB", im.size, (255, 255, 255))
            rgb.paste(im, mask=im.getchannel("A"))
        rgb.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    else:
        im.save(out, "PNG", optimize=True)
    return out.getvalue()
