"""read_page across processes: Sources in, their Reads (results and marks) out, in the order
given. [processes]

Python-Markdown is pure Python, so reading is CPU-bound and threads would not
help; worker processes each build their own Markdown parser once. Results come
back in the sources' order, so the output never depends on scheduling.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from sitegen.core.config import Config
from sitegen.core.markup import MarkdownRenderer, renderer_for
from sitegen.core.pages import ReadContext, read_page
from sitegen.core.sources import Source
from sitegen.incremental.marks import Read
from sitegen.incremental.tuning import DEFAULT

_worker: tuple[Config, ReadContext, MarkdownRenderer] | None = None


_parent: int | None = None


def forking() -> None:
    """Note this process as the parent of the processes it is about to fork."""
    global _parent
    _parent = os.getpid()


def die_with_parent() -> None:
    """Ask Linux to kill this worker when the build that forked it dies (SIGKILL included);
    exit at once if it died already, before the request was made."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if _parent is not None and os.getppid() != _parent:  # pragma: no cover - a race
        os._exit(1)


def _init(config: Config, ctx: ReadContext) -> None:
    global _worker
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.freeze()  # the build may have paused the collector (build.collector_paused): the
    gc.enable()  # reader collects its own garbage, never what it inherited
    _worker = (config, ctx, renderer_for(config))


def _read(source: Source) -> Read:
    assert _worker is not None
    config, ctx, renderer = _worker
    return Read.of(read_page(source, config, ctx, renderer))


def min_parallel(default: int) -> int:
    """The fewest items worth starting worker processes for: ``default`` (a threshold of
    :class:`sitegen.incremental.tuning.Tuning`), or ``SITEGEN_MIN_PARALLEL`` when set (0:
    always, as tests do)."""
    env = os.environ.get("SITEGEN_MIN_PARALLEL", "").strip()
    return int(env) if env.isdigit() else default


def workers() -> int:
    """How many processes to use: the CPUs this process may run on (``SITEGEN_JOBS`` overrides)."""
    env = os.environ.get("SITEGEN_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def read_many(sources: Sequence[Source], config: Config, ctx: ReadContext,
              renderer: MarkdownRenderer,
              progress: Callable[[int], None] | None = None,
              parallel: bool = True, pool_from: int = DEFAULT.read_pool_from
              ) -> Iterator[Read]:
    """read_page over ``sources`` in order, each result with its page's marks, in worker
    processes when it pays off (from ``pool_from`` sources, :func:`min_parallel`).

    ``parallel=False`` (``serve``, whose threads must not be forked) reads in this process.
    """
    jobs = workers() if parallel else 1
    if jobs < 2 or len(sources) < max(2, min_parallel(pool_from)):  # one: no pool
        for i, source in enumerate(sources, 1):
            if progress:
                progress(i)
            yield Read.of(read_page(source, config, ctx, renderer))
        return
    # fork: the workers start with sitegen already imported (forkserver/spawn re-import it).
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    chunk = max(1, len(sources) // (jobs * 8))
    forking()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                             initializer=_init, initargs=(config, ctx)) as pool:
        for i, result in enumerate(pool.map(_read, sources, chunksize=chunk), 1):
            if progress:
                progress(i)
            yield result
