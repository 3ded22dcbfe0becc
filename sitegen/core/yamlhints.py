"""Fixes for YAML mistakes whose parser message points elsewhere; pure.

``awards: []`` followed by indented ``- name: …`` lines (what a writer gets by uncommenting
items under an empty list) makes the parser say the indentation is wrong; the fix is to
delete the ``[]``.
"""

from __future__ import annotations

import re

_EMPTY_VALUE = re.compile(r"""^([A-Za-z_][\w-]*)\s*:\s*(\[\s*\]|\{\s*\}|""|'')\s*(#.*)?$""")
_ITEM = re.compile(r"^\s+(-\s|[A-Za-z_][\w-]*\s*:)")


def empty_value_fix(yaml_text: str, error_line: int | None) -> str | None:
    """The fix when the YAML error at ``error_line`` (from 1, within ``yaml_text``) comes
    from items written under a key already given an empty value; None otherwise."""
    if not error_line:
        return None
    lines = yaml_text.split("\n")
    for i in range(min(error_line, len(lines)) - 1, -1, -1):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#") or _ITEM.match(line):
            continue
        m = _EMPTY_VALUE.match(line)
        following = [n for n in lines[i + 1:error_line] if n.strip() and not n.lstrip().startswith("#")]
        if m and following and _ITEM.match(following[0]):
            return (f'xóa "{m[2]}" sau "{m[1]}:" (để "{m[1]}:" một mình trên dòng) khi viết các '
                    "mục ở những dòng bên dưới, mỗi mục thụt lề bằng dấu cách.")
        return None
    return None
