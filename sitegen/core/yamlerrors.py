"""What went wrong in YAML a writer typed: a parser's error and the text in, the line to
blame, the reason and the fix (all Vietnamese) out; pure.

The parser stops where it first gives up, which is often lines after the writer's slip (a
quote left open on line 4 is noticed at the end of the text); so each kind of slip is
recognised by what the parser says *and* by the text, and blamed on the line it happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class YamlFault:
    """One diagnosed slip: ``line`` counts from 1 within the YAML text (None when unknown)."""

    line: int | None
    reason: str
    fix: str


_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?([^\s:#][^:#]*?)\s*:[ \t]+(\S.*?)\s*$")
_ITEM = re.compile(r"^\s*-(?:\s|$)")

TAB_FIX = ("xóa ký tự Tab ở đầu dòng và thụt lề bằng dấu cách (mỗi bậc 2 dấu cách); "
           "trình soạn thảo thường có tùy chọn \"đổi Tab thành dấu cách\".")
QUOTE_FIX = 'đặt giá trị có dấu hai chấm trong ngoặc kép, ví dụ title: "Hội nghị: tổng kết năm".'


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _open_quote(value: str) -> str | None:
    """The quote ``value`` opens and leaves open on its own line, if any."""
    if value[:1] == '"':
        body = re.sub(r'\\.', "", value[1:])
        return None if '"' in body else '"'
    if value[:1] == "'":
        return None if "'" in value[1:].replace("''", "") else "'"
    return None


def _unclosed_quote(text: str, before: int | None) -> tuple[int, str] | None:
    """The first line (from 1, not after ``before``) whose value opens a quote it does not
    close, with the quote."""
    for n, line in enumerate(_lines(text), 1):
        if before is not None and n > before:
            break
        m = _KEY_VALUE.match(line)
        quote = _open_quote(m[2]) if m else None
        if quote:
            return n, quote
    return None


def _quote_fault(text: str, line: int, quote: str) -> YamlFault:
    """The unclosed ``quote`` on ``line`` of ``text``; its fix shows that line mended."""
    name = "ngoặc kép" if quote == '"' else "nháy đơn"
    m = _KEY_VALUE.match(_line_text(text, line))
    example = f"{m[1]}: {m[2]}{quote}" if m and len(m[2]) <= 60 else \
        f"unit: {quote}Phòng Quản lý du lịch{quote}"
    return YamlFault(line, f"giá trị mở dấu {name} {quote} nhưng không đóng trên cùng dòng",
                     f"thêm dấu {quote} ở cuối giá trị, ví dụ {example}; nếu giá trị có dấu "
                     f"{quote} ở giữa, bỏ dấu đó đi.")


def _mark_line(mark: yaml.Mark | None) -> int | None:
    return mark.line + 1 if mark is not None else None


def _line_text(text: str, line: int | None) -> str:
    lines = _lines(text)
    return lines[line - 1] if line and 0 < line <= len(lines) else ""


def _previous_line(text: str, line: int) -> tuple[int, str] | None:
    """The nearest line before ``line`` that is neither blank nor a comment, with its number."""
    lines = _lines(text)
    for n in range(min(line, len(lines) + 1) - 1, 0, -1):
        if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#"):
            return n, lines[n - 1]
    return None


def _previous_value(text: str, line: int) -> tuple[str, str] | None:
    """(key, value) of the nearest line before ``line`` that is neither blank nor a comment,
    when it is a ``key: value`` line with a value."""
    before = _previous_line(text, line)
    m = _KEY_VALUE.match(before[1]) if before else None
    if not m:
        return None
    value = m[2] if m[2][:1] in "\"'" else re.split(r"\s+#", m[2], maxsplit=1)[0]
    return m[1], value


def diagnose(exc: yaml.MarkedYAMLError, text: str) -> YamlFault:
    """The slip behind ``exc`` (raised while parsing ``text``), blamed on its line."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    line = _mark_line(exc.problem_mark) or _mark_line(exc.context_mark)
    opened = _mark_line(exc.context_mark)
    if "tab" in problem or "'\\t'" in problem or _line_text(text, line)[:1] == "\t":
        return YamlFault(line, "dòng này thụt lề bằng phím Tab (YAML chỉ nhận dấu cách)", TAB_FIX)
    if "quoted scalar" in context and opened:
        return _quote_fault(text, opened,
                            _line_text(text, opened).split(":", 1)[-1].strip()[:1] or '"')
    quote = _unclosed_quote(text, line)
    if quote:
        return _quote_fault(text, *quote)
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        close = "]" if bracket == "[" else "}"
        return YamlFault(opened or line, f"dấu {bracket} mở ở dòng này chưa được đóng bằng {close}",
                         f"thêm {close} ở cuối danh sách, ví dụ tags: [du lịch, Tràng An]; "
                         f"nếu {bracket} là một phần của chữ, đặt cả giá trị trong ngoặc kép.")
    if problem.startswith("could not find expected ':'"):
        return _no_colon(opened or line)
    if problem.startswith("mapping values are not allowed"):
        before = _previous_line(text, line) if line else None
        if before and ":" not in before[1] and not _ITEM.match(before[1]):
            return _no_colon(before[0])  # "title Bài" then "date: …": the colon is missing above
        return _stray_colon(text, line)
    if problem.startswith("did not find expected key") or \
            problem.startswith("did not find expected '-'"):
        return _misplaced_line(text, line)
    return _other(problem, line, exc)


