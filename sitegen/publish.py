"""Render the site's pages straight into the output being written, across processes. [processes, IO]

    Renderer + its page tasks + a SiteWriter in → every file written, the writer's counts out

Rendering 18,000 pages of a large site is most of a cold build, and holding their HTML
until the write is most of its memory. Here each page is written as soon as it is
rendered: in worker processes forked once the site model is ready (they share it with
the build, copy-on-write), each taking consecutive runs of tasks; the build then records
what each worker wrote (:meth:`SiteWriter.record`), run after run in task order, so the
counts, collisions, render keys and the sitemap's list never depend on scheduling. The
features (feeds, search, calendar, roll), which read the whole site, and the copied files
follow in the build's own process. Nothing is swapped in here: the caller commits.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Sequence

from .output import Put, SiteWriter
from .parallel import die_with_parent, workers
from .render import Renderer, Task

# Below this many pages, starting processes costs more than it saves.
MIN_PARALLEL = 400

Ran = tuple[list[Put], list[tuple[str, str]], dict[str, str], int]
"""What one run of tasks did: the files written, the pages rendered (for the sitemap), the
render keys worked out, and how many pages were kept."""

_job: tuple[Renderer, Sequence[Task], SiteWriter] | None = None


def _init() -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _run(bounds: tuple[int, int]) -> Ran:
    """Render and write tasks[start:stop] (in a worker); what was done, for the parent."""
    assert _job is not None
    r, tasks, writer = _job
    start, stop = bounds
    r.rendered = []
    memo = r.memo
    if memo is not None:
        memo.keys, memo.kept = {}, 0
    puts = [writer.write(f) for task in tasks[start:stop] for f in task()]
    return puts, r.rendered, dict(memo.keys) if memo else {}, memo.kept if memo else 0


def write_pages(r: Renderer, tasks: Sequence[Task], writer: SiteWriter,
                progress: Callable[[int, int], None] | None = None,
                parallel: bool = True) -> None:
    """Run every task and write its files through ``writer``, across processes when it pays.

    Raises what a task raises (a template's ContentError) after the workers are stopped.
    """
    global _job
    jobs = workers() if parallel else 1
    total = len(tasks)
    if jobs < 2 or total < MIN_PARALLEL:
        for i, task in enumerate(tasks, 1):
            for f in task():
                writer.put(f)
            if progress and i % 200 == 0:
                progress(i, total)
        return
    size = max(16, total // (jobs * 24))
    runs = [(i, min(i + size, total)) for i in range(0, total, size)]
    _job = (r, tasks, writer)
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_init) as pool:
            for puts, rendered, keys, kept in pool.imap(_run, runs):
                for put in puts:
                    writer.record(put)
                r.rendered.extend(rendered)
                if r.memo is not None:
                    r.memo.keys.update(keys)
                    r.memo.kept += kept
                if progress:
                    progress(len(r.rendered), total)
    finally:
        _job = None
