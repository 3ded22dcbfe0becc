"""Phone-like photos for the tests, drawn with Pillow: a scene (sky, hills, water, a boat)
with a little noise, saved as a JPEG with EXIF (orientation, GPS, camera) and XMP."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

#: EXIF tags (numbers from the EXIF standard).
ORIENTATION, GPS_IFD, MAKE = 0x0112, 0x8825, 0x010F
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
       b'22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/'
       b'1.0/" photoshop:City="Ninh Binh"/></rdf:RDF></x:xmpmeta>')


def scene(width: int, height: int, seed: int = 1) -> Image.Image:
    """A landscape of ``width``×``height``: sky, limestone hills, water and a boat."""
    rng = random.Random(seed)
    small = (max(8, width // 8), max(8, height // 8))  # drawn small, scaled up: fast
    im = Image.new("RGB", small)
    d = ImageDraw.Draw(im)
    w, h = small
    for y in range(h):
        t = y / h
        d.line([(0, y), (w, y)], fill=(int(120 + 90 * t), int(170 + 50 * t), int(230 - 30 * t)))
    for _ in range(7):
        x, top = rng.uniform(-0.1, 1.0) * w, rng.uniform(0.2, 0.5) * h
        d.polygon([(x, h * 0.62), (x + w * 0.12, top), (x + w * 0.3, h * 0.62)],
                  fill=(rng.randrange(40, 80), rng.randrange(90, 130), rng.randrange(50, 80)))
    d.rectangle([0, int(h * 0.62), w, h], fill=(70, 120, 120))
    d.polygon([(w * 0.4, h * 0.75), (w * 0.6, h * 0.75), (w * 0.56, h * 0.8), (w * 0.44, h * 0.8)],
              fill=(110, 60, 30))
    big = im.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    return Image.blend(big, noise, 0.06)


def phone_jpeg(width: int = 4000, height: int = 3000, orientation: int = 6, seed: int = 1,
               quality: int = 88) -> bytes:
    """A JPEG as a phone writes it: ``width``×``height`` pixels stored, EXIF ``orientation``
    (6: held upright, to be turned 90°), GPS position, camera make, and XMP."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "Điện thoại"
    exif[GPS_IFD] = {1: "N", 2: (20.0, 15.0, 30.0), 3: "E", 4: (105.0, 54.0, 12.0)}
    out = io.BytesIO()
    scene(width, height, seed).save(out, "JPEG", quality=quality, exif=exif.tobytes(), xmp=XMP)
    return out.getvalue()


def metadata(data: bytes) -> dict[str, object]:
    """What a published picture carries that it must not: EXIF (GPS included), XMP, IPTC,
    a colour profile, comments."""
    with Image.open(io.BytesIO(data)) as im:
        found: dict[str, object] = {}
        exif = im.getexif()
        if len(exif):
            found["exif"] = dict(exif)
        if exif.get_ifd(GPS_IFD):
            found["gps"] = exif.get_ifd(GPS_IFD)
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "photoshop", "comment",
                    "iptc"):
            if im.info.get(key):
                found[key] = True
        return found
