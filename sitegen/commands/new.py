"""``sitegen new``: a kind, a title and today in; a new article's path and text out
(:func:`scaffold`, pure), then written where it belongs, never over a file (:func:`new_command`).

Every key of the kind is either filled in or explained by a Vietnamese comment,
and the article starts as a draft, so a fresh scaffold passes ``sitegen check``: its
placeholder text (:mod:`sitegen.core.placeholders`) is listed as warnings, and is an error
once ``draft`` is false.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitegen.commands.console import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from sitegen.core.config import KINDS, Config, Section, load_config
from sitegen.core.placeholders import (
    DECISION,
    EVENT,
    HEADING,
    IMAGE_ALT,
    ISSUER,
    LAUNCHED_BY,
    NUMBER,
    OPENING,
    SUBJECT,
    TEXT,
)
from sitegen.pipeline import clock
from sitegen.vn.slug import slugify


@dataclass(frozen=True)
class Scaffold:
    """A new article: its path below the site folder and its text."""

    rel: str
    text: str


class UnknownKind(ValueError):
    """The kind or section named on the command line does not exist."""


def find_section(config: Config, name: str) -> Section:
    """The section named ``name``, or the first section of kind ``name``; else UnknownKind."""
    section = config.section(name)
    if section is not None:
        return section
    for s in config.sections:
        if s.kind == name:
            return s
    raise UnknownKind(name)


def _q(text: str) -> str:
    """A YAML double-quoted string (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


_KIND_BLOCKS = {
    "model": """\
# --- Gương điển hình tiên tiến ---
subject: {subject}   # bắt buộc
subject_kind: ca-nhan        # bắt buộc: ca-nhan (cá nhân) hoặc tap-the (tập thể)
position: ""                 # chức vụ, ví dụ: Lái đò, Tổ đò số 3 (có thể bỏ trống)
awards:                      # khen thưởng: mỗi mục ba dòng như ví dụ dưới (bỏ dấu # ở đầu dòng để dùng)
#  - name: Bằng khen của Chủ tịch UBND tỉnh
#    year: 2024
#    decision: {decision}
""",
    "movement": """\
# --- Phong trào thi đua ---
launched_by: {launched_by}   # bắt buộc
start: {today}             # bắt buộc: ngày bắt đầu (năm-tháng-ngày)
# end: {year}-12-31        # ngày kết thúc (không trước start); bỏ trống nếu chưa định
""",
    "commemoration": """\
# --- Ngày kỷ niệm ---
event: {event}        # bắt buộc
event_date: 1960-07-09     # bắt buộc: ngày gốc (năm của nó dùng để đánh số năm kỷ niệm)
calendar: solar            # solar (dương lịch) hoặc lunar (âm lịch: tháng/ngày của event_date là âm lịch)
""",
    "news": "",
    "document": """\
# --- Văn bản ---
number: {number}                  # bắt buộc
issued: {today}            # bắt buộc: ngày ban hành
issuer: {issuer}  # bắt buộc
# file: van-ban.pdf        # tệp văn bản đặt cạnh bài (dùng --bundle để có thư mục riêng)
""",
}


PLACEHOLDER_BODY = f"""\
{OPENING.text}

## {HEADING}

{TEXT.text}
"""


def scaffold(config: Config, kind: str, title: str, today: date, *, bundle: bool = False,
             body: str = PLACEHOLDER_BODY) -> Scaffold:
    """The new article for ``kind`` (a kind or a section name) titled ``title``, dated ``today``,
    with ``body`` below its front matter (``sitegen import`` gives the Word document's)."""
    section = find_section(config, kind)
    slug = slugify(title, config.slug_length)
    folder = config.content_dir.relative_to(config.root).as_posix() \
        if config.content_dir.is_relative_to(config.root) else "content"
    rel = f"{folder}/{section.name}/{slug}/index.md" if bundle else f"{folder}/{section.name}/{slug}.md"
    units = ", ".join(config.units[:3]) + (" …" if len(config.units) > 3 else "")
    picture = "anh.jpg" if bundle else "images/anh.jpg"
    kind_block = _KIND_BLOCKS[section.kind].format(
        today=today.isoformat(), year=today.year, subject=_q(SUBJECT.text),
        launched_by=_q(LAUNCHED_BY.text), event=_q(EVENT.text), number=_q(NUMBER.text),
        issuer=_q(ISSUER.text), decision=_q(DECISION.text))
    text = f"""---
# Bài mới: {KINDS[section.kind]} (chuyên mục {section.title}).
# Dòng bắt đầu bằng # là ghi chú, không được đăng. Xem docs/huong-dan-viet-bai.md.
title: {_q(title)}
date: {today.isoformat()}            # ngày đăng (năm-tháng-ngày); bài hẹn ngày sau hôm nay sẽ chờ đăng
draft: true                  # bản nháp: đổi thành false (hoặc xóa dòng) khi đăng
summary: ""                  # đoạn tóm tắt; bỏ trống thì lấy đoạn đầu của bài
tags: []                     # chủ đề, ví dụ: [thi đua yêu nước, Tràng An]
unit: ""                     # đơn vị{(": " + units) if units else ""}
field: ""                    # lĩnh vực, ví dụ: Du lịch, Văn hóa
author: ""                   # người viết
# image: {picture}          # ảnh đại diện ({"đặt cạnh bài" if bundle else "trong static/"})
# image_alt: {_q(IMAGE_ALT.text)}   # bắt buộc khi có image
# image_caption: ""          # chú thích dưới ảnh
# image_credit: ""           # tác giả ảnh, hiện là "Ảnh: …"
{kind_block}---

{body}"""
    return Scaffold(rel=rel, text=text)


def unknown_kind(config: Config, kind: str) -> str:
    """The message for a ``kind`` that is neither a kind nor a section of ``config``."""
    names = ", ".join([*KINDS, *(s.name for s in config.sections)])
    return f'lỗi: không có loại bài hay chuyên mục "{kind}". Cách sửa: dùng một trong: {names}.'


def already_there(target: Path, *, bundle: bool) -> bool:
    """Whether an article is at ``target`` (``…/slug.md`` or, for a bundle, ``…/slug/index.md``)
    in either form: the file, its bundle's folder, or the other form's file."""
    if bundle:
        folder = target.parent
        return folder.exists() or folder.with_name(folder.name + ".md").exists()
    return target.exists() or (target.parent / target.stem / "index.md").exists()


def new_command(site: Path, kind: str, title: str, *, bundle: bool = False) -> int:
    """``sitegen new``: write a new draft article of ``kind`` titled ``title`` in ``site``,
    never over a file that is there; say where. [IO]"""
    config, _ = load_config(site)
    try:
        made = scaffold(config, kind, title, clock(config.zone).date(), bundle=bundle)
    except UnknownKind:
        print(unknown_kind(config, kind), file=sys.stderr)
        return EXIT_USAGE
    target = config.root / made.rel
    if already_there(target, bundle=bundle):
        print(f"lỗi: {made.rel} đã có; sitegen không ghi đè. Cách sửa: chọn tiêu đề khác "
              "hoặc mở tệp đó để sửa.", file=sys.stderr)
        return EXIT_CONTENT
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
        fh.write(made.text)
    print(f"Đã tạo {made.rel} (bản nháp). Mở tệp để viết; khi xong, đổi draft: true thành false.")
    return EXIT_OK
