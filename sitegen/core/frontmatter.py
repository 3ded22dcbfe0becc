"""Front matter: a file's text in, checked metadata (:class:`Meta`) and Problems out; pure.

Two steps, kept apart: :func:`split` cuts the YAML from the Markdown body, and
:func:`validate` checks the YAML against the keys of the article's kind (see the
content contract). Every problem is collected; nothing stops at the first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.core.errors import Problem, warning
from sitegen.core.fences import Split, load, split
from sitegen.core.suggest import nearest, unknown_key_fix
from sitegen.core.when import parse_when
from sitegen.vn.text import nfc

__all__ = ["Meta", "Split", "decode", "parse", "split", "validate"]

SUBJECT_KINDS = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể"}
CALENDARS = {"solar": "dương lịch", "lunar": "âm lịch"}
LANGS = {"vi": "tiếng Việt", "en": "tiếng Anh"}


@dataclass(frozen=True)
class Award:
    """One award: the form of commendation or emulation title, its year and decision number."""

    name: str
    year: int | None = None
    decision: str | None = None


@dataclass(frozen=True)
class ModelInfo:
    """What a gương điển hình article says about the person or collective honoured."""

    subject: str
    subject_kind: str
    position: str | None = None
    awards: tuple[Award, ...] = ()


@dataclass(frozen=True)
class MovementInfo:
    """A phong trào thi đua: who launched it and its period (``end`` None: open-ended)."""

    launched_by: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class CommemorationInfo:
    """A ngày kỷ niệm: the day commemorated and its first date (lunar month/day if lunar)."""

    event: str
    event_date: date
    calendar: str = "solar"


@dataclass(frozen=True)
class DocumentInfo:
    """A văn bản: số hiệu, date of issue, issuer and the attached file (a path as written)."""

    number: str
    issued: date
    issuer: str
    file: str | None = None


KindInfo = ModelInfo | MovementInfo | CommemorationInfo | DocumentInfo


@dataclass(frozen=True)
class Meta:
    """Checked front matter of one article or page; text is NFC, dates are in the site's zone."""

    title: str
    date: datetime | None
    updated: datetime | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    unit: str | None = None
    field: str | None = None
    author: str | None = None
    image: str | None = None
    image_alt: str | None = None
    #: The featured picture's caption and credit (shown "Ảnh: …"), and whether its original
    #: is published too (stripped of its metadata).
    image_caption: str | None = None
    image_credit: str | None = None
    image_original: bool = False
    slug: str | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()
    lang: str = "vi"
    info: KindInfo | None = None


COMMON_KEYS = ("title", "date", "updated", "summary", "tags", "unit", "field", "author",
               "image", "image_alt", "image_caption", "image_credit", "image_original", "slug",
               "draft", "aliases", "lang")
KIND_KEYS: Mapping[str, tuple[str, ...]] = {
    "model": ("subject", "subject_kind", "position", "awards"),
    "movement": ("launched_by", "start", "end"),
    "commemoration": ("event", "event_date", "calendar"),
    "news": (),
    "document": ("number", "issued", "issuer", "file"),
    "page": (),
}
EXAMPLES: Mapping[str, str] = {
    "title": 'title: "Gương sáng Đinh Thị Hoa: người lái đò giữ hồn Tràng An"',
    "date": "date: 2024-06-05",
    "updated": "updated: 2024-06-10",
    "tags": "tags: [người tốt việc tốt, Tràng An]",
    "subject": "subject: Đinh Thị Hoa",
    "subject_kind": "subject_kind: ca-nhan   (hoặc tap-the cho tập thể)",
    "awards": ("awards:\n  - name: Bằng khen của Chủ tịch UBND tỉnh\n    year: 2023\n"
               "    decision: 1234/QĐ-UBND"),
    "launched_by": "launched_by: UBND tỉnh Ninh Bình",
    "start": "start: 2024-01-15",
    "end": "end: 2024-12-31",
    "event": "event: Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc",
    "event_date": "event_date: 1948-06-11",
    "number": "number: 1526/QĐ-TTg",
    "issued": "issued: 2022-11-14",
    "issuer": "issuer: Thủ tướng Chính phủ",
    "image_alt": "image_alt: Chị Hoa chèo đò đưa du khách qua hang Sáng",
    "image_caption": "image_caption: Chị Hoa đưa đoàn khách qua hang Sáng, tháng 5/2024",
    "image_credit": "image_credit: Trần Văn A",
    "image_original": "image_original: true",
    "draft": "draft: true",
    "lang": "lang: vi",
    "calendar": "calendar: solar   (hoặc lunar nếu là ngày âm lịch)",
}
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "model": ("subject", "subject_kind"),
    "movement": ("launched_by", "start"),
    "commemoration": ("event", "event_date"),
    "news": (),
    "document": ("number", "issued", "issuer"),
    "page": (),
}

