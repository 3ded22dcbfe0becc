"""The scaffold's placeholder text (what ``sitegen new`` writes for the writer to replace)
and the check that none of it is published; pure.

``sitegen new`` builds its article from these constants, so the check always knows what it
wrote. A placeholder left in a field or the body is a warning in a draft and an error in an
article to be published (``draft`` false): the page would show it, and ``sitegen report``
would list a gương điển hình named "Họ và tên người …".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sitegen.core.errors import Level, Problem
from sitegen.core.frontmatter import Meta, Split


@dataclass(frozen=True)
class Placeholder:
    """One text of the scaffold: all of it as written, and the part that gives it away
    (still there when the writer changed only the example after "ví dụ:")."""

    text: str
    telltale: str


SUBJECT = Placeholder("Họ và tên người (hoặc tên tập thể) được tuyên truyền",
                      "Họ và tên người (hoặc tên tập thể)")
LAUNCHED_BY = Placeholder("Đơn vị phát động, ví dụ: UBND tỉnh Ninh Bình", "Đơn vị phát động, ví dụ")
EVENT = Placeholder("Tên ngày kỷ niệm, ví dụ: Ngày Du lịch Việt Nam", "Tên ngày kỷ niệm, ví dụ")
NUMBER = Placeholder("Số hiệu, ví dụ: 1526/QĐ-TTg", "Số hiệu, ví dụ")
ISSUER = Placeholder("Cơ quan ban hành, ví dụ: Thủ tướng Chính phủ", "Cơ quan ban hành, ví dụ")
IMAGE_ALT = Placeholder("Mô tả ảnh cho người không nhìn thấy", "Mô tả ảnh cho người không nhìn thấy")
OPENING = Placeholder("Viết đoạn mở đầu ở đây. Đoạn này được dùng làm tóm tắt nếu summary bỏ trống.",
                      "Viết đoạn mở đầu ở đây")
TEXT = Placeholder("Viết nội dung bài ở đây.", "Viết nội dung bài ở đây")
#: The example award's decision: the award's name is a real one a writer may keep, so the
#: decision is what tells the example from a real award.
DECISION = Placeholder("Số quyết định, ví dụ: 1234/QĐ-UBND", "Số quyết định, ví dụ")
#: The scaffold's heading, a placeholder only as a whole heading line.
HEADING = "Tiêu đề mục"

PLACEHOLDERS = (SUBJECT, LAUNCHED_BY, EVENT, NUMBER, ISSUER, IMAGE_ALT, OPENING, TEXT, DECISION)
_HEADING_LINE = re.compile(r"^\s*#{1,6}\s*" + re.escape(HEADING) + r"\s*#*\s*$")


def placeholder_problems(meta: Meta, parts: Split, rel: str) -> list[Problem]:
    """A problem for each field of ``meta`` (read from ``parts``, the file ``rel``) that still
    holds the scaffold's text, and one for the lines of its body that do: errors unless the
    article is a draft, warnings in a draft."""
    level = Level.WARNING if meta.draft else Level.ERROR
    fix_end = ("" if meta.draft else
               "; hoặc để draft: true cho đến khi viết xong")
    problems = [
        Problem(path=rel, line=parts.line_of(key), key=key, level=level,
                code="placeholder-text",
                message=f'"{key}" vẫn là chữ mẫu của sitegen new ("{found.text}").',
                fix=f"thay bằng nội dung thật của bài{fix_end}.")
        for key, value in _texts(meta) for found in PLACEHOLDERS if found.telltale in value]
    lines = [(parts.body_line + i, found) for i, line in enumerate(parts.body.split("\n"))
             if (found := _body_placeholder(line))] if _may_hold_one(parts.body) else []
    if lines:
        where = ", ".join(str(n) for n, _ in lines)
        problems.append(Problem(
            path=rel, line=lines[0][0], level=level, code="placeholder-text",
            message=f'nội dung bài vẫn còn chữ mẫu của sitegen new ("{lines[0][1]}"; dòng {where}).',
            fix=f"thay những dòng đó bằng nội dung thật của bài{fix_end}."))
    return problems


def _may_hold_one(body: str) -> bool:
    """Whether a line of ``body`` may hold the scaffold's text: only then are its lines
    read one by one (most bodies hold none, and line by line took a tenth of a millisecond
    a body)."""
    return HEADING in body or any(p.telltale in body for p in PLACEHOLDERS)


def _body_placeholder(line: str) -> str | None:
    """The scaffold's text that ``line`` holds, or None."""
    if _HEADING_LINE.match(line):
        return line.strip()
    return next((p.text for p in PLACEHOLDERS if p.telltale in line), None)


def _texts(meta: Meta) -> Iterator[tuple[str, str]]:
    """Every text of ``meta`` (its kind's fields and awards too) as (key, text)."""
    for obj in (meta, meta.info):
        if obj is None:
            continue
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, str):
                yield f.name, value
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, str):
                        yield f.name, item
                    elif dataclasses.is_dataclass(item):  # an award: name, decision
                        yield from ((f.name, v) for v in vars(item).values() if isinstance(v, str))
