"""Photos (issue 19): published in widths as WebP with a fallback, upright, stripped of their
metadata, with captions and credits; made once and kept in the build cache."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import MakeSite, RunCli
from helpers import article
from photos import metadata, phone_jpeg
from PIL import Image

from sitegen.core.photo import inspect, make
from sitegen.core.pictures import card_variant, job, webp_variants, widths

RASTER = (".jpg", ".jpeg", ".png", ".webp", ".gif")
ARTICLE = "tin-tuc/2025/03/anh-dep/"


def _img_tags(html: str) -> list[str]:
    return re.findall(r"<img\s[^>]*>", html)


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\s{name}="([^"]*)"', tag)
    return m[1] if m else None


@pytest.fixture(scope="module")
def portrait() -> bytes:
    """A 4000×3000 phone JPEG held upright (EXIF orientation 6), with GPS."""
    return phone_jpeg(4000, 3000, orientation=6)


@pytest.fixture
def photo_site(make_site: MakeSite, portrait: bytes) -> Path:
    body = ("Mở đầu bài.\n\n"
            '![Đoàn khách trên đò](tren-do.jpg "Đoàn khách trên bến Tràng An. Ảnh: Lê Thị B")\n\n'
            "Giữa bài.\n\n![Hang Sáng](hang-sang.jpg)\n\n[Tải ảnh gốc](hang-sang.jpg)\n")
    return make_site({
        "content/tin-tuc/anh-dep/index.md": article(
            "Ảnh đẹp", body=body, image="anh.jpg", image_alt="Chị Hoa chèo đò",
            image_caption="Chị Hoa trên dòng Sào Khê", image_credit="Trần Văn A"),
        "content/tin-tuc/anh-dep/anh.jpg": portrait,
        "content/tin-tuc/anh-dep/tren-do.jpg": phone_jpeg(1800, 1200, orientation=1, seed=2),
        "content/tin-tuc/anh-dep/hang-sang.jpg": phone_jpeg(1200, 900, orientation=8, seed=3),
    })


def test_a_phone_photo_is_published_upright_in_widths_and_stripped(
        photo_site: Path, run_cli: RunCli) -> None:
    """Issue 19's done-when: every published raster carries no EXIF, GPS or XMP; the
    article's and the home's <img> have the upright picture's size; the original is not
    published; the social card is a 1200×630 crop."""
    result = run_cli("build", "--site", photo_site)
    assert result.code == 0, result.err
    out = photo_site / "output"
    rasters = [p for p in out.rglob("*") if p.suffix.lower() in RASTER]
    assert len(rasters) >= 10
    for p in rasters:
        assert metadata(p.read_bytes()) == {}, p
    assert not (out / ARTICLE / "anh.jpg").exists(), "the original was published"
    assert not (out / ARTICLE / "tren-do.jpg").exists()
    assert (out / ARTICLE / "hang-sang.jpg").exists(), "a linked original is published"

    page = (out / ARTICLE / "index.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    for html in (page, home):
        lead = next(t for t in _img_tags(html) if "anh-" in (_attr(t, "src") or ""))
        assert (_attr(lead, "width"), _attr(lead, "height")) == ("3000", "4000")
        assert _attr(lead, "loading") == "eager" and _attr(lead, "fetchpriority") == "high"
    srcset = re.search(r'<source type="image/webp" srcset="([^"]*)"', page)
    assert srcset is not None
    for entry in srcset[1].split(", "):
        url, width = entry.rsplit(" ", 1)
        with Image.open(out / ARTICLE / url) as im:
            assert f"{im.width}w" == width and im.height > im.width, url  # upright
    body = [t for t in _img_tags(page) if "anh-" not in (_attr(t, "src") or "")
            and "logo" not in (_attr(t, "src") or "")]
    assert [(_attr(t, "width"), _attr(t, "height"), _attr(t, "loading")) for t in body] == \
        [("1800", "1200", "lazy"), ("900", "1200", "lazy")]
    og = re.search(r'<meta property="og:image" content="([^"]*)"', page)
    assert og is not None and og[1].endswith(ARTICLE + "anh-og.jpg")
    with Image.open(out / ARTICLE / "anh-og.jpg") as im:
        assert im.size == (1200, 630)


def test_captions_and_credits(photo_site: Path, run_cli: RunCli) -> None:
    assert run_cli("build", "--site", photo_site).code == 0
    page = (photo_site / "output" / ARTICLE / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<figure class="lead-image">\s*<picture>.*?</picture>\s*<figcaption>'
                     r'<span class="caption">Chị Hoa trên dòng Sào Khê\.</span> '
                     r'<span class="credit">Ảnh: Trần Văn A</span>'
                     r"</figcaption>", page, re.S)
    assert re.search(r"<figure><picture>.*?</picture><figcaption>Đoàn khách trên bến Tràng An. "
                     r"Ảnh: Lê Thị B</figcaption></figure>", page, re.S)


def test_no_picture_work_when_no_picture_changed(photo_site: Path, run_cli: RunCli,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A build where no photo changed decodes none; an edited photo makes only its own."""
    import sitegen.incremental.photos as photos

    decoded: list[str] = []
    real = photos._make_one

    def counting(work: photos._Work) -> list[bytes | str] | None:
        decoded.append(Path(work.source).name)
        return real(work)

    monkeypatch.setattr(photos, "_make_one", counting)
    monkeypatch.setenv("SITEGEN_JOBS", "1")
    assert run_cli("build", "--site", photo_site).code == 0
    assert sorted(decoded) == ["anh.jpg", "hang-sang.jpg", "tren-do.jpg"]
    decoded.clear()
    index = photo_site / "content/tin-tuc/anh-dep/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nMột dòng nữa.\n", encoding="utf-8")
    assert run_cli("build", "--site", photo_site).code == 0
    assert decoded == []
    (photo_site / "content/tin-tuc/anh-dep/tren-do.jpg").write_bytes(
        phone_jpeg(1800, 1200, orientation=1, seed=9))
    assert run_cli("build", "--site", photo_site).code == 0
    assert decoded == ["tren-do.jpg"]


