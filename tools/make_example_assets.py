#!/usr/bin/env python3
"""Make the generated files of the bundled example site.

The example site under ``content/`` and ``static/`` is committed together with
what this script writes, so a build never runs it. Run it again only after
changing the texts below:

    pip install pillow          # for the two PNG pictures only
    python3 tools/make_example_assets.py

It writes:

* three small PDF 1.4 files (written by hand, no library) beside the document
  articles in ``content/van-ban/``; they are example copies with an ASCII text
  body in the standard Helvetica font and a Vietnamese title in their
  document information;
* ``content/tin-tuc/hoi-nghi-bieu-duong-2025/anh.png``, a drawn picture of the
  ceremony (Pillow);
* ``static/images/the-chia-se.png``, the 1200x630 social card (Pillow).

The output is deterministic: running it twice gives the same bytes.
"""

from __future__ import annotations

import sys
import textwrap
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
STATIC = ROOT / "static"

# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

PAGE_W, PAGE_H = 595, 842  # A4 in points
MARGIN_L, MARGIN_R, MARGIN_TOP, MARGIN_BOTTOM = 64, 56, 64, 72


def _pdf_text(s: str) -> str:
    """A literal string for a content stream (ASCII only)."""
    s.encode("ascii")  # fail loudly on a non-ASCII body line
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _pdf_info_string(s: str) -> str:
    """A PDF text string for the info dictionary: UTF-16BE with BOM, in hex."""
    return "<FEFF" + s.encode("utf-16-be").hex().upper() + ">"


def _layout(blocks):
    """Turn blocks into pages of (font, size, x, y, text) lines.

    A block is (style, text): style is one of "head" (bold, centred),
    "center", "right", "p" (wrapped paragraph), "li" (wrapped, indented),
    "gap" (blank space), "rule" (a row of a table, monospace-free: kept as is).
    """
    pages, lines = [], []
    y = PAGE_H - MARGIN_TOP

    def new_page():
        nonlocal lines, y
        pages.append(lines)
        lines = []
        y = PAGE_H - MARGIN_TOP

    def emit(font, size, text, align="left", indent=0):
        nonlocal y
        lead = size * 1.45
        if y - lead < MARGIN_BOTTOM:
            new_page()
        width = len(text) * size * 0.5  # rough Helvetica average width
        if align == "center":
            x = (PAGE_W - width) / 2
        elif align == "right":
            x = PAGE_W - MARGIN_R - width
        else:
            x = MARGIN_L + indent
        lines.append((font, size, round(x, 1), round(y, 1), text))
        y -= lead

    for style, text in blocks:
        if style == "gap":
            y -= 8
        elif style == "head":
            emit("F2", 13, text, "center")
        elif style == "center":
            emit("F1", 11, text, "center")
        elif style == "right":
            emit("F3", 11, text, "right")
        elif style == "left":
            emit("F1", 11, text)
        elif style == "bold":
            emit("F2", 11, text)
        elif style == "p":
            for part in textwrap.wrap(text, 88):
                emit("F1", 11, part)
            y -= 4
        elif style == "li":
            first = True
            for part in textwrap.wrap(text, 82):
                emit("F1", 11, ("- " if first else "  ") + part, indent=14)
                first = False
        else:
            raise ValueError(style)
    pages.append(lines)
    return pages


