"""Photos as published: which files a picture becomes, their names and sizes; pure.

A raster picture (JPEG, PNG, WebP) that an article, a page, a card or a social card shows
is never published as it came from the camera. It becomes a few WebP files of the widths
the theme's layout needs (:data:`WIDTHS`, never wider than the picture), one JPEG or PNG
for browsers without WebP (the *fallback*), and, for an article's own picture, the social
card's 1200×630 crop. Each is upright (the EXIF orientation applied), in sRGB, and carries
no EXIF, GPS, XMP, IPTC or colour profile (:mod:`sitegen.core.photo` makes them). The
original is published only when the writer asks (``image_original: true``, or a link to
the file), stripped the same way. Sizes here are always the upright picture's.

Widths and qualities: see README "Photos".
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

#: Pictures this pipeline publishes (by name; the bytes are checked by photo.inspect).
RASTER = frozenset({".jpg", ".jpeg", ".png", ".webp"})
#: Pictures from cameras and phones that browsers do not show: never published, a warning.
UNPUBLISHABLE = frozenset({".heic", ".heif", ".tif", ".tiff", ".bmp"})

#: The WebP widths: a compact card at 2–3× (≤ 360 px), a featured card or a phone's column
#: at 2× (≤ 920 px), the article's 50rem column at 2× (1600 px).
WIDTHS = (480, 960, 1600)
#: The fallback's width (browsers without WebP: old phones).
FALLBACK_WIDTH = 960
#: The social card (Facebook, Zalo, X: 1.91:1).
CARD_SIZE = (1200, 630)
WEBP_QUALITY = 75
#: libwebp's effort (0–6; its default, 4): 3 is no faster, 0–2 encode two to three times
#: faster but 10–20 % larger at the same quality, paid by every reader on every view, while
#: the encoding is paid once a photo (benchmarks/README.md, "Photos").
WEBP_METHOD = 4
JPEG_QUALITY = 82
#: Changed whenever what a variant's bytes are made from changes (the cache's key); 2: a
#: JPEG decoded at a reduced scale, variants scaled from each other (sitegen.core.photo).
SETTINGS = (f"photos-2:{WIDTHS}:{FALLBACK_WIDTH}:{CARD_SIZE}:{WEBP_QUALITY}:{WEBP_METHOD}:"
            f"{JPEG_QUALITY}")

#: Pictures larger than these are warned about (check): a phone never needs them.
MAX_SIDE = 8000
MAX_BYTES = 20_000_000


def suffix(name: str) -> str:
    """The lower-case extension of ``name`` (``.jpg``), or ""."""
    return posixpath.splitext(name)[1].lower()


def is_raster(name: str) -> bool:
    """Whether ``name`` is a picture this pipeline publishes in widths (JPEG, PNG, WebP)."""
    return suffix(name) in RASTER


@dataclass(frozen=True)
class Facts:
    """What the build knows of a picture file without decoding it all: its upright size,
    a digest of its bytes, and what is wrong with it (``code``: a problem code of
    :data:`TROUBLES`, or None)."""

    size: tuple[int, int] | None
    digest: str
    code: str | None = None
    bytes: int = 0

    @property
    def trouble(self) -> str | None:
        """The problem code of what is wrong with the photo (:data:`TROUBLES`), or None."""
        return self.code


#: What can be wrong with a photo, by its problem code: (a short Vietnamese description, the
#: fix). Those of :data:`NOT_PUBLISHED` are never published; the others are, with the warning.
TROUBLES: dict[str, tuple[str, str]] = {
    "photo-unreadable": ("không đọc được (tệp hỏng, hoặc không phải ảnh dù tên là ảnh)",
                   "mở ảnh bằng phần mềm xem ảnh; nếu mở được, lưu lại thành JPEG rồi thay tệp cũ."),
    "photo-truncated": ("bị cắt cụt (tệp chép dở, thiếu phần cuối): phần thiếu sẽ hiện màu xám",
                  "chép lại ảnh từ máy ảnh hoặc điện thoại rồi thay tệp cũ."),
    "photo-heic": ("ở định dạng HEIC/HEIF của iPhone, trình duyệt không hiển thị được nên không đăng",
             "xuất lại thành JPEG: trên iPhone, Cài đặt > Camera > Định dạng > Tương thích nhất "
             "(ảnh chụp sau đó là JPEG); với ảnh đã chụp, mở ảnh > Chia sẻ > Lưu vào Tệp, hoặc "
             "gửi qua Zalo/email rồi tải về (ảnh thành JPEG); trên máy tính, mở bằng Photos "
             "hoặc Paint rồi Lưu thành JPEG."),
    "photo-format": ("ở định dạng trình duyệt không hiển thị được (TIFF, BMP), nên không đăng",
               "mở ảnh bằng phần mềm xem ảnh và lưu thành JPEG (ảnh chụp) hoặc PNG (hình vẽ)."),
    "photo-too-large": (f"quá lớn (hơn {MAX_SIDE} điểm ảnh một cạnh hoặc hơn "
                  f"{MAX_BYTES // 1_000_000} MB): dựng trang chậm, người đọc không cần",
                  "thu nhỏ ảnh còn khoảng 3000 điểm ảnh chiều rộng (ví dụ bằng Paint: "
                  "Resize) rồi thay tệp cũ."),
}
#: Troubles that keep a file from being published at all.
NOT_PUBLISHED = frozenset({"photo-unreadable", "photo-heic", "photo-format"})


@dataclass(frozen=True)
class Variant:
    """One file a picture becomes: its name's ``tail`` after the picture's stem
    (``-480w.webp``; "" for the stripped original under its own name), its pixel size,
    its format (``WEBP``, ``JPEG``, ``PNG``) and whether it is the social card's crop."""

    tail: str
    width: int
    height: int
    format: str
    crop: bool = False

    def path(self, site_path: str) -> str:
        """The variant's site path, beside the picture's (``tin-tuc/…/anh-480w.webp``)."""
        return posixpath.splitext(site_path)[0] + self.tail if self.tail else site_path


