"""RenderedFile: one file of the output, as the render stage hands it to the write stage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RenderedFile:
    """One file of the output: ``path`` (a site path) with ``data``, or a copy of ``source``.

    ``origin`` says what made it (a content file, a template), for collision messages.
    """

    path: str
    origin: str
    data: bytes | None = None
    source: Path | None = None
    #: ``source`` is the last build's output file for this path, still right (sitegen.reuse).
    kept: bool = False
