"""Where a file's front matter is and what it is written in; pure.

A file's text in; its front matter's text, language and first line, and the body, out
(:func:`split`); then the front matter's text in, a mapping or a Vietnamese Problem out
(:func:`load`). Besides YAML between ``---`` lines (the content contract), the front matter
other generators write is read as it is, so that a site moved from Hugo, Jekyll or Eleventy
needs no rewriting: TOML between ``+++`` lines (Hugo), JSON after a ``---json`` line
(Eleventy) or as one object opening the file (Hugo).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from sitegen.core.errors import Problem
from sitegen.core.yamlload import YamlSyntaxError, key_line, load_yaml

YAML, TOML, JSON = "yaml", "toml", "json"
#: How each language is named to a writer, and what its fences look like.
NAMES = {YAML: "YAML (giữa hai dòng ---)", TOML: "TOML (giữa hai dòng +++)",
         JSON: "JSON (một khối { … })"}

_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")
_JSON_OPEN = re.compile(r'^\{[ \t]*(?:"|$)')
_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)$")


@dataclass(frozen=True)
class Split:
    """A Markdown file cut in two: the front matter's text (``yaml_text``, whatever its
    language), the body, the body's first line number, the language, and the line of the
    file where ``yaml_text`` starts."""

    yaml_text: str
    body: str
    body_line: int
    format: str = YAML
    first_line: int = 2

    def line_of(self, key: str) -> int | None:
        """The line of the file (from 1) where ``key`` stands in the front matter, or None."""
        n = key_line(self.yaml_text, key)
        return n + self.first_line - 1 if n else None


def _fenced(lines: list[str], fence: re.Pattern[str], fmt: str) -> Split | None:
    for i in range(1, len(lines)):
        if fence.match(lines[i]):
            return Split("\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2, fmt)
    return None


def split(text: str) -> Split | None:
    """Cut the front matter from the body; None when the file has none (or never closes it)."""
    lines = text.split("\n")
    first = lines[0].rstrip()
    if first == "---":
        return _fenced(lines, _FENCE, YAML)
    if first == "+++":
        return _fenced(lines, _TOML_FENCE, TOML)
    if first == "---json":
        return _fenced(lines, _FENCE, JSON)
    if _JSON_OPEN.match(first):
        for i, line in enumerate(lines):
            if line.rstrip() == "}" or (i == 0 and first.endswith("}")):
                return Split("\n".join(lines[:i + 1]), "\n".join(lines[i + 1:]), i + 2, JSON, 1)
    return None


def load(rel: str, split_: Split, text_keys: Set[str]) -> tuple[Mapping[str, Any] | None,
                                                              Problem | None]:
    """The front matter of ``split_`` as a mapping (None when empty), or the problem that
    stops it being read. ``text_keys``: keys whose YAML values stay the text written."""
    try:
        if split_.format == TOML:
            return tomllib.loads(split_.yaml_text), None
        if split_.format == JSON:
            return json.loads(split_.yaml_text), None
        return load_yaml(split_.yaml_text, text_keys), None
    except YamlSyntaxError as exc:
        return None, _unreadable(rel, split_, exc.line, exc.reason, exc.fix)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_AT.search(str(exc))
        return None, _unreadable(rel, split_, int(m[1]) if m else None,
                                 _TOML_AT.sub("", str(exc)).strip(),
                                 'viết mỗi dòng dạng khóa = giá trị, chữ trong ngoặc kép, ví dụ '
                                 'title = "Tiêu đề"; hoặc đổi sang YAML như các bài khác.')
    except json.JSONDecodeError as exc:
        return None, _unreadable(rel, split_, exc.lineno, exc.msg,
                                 'viết "khóa": giá trị, các cặp cách nhau bằng dấu phẩy, chữ '
                                 'trong ngoặc kép, ví dụ {"title": "Tiêu đề", "date": '
                                 '"2024-06-05"}; hoặc đổi sang YAML như các bài khác.')
    except RecursionError:
        return None, _unreadable(rel, split_, None, "lồng nhau quá sâu", None)


def _unreadable(rel: str, split_: Split, line: int | None, reason: str,
                fix: str | None) -> Problem:
    """The problem of front matter in ``split_``'s language that does not parse; ``line``
    counts within its text."""
    name = "" if split_.format == YAML else f" viết bằng {NAMES[split_.format]}"
    return Problem(path=rel, line=line + split_.first_line - 1 if line else None, code="yaml",
                   message=f"phần thông tin đầu bài (front matter){name} không đọc được: "
                           f"{reason}.",
                   fix=fix or 'đặt giá trị có dấu hai chấm trong ngoặc kép, ví dụ title: "A: B"; '
                              "thụt lề bằng dấu cách.")
