"""Tuning: the sizes and ages the speed machinery works by; how a build works, never what it makes.

The pipeline takes one in :class:`sitegen.pipeline.BuildOptions` (``tuning``) and hands each
stage its part. The defaults are what the code was measured with (benchmarks/README.md,
'Figures behind the code'); tests set other values to reach, on a small site, the paths a
large or an old site takes, instead of changing the modules' constants.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    """When the build forks worker processes, and when it trusts a file's stat.

    ``SITEGEN_MIN_PARALLEL`` (README, "Speed"), when set, stands for both pool thresholds
    (:func:`sitegen.incremental.parallel.min_parallel`).
    """

    #: From this many articles to read (not cached), reading forks worker processes:
    #: below it, starting them costs more than it saves.
    read_pool_from: int = 200
    #: From this many pages to render, rendering forks worker processes (and the features
    #: that may, their work ahead, :func:`sitegen.incremental.publish.work_ahead`).
    render_pool_from: int = 400
    #: How old, by its change time, a file's stat must be to be remembered, in nanoseconds:
    #: a file changed twice within one tick of the clock can keep its stat (git's "racy
    #: clean" rule), so only settled stats are trusted by the next build.
    settled_ns: int = 3_000_000_000


#: The tuning the code was measured with.
DEFAULT = Tuning()