def write_pdf(path: Path, title: str, subject: str, blocks) -> None:
    pages = _layout(blocks)
    footer = "Ban vi du cua trang tuyen truyen - khong co gia tri phap ly. Example copy, not a legal document."
    objects: list[bytes] = []  # objects[i] is object number i + 1

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    f2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    f3 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Oblique /Encoding /WinAnsiEncoding >>")
    resources = f"<< /Font << /F1 {f1} 0 R /F2 {f2} 0 R /F3 {f3} 0 R >> >>"
    kids = []
    for n, lines in enumerate(pages, 1):
        ops = []
        for font, size, x, y, text in lines:
            ops.append(f"BT /{font} {size} Tf {x} {y} Td {_pdf_text(text)} Tj ET")
        ops.append("0.6 g")
        ops.append(f"BT /F3 8 Tf {MARGIN_L} 40 Td {_pdf_text(footer)} Tj ET")
        ops.append(f"BT /F1 8 Tf {PAGE_W - MARGIN_R - 40} 40 Td {_pdf_text(f'Trang {n}/{len(pages)}')} Tj ET")
        raw = "\n".join(ops).encode("ascii")
        data = zlib.compress(raw, 9)
        stream = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        page = add(
            (
                f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                f"/Resources {resources} /Contents {stream} 0 R >>"
            ).encode("ascii")
        )
        kids.append(page)
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R /Lang (vi-VN) >>".encode("ascii")
    objects[pages_obj - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode("ascii")
    )
    info = add(
        (
            f"<< /Title {_pdf_info_string(title)} /Subject {_pdf_info_string(subject)} "
            f"/Author {_pdf_info_string('Sở Du lịch tỉnh Ninh Bình')} "
            f"/Creator (tools/make_example_assets.py) /Producer (sitegen example) "
            f"/CreationDate (D:20260101000000+07'00') >>"
        ).encode("ascii")
    )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    print("wrote", path.relative_to(ROOT))


HEADER_PROVINCE = [
    ("left", "UBND TINH NINH BINH                         CONG HOA XA HOI CHU NGHIA VIET NAM"),
    ("left", "    SO DU LICH                                     Doc lap - Tu do - Hanh phuc"),
    ("gap", ""),
]

DOC_1526 = [
    ("center", "SO DU LICH TINH NINH BINH - TAI LIEU THAM KHAO"),
    ("gap", ""),
    ("head", "TRICH YEU NOI DUNG"),
    ("head", "QUYET DINH SO 1526/QD-TTg NGAY 09/12/2022 CUA THU TUONG CHINH PHU"),
    ("center", "Phe duyet De an \"Tuyen truyen guong dien hinh tien tien giai doan 2022 - 2025\""),
    ("gap", ""),
    ("p", "Ban trich yeu nay do Van phong So Du lich bien soan de can bo, cong chuc, vien chuc va nguoi lao dong trong nganh tien theo doi. Khi can trich dan, de nghi su dung van ban goc dang tren Cong bao va Cong thong tin dien tu Chinh phu."),
    ("bold", "1. Muc tieu"),
    ("p", "Phat huy suc manh cua khoi dai doan ket toan dan toc trong cac phong trao thi dua yeu nuoc; thong qua phong trao thi dua va cac cuoc van dong de phat hien, boi duong, tuyen truyen va nhan rong dien hinh tien tien, bam sat co so, ton vinh kip thoi."),
    ("li", "Cac bo, nganh, dia phuong xay dung tieu chi cu the ve guong dien hinh tien tien phu hop voi linh vuc, nganh nghe cua minh."),
    ("li", "Xay dung va trien khai ke hoach phat hien, tuyen truyen, nhan rong va ton vinh dien hinh tien tien bang hinh thuc phu hop."),
    ("bold", "2. Pham vi va thoi gian"),
    ("p", "De an duoc trien khai tren pham vi ca nuoc tu nam 2022 den nam 2025."),
    ("bold", "3. Viec So Du lich trien khai"),
    ("li", "Lap chuyen trang tuyen truyen guong dien hinh tien tien tren Cong thong tin dien tu cua So."),
    ("li", "Moi quy dang tai it nhat ba bai ve tap the, ca nhan dien hinh trong hoat dong du lich."),
    ("li", "Gan tuyen truyen voi cac ngay ky niem lon va voi phong trao thi dua cua nganh."),
    ("gap", ""),
    ("right", "VAN PHONG SO DU LICH"),
]

