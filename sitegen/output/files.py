"""RenderedFile: one file of the output, as the render stage hands it to the write stage;
FileId: a written file as found on disk."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FileId = tuple[int, int, int]
"""A written file as found on disk: (size, modification time in ns, inode)."""


@dataclass(frozen=True)
class RenderedFile:
    """One file of the output: ``path`` (a site path) with ``data``, or a copy of ``source``.

    ``origin`` says what made it (a content file, a template), for collision messages.
    """

    path: str
    origin: str
    data: bytes | None = None
    source: Path | str | None = None
    #: ``source`` is the last build's output file for this path, still right (sitegen.incremental.reuse).
    kept: bool = False
    #: The FileId of that file, as just seen (a hard link to it has the same).
    found: FileId | None = None
    #: Its path in the output, as the last build checked and wrote it.
    rel: str | None = None


def file_id(path: Path | str) -> FileId | None:
    """``path``'s (size, mtime_ns, inode), or None when it is not a file there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def json_bytes(data: Any) -> bytes:
    """Compact, deterministic UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
