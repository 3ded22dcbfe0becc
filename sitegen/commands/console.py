"""What the commands print: problems, one per line, errors first; a progress line on a
terminal; the exit codes. [IO: the terminal]"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from sitegen.core.errors import Problem

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

Progress = Callable[[str, int, int], None]


def print_problems(problems: Sequence[Problem], out: TextIO, *, output: str | None = "output/",
                   count_warnings: bool = True) -> None:
    """Print errors first, then warnings, one per line, and a line counting both (and the
    files they are in), saying that ``output`` (the output folder as the writer named it;
    None: no build was asked for) is left as it was; ``count_warnings`` False: no count line
    for warnings alone (the caller prints its own)."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for p in errors + warnings:
        print(p.format(), file=out)
    files = len({p.path for p in problems})
    if errors:
        also = f" và {len(warnings)} cảnh báo" if warnings else ""
        tail = f"; chưa dựng gì, thư mục {output} giữ nguyên." if output else "."
        print(f"Có {len(errors)} lỗi{also} trong {files} tệp{tail}", file=out)
    elif warnings and count_warnings:
        print(f"Có {len(warnings)} cảnh báo trong {files} tệp (không chặn việc dựng trang; "
              "sitegen check --strict coi cảnh báo là lỗi).", file=out)


def terminal_progress(out: TextIO, after: float = 1.0) -> Progress:
    """A progress line on a terminal, shown only once a stage has taken ``after`` seconds."""
    started = time.monotonic()

    def show(stage: str, done: int, total: int) -> None:
        if time.monotonic() - started >= after:
            print(f"\r{stage}: {done}/{total}   ", end="", file=out, flush=True)

    return show


def progress_for(quiet: bool) -> Progress | None:
    """The progress line on standard error, unless ``quiet`` or not a terminal."""
    return None if quiet or not sys.stderr.isatty() else terminal_progress(sys.stderr)


def clear_progress(quiet: bool) -> None:
    """Clear the progress line, if one was shown."""
    if progress_for(quiet) is not None:
        print("\r\033[K", end="", file=sys.stderr)
