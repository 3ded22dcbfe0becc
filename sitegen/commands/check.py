"""``sitegen check``: everything a build would do, drafts too, nothing written; every
problem printed. [IO: reads the site]"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import replace

from sitegen.commands.console import (
    EXIT_CONTENT,
    EXIT_OK,
    clear_progress,
    print_problems,
    progress_for,
)
from sitegen.core.config import Config
from sitegen.core.errors import Level, Problem
from sitegen.pipeline import BuildOptions, render


def check_command(config: Config, warnings: Sequence[Problem], *, strict: bool,
                  quiet: bool = False) -> int:
    """Check ``config``'s site; print every problem (warnings as errors when ``strict``) and a
    count; exit 1 on errors."""
    started = time.perf_counter()
    # Check what a build would publish and the drafts too: a draft is where mistakes are made.
    rendered = render(config, BuildOptions(drafts=True, future=True), progress=progress_for(quiet),
                      photos=False)
    clear_progress(quiet)
    problems = [*warnings, *rendered.warnings]
    if strict:
        problems = [replace(p, level=Level.ERROR) for p in problems]
    print_problems(problems, sys.stderr, output=None, count_warnings=False)
    errors = sum(1 for p in problems if p.is_error)
    warned = len(problems) - errors
    print(f"Đã kiểm tra {len(rendered.site.articles)} bài viết, {len(rendered.site.pages)} trang: "
          f"{errors} lỗi, {warned} cảnh báo ({time.perf_counter() - started:.2f} giây).")
    return EXIT_CONTENT if errors else EXIT_OK