def scaled(size: tuple[int, int], width: int) -> tuple[int, int]:
    """``size`` scaled to ``width`` (never wider than it was), height rounded, at least 1."""
    w, h = size
    width = min(width, w)
    return width, max(1, round(h * width / w))


def widths(size: tuple[int, int]) -> tuple[int, ...]:
    """The WebP widths of a picture of ``size``: :data:`WIDTHS` below its own width (one
    within a tenth of the largest is left out), then its width capped at the largest."""
    top = min(size[0], WIDTHS[-1])
    return (*(w for w in WIDTHS if w < top * 0.9), top)


def fallback_format(name: str) -> str:
    """The fallback's format: JPEG for a JPEG, PNG for a PNG or a WebP (which may be
    transparent)."""
    return "JPEG" if suffix(name) in (".jpg", ".jpeg") else "PNG"


_EXT = {"WEBP": ".webp", "JPEG": ".jpg", "PNG": ".png"}
_FORMAT = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def webp_variants(size: tuple[int, int]) -> tuple[Variant, ...]:
    """The WebP files of a picture of ``size``, narrowest first."""
    return tuple(Variant(f"-{w}w.webp", *scaled(size, w), "WEBP") for w in widths(size))


def fallback_variant(name: str, size: tuple[int, int]) -> Variant:
    """The JPEG or PNG file for browsers without WebP."""
    fmt = fallback_format(name)
    w, h = scaled(size, FALLBACK_WIDTH)
    return Variant(f"-{w}w{_EXT[fmt]}", w, h, fmt)


def card_variant(size: tuple[int, int]) -> Variant:
    """The social card's crop: 1200×630, or the largest 1.91:1 crop of a smaller picture."""
    cw, ch = CARD_SIZE
    w, h = size
    if w * ch > h * cw:  # wider than a card: the full height
        w = h * cw // ch
    w = min(w, cw)
    return Variant("-og.jpg", w, max(1, w * ch // cw), "JPEG", crop=True)


def original_variant(name: str, size: tuple[int, int]) -> Variant:
    """The original, stripped and upright, under its own name and format."""
    return Variant("", size[0], size[1], _FORMAT.get(suffix(name), "PNG"))


@dataclass(frozen=True)
class PictureJob:
    """One picture file to publish: its source path below the site folder (``rel``) and
    on disk, its site path, its upright size, and the variants to make of it."""

    rel: str
    source: str
    site_path: str
    digest: str
    variants: tuple[Variant, ...]


def job(rel: str, source: str, site_path: str, facts: Facts, *, shown: bool,
        card: bool, original: bool) -> PictureJob:
    """The job of a picture shown on pages (``shown``: its WebP widths and fallback), on a
    social card (``card``), and published itself (``original``)."""
    size = facts.size
    assert size is not None, "only a picture whose size is known is published"
    variants: list[Variant] = []
    if shown:
        variants.extend(webp_variants(size))
        variants.append(fallback_variant(site_path, size))
    if card:
        variants.append(card_variant(size))
    if original:
        variants.append(original_variant(site_path, size))
    return PictureJob(rel, source, site_path, facts.digest, tuple(dict.fromkeys(variants)))