def test_widths_never_upscale() -> None:
    assert widths((3000, 4000)) == (480, 960, 1600)
    assert widths((1000, 750)) == (480, 1000)
    assert widths((300, 200)) == (300,)
    assert [(v.width, v.height) for v in webp_variants((3000, 4000))] == \
        [(480, 640), (960, 1280), (1600, 2133)]
    assert (card_variant((4000, 3000)).width, card_variant((4000, 3000)).height) == (1200, 630)
    small = card_variant((600, 800))
    assert small.width <= 600 and abs(small.width / small.height - 1200 / 630) < 0.01


def test_made_variants_are_upright_and_stripped_of_metadata_and_profile() -> None:
    from PIL import ImageCms

    data = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    stored = Image.new("RGB", (800, 600), (200, 30, 30))  # stored on its side: left half red,
    stored.paste((30, 30, 200), (400, 0, 800, 600))        # right half blue
    stored.save(data, "JPEG", icc_profile=profile, exif=_exif(6))
    facts = inspect(data.getvalue(), "a.jpg")
    assert facts.size == (600, 800)
    picture = job("a.jpg", "a.jpg", "a.jpg", facts, shown=True, card=False, original=True)
    made = make(data.getvalue(), picture.variants)
    assert made.files is not None and made.trouble is None
    for v, blob in zip(picture.variants, made.files, strict=True):
        with Image.open(io.BytesIO(blob)) as im:
            assert im.size == (v.width, v.height)
            assert im.format == v.format
            rgb = im.convert("RGB")  # turned 90° clockwise (orientation 6): red on top
            top, bottom = rgb.getpixel((v.width // 2, 5)), rgb.getpixel((v.width // 2, v.height - 5))
            assert isinstance(top, tuple) and isinstance(bottom, tuple)
            assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], (v, top, bottom)
        assert metadata(blob) == {}


@pytest.mark.parametrize("orientation", [6, 8])
def test_a_large_jpeg_is_decoded_smaller_yet_upright_and_never_enlarged(
        orientation: int, monkeypatch: pytest.MonkeyPatch) -> None:
    data = io.BytesIO()
    stored = Image.new("RGB", (4000, 3400), (200, 30, 30))  # on its side: left half red,
    stored.paste((30, 30, 200), (2000, 0, 4000, 3400))      # right half blue
    stored.save(data, "JPEG", exif=_exif(orientation))
    facts = inspect(data.getvalue(), "a.jpg")
    picture = job("a.jpg", "a.jpg", "a.jpg", facts, shown=True, card=True, original=False)
    assert max(v.width for v in picture.variants) * 2 <= facts.size[0]  # a half is enough
    scaled: list[tuple[tuple[int, int], tuple[int, int]]] = []  # (from, to), upright or not
    resize = Image.Image.resize

    def spy(im: Image.Image, size: tuple[int, int], *args: object, **kw: object) -> Image.Image:
        box = kw.get("box")
        source = im.size if not isinstance(box, tuple) else (box[2] - box[0], box[3] - box[1])
        scaled.append((source, size))
        return resize(im, size, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Image.Image, "resize", spy)
    made = make(data.getvalue(), picture.variants)
    assert made.files is not None and made.trouble is None
    assert max(max(source) for source, _ in scaled) <= 2000  # decoded at half its size
    for source, size in scaled:  # and nothing enlarged
        assert size[0] <= source[0] and size[1] <= source[1], (source, size)
    red_on_top = orientation == 6  # 6: turned 90° clockwise; 8: anticlockwise
    for v, blob in zip(picture.variants, made.files, strict=True):
        with Image.open(io.BytesIO(blob)) as im:
            assert im.size == (v.width, v.height)
            rgb = im.convert("RGB")
            top, bottom = rgb.getpixel((v.width // 2, 5)), rgb.getpixel((v.width // 2, v.height - 5))
            assert isinstance(top, tuple) and isinstance(bottom, tuple)
            red, blue = (top, bottom) if red_on_top else (bottom, top)
            assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0], (v, top, bottom)


def test_a_photo_made_in_threads_is_the_same_bytes(portrait: bytes) -> None:
    facts = inspect(portrait, "a.jpg")
    picture = job("a.jpg", "a.jpg", "a.jpg", facts, shown=True, card=True, original=False)
    alone = make(portrait, picture.variants)
    assert alone.files is not None and len(set(alone.files)) == len(picture.variants)
    assert make(portrait, picture.variants, threads=3) == alone


def _exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def test_check_warns_of_broken_heic_and_huge_photos(make_site: MakeSite, run_cli: RunCli,
                                                     portrait: bytes) -> None:
    """File, line and a Vietnamese fix for each photo a build cannot publish well."""
    heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 100
    body = "![Ảnh hỏng](hong.jpg)\n\n![Ảnh iPhone](iphone.heic)\n"
    site = make_site({
        "content/tin-tuc/bai/index.md": article("Bài", body=body, image="lon.png",
                                                image_alt="Ảnh rất lớn"),
        "content/tin-tuc/bai/hong.jpg": portrait[: len(portrait) // 2],
        "content/tin-tuc/bai/iphone.heic": heic,
        "content/tin-tuc/bai/scan.tif": b"II*\0",  # used by no page: said at the file
        "content/tin-tuc/bai/lon.png": _huge_png(),
    })
    result = run_cli("check", "--site", site)
    assert result.code == 0, result.err
    err = result.err
    assert re.search(r"content/tin-tuc/bai/index.md:\d+: cảnh báo: ảnh \"hong.jpg\" bị cắt cụt", err)
    assert re.search(r"content/tin-tuc/bai/index.md:\d+: cảnh báo: ảnh \"iphone.heic\" ở định "
                     r"dạng HEIC.*Cài đặt > Camera > Định dạng > Tương thích nhất", err)
    assert re.search(r"content/tin-tuc/bai/index.md:\d+: cảnh báo \[image\]: ảnh \"lon.png\" "
                     r"quá lớn", err)
    assert re.search(r"content/tin-tuc/bai/scan.tif: cảnh báo: ảnh ở định dạng trình duyệt "
                     r"không hiển thị được \(TIFF, BMP\)", err)
    assert err.count("iphone.heic") == 1, "one warning per picture, at the line using it"
    assert run_cli("check", "--site", site, "--strict").code == 1


def _huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (8100, 10), 128).save(out, "PNG")
    return out.getvalue()


def test_serve_makes_a_photo_once_and_equals_a_fresh_render(make_site: MakeSite,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """serve keeps a photo's files between rebuilds (no decoding when only text changed), and
    serves what a full render makes."""
    import sitegen.incremental.photos as photos
    from sitegen.commands.serve import SiteServer
    from sitegen.core.config import load_config
    from sitegen.core.urls import output_file
    from sitegen.pipeline import BuildOptions, render

    decoded: list[str] = []
    real = photos._make_one
    monkeypatch.setattr(photos, "_make_one",
                        lambda work: decoded.append(work.source) or real(work))
    site = make_site({
        "content/tin-tuc/bai/index.md": article("Bài", image="anh.jpg", image_alt="Bến đò"),
        "content/tin-tuc/bai/anh.jpg": phone_jpeg(1200, 900, orientation=6, seed=5),
    })
    config, _ = load_config(site)
    server = SiteServer(site, config, log=lambda _: None)
    server.rebuild()
    assert len(decoded) == 1
    index = site / "content/tin-tuc/bai/index.md"
    index.write_text(article("Bài", image="anh.jpg", image_alt="Bến đò", body="Sửa."),
                     encoding="utf-8")
    state = server.rebuild()
    assert len(decoded) == 1, "a text edit made the photo again"
    assert not [p for p in state.problems if p.is_error]
    fresh = render(server.config, BuildOptions(drafts=True, future=True), parallel=False)
    want = {output_file(f.path): f.data if f.data is not None else Path(str(f.source)).read_bytes()
            for f in fresh.files}
    assert {path: f.read() for path, f in state.files.items()} == want
    assert any(p.endswith("anh-480w.webp") for p in want)


def test_a_photo_whose_name_has_spaces_and_commas_keeps_a_valid_srcset() -> None:
    from sitegen.render.pictures import picture_html

    html = picture_html(lambda p: p, "tin-tuc/a/ảnh đẹp, 1.jpg", (2000, 1000), "Ảnh",
                        sizes="100vw")
    srcset = re.search(r'srcset="([^"]*)"', html)
    assert srcset is not None
    candidates = [c.split() for c in srcset[1].split(", ")]
    assert [c[1] for c in candidates] == ["480w", "960w", "1600w"]
    assert all(len(c) == 2 and "," not in c[0] for c in candidates)


def test_the_original_is_published_stripped_when_asked(make_site: MakeSite,
                                                        run_cli: RunCli) -> None:
    site = make_site({
        "content/tin-tuc/bai/index.md": article("Bài", image="anh.jpg", image_alt="Bến đò",
                                                image_original=True),
        "content/tin-tuc/bai/anh.jpg": phone_jpeg(900, 600, orientation=6, seed=6),
    })
    assert run_cli("build", "--site", site).code == 0
    original = site / "output/tin-tuc/2025/03/bai/anh.jpg"
    assert metadata(original.read_bytes()) == {}
    with Image.open(original) as im:
        assert im.size == (600, 900)  # upright, full size


def test_a_photo_named_with_dot_slash_or_from_the_root_is_a_picture_too() -> None:
    from sitegen.core.markup import LinkContext, MarkdownRenderer

    ctx = LinkContext(source="tin-tuc/a/index.md", bundle=frozenset({"anh.jpg"}),
                      static=frozenset({"images/x.jpg"}), articles=frozenset(),
                      sizes={"anh.jpg": (300, 400), "images/x.jpg": (10, 20)})
    body = "![a](./anh.jpg)\n\n![b](/images/x.jpg)\n\n![c](anh.jpg)\n"
    markup = MarkdownRenderer().render(body, ctx, "content/tin-tuc/a/index.md", 5)
    assert markup.pictures == ("bundle/anh.jpg", "static/images/x.jpg")
    assert markup.html.count('src="sitegen:picture:') == 3
