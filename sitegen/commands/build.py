"""``sitegen build``: the pipeline run once, its warnings and its summary printed. [IO]"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sitegen.commands.console import EXIT_OK, clear_progress, print_problems, progress_for
from sitegen.core.config import Config
from sitegen.core.errors import Problem
from sitegen.pipeline import BuildOptions, build


def build_command(config: Config, warnings: Sequence[Problem], *, drafts: bool, future: bool,
                  clean: bool, quiet: bool) -> int:
    """Build ``config``'s site; print its warnings (and ``config.yaml``'s) and the summary line.

    Raises what the pipeline raises (ContentError, OutputError …); the CLI turns it into
    a message and an exit code.
    """
    report = build(config, BuildOptions(drafts=drafts, future=future, clean=clean),
                   progress=progress_for(quiet))
    clear_progress(quiet)
    print_problems([*warnings, *report.warnings], sys.stderr)
    print(report.summary())
    return EXIT_OK