#: Control characters no text of an article needs (all of C0 but tab and newline, and DEL):
#: a NUL reached pages and feeds, and STX/ETX are the Markdown parser's own placeholders.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
#: Those characters' bytes in UTF-8, but the carriage return (made a line ending first).
_CONTROL_BYTES = bytes([*range(0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])


def decode(raw: bytes) -> str | None:
    """Bytes in, NFC text with LF line endings and no control characters but tabs out (a BOM
    is dropped); None if not UTF-8."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # UTF-8 writes a control character as its one byte, never inside another character's:
    # the bytes tell (a C loop, a fifth of the pattern's time on the text) whether any is there.
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw):
        text = _CONTROLS.sub("", text)
    return nfc(text)


class _Check:
    """Collects the problems of one file's front matter."""

    def __init__(self, rel: str, split_: Split, typos: Mapping[str, str]) -> None:
        self.rel = rel
        self.split = split_
        #: A missing key → the unknown key written in its place (``title`` → ``tittle``).
        self.typos = typos
        self.problems: list[Problem] = []

    def line(self, key: str) -> int | None:
        return self.split.line_of(key)

    def missing(self, key: str, what: str = "") -> None:
        """Report the required ``key`` as missing; when an unknown key near it was written
        instead, say so on that key's line."""
        typo = self.typos.get(key)
        if typo:
            self.problems.append(Problem(
                path=self.rel, line=self.line(typo), key=typo, code="missing-key",
                message=f'thiếu khóa bắt buộc "{key}"{what}: dòng này ghi "{typo}".',
                fix=f'có phải ý bạn là "{key}"? Sửa "{typo}" thành "{key}".'))
            return
        self.problems.append(Problem(path=self.rel, line=self.line(key), key=key,
                                     code="missing-key",
                                     message=f'thiếu khóa bắt buộc "{key}"{what}.',
                                     fix="thêm dòng " + EXAMPLES.get(key, f"{key}: ...")))

    def error(self, key: str, message: str, fix: str | None = None, code: str = "bad-value") -> None:
        self.problems.append(Problem(path=self.rel, line=self.line(key), key=key,
                                     message=message, fix=fix or _example(key), code=code))

    def warn(self, key: str, message: str, fix: str | None, code: str) -> None:
        self.problems.append(warning(self.rel, message, code, line=self.line(key), key=key, fix=fix))


def _example(key: str) -> str | None:
    ex = EXAMPLES.get(key)
    return f"viết theo mẫu: {ex}" if ex else None


#: The common keys that are not text: dates and true/false flags.
NOT_TEXT_KEYS = frozenset({"date", "updated", "draft", "image_original"})
#: Keys whose values are text even when YAML would read a number (number: 05, 7:30, 010).
TEXT_KEYS = frozenset(set(COMMON_KEYS) - NOT_TEXT_KEYS
                      | {"description", "subject", "subject_kind", "position", "launched_by",
                         "event", "calendar", "number", "issuer", "file", "name", "decision"})


def parse(rel: str, split_: Split) -> tuple[Mapping[str, Any] | None, list[Problem]]:
    """Parse the front matter of ``split_`` (YAML, TOML or JSON); return the mapping, or None
    and the problem."""
    data, problem = load(rel, split_, TEXT_KEYS)
    if problem is not None:
        return None, [problem]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(path=rel, line=split_.first_line, code="yaml",
                              message="phần thông tin đầu bài phải là các dòng \"khóa: giá trị\".",
                              fix=_example("title"))]
    return {str(k): v for k, v in data.items()}, []


def _typos(data: Mapping[str, Any], kind: str, known: set[str]) -> dict[str, str]:
    """Each required key missing from ``data`` → the unknown key written close to it."""
    required = {"title", *REQUIRED[kind]} | ({"date"} if kind != "page" else set())
    out: dict[str, str] = {}
    for key in data:
        if key not in known:
            best = nearest(key, known)
            if best in required and data.get(best) in (None, "", []) and best not in out:
                out[best] = key
    return out


