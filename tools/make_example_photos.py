#!/usr/bin/env python3
"""Draw the example site's photos with Pillow (generated, not copied from anywhere).

    python3 tools/make_example_photos.py

Writes two phone-like JPEG photos into the bundle of
``content/guong-dien-hinh/to-do-so-7-tam-coc/``: boats on the Ngô Đồng river between ripe
rice fields and limestone hills (``anh.jpg``, the article's picture) and boats waiting at the
pier (``ben-do.jpg``, stored on its side with EXIF orientation 6 as a phone held upright
writes it). Both carry EXIF with a GPS position, as a phone's photos do, so that the example
shows the build removing it. They are drawn at phone sizes but kept small (smooth shapes,
JPEG quality 80): a few hundred KB in the repository. The output is deterministic.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "content" / "guong-dien-hinh" / "to-do-so-7-tam-coc"

Colour = tuple[int, int, int]


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def _sky(d: ImageDraw.ImageDraw, w: int, horizon: int) -> None:
    for y in range(horizon):
        d.line([(0, y), (w, y)], fill=_mix((118, 162, 214), (226, 232, 230), y / horizon))


def _hills(im: Image.Image, rng: random.Random, base: int, layers: int) -> None:
    """Rows of limestone karsts, the far ones paler (air between), covered in trees and
    streaked with grey rock."""
    w = im.width
    for layer in range(layers):
        far = 1 - layer / max(1, layers - 1)
        colour = _mix((46, 78, 50), (168, 186, 184), far * 0.75)
        mask = Image.new("L", im.size, 0)
        m = ImageDraw.Draw(mask)
        x = -rng.uniform(0, w * 0.1)
        while x < w:
            width = rng.uniform(0.07, 0.18) * w
            height = rng.uniform(0.3, 0.6) * base * (0.55 + 0.45 * (1 - far))
            points = [(x, base)]
            for i in range(1, 24):  # a rounded tower with steep, uneven sides
                t = i / 24
                bulge = (1 - abs(2 * t - 1) ** rng.uniform(2.5, 4.5)) * height
                points.append((x + t * width, base - bulge * rng.uniform(0.93, 1.0)))
            points.append((x + width, base))
            m.polygon(points, fill=255)
            x += width * rng.uniform(0.5, 0.85)
        layer_im = Image.new("RGB", im.size, colour)
        d = ImageDraw.Draw(layer_im)
        for _ in range(int(w * base / 900)):  # tree crowns and bare rock
            cx, cy, r = rng.uniform(0, w), rng.uniform(0, base), rng.uniform(2, 9) * w / 1800
            tone = rng.random()
            fill = _mix(colour, (150, 150, 140), 0.5 * far + 0.2) if tone < 0.12 else \
                _mix(colour, (20, 48, 28) if tone < 0.6 else (96, 130, 80), 0.35 * (1 - far))
            d.ellipse([cx - r, cy - r, cx + r, cy + r * 1.3], fill=fill)
        im.paste(layer_im, (0, 0), mask)


def _fields(d: ImageDraw.ImageDraw, rng: random.Random, w: int, top: int, bottom: int) -> None:
    """Ripe rice: gold bands with darker rows."""
    d.rectangle([0, top, w, bottom], fill=(214, 178, 62))
    for y in range(top, bottom, 6):
        d.line([(0, y), (w, y + rng.randint(-2, 2))], fill=(190, 152, 48), width=2)


def _boat(d: ImageDraw.ImageDraw, x: float, y: float, size: float, rower: bool = True) -> None:
    """A sampan seen from the side, a rower in a conical hat at its stern."""
    d.polygon([(x, y), (x + size, y), (x + size * 0.92, y + size * 0.1),
               (x + size * 0.08, y + size * 0.1)], fill=(92, 52, 28))
    d.line([(x, y), (x + size, y)], fill=(140, 92, 52), width=max(1, round(size / 60)))
    if rower:
        body = (x + size * 0.82, y - size * 0.22)
        d.rectangle([body[0] - size * 0.025, body[1], body[0] + size * 0.025, y],
                    fill=(52, 90, 140))
        d.polygon([(body[0] - size * 0.07, body[1]), (body[0] + size * 0.07, body[1]),
                   (body[0], body[1] - size * 0.08)], fill=(236, 222, 180))


def _water(im: Image.Image, rng: random.Random, top: int, mirror: int) -> None:
    """The river from ``top`` down: the band above ``mirror`` reflected, dimmed, rippled."""
    w, h = im.size
    depth = h - top
    above = im.crop((0, max(0, mirror - depth), w, mirror)).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM).resize((w, depth))
    water = Image.blend(above, Image.new("RGB", (w, depth), (58, 104, 98)), 0.5)
    rippled = water.copy()
    for y in range(0, depth, 3):  # each line of water shifted a little: ripples
        shift = round(rng.uniform(-1, 1) * (2 + 8 * y / depth))
        rippled.paste(water.crop((0, y, w, y + 3)), (shift, y))
    im.paste(rippled.filter(ImageFilter.GaussianBlur(2)), (0, top))
    d = ImageDraw.Draw(im)
    for _ in range(depth // 4):  # glints
        y, x = top + rng.uniform(0, depth), rng.uniform(0, w)
        d.line([(x, y), (x + rng.uniform(10, 60) * w / 1800, y)], fill=(150, 180, 176), width=1)


def _landscape(w: int, h: int, seed: int, horizon: int,
               layers: int) -> tuple[Image.Image, random.Random]:
    """Sky and rows of karsts down to ``horizon``; the picture and its random numbers."""
    rng = random.Random(seed)
    im = Image.new("RGB", (w, h))
    _sky(ImageDraw.Draw(im), w, horizon)
    _hills(im, rng, horizon, layers)
    return im, rng


def river_scene(w: int, h: int, seed: int) -> Image.Image:
    """Boats on a river between rice fields and karsts, in the morning light."""
    horizon = round(h * 0.5)
    im, rng = _landscape(w, h, seed, horizon, 3)
    d = ImageDraw.Draw(im)
    _fields(d, rng, w, horizon, round(h * 0.56))
    _water(im, rng, round(h * 0.56), horizon)
    d = ImageDraw.Draw(im)
    for i in range(5):
        size = w * (0.1 + 0.035 * i)
        _boat(d, w * (0.62 - 0.14 * i) + rng.uniform(-0.02, 0.02) * w, h * (0.6 + 0.065 * i), size)
    _fields(d, rng, w, round(h * 0.93), h)
    return im


def pier_scene(w: int, h: int, seed: int) -> Image.Image:
    """Boats moored side by side at a pier, a karst behind."""
    horizon = round(h * 0.42)
    im, rng = _landscape(w, h, seed, horizon, 2)
    _water(im, rng, horizon, horizon)
    d = ImageDraw.Draw(im)
    for i in range(6):  # moored at an angle, the near ones larger
        y = horizon + (h - horizon) * (0.1 + 0.13 * i)
        size = w * (0.3 + 0.09 * i)
        x = w * (0.55 - 0.08 * i) + rng.uniform(-0.04, 0.04) * w
        _boat(d, x, y, size, rower=i in (1, 4))
    d.polygon([(0, h * 0.88), (w, h * 0.93), (w, h), (0, h)], fill=(150, 140, 120))  # pier
    return im


def phone_jpeg(im: Image.Image, orientation: int = 1) -> bytes:
    """``im`` as a phone saves it: EXIF with the camera, the GPS position (Tam Cốc) and the
    orientation; stored on its side for orientation 6, as a phone held upright does."""
    if orientation == 6:
        im = im.transpose(Image.Transpose.ROTATE_90)
    im = im.filter(ImageFilter.GaussianBlur(1.0))
    light = Image.effect_noise((im.width // 40, im.height // 40), 60).convert("RGB").resize(
        im.size, Image.Resampling.BICUBIC)  # uneven light, as a lens and haze give
    im = Image.blend(im, light, 0.06)
    grain = Image.effect_noise(im.size, 12).convert("RGB")
    im = Image.blend(im, grain, 0.025)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Điện thoại mẫu"
    exif[0x8825] = {1: "N", 2: (20.0, 12.0, 54.0), 3: "E", 4: (105.0, 55.0, 31.0)}
    out = io.BytesIO()
    im.save(out, "JPEG", quality=80, optimize=True, exif=exif.tobytes())
    return out.getvalue()


def main() -> None:
    (BUNDLE / "anh.jpg").write_bytes(phone_jpeg(river_scene(1800, 1350, seed=7)))
    (BUNDLE / "ben-do.jpg").write_bytes(phone_jpeg(pier_scene(1200, 1600, seed=8), 6))
    for name in ("anh.jpg", "ben-do.jpg"):
        print(f"{BUNDLE.relative_to(ROOT) / name}: {(BUNDLE / name).stat().st_size // 1000} KB")


if __name__ == "__main__":
    main()
