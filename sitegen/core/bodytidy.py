"""A Markdown body as other tools leave it in, the body the parser is given and warnings out; pure.

Writers move articles from Hugo, Jekyll and older CMS pages, and paste new front matter
above the old. What the parser would print silently is found here, line by line:

- old front matter left at the top of the body (a ``---`` … ``---`` or ``+++`` … ``+++``
  block of ``key:`` lines): left out of the page, with a warning;
- a first heading repeating the title (``# Tiêu đề bài``): left out, so that the title is
  shown once, with a warning;
- Jekyll's ``{% highlight lang %}`` … ``{% endhighlight %}``: made a fenced code block;
- every other shortcode or Liquid tag (``{{< … >}}``, ``{{% … %}}``, ``{{ … }}``,
  ``{% … %}``) outside code: a warning, once per file, naming its lines.

Every change keeps the number of lines, so that later messages still name the right line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.core.errors import Problem, warning
from sitegen.vn.text import nfc


@dataclass(frozen=True)
class Tidied:
    """The body to give the Markdown parser (as many lines as the file's) and what was found."""

    body: str
    problems: tuple[Problem, ...]


def tidy_body(body: str, title: str, rel: str, body_line: int) -> Tidied:
    """``body`` (of the file ``rel``, its first line being ``body_line``) with old front
    matter, a repeated title and Jekyll highlight tags mended; the warnings that say so, and
    those for the other template tags."""
    lines = body.split("\n")
    problems: list[Problem] = []
    for step in (_old_front_matter, _repeated_title):
        lines, found = step(lines, title, rel, body_line)
        problems += found
    # Every tag holds a "{" (the steps above only blank lines): a body without one, most
    # bodies, is not read line by line for them (a twentieth of a millisecond a body).
    if "{" in body:
        lines, found = _highlight_blocks(lines, title, rel, body_line)
        problems += found
        problems += _template_tags(lines, rel, body_line)
    return Tidied("\n".join(lines), tuple(problems))


_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_YAML_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:(\s|$)")
_TOML_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*=")
#: Keys that front matter of sitegen, Hugo, Jekyll or Pelican has and a paragraph hardly
#: starts with: one of them tells old front matter from a rule above a "Note: …" line.
FRONT_MATTER_KEYS = frozenset({
    "title", "date", "updated", "summary", "tags", "unit", "field", "author", "image",
    "image_alt", "slug", "draft", "aliases", "lang", "subject", "subject_kind", "position",
    "awards", "launched_by", "start", "end", "event", "event_date", "calendar", "number",
    "issued", "issuer", "file", "layout", "categories", "category", "description", "permalink",
    "lastmod", "weight", "keywords", "excerpt", "published", "authors", "toc", "type",
    "modified", "thumbnail", "featured_image", "cover", "math", "comments", "url",
})
#: The most lines an old front matter block spans.
_MAX_FRONT_MATTER = 60


def _first_text(lines: Sequence[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def _old_front_matter(lines: list[str], title: str, rel: str,
                      body_line: int) -> tuple[list[str], list[Problem]]:
    """Blank out a front matter block at the top of the body."""
    start = _first_text(lines)
    if start is None or lines[start].rstrip() not in _FENCES:
        return lines, []
    closing = _FENCES[lines[start].rstrip()]
    key = _TOML_KEY if lines[start].rstrip() == "+++" else _YAML_KEY
    keys: list[str] = []
    for end in range(start + 1, min(len(lines), start + _MAX_FRONT_MATTER)):
        text = lines[end].rstrip()
        if text in closing:
            break
        m = key.match(text)
        if m:
            keys.append(m[1])
        elif text and not text.startswith((" ", "\t", "#", "-")):
            return lines, []  # a line of text: a rule above a paragraph, not front matter
    else:
        return lines, []
    if not keys or not any(k.casefold() in FRONT_MATTER_KEYS for k in keys):
        return lines, []
    mended = [*lines[:start], *([""] * (end + 1 - start)), *lines[end + 1:]]
    shown = ", ".join(dict.fromkeys(keys[:6])) + (" …" if len(keys) > 6 else "")
    return mended, [warning(
        rel, f"đầu nội dung bài còn một phần thông tin đầu bài cũ ({shown}, đến dòng "
             f"{body_line + end}); phần đó không được đăng.", "old-front-matter",
        line=body_line + start,
        fix="chép khóa nào còn cần (như summary, tags) lên phần thông tin đầu bài ở "
            "đầu tệp, rồi xóa khối cũ cùng hai dòng " + lines[start].rstrip() + " của nó.")]


_ATX = re.compile(r"^ {0,3}#(?!#)\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}=+\s*$")
_ATTRS = re.compile(r"\s*\{[:#.][^}]*\}\s*$")


def _same_title(heading: str, title: str) -> bool:
    def norm(text: str) -> str:
        text = _ATTRS.sub("", text).replace("*", "").replace("_", " ")
        return " ".join(nfc(text).casefold().split()).rstrip(".:")
    return bool(title) and norm(heading) == norm(title)


def _repeated_title(lines: list[str], title: str, rel: str,
                    body_line: int) -> tuple[list[str], list[Problem]]:
    """Blank out a first heading of level 1 that repeats ``title``."""
    first = _first_text(lines)
    if first is None:
        return lines, []
    m = _ATX.match(lines[first])
    span = 1
    heading = m[1] if m else None
    if heading is None and first + 1 < len(lines) and _SETEXT.match(lines[first + 1]):
        heading, span = lines[first].strip(), 2
    if heading is None or not _same_title(heading, title):
        return lines, []
    mended = [*lines[:first], *([""] * span), *lines[first + span:]]
    return mended, [warning(
        rel, f'dòng đầu nội dung "{lines[first].strip()}" lặp lại tiêu đề bài; trang đã hiện '
             "tiêu đề (title) nên dòng này không được đăng.", "duplicate-title",
        line=body_line + first,
        fix="xóa dòng này; các mục trong bài bắt đầu bằng ## (mục) và ### (mục nhỏ).")]


_HIGHLIGHT = re.compile(r"^\s*\{%-?\s*highlight\s+([\w+#.-]+)?[^%]*-?%\}\s*$")
_END_HIGHLIGHT = re.compile(r"^\s*\{%-?\s*endhighlight\s*-?%\}\s*$")


def _highlight_blocks(lines: list[str], title: str, rel: str,
                      body_line: int) -> tuple[list[str], list[Problem]]:
    """Make each ``{% highlight lang %}`` … ``{% endhighlight %}`` a fenced code block."""
    mended = list(lines)
    opened: tuple[int, str] | None = None  # the opening line and its fence
    starts: list[int] = []
    for i, line in enumerate(lines):
        m = _HIGHLIGHT.match(line)
        indent = line[:len(line) - len(line.lstrip())]
        if m and opened is None:
            opened = i, indent + "```" + (m[1] or "")
        elif _END_HIGHLIGHT.match(line) and opened is not None:
            mended[opened[0]], mended[i] = opened[1], indent + "```"
            starts.append(opened[0])
            opened = None
    if not starts:
        return lines, []
    where = ", ".join(str(body_line + s) for s in starts)
    return mended, [warning(
        rel, "thẻ {% highlight %} … {% endhighlight %} của Jekyll không phải Markdown; sitegen "
             f"đã đổi thành khối mã (dòng {where}).", "template-tag", line=body_line + starts[0],
        fix="thay {% highlight python %} bằng một dòng ```python và {% endhighlight %} bằng "
            "một dòng ```.")]


_TAG = re.compile(r"\{\{[<%].*?[>%]\}\}|\{\{.*?\}\}|\{%.*?%\}")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
#: The most lines a template-tag warning lists.
_LIST_LINES = 10


def _template_tags(lines: Sequence[str], rel: str, body_line: int) -> list[Problem]:
    """One warning for the shortcodes and Liquid tags outside code in ``lines``."""
    tags: list[str] = []
    where: list[int] = []
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m and (fence is None or m[1].startswith(fence)):
            fence = m[1][0] * 3 if fence is None else None
            continue
        if fence is not None:
            continue
        found = _TAG.findall(_CODE_SPAN.sub("", line))
        if found:
            tags += found
            where.append(body_line + i)
    if not tags:
        return []
    shown = ", ".join(f'"{t}"' for t in dict.fromkeys(tags[:3]))
    lines_shown = ", ".join(map(str, where[:_LIST_LINES])) + (" …" if len(where) > _LIST_LINES else "")
    return [warning(
        rel, f"{shown} là thẻ của Hugo hoặc Jekyll, sitegen không hiểu nên in nguyên văn lên "
             f"trang (dòng {lines_shown}).", "template-tag", line=where[0],
        fix="xóa thẻ, hoặc viết lại bằng Markdown: ảnh là ![Mô tả ảnh](anh.jpg), khối mã "
            "đặt giữa hai dòng ```, chữ cần giữ nguyên đặt trong dấu `.")]