DOC_312 = HEADER_PROVINCE + [
    ("left", "So: 312/QD-SDL                                     Ninh Binh, ngay 25 thang 12 nam 2024"),
    ("gap", ""),
    ("head", "QUYET DINH"),
    ("center", "Ve viec cong nhan danh hieu thi dua va tang Giay khen nam 2024"),
    ("gap", ""),
    ("head", "GIAM DOC SO DU LICH TINH NINH BINH"),
    ("gap", ""),
    ("p", "Can cu Luat Thi dua, khen thuong ngay 15 thang 6 nam 2022; Nghi dinh so 98/2023/ND-CP ngay 31 thang 12 nam 2023 cua Chinh phu quy dinh chi tiet thi hanh mot so dieu cua Luat Thi dua, khen thuong; xet de nghi cua Hoi dong Thi dua - Khen thuong So,"),
    ("head", "QUYET DINH:"),
    ("p", "Dieu 1. Cong nhan danh hieu \"Chien si thi dua co so\" nam 2024 cho 06 ca nhan, trong do co ong Pham Van Duc, vien chuc Trung tam Thong tin xuc tien du lich; cong nhan danh hieu \"Lao dong tien tien\" cho 41 ca nhan (co danh sach kem theo)."),
    ("p", "Dieu 2. Tang Giay khen cua Giam doc So Du lich cho 05 tap the va 12 ca nhan da co thanh tich xuat sac trong phong trao thi dua \"Du lich Ninh Binh van minh, than thien, an toan\" nam 2024 (co danh sach kem theo)."),
    ("p", "Dieu 3. Chanh Van phong So, Truong cac phong, don vi thuoc So va cac tap the, ca nhan co ten tai Dieu 1, Dieu 2 chiu trach nhiem thi hanh Quyet dinh nay."),
    ("gap", ""),
    ("right", "GIAM DOC"),
    ("right", "(da ky)"),
    ("gap", ""),
    ("bold", "DANH SACH TRICH (ban vi du)"),
    ("li", "Chien si thi dua co so: Pham Van Duc - Trung tam Thong tin xuc tien du lich."),
    ("li", "Chien si thi dua co so: Tran Thi Mai Anh - Phong Quan ly du lich."),
    ("li", "Giay khen (tap the): Phong Quan ly du lich; To van hanh he thong ve dien tu - Ban Quan ly Quan the danh thang Trang An."),
    ("li", "Giay khen (ca nhan): Nguyen Van Son - To do so 12, Ban Quan ly Quan the danh thang Trang An."),
]

DOC_18 = HEADER_PROVINCE + [
    ("left", "So: 18/KH-SDL                                      Ninh Binh, ngay 20 thang 01 nam 2025"),
    ("gap", ""),
    ("head", "KE HOACH"),
    ("center", "Tuyen truyen guong dien hinh tien tien nganh du lich nam 2025"),
    ("gap", ""),
    ("p", "Thuc hien Quyet dinh so 1526/QD-TTg ngay 09/12/2022 cua Thu tuong Chinh phu phe duyet De an \"Tuyen truyen guong dien hinh tien tien giai doan 2022 - 2025\", So Du lich xay dung Ke hoach tuyen truyen nam 2025 nhu sau:"),
    ("bold", "I. MUC DICH, YEU CAU"),
    ("li", "Kip thoi phat hien, bieu duong tap the, ca nhan tieu bieu trong hoat dong du lich; lan toa hinh anh nguoi lam du lich Ninh Binh van minh, than thien."),
    ("li", "Tuyen truyen thiet thuc, tranh hinh thuc; noi dung chinh xac, co nguon, ton trong quyen rieng tu cua nguoi duoc neu guong."),
    ("bold", "II. NOI DUNG VA HINH THUC"),
    ("li", "Chuyen trang tren Cong thong tin dien tu cua So: it nhat 03 bai moi quy."),
    ("li", "Chuyen muc tren trang mang xa hoi chinh thuc cua So; phong su ngan tai cac diem du lich."),
    ("li", "Hoi nghi bieu duong dien hinh tien tien giai doan 2020 - 2025 (Quy II/2025)."),
    ("bold", "III. TIEN DO"),
    ("li", "Quy I: ra soat, lap danh sach dien hinh; Quy II: to chuc hoi nghi bieu duong."),
    ("li", "Quy III: tuyen truyen dip Ngay Du lich Viet Nam va Quoc khanh; Quy IV: so ket, danh gia."),
    ("bold", "IV. TO CHUC THUC HIEN"),
    ("p", "Van phong So chu tri, phoi hop Trung tam Thong tin xuc tien du lich va cac phong, don vi thuoc So trien khai Ke hoach; bao cao ket qua truoc ngay 15/12/2025."),
    ("gap", ""),
    ("right", "KT. GIAM DOC"),
    ("right", "PHO GIAM DOC"),
    ("right", "(da ky)"),
]


