"""``sitegen build``: the pipeline run once, its warnings and its summary printed. [IO]

The stamp is looked at first (:func:`sitegen.incremental.stamp.look`): when nothing the
build reads has changed, the last build's summary is printed without importing the
pipeline, its renderer, Markdown or Jinja (two thirds of such a build's time went to
importing them: benchmarks/README.md, 'Figures behind the code').
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import replace

from sitegen.commands.console import EXIT_OK, clear_progress, print_problems, progress_for
from sitegen.core.config import Config
from sitegen.core.errors import Problem
from sitegen.incremental.stamp import look
from sitegen.output.swap import check_output_dir


def build_command(config: Config, warnings: Sequence[Problem], *, drafts: bool, future: bool,
                  clean: bool, quiet: bool) -> int:
    """Build ``config``'s site; print its warnings (and ``config.yaml``'s) and the summary line.

    Raises what the pipeline raises (ContentError, OutputError …); the CLI turns it into
    a message and an exit code.
    """
    started = time.perf_counter()
    check_output_dir(config)
    seen = look(config, drafts, future, clean)
    if seen.last is not None:
        report = replace(seen.last, seconds=time.perf_counter() - started, skipped=True)
    else:
        from sitegen.pipeline import BuildOptions, build

        report = build(config, BuildOptions(drafts=drafts, future=future, clean=clean),
                       progress=progress_for(quiet), seen=seen)
    clear_progress(quiet)
    print_problems([*warnings, *report.warnings], sys.stderr)
    print(report.summary())
    return EXIT_OK
