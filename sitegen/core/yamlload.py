"""YAML text in, Python values out (libyaml when present); pure.

Also finds the line of a key, so that problems can name it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:  # libyaml: much faster than the pure-Python loader (benchmarks/README.md, 'Figures behind the code')
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_Base):
    """The safe loader, but dates stay text: the front-matter checks read them, so that
    "2025-02-30" is reported on its own line with its key, not as a failed parse."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

# A YAML "billion laughs" expands aliases exponentially; front matter never needs
# more than a handful, so a document with many aliases is refused outright, and so is one
# whose few aliases would expand to more values than any front matter holds (16 levels of
# 3 aliases, 49 in all, made a value of 43 million items).
MAX_ALIASES = 50
MAX_NODES = 5000
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+")


class YamlSyntaxError(ValueError):
    """The text is not YAML; ``line`` counts from 1 within the text, ``reason`` is Vietnamese."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def load_yaml(text: str) -> Any:
    """Parse ``text`` as one YAML document; raise :class:`YamlSyntaxError` on bad input."""
    aliases = len(_ALIAS.findall(text))
    if aliases > MAX_ALIASES:
        raise YamlSyntaxError(None, f"quá nhiều bí danh YAML (hơn {MAX_ALIASES} dấu *)")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if aliases and node is not None and _expanded(node, {}) > MAX_NODES:
                raise YamlSyntaxError(None, f"bí danh YAML mở rộng thành quá nhiều giá trị "
                                            f"(hơn {MAX_NODES})")
            return loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return _raise(line, _reason(exc))
    except yaml.YAMLError as exc:
        return _raise(None, str(exc))
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. "date: 2024-02-30" makes the date constructor fail
        return _raise(None, f"giá trị không hợp lệ ({exc})")
    except RecursionError:
        return _raise(None, "lồng nhau quá sâu")


def _expanded(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` holds once every alias in it is expanded, counted over the
    node graph (each node once) without expanding anything."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a node that contains itself counts once
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded(k, sizes) + _expanded(v, sizes) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded(child, sizes) for child in node.value)
    else:
        size = 1
    sizes[id(node)] = size
    return size


def _raise(line: int | None, reason: str) -> Any:
    raise YamlSyntaxError(line, reason)


def _reason(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    known = {  # libyaml and the pure-Python parser word these slightly differently
        "mapping values are not allowed":
            "có dấu hai chấm \": \" trong giá trị chưa đặt trong ngoặc kép",
        "could not find expected ':'": "thiếu dấu hai chấm sau tên khóa",
        "found character": "có ký tự không dùng được (thường là phím Tab); hãy thụt lề bằng dấu cách",
        "found undefined alias": "dùng bí danh (*) chưa được định nghĩa",
        "found duplicate anchor": "một bí danh (&) được định nghĩa hai lần",
        "did not find expected key": "thụt lề không đều hoặc thiếu dấu hai chấm",
        "found unexpected end of stream": "thiếu dấu ngoặc kép hoặc ngoặc đóng",
    }
    for english, vietnamese in known.items():
        if problem.startswith(english):
            return vietnamese
    return f"cú pháp YAML sai ({problem or exc})"


def key_line(text: str, key: str) -> int | None:
    """Return the 1-based line where ``key:`` first appears at the start of a line, or None."""
    pattern = re.compile(rf"^\s*-?\s*[\"']?{re.escape(key)}[\"']?\s*:", re.MULTILINE)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None
