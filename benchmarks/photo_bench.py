#!/usr/bin/env python3
"""Time ``sitegen build`` on N articles, each a bundle with a 3000 px phone photo.

    python benchmarks/photo_bench.py 1000 [--work DIR] [--json FILE]

The corpus: N news articles ``content/tin-tuc/bai-NNNN/index.md``, each with its own
``anh.jpg`` (3000×2000, as a phone writes it: EXIF with a GPS position) as its ``image``.
The photos are one drawn scene whose bytes differ per article (a JPEG comment with its
number): every photo is its own file to the build (its own digest, its own variants), and
each decodes at the same cost. Then, each build a child process timed by the wall clock
and by the CPU time of it and its workers (CPU above wall: the workers ran side by side):

1. a cold build (``--clean``: no output, every photo made anew);
2. a no-change rebuild;
3. a rebuild after one photo was replaced (its variants made again, the others kept);
4. a rebuild after a paragraph was added to one article (no photo read or made).

Prints a Markdown table. Needs sitegen installed (and so Pillow).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parents[1]
CONFIG = "title: Ảnh thử\nbase_url: https://example.gov.vn/tuyen-truyen/\n"


def base_photo() -> bytes:
    """A 3000×2000 drawn landscape as a phone's JPEG (EXIF with GPS), about 1 MB."""
    w, h = 3000, 2000
    im = Image.new("RGB", (w // 10, h // 10))
    d = ImageDraw.Draw(im)
    for y in range(h // 10):
        d.line([(0, y), (w, y)], fill=(110 + y // 2, 160 + y // 4, 230 - y // 3))
    for i in range(12):
        x = i * 27
        d.polygon([(x, 140), (x + 14, 60 + (i * 37) % 50), (x + 30, 140)], fill=(50, 90, 60))
    d.rectangle([0, 140, w, h], fill=(70, 120, 120))
    big = im.resize((w, h), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    big = Image.blend(big, Image.effect_noise((w, h), 20).convert("RGB"), 0.05)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (20.0, 15.0, 30.0), 3: "E", 4: (105.0, 54.0, 12.0)}
    out = io.BytesIO()
    big.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()


def numbered(photo: bytes, n: int) -> bytes:
    """``photo`` with a JPEG comment (COM segment) naming ``n`` after its start marker."""
    text = f"anh so {n}".encode()
    return photo[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + photo[2:]


def make_corpus(site: Path, count: int) -> None:
    photo = base_photo()
    (site / "content" / "tin-tuc").mkdir(parents=True)
    (site / "config.yaml").write_text(CONFIG, encoding="utf-8")
    for n in range(count):
        bundle = site / "content" / "tin-tuc" / f"bai-{n:04d}"
        bundle.mkdir()
        (bundle / "index.md").write_text(
            f"---\ntitle: Bài số {n}\ndate: 2025-{1 + n % 12:02d}-{1 + n % 28:02d}\n"
            f"image: anh.jpg\nimage_alt: Phong cảnh số {n}\n---\n\nNội dung bài số {n}.\n",
            encoding="utf-8")
        (bundle / "anh.jpg").write_bytes(numbered(photo, n))


def build(site: Path, *extra: str) -> tuple[float, float, float]:
    """The wall-clock seconds of one ``sitegen build`` (a child process, Python's start
    included), the seconds the build itself reports on its summary line, and the CPU
    seconds (user and system) of the build and its worker processes."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site),
                           "--quiet", *extra], check=True, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
    wall = time.perf_counter() - started
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime
    said = re.findall(r"trong ([0-9.]+) giây", done.stdout + done.stderr)
    return wall, float(said[-1]) if said else float("nan"), cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="sitegen-photo-bench-"))
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    started = time.perf_counter()
    make_corpus(site, args.count)
    print(f"corpus: {args.count} articles with a 3000×2000 photo each, "
          f"{time.perf_counter() - started:.0f} s to make", file=sys.stderr)
    figures = {"cold": build(site, "--clean")}
    time.sleep(3.5)  # past the 'racy clean' window: the photos' stats are trusted
    build(site)  # the first rebuild records the settled stats
    figures["no change"] = build(site)
    photo = site / "content" / "tin-tuc" / f"bai-{min(7, args.count - 1):04d}" / "anh.jpg"
    photo.write_bytes(numbered(photo.read_bytes(), 999_999))
    figures["one photo changed"] = build(site)
    index = site / "content" / "tin-tuc" / f"bai-{args.count // 2:04d}" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nMột đoạn mới.\n", encoding="utf-8")
    figures["one paragraph added"] = build(site)  # no photo work at all
    print(f"| {args.count} articles, a 3000 px photo each | wall-clock s | build's own s | "
          "CPU s |\n| --- | --- | --- | --- |")
    for name, (wall, own, cpu) in figures.items():
        print(f"| {name} | {wall:.2f} | {own:.2f} | {cpu:.2f} |")
    print(f"({os.cpu_count()} CPUs, SITEGEN_JOBS={os.environ.get('SITEGEN_JOBS', 'all')})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