def make_pdfs() -> None:
    vb = CONTENT / "van-ban"
    write_pdf(
        vb / "quyet-dinh-1526-qd-ttg" / "quyet-dinh-1526-qd-ttg.pdf",
        "Trích yếu Quyết định số 1526/QĐ-TTg ngày 09/12/2022",
        "Đề án Tuyên truyền gương điển hình tiên tiến giai đoạn 2022 - 2025",
        DOC_1526,
    )
    write_pdf(
        vb / "quyet-dinh-312-qd-sdl" / "quyet-dinh-312-qd-sdl.pdf",
        "Quyết định số 312/QĐ-SDL ngày 25/12/2024 (bản ví dụ)",
        "Công nhận danh hiệu thi đua và tặng Giấy khen năm 2024",
        DOC_312,
    )
    write_pdf(
        vb / "ke-hoach-tuyen-truyen-2025" / "ke-hoach-18-kh-sdl.pdf",
        "Kế hoạch số 18/KH-SDL ngày 20/01/2025 (bản ví dụ)",
        "Tuyên truyền gương điển hình tiên tiến ngành du lịch năm 2025",
        DOC_18,
    )


# --------------------------------------------------------------------------
# PNG pictures (Pillow)
# --------------------------------------------------------------------------

FONT_DIRS = [
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
]


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for d in FONT_DIRS:
        p = Path(d) / name
        if p.exists():
            return ImageFont.truetype(str(p), size)
    print("warning: DejaVu fonts not found; Vietnamese text may look poor", file=sys.stderr)
    return ImageFont.load_default(size)


def _centered(draw, y, text, font, fill, width):
    w = draw.textlength(text, font=font)
    draw.text(((width - w) / 2, y), text, font=font, fill=fill)


def _karst(draw, base_y, peaks, fill):
    """A row of rounded limestone peaks: peaks is a list of (x, height, half_width)."""
    for x, h, hw in peaks:
        draw.ellipse([x - hw, base_y - h, x + hw, base_y + h * 0.6], fill=fill)
        draw.rectangle([x - hw, base_y - h * 0.2, x + hw, base_y + 40], fill=fill)


def make_ceremony_png() -> None:
    from PIL import Image, ImageDraw

    W, H = 1200, 675
    img = Image.new("RGB", (W, H), "#efe6d6")
    d = ImageDraw.Draw(img)
    # backdrop
    d.rounded_rectangle([70, 40, W - 70, 330], radius=8, fill="#b3262c")
    d.rounded_rectangle([86, 56, W - 86, 314], radius=6, outline="#f2c94c", width=3)
    _centered(d, 82, "SỞ DU LỊCH TỈNH NINH BÌNH", _font(26), "#f8e7a1", W)
    _centered(d, 140, "HỘI NGHỊ BIỂU DƯƠNG ĐIỂN HÌNH TIÊN TIẾN", _font(38, True), "#f2c94c", W)
    _centered(d, 200, "NGÀNH DU LỊCH GIAI ĐOẠN 2020 - 2025", _font(38, True), "#f2c94c", W)
    _centered(d, 262, "Ninh Bình, tháng 6 năm 2025", _font(24), "#f8e7a1", W)
    # stage
    d.rectangle([40, 330, W - 40, 470], fill="#d9ccb5")
    d.rectangle([40, 470, W - 40, 500], fill="#7a4a22")
    # honourees standing with certificates and flowers
    for i in range(9):
        x = 150 + i * 112
        d.ellipse([x - 18, 352, x + 18, 388], fill="#c99a72")
        d.rounded_rectangle([x - 26, 390, x + 26, 468], radius=10, fill="#2c3e50" if i % 2 else "#1f5f8b")
        d.rectangle([x - 22, 404, x + 22, 436], fill="#fbf4e2", outline="#b3262c", width=2)
        d.ellipse([x + 10, 396, x + 34, 420], fill="#f28aa0")
        d.ellipse([x + 20, 410, x + 40, 430], fill="#f6c343")
    # audience
    for row, (y, color) in enumerate(((548, "#3d3a4f"), (620, "#2a2838"))):
        for i in range(10):
            x = 110 + i * 110 + (40 if row else 0)
            d.ellipse([x - 20, y - 20, x + 20, y + 20], fill=color)
            d.rounded_rectangle([x - 26, y + 20, x + 26, y + 62], radius=12, fill=color)
    out = CONTENT / "tin-tuc" / "hoi-nghi-bieu-duong-2025" / "anh.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, optimize=True)
    print("wrote", out.relative_to(ROOT))


