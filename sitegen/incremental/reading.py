"""read_pages: every source read, or taken from the read cache when its inputs did not
change; the pages and every problem out. [IO: reads the sources not cached]

A source's *read key* is a digest of its bytes and of everything else read_page depends
on (its path, its bundle's files, the config, the other files it may link to, the
features' work on its text). With a read cache (kept by ``serve`` and in ``.sitegen/``), a
source whose key is cached is not read again; with the known stats as well, a source whose
stat is the one known is not even opened.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from sitegen.core.config import Config
from sitegen.core.digest import digest as digest_of
from sitegen.core.errors import Problem
from sitegen.core.markup import renderer_for
from sitegen.core.pages import Page, ReadContext, TextWork
from sitegen.core.sources import Source, Sources
from sitegen.incremental.parallel import read_many
from sitegen.incremental.store import Keep, Known, ReadCache
from sitegen.incremental.tuning import DEFAULT, Tuning

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while a long stage runs."""


def read_key(source: Source, fingerprint: str, digest: str) -> str:
    """The cache key of one read: the file's bytes (``digest``, theirs:
    :func:`sitegen.core.digest.digest`) and everything else read_page depends on."""
    parts = [digest, source.rel, fingerprint]
    parts.extend(f"{asset.rel}:{asset.size}:{asset.facts and asset.facts.trouble}"
                 for asset in source.bundle or ())
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape"),
                           digest_size=16).hexdigest()


def read_context(sources: Sources, work: TextWork | None) -> ReadContext:
    """What every read of ``sources`` needs to know of the other files (their static files
    and articles), with the features' ``work`` on each page's text."""
    return ReadContext(
        static=frozenset(a.rel for a in sources.static),
        static_sizes={a.rel: a.size for a in sources.static if a.size},
        articles=frozenset(s.content_rel for s in sources.articles),
        work=work,
        static_troubles={a.rel: a.facts.trouble for a in sources.static
                         if a.facts and a.facts.trouble},
    )


def read_pages(config: Config, sources: Sources, cache: ReadCache | None = None,
               progress: Progress | None = None, parallel: bool = True,
               known: Known | None = None, keep: Keep | None = None,
               work: TextWork | None = None, tuning: Tuning = DEFAULT
               ) -> tuple[list[Page], list[Problem]]:
    """read_page over every source; the pages read cleanly and every problem found.

    With a ``cache`` (kept by ``serve`` and on disk), a source whose inputs did not change
    is not read again; with ``known`` as well, a source whose stat is the one known is not
    even opened. Both are updated to this build's sources. ``keep`` is applied to each
    page read, as it arrives. ``work``: the features' work on each page's text
    (:data:`sitegen.core.pages.TextWork`). ``tuning``: when to fork readers, and which
    stats to remember.
    """
    ctx = read_context(sources, work)
    fingerprint = hashlib.blake2b(
        repr((config, sorted(ctx.static_sizes.items()), sorted(ctx.static),
              sorted(ctx.static_troubles.items()),
              sorted(ctx.articles), work and work.__qualname__)).encode(),
        digest_size=16).hexdigest()
    renderer = renderer_for(config)
    pages: list[Page] = []
    problems: list[Problem] = list(sources.problems)
    fresh: ReadCache = {}
    keys, todo, todo_keys, seen = _plan(config, sources, fingerprint, cache, known,
                                        tuning.settled_ns)
    total = len(todo)

    def tick(done: int) -> None:
        if progress and done % 50 == 0:
            progress("Đọc bài", done, total)

    results = read_many(todo, config, ctx, renderer, tick, parallel=parallel,
                        pool_from=tuning.read_pool_from)
    read = dict(zip(todo_keys,
                    map(keep, results) if keep else results, strict=True))
    for key in keys:
        result = read.get(key) or (cache or {})[key]
        fresh[key] = result
        problems.extend(result.problems)
        if result.page is not None:
            pages.append(result.page)
    if cache is not None:  # keep only what this build used: deleted files leave the cache
        cache.clear()
        cache.update(fresh)
    if known is not None:
        known.clear()
        known.update(seen)
    return pages, problems


def _plan(config: Config, sources: Sources, fingerprint: str, cache: ReadCache | None,
          known: Known | None, settled_ns: int
          ) -> tuple[list[str], list[Source], list[str], Known]:
    """Which sources read_pages must read: the read key of every source, the sources not in
    ``cache`` (loaded) with their keys, and the stats to remember for the next build (those
    changed more than ``settled_ns`` ago)."""
    keys: list[str] = []
    todo: list[Source] = []
    todo_keys: list[str] = []
    seen: Known = {}
    # A file changed twice within one tick of the clock can keep its stat: only stats older
    # than a few seconds are remembered (git's "racy clean" rule).
    settled = time.time_ns() - settled_ns
    stats = known or {}
    for source in sources.articles:
        last = stats.get(source.rel)
        if last is not None and source.stat is not None and last[0] == source.stat:
            digest = last[1]  # not opened: its digest is the one known for its stat
        else:
            source, digest = _opened(source, config.root)
        key = read_key(source, fingerprint, digest)
        if cache is None or key not in cache:
            if source.raw is None:  # known by its stat, but its result is not cached
                source, digest = _opened(source, config.root)
                key = read_key(source, fingerprint, digest)
            todo.append(source)
            todo_keys.append(key)
        keys.append(key)
        if source.stat is not None and source.stat[2] < settled:
            seen[source.rel] = (source.stat, digest)
    return keys, todo, todo_keys, seen


def _opened(source: Source, root: Path) -> tuple[Source, str]:
    """``source`` with its bytes (read from below ``root``), and their digest."""
    source = source.loaded(root)
    assert source.raw is not None
    return source, digest_of(source.raw)
