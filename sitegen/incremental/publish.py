"""Render the site's pages straight into the output being written, across processes. [processes, IO]

    Renderer + its page tasks + a SiteWriter in → every file written, the writer's counts out

Rendering 18,000 pages of a large site is most of a cold build, and holding their HTML
until the write is most of its memory. Here the pages whose key and reads did not change are
kept first, in the build's process (a look at the record each); then each page
left is written as soon as it is rendered: in worker processes forked once the site model
is ready (they share it with the build, copy-on-write), each taking consecutive runs of
tasks; the build records what each worker wrote (:meth:`SiteWriter.record`), run after run
in task order, so the counts, collisions and the sitemap's list never depend on scheduling. The
features (feeds, search, calendar, roll), which read the whole site, and the copied files
follow in the build's own process, but for those that read the site model alone and are
worth it (the search index and the calendar: ``Feature.ahead``): :func:`work_ahead`
runs them in a process of their own while the pages are written. Nothing is swapped in
here: the caller commits.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

from sitegen.core.errors import OutputError
from sitegen.features.registry import Feature
from sitegen.incremental.parallel import die_with_parent, forking, min_parallel, workers
from sitegen.incremental.reuse import Memo
from sitegen.incremental.tuning import DEFAULT
from sitegen.output.claims import Sink
from sitegen.output.files import RenderedFile
from sitegen.output.writer import Put, SiteWriter
from sitegen.render.renderer import Renderer
from sitegen.render.tasks import Task

_job: tuple[Renderer, Sequence[Task], SiteWriter] | None = None
_ahead: tuple[Renderer, Sequence[Feature], Sequence[Callable[[], None]]] | None = None


def _init() -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # Rendering makes cyclic garbage (Jinja's contexts): collect it, but never rescan the
    # site model inherited from the build (frozen), whose pages then stay shared.
    gc.freeze()
    gc.enable()


def _run(numbers: Sequence[int]) -> tuple[list[tuple[str, Put, object]], dict[Any, Any]]:
    """Render and write the tasks of these numbers (in a worker); what was written, and what
    each page read (its entry in the worker's memo, for the build's record), and the cards
    rendered meanwhile (for the build's store of cards)."""
    assert _job is not None
    r, tasks, writer = _job
    keys = r.memo.keys if r.memo is not None else {}
    done = [(tasks[n].here, writer.write(r.make(tasks[n])), keys.get(tasks[n].here))
            for n in numbers]
    return done, r.memo.take_cards() if isinstance(r.memo, Memo) else {}


def write_pages(r: Renderer, tasks: Sequence[Task], writer: Sink,
                progress: Callable[[int, int], None] | None = None,
                parallel: bool = True, pool_from: int = DEFAULT.render_pool_from) -> None:
    """Every task's page, kept from the last build (when nothing it read changed) or
    rendered, put into ``writer``; rendered across processes when there are many (from
    ``pool_from``, :func:`min_parallel`) and the writer is the disk's (:class:`SiteWriter`,
    whose files workers may write).

    Raises what a task raises (a template's ContentError) after the workers are stopped.
    """
    global _job
    todo: list[int] = []
    for n, task in enumerate(tasks):
        kept = r.kept(task)  # here: a key and a look at the last build's record
        if kept is None:
            todo.append(n)
        else:
            writer.put(kept)
    r.rendered.extend((t.here, t.template) for t in tasks)  # the sitemap's order
    total = len(todo)
    if isinstance(r.memo, Memo):
        r.memo.want_cards(total)  # before the workers are forked: they share them
    jobs = workers() if parallel and isinstance(writer, SiteWriter) else 1
    if jobs < 2 or total < min_parallel(pool_from) or not isinstance(writer, SiteWriter):
        for i, n in enumerate(todo, 1):
            writer.put(r.make(tasks[n]))
            if progress and i % 200 == 0:
                progress(i, total)
        return
    size = max(16, total // (jobs * 24))
    runs = [todo[i:i + size] for i in range(0, total, size)]
    _job = (r, tasks, writer)
    r.before_fork()
    try:
        # An executor, not a Pool: a worker killed (out of memory) breaks it with an error
        # instead of leaving the build waiting forever with the output's lock held.
        forking()
        with ProcessPoolExecutor(jobs, multiprocessing.get_context("fork"), _init) as pool:
            done = 0
            for puts, cards in pool.map(_run, runs):
                for here, put, entry in puts:
                    writer.record(put)
                    if entry is not None and r.memo is not None:
                        r.memo.keys[here] = entry
                if cards and isinstance(r.memo, Memo):
                    r.memo.add_cards(cards)
                done += len(puts)
                if progress:
                    progress(done, total)
    finally:
        _job = None


class Apart(NamedTuple):
    """What a feature run in another process gave: its files, and what it noted in the
    renderer (the pages it listed for the sitemap, the render keys it recorded)."""

    files: list[RenderedFile]
    rendered: list[tuple[str, str]]
    keys: dict[str, str]


def run_apart(r: Renderer, feature: Feature) -> Apart:
    """Run ``feature``, noting what it adds to ``r``'s lists."""
    listed, keys = len(r.rendered), dict(r.memo.keys) if r.memo is not None else {}
    files = list(feature.files(r))
    new = {k: v for k, v in r.memo.keys.items() if keys.get(k) != v} if r.memo else {}
    return Apart(files, r.rendered[listed:], new)


def _ahead_work(conn: Connection) -> None:
    """Send back each feature's Apart, or what stopped it, in order; save the features'
    states and do the rest of the work given meanwhile (in the process work_ahead starts).

    A thread sends: a send blocks until the build reads, which it does only once its pages
    are written, and the saving need not wait for that.
    """
    _init()
    assert _ahead is not None
    r, features, also = _ahead
    outbox: queue.SimpleQueue[tuple[bool, object] | None] = queue.SimpleQueue()

    def post() -> None:
        while (message := outbox.get()) is not None:
            conn.send(message)

    sender = threading.Thread(target=post)
    sender.start()
    try:
        for feature in features:
            try:
                outbox.put((True, run_apart(r, feature)))
            except BaseException as exc:  # raised in the build where it is waited for
                outbox.put((False, _sendable(exc)))
        if r.memo is not None:
            r.memo.save_states()  # this process's memo is not saved
        for work in also:
            work()
    finally:
        outbox.put(None)
        sender.join()
        conn.close()


def _sendable(exc: BaseException) -> BaseException:
    """``exc``, or the same said in an error that survives the trip between processes."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return OutputError(f"{type(exc).__name__}: {exc}")
    return exc


@contextmanager
def work_ahead(r: Renderer, features: Sequence[Feature], parallel: bool = True,
               also: Sequence[Callable[[], None]] = (),
               pool_from: int = DEFAULT.render_pool_from) -> Iterator[bool]:
    """While the block runs, ``features`` are run in a process of its own (forked: it
    shares the site model), and then ``also`` is done there (the build's cache saved); the
    block is told whether they were. :func:`sitegen.render.renderer.other_files` takes each
    feature's files from ``r.ahead`` and notes in ``r`` what the feature noted there.

    For features that read the site model only (not the feeds, whose sitemap lists the
    pages rendered; see ``Feature.ahead``): loading, updating and saving the search
    index is a large part of an edit (benchmarks/README.md, 'Figures behind the code'),
    and the pages are written meanwhile.
    A small site (fewer articles than ``pool_from``) runs them in this process. What a
    feature raises is raised where its files are waited for; the block's end waits for the
    process. A plain process and a pipe, not an executor: an executor runs threads, and the
    page workers are forked after this one.
    (Long: the process, the pipe and the answers' bookkeeping belong to one context.)
    """
    global _ahead
    if not parallel or workers() < 2 or r.memo is None or \
            len(r.site.articles) < min_parallel(pool_from):
        yield False
        return
    _ahead = (r, features, also)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_ahead_work, args=(sender,), daemon=True)
    forking()
    process.start()
    sender.close()
    answers: list[tuple[bool, object]] = []

    def answer(n: int) -> object:
        while len(answers) <= n:
            try:
                answers.append(receiver.recv())
            except EOFError:  # killed (out of memory?) before it answered
                answers.append((False, OutputError("một tiến trình của bản dựng bị dừng giữa "
                                                   "chừng. Cách sửa: chạy lại lệnh.")))
        done, value = answers[n]
        if not done:
            assert isinstance(value, BaseException)
            raise value
        return value

    def files(n: int) -> list[RenderedFile]:
        apart = answer(n)
        assert isinstance(apart, Apart)
        r.rendered.extend(apart.rendered)
        if r.memo is not None:
            r.memo.keys.update(apart.keys)
        return apart.files

    for n, feature in enumerate(features):
        r.ahead[feature.name] = functools.partial(files, n)
    try:
        yield True
    finally:
        r.ahead.clear()
        _ahead = None
        if len(answers) < len(features):  # the build stopped first: let the process finish
            with contextlib.suppress(BaseException):
                answer(len(features) - 1)
        receiver.close()
        process.join()