def _site_texts():
    title = "Tuyên truyền gương điển hình tiên tiến"
    tagline = "Trang tuyên truyền thi đua – khen thưởng của Sở Du lịch tỉnh Ninh Bình"
    cfg = ROOT / "config.yaml"
    try:
        import yaml  # type: ignore

        data = yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}
        title = data.get("title") or title
        tagline = data.get("tagline") or tagline
    except Exception:  # no PyYAML or no config: keep the defaults
        pass
    return title, tagline


def make_social_card() -> None:
    from PIL import Image, ImageDraw

    W, H = 1200, 630
    title, tagline = _site_texts()
    img = Image.new("RGB", (W, H), "#0f5c4d")
    d = ImageDraw.Draw(img)
    # vertical gradient
    top, bottom = (15, 92, 77), (9, 52, 44)
    for y in range(H):
        t = y / (H - 1)
        d.line([(0, y), (W, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    # karst silhouettes and water
    _karst(d, 560, [(60, 100, 48), (170, 125, 55), (300, 80, 42), (420, 60, 40), (780, 105, 50), (900, 125, 58), (1040, 95, 50), (1160, 80, 45)], "#1d6e55")
    _karst(d, 585, [(130, 60, 70), (470, 45, 90), (640, 65, 60), (980, 70, 80)], "#175a46")
    d.rectangle([0, 585, W, H], fill="#2b7fa3")
    for x in range(40, W, 160):
        d.line([(x, 606), (x + 70, 606)], fill="#bfe3f0", width=3)
    # boat
    d.polygon([(520, 592), (680, 592), (660, 612), (540, 612)], fill="#5b3415")
    d.polygon([(640, 560), (660, 540), (680, 560)], fill="#f3e2b3")
    d.rounded_rectangle([650, 560, 670, 592], radius=5, fill="#3d5a99")
    # emblem-like mark (same idea as static/images/logo.svg)
    cx, cy, r = 130, 130, 70
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill="#fdf3d6", outline="#e9b949", width=6)
    d.polygon([(cx - 50, cy + 30), (cx - 28, cy - 20), (cx - 10, cy + 10), (cx + 8, cy - 40), (cx + 30, cy + 5), (cx + 52, cy + 30)], fill="#2f7d5b")
    d.rectangle([cx - 55, cy + 30, cx + 55, cy + 46], fill="#2b7fa3")
    d.ellipse([cx + 18, cy - 48, cx + 38, cy - 28], fill="#e9a23b")
    # texts
    d.text((235, 78), "SỞ DU LỊCH TỈNH NINH BÌNH", font=_font(30, True), fill="#e9b949")
    d.text((235, 122), "Đề án theo Quyết định số 1526/QĐ-TTg", font=_font(24), fill="#d7eee6")
    font = _font(60, True)
    words, lines, cur = title.split(), [], ""
    for w in words:
        trial = (cur + " " + w).strip()
        if d.textlength(trial, font=font) > W - 140 and cur:
            lines.append(cur)
            cur = w
        else:
            cur = trial
    lines.append(cur)
    y = 240
    for line in lines[:2]:
        d.text((70, y), line, font=font, fill="#ffffff")
        y += 76
    d.text((70, y + 14), tagline, font=_font(26), fill="#d7eee6")
    out = STATIC / "images" / "the-chia-se.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, optimize=True)
    print("wrote", out.relative_to(ROOT))


def main() -> int:
    make_pdfs()
    try:
        import PIL  # noqa: F401
    except ImportError:
        print("Pillow is not installed (pip install pillow): PNG pictures not made", file=sys.stderr)
        return 1
    make_ceremony_png()
    make_social_card()
    return 0


if __name__ == "__main__":
    sys.exit(main())