def _no_colon(line: int | None) -> YamlFault:
    return YamlFault(line, "dòng này thiếu dấu hai chấm sau tên khóa",
                     "viết khóa: giá trị (dấu hai chấm rồi một dấu cách), ví dụ "
                     "date: 2024-06-05; mục của danh sách viết \"- \" (gạch ngang và dấu cách).")


def _stray_colon(text: str, line: int | None) -> YamlFault:
    """``title: A: B``, or a line indented under one that already has a value."""
    here = _line_text(text, line)
    above = _previous_value(text, line) if line else None
    if line and here[:1] == " " and above:
        return YamlFault(line, f'dòng này thụt vào dưới khóa "{above[0]}" ở trên, '
                               "khóa đó đã có giá trị",
                         "xóa các dấu cách ở đầu dòng để các khóa thẳng hàng với nhau.")
    return YamlFault(line, 'có dấu hai chấm ": " trong giá trị chưa đặt trong ngoặc kép', QUOTE_FIX)


def _misplaced_line(text: str, line: int | None) -> YamlFault:
    """A line the parser did not expect where it stands: a list item under a key that already
    has a value (``awards: []``), text after a closing quote, or uneven indentation."""
    here = _line_text(text, line)
    above = _previous_value(text, line) if line else None
    if line and _ITEM.match(here) and above:
        return YamlFault(line, f'mục danh sách này nằm dưới khóa "{above[0]}" ở trên, nhưng '
                               f'khóa đó đã có giá trị "{above[1]}"',
                         f'xóa "{above[1]}" sau "{above[0]}:", chỉ để lại "{above[0]}:" rồi các '
                         f'mục "- " bên dưới.')
    m = _KEY_VALUE.match(here)
    if m and m[2][:1] in "\"'" and not _open_quote(m[2]):
        q = m[2][0]
        return YamlFault(line, f"có chữ sau dấu {q} đóng giá trị",
                         f"đặt cả giá trị trong ngoặc, và nếu trong giá trị có dấu {q} thì dùng "
                         f"loại ngoặc kia, ví dụ title: 'Phong trào \"Thi đua\" năm 2024'.")
    return YamlFault(line, "dòng này thụt lề không đều với các dòng cùng bậc",
                     "thụt lề các khóa cùng bậc bằng cùng số dấu cách (khóa chính không thụt).")


def _other(problem: str, line: int | None, exc: yaml.MarkedYAMLError) -> YamlFault:
    if problem.startswith("found character") or problem.startswith("found unknown escape"):
        return YamlFault(line, "giá trị bắt đầu bằng một ký tự YAML dành riêng (@, `, %, |, >)",
                         'đặt cả giá trị trong ngoặc kép, ví dụ author: "@tòa soạn".')
    if problem.startswith("found undefined alias") or "scanning an alias" in (exc.context or ""):
        return YamlFault(line, "giá trị bắt đầu bằng dấu * (YAML hiểu là bí danh)",
                         'đặt cả giá trị trong ngoặc kép, ví dụ title: "*Tin nổi bật*".')
    if "anchor" in (exc.context or "") or "duplicate anchor" in problem:
        return YamlFault(line, "giá trị bắt đầu bằng dấu & (YAML hiểu là tên bí danh)",
                         'đặt giá trị bắt đầu bằng & trong ngoặc kép, ví dụ unit: "& cộng sự".')
    return YamlFault(line, f"cú pháp YAML sai ({problem or exc})",
                     'viết mỗi dòng dạng khóa: giá trị, thụt lề bằng dấu cách; đặt giá trị có '
                     'ký tự đặc biệt trong ngoặc kép, ví dụ title: "A: B".')
