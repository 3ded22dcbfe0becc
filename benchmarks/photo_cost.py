#!/usr/bin/env python3
"""What one photo costs to publish: the CPU seconds of making an article picture's files
(WebP 480/960/1600, the 960 px fallback, the 1200×630 social card), and how close they are
to the picture itself.

    python benchmarks/photo_cost.py [--runs R] [--webp-methods]

The photos are phone-like JPEGs drawn as the tests draw them (tests/photos.py): 3000×2250
and 4000×3000 held upright (EXIF orientation 6), 4000×3000 held sideways (1), and the
4000×3000 upright one saved again with a colour profile (sRGB, as many phones write one). Each is
made R times (default 5) by :func:`sitegen.core.photo.make` in this process; printed: the
best and the median CPU time (``time.process_time``), the bytes of the five files, and the
PSNR of each file (decoded) against a reference: the picture decoded whole and scaled
straight to the file's size with Lanczos (its profile applied first), not compressed. Higher PSNR is closer; a
difference under about half a decibel cannot be seen.

``--webp-methods`` also encodes the three WebP widths of the 4000×3000 photo with each
WebP method (0–6) at sitegen's quality, and prints the CPU time, bytes and PSNR of each.

Running it with another checkout first on ``PYTHONPATH`` (and a Python whose editable
install does not win over it) times that checkout's ``make``. Needs sitegen and Pillow.
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import sys
import time
from pathlib import Path

import PIL
from PIL import Image, ImageChops, ImageCms, ImageOps, ImageStat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from photos import phone_jpeg  # type: ignore[import-not-found] # the tests' drawn photo

from sitegen.core import photo, pictures

#: Stored width, height, EXIF orientation, whether it has a colour profile.
PHOTOS = ((3000, 2250, 6, False), (4000, 3000, 6, False), (4000, 3000, 1, False),
          (4000, 3000, 6, True))


def variants(data: bytes) -> tuple[pictures.Variant, ...]:
    """The files an article's own picture becomes (shown on pages and on social cards)."""
    facts = photo.inspect(data, "anh.jpg")
    return pictures.job("anh.jpg", "anh.jpg", "tin-tuc/bai/anh.jpg", facts, shown=True,
                        card=True, original=False).variants


def reference(data: bytes, v: pictures.Variant) -> Image.Image:
    """The picture decoded whole, upright, cropped (the card) and scaled straight to ``v``."""
    with Image.open(io.BytesIO(data)) as im:
        upright = ImageOps.exif_transpose(im).convert("RGB")
        icc = im.info.get("icc_profile")
    if icc:
        srgb = ImageCms.profileToProfile(upright, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                         ImageCms.createProfile("sRGB"), outputMode="RGB")
        upright = srgb or upright
    if v.crop:
        upright = card(upright, v.width / v.height)
    return upright.resize((v.width, v.height), Image.Resampling.LANCZOS)


def card(upright: Image.Image, ratio: float) -> Image.Image:
    """The social card's crop of ``upright``, as sitegen crops it."""
    if hasattr(photo, "card_box"):
        return upright.crop(photo.card_box(upright.size, ratio))
    crop: Image.Image = photo._card_crop(upright, ratio)  # type: ignore[attr-defined]
    return crop  # (a checkout before card_box)


def with_profile(data: bytes) -> bytes:
    """The JPEG ``data`` saved again with an sRGB colour profile (as many phones write)."""
    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as im:
        profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        im.save(out, "JPEG", quality=88, exif=im.info["exif"], icc_profile=profile)
    return out.getvalue()


def psnr(a: Image.Image, b: Image.Image) -> float:
    """The peak signal-to-noise ratio of ``a`` against ``b`` (RGB), in decibels."""
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    mse = sum(ImageStat.Stat(diff).sum2) / (3 * a.width * a.height)
    return 99.0 if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def cost(data: bytes, runs: int) -> tuple[list[float], tuple[bytes, ...]]:
    """The CPU seconds of each of ``runs`` makes of ``data``'s files, and the files."""
    wanted = variants(data)
    times = []
    files: tuple[bytes, ...] = ()
    for _ in range(runs):
        started = time.process_time()
        made = photo.make(data, wanted)
        times.append(time.process_time() - started)
        assert made.files is not None
        files = made.files
    return times, files


def report(runs: int) -> None:
    print("| photo (stored, EXIF orientation, profile) | best CPU s | median CPU s | bytes of the 5 files |"
          " PSNR dB per file (WebP widths, fallback, card) |\n| --- | --- | --- | --- | --- |")
    for w, h, o, icc in PHOTOS:
        data = phone_jpeg(w, h, orientation=o)
        data = with_profile(data) if icc else data
        times, files = cost(data, runs)
        quality = []
        for v, blob in zip(variants(data), files, strict=True):
            with Image.open(io.BytesIO(blob)) as made:
                assert made.size == (v.width, v.height), (v, made.size)
                quality.append(f"{psnr(made, reference(data, v)):.1f}")
        name = f"{w}×{h}, {o}{', sRGB' if icc else ''}"
        print(f"| {name} | {min(times):.3f} | {statistics.median(times):.3f} | "
              f"{sum(map(len, files)):,} | {' / '.join(quality)} |")


def webp_methods(runs: int) -> None:
    data = phone_jpeg(4000, 3000, orientation=6)
    sized = [(v, reference(data, v)) for v in variants(data) if v.format == "WEBP"]
    print(f"\n| WebP method (quality {pictures.WEBP_QUALITY}), widths "
          f"{'/'.join(str(v.width) for v, _ in sized)} | best CPU s | bytes | PSNR dB |\n"
          "| --- | --- | --- | --- |")
    for method in range(7):
        best = math.inf
        blobs: list[bytes] = []
        for _ in range(runs):
            started = time.process_time()
            blobs = []
            for _, im in sized:
                out = io.BytesIO()
                im.save(out, "WEBP", quality=pictures.WEBP_QUALITY, method=method)
                blobs.append(out.getvalue())
            best = min(best, time.process_time() - started)
        quality = []
        for (_, im), blob in zip(sized, blobs, strict=True):
            with Image.open(io.BytesIO(blob)) as made:
                quality.append(f"{psnr(made, im):.1f}")
        print(f"| {method} | {best:.3f} | {sum(map(len, blobs)):,} | {' / '.join(quality)} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--webp-methods", action="store_true")
    args = parser.parse_args(argv)
    print(f"sitegen from {Path(photo.__file__).parents[2]}, Pillow {PIL.__version__}",
          file=sys.stderr)
    report(args.runs)
    if args.webp_methods:
        webp_methods(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
