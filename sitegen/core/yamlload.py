"""YAML text in, Python values out (libyaml when present); pure.

Also finds the line of a key, so that problems can name it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set
from typing import Any

import yaml

from sitegen.core.yamlerrors import diagnose

try:  # libyaml: much faster than the pure-Python loader (benchmarks/README.md, 'Figures behind the code')
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
#: What YAML 1.1 would make of an unquoted word that is not text: 05 → 5, 010 → 8 (octal),
#: 7:30 → 450 (base 60), 1.50 → 1.5, yes → True.
_NOT_TEXT = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"}


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
    """The text is not YAML; ``line`` counts from 1 within the text, ``reason`` and ``fix``
    are Vietnamese (``fix`` None: no better advice than the reason)."""

    def __init__(self, line: int | None, reason: str, fix: str | None = None) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason
        self.fix = fix


def load_yaml(text: str, text_keys: Set[str] = frozenset()) -> Any:
    """Parse ``text`` as one YAML document; raise :class:`YamlSyntaxError` on bad input.

    The value of a key in ``text_keys`` (in any mapping, and each item when it is a list) is
    the text as written when YAML would read it as a number or a yes/no: ``number: 05`` gives
    "05", ``010`` "010", ``7:30`` "7:30".
    """
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
            if node is None:
                return None
            if text_keys:
                _keep_text(node, text_keys)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        fault = diagnose(exc, text)
        raise YamlSyntaxError(fault.line, fault.reason, fault.fix) from None
    except YamlSyntaxError:
        raise
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


def _keep_text(node: yaml.Node, text_keys: Set[str], seen: set[int] | None = None) -> None:
    """Retag, in place, the plain scalars under ``text_keys`` that YAML would not read as
    text, so that they are constructed as the text written."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in text_keys:
                items = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for item in items:
                    if isinstance(item, yaml.ScalarNode) and item.tag in _NOT_TEXT:
                        item.tag = _STR
            _keep_text(value, text_keys, seen)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            _keep_text(child, text_keys, seen)


@functools.lru_cache(maxsize=64)
def _key_pattern(key: str) -> re.Pattern[str]:
    """The start of a ``key:`` line (TOML's ``key =``, JSON's ``"key":``), compiled once a key."""
    return re.compile(rf"^[ \t]*-?[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*[:=]", re.MULTILINE)


def key_line(text: str, key: str) -> int | None:
    """Return the 1-based line where ``key:`` (or TOML's ``key =``, JSON's ``"key":``) first
    appears at the start of a line, or None."""
    m = _key_pattern(key).search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None