def validate(rel: str, split_: Split, data: Mapping[str, Any], kind: str,
             zone: ZoneInfo) -> tuple[Meta | None, list[Problem]]:
    """Check ``data`` against ``kind`` (a section kind, or ``page``); return Meta and problems.

    Meta is None when there is any error.
    """
    known = set(COMMON_KEYS) | set(KIND_KEYS[kind])
    c = _Check(rel, split_, _typos(data, kind, known))
    all_kind_keys = {k for keys in KIND_KEYS.values() for k in keys}
    typos = set(c.typos.values())
    for key in data:
        if key in known or key in typos or key == "description":
            continue
        if key in all_kind_keys:
            c.warn(key, f'khóa "{key}" không dùng cho loại bài này nên bị bỏ qua.',
                   "xóa dòng này, hoặc chuyển bài sang đúng chuyên mục.", "key-other-kind")
        else:
            c.warn(key, f'khóa "{key}" không có trong quy ước bài viết.',
                   unknown_key_fix(key, known), "unknown-key")

    title = _text(c, data, "title", required=True)
    when = _datetime(c, data, "date", zone, required=kind != "page")
    updated = _datetime(c, data, "updated", zone)
    if when and updated and updated < when:
        c.error("updated", "ngày cập nhật (updated) trước ngày đăng (date).",
                "ngày cập nhật phải bằng hoặc sau ngày đăng.")
    image = _text(c, data, "image")
    image_alt = _text(c, data, "image_alt")
    if image and not image_alt:
        c.error("image_alt" if "image_alt" in data else "image",
                "ảnh đại diện (image) cần lời mô tả cho người không nhìn thấy ảnh.",
                "thêm dòng " + EXAMPLES["image_alt"], code="missing-alt")
    draft = _flag(c, data, "draft", "draft chỉ nhận true (bản nháp) hoặc false.")
    original = _flag(c, data, "image_original",
                     "image_original chỉ nhận true (đăng cả ảnh gốc) hoặc false.")
    caption, credit = _text(c, data, "image_caption"), _text(c, data, "image_credit")
    if (caption or credit or original) and not image:
        c.warn("image_caption" if caption else "image_credit" if credit else "image_original",
               "có chú thích hoặc tác giả ảnh mà bài không có ảnh đại diện (image).",
               "thêm dòng image: anh.jpg, hoặc xóa dòng này.", "image-key-without-image")
    lang = _choice(c, data, "lang", LANGS, default="vi")
    info = _kind_info(c, data, kind)
    meta = Meta(
        title=title or "", date=when, updated=updated, summary=_summary(c, data),
        tags=_text_list(c, data, "tags", limit=MAX_LIST), unit=_text(c, data, "unit"),
        field=_text(c, data, "field"), author=_text(c, data, "author"),
        image=image, image_alt=image_alt, image_caption=caption, image_credit=credit,
        image_original=original, slug=_text(c, data, "slug"), draft=draft,
        aliases=_text_list(c, data, "aliases"), lang=lang or "vi", info=info,
    )
    errors = any(p.is_error for p in c.problems)
    return (None if errors else meta), c.problems


def _summary(c: _Check, data: Mapping[str, Any]) -> str | None:
    """``summary``, or else ``description`` (Hugo's and Jekyll's name for it); both: a
    warning, and ``summary`` is used."""
    summary = _text(c, data, "summary")
    description = _text(c, data, "description")
    if summary and description and summary != description:
        c.warn("description", 'bài có cả "summary" và "description"; chỉ "summary" được dùng.',
               'giữ một trong hai: xóa dòng description, hoặc đổi tên nó thành summary và xóa '
               'dòng summary cũ.', "summary-and-description")
    return summary or description


def _flag(c: _Check, data: Mapping[str, Any], key: str, message: str) -> bool:
    """The true/false value of ``key`` (false when absent; an error when not true or false)."""
    value = data.get(key, False)
    if not isinstance(value, bool):
        c.error(key, message)
        return False
    return value


def _kind_info(c: _Check, data: Mapping[str, Any], kind: str) -> KindInfo | None:
    for key in REQUIRED[kind]:
        if data.get(key) in (None, "", []):
            c.missing(key, " cho loại bài này")
    if kind == "model":
        subject_kind = _choice(c, data, "subject_kind", SUBJECT_KINDS)
        return ModelInfo(subject=_text(c, data, "subject") or "",
                         subject_kind=subject_kind or "ca-nhan",
                         position=_text(c, data, "position"), awards=_awards(c, data))
    if kind == "movement":
        start = _date(c, data, "start")
        end = _date(c, data, "end")
        if start and end and end < start:
            c.error("end", f"ngày kết thúc ({end:%d/%m/%Y}) trước ngày bắt đầu ({start:%d/%m/%Y}).",
                    "sửa end thành một ngày bằng hoặc sau start.", code="end-before-start")
        return MovementInfo(launched_by=_text(c, data, "launched_by") or "",
                            start=start or date.min, end=end)
    if kind == "commemoration":
        calendar = _choice(c, data, "calendar", CALENDARS, default="solar") or "solar"
        return CommemorationInfo(event=_text(c, data, "event") or "",
                                 event_date=_date(c, data, "event_date") or date.min,
                                 calendar=calendar)
    if kind == "document":
        return DocumentInfo(number=_text(c, data, "number") or "",
                            issued=_date(c, data, "issued") or date.min,
                            issuer=_text(c, data, "issuer") or "", file=_text(c, data, "file"))
    return None


def _text(c: _Check, data: Mapping[str, Any], key: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            c.missing(key)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        c.error(key, f'"{key}" phải là một dòng chữ.', 'đặt giá trị trong ngoặc kép: '
                f'{key}: "..."')
        return None
    return nfc(" ".join(_CONTROLS.sub("", str(value)).split()))


#: The most tags an article may have: every tag's feed and page lists each entry's
#: tags, so one article's many tags made output that grew with their square (5,000 made
#: 2.7 GB).
MAX_LIST = 30


def _text_list(c: _Check, data: Mapping[str, Any], key: str,
               limit: int | None = None) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):  # "tags: du lịch, Tràng An" is what writers type
        value = [v for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) and
                                              not isinstance(v, bool) for v in value):
        c.error(key, f'"{key}" phải là danh sách chữ.', _example(key) or f"{key}: [a, b]")
        return ()
    out = [nfc(" ".join(_CONTROLS.sub("", str(v)).split())) for v in value]
    if limit is not None and len(out) > limit:  # tags: every tag's feed lists them all
        c.error(key, f'"{key}" có {len(out)} mục; tối đa {limit}.',
                f"giữ lại những {key} chính (không quá {limit}), bỏ bớt phần còn lại.",
                code="too-many")
        return ()
    return tuple(v for v in out if v)


def _choice(c: _Check, data: Mapping[str, Any], key: str, choices: Mapping[str, str],
            default: str | None = None) -> str | None:
    value = data.get(key)
    if value is None:
        return default
    if str(value) not in choices:
        c.error(key, f'giá trị "{value}" không hợp lệ.',
                "chọn một trong: " + ", ".join(f"{k} ({v})" for k, v in choices.items()) + ".",
                code="bad-choice")
        return default
    return str(value)


def _date(c: _Check, data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    when = parse_when(value)
    if when is None:
        c.error(key, f'"{value}" không phải là ngày.', f"viết ngày theo mẫu {key}: 2024-06-05 "
                "(năm-tháng-ngày).", code="bad-date")
        return None
    return when.date() if isinstance(when, datetime) else when


def _datetime(c: _Check, data: Mapping[str, Any], key: str, zone: ZoneInfo,
              required: bool = False) -> datetime | None:
    value = data.get(key)
    if value is None:
        if required:
            c.missing(key, " (ngày đăng)")
        return None
    when = parse_when(value)
    if when is None:
        c.error(key, f'"{value}" không phải là ngày.',
                f"viết {key}: 2024-06-05 hoặc {key}: 2024-06-05T08:30:00 (năm-tháng-ngày).",
                code="bad-date")
        return None
    if not isinstance(when, datetime):
        return datetime.combine(when, time(0, 0), tzinfo=zone)
    if when.tzinfo is None:
        return when.replace(tzinfo=zone)
    return when.astimezone(zone)


def _awards(c: _Check, data: Mapping[str, Any]) -> tuple[Award, ...]:
    value = data.get("awards")
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    out: list[Award] = []
    for item in value:
        if isinstance(item, str):
            out.append(Award(name=nfc(item.strip())))
            continue
        if not isinstance(item, dict) or not item.get("name"):
            c.error("awards", "mỗi khen thưởng cần ít nhất tên (name).", _example("awards"))
            continue
        year = item.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                                 or not 1900 <= year <= 2200):
            c.error("awards", f'năm "{year}" của khen thưởng không hợp lệ.',
                    "viết năm bốn chữ số, ví dụ year: 2023.")
            year = None
        for k in item:
            if k not in ("name", "year", "decision"):
                c.warn("awards", f'khóa "{k}" trong awards không được dùng.',
                       unknown_key_fix(str(k), {"name", "year", "decision"}), "unknown-key")
        decision = item.get("decision")
        out.append(Award(name=nfc(str(item["name"]).strip()), year=year,
                         decision=nfc(str(decision).strip()) if decision else None))
    return tuple(out)

