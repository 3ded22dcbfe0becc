"""The pipeline: a site folder in, ``output/`` and a :class:`BuildReport` out.

    load_config → find_sources → read_page (each) → assemble_site → render → write

In ``build``, each page is written as soon as it is rendered (:mod:`sitegen.incremental.publish`).

Every stage returns new typed objects; the problems of all files are collected and
reported together, and nothing reaches ``output/`` unless the whole site was made.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from sitegen.core.config import Config
from sitegen.core.errors import CacheDamaged, ContentError, Problem
from sitegen.core.pages import Page
from sitegen.core.site import Site, assemble_site
from sitegen.core.sources import (
    Asset,
    Scan,
    Sources,
    find_sources,
    find_theme_assets,
)
from sitegen.features.registry import Registry, default_registry
from sitegen.incremental.depends import Values
from sitegen.incremental.marks import Marks, marks_by_source
from sitegen.incremental.photos import Photos
from sitegen.incremental.publish import work_ahead, write_pages
from sitegen.incremental.reading import Progress, read_pages
from sitegen.incremental.reuse import Memo, base_signature
from sitegen.incremental.stamp import (
    BuildReport,
    Look,
    forget,
    look,
    pinned_clock,
    remember,
    still,
    valid_until,
)
from sitegen.incremental.store import Keep, Store
from sitegen.incremental.tuning import Tuning
from sitegen.output.claims import Collected, Sink
from sitegen.output.files import RenderedFile
from sitegen.output.swap import build_lock, check_output_dir
from sitegen.output.writer import SiteWriter
from sitegen.render.environment import make_environment
from sitegen.render.pictures import PicturePlan, plan_pictures
from sitegen.render.renderer import Renderer, other_files
from sitegen.render.tasks import Task, page_tasks
from sitegen.render.theme import theme_dir


@dataclass(frozen=True)
class BuildOptions:
    """What the command line adds to the config: drafts, future articles, the clock; and
    what tests choose: the features, the tuning."""

    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    clean: bool = False
    #: Build what is fine when some files have errors (serve): the pages with errors are left
    #: out and their problems returned with the rest, not raised.
    keep_going: bool = False
    #: How the speed machinery works (worker pools, trusted stats); never what is built.
    tuning: Tuning = field(default_factory=Tuning)
    #: The features to build (None: the built-in ones, :func:`default_registry`).
    features: Registry | None = field(default=None, compare=False)

    @property
    def registry(self) -> Registry:
        return self.features if self.features is not None else default_registry()


def clock(zone: ZoneInfo) -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set (reproducible builds), else the time."""
    return pinned_clock(zone) or datetime.now(zone)




@dataclass(frozen=True)
class Rendered:
    """The site model and its files, ready to write (what :func:`render` gives ``check``)."""

    site: Site
    files: Sequence[RenderedFile]
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class Loaded:
    """The first phase: the files read and the site model assembled from them."""

    sources: Sources
    site: Site
    problems: tuple[Problem, ...]
    #: The photos to publish (render.pictures.plan_pictures).
    pictures: PicturePlan = field(default_factory=PicturePlan)


def load_site(config: Config, options: BuildOptions, store: Store | None = None,
              keep: Keep | None = None, progress: Progress | None = None,
              parallel: bool = True, scan: Scan | None = None,
              found: Sources | None = None) -> Loaded:
    """find_sources → read_page → assemble_site; raise ContentError listing every error found.

    What ``report`` needs, without rendering a page. ``store``: what the last build kept
    (its read cache and known stats, see read_pages); ``keep``: see read_pages; ``found``:
    the sources when the caller knows them already (serve: :func:`sitegen.core.sources.found_again`).
    """
    store = store or Store()
    now = options.now or clock(config.zone)
    sources = found or find_sources(config, scan, store.facts)
    pages, problems = read_pages(config, sources, store.cache, progress, parallel, store.known,
                                 keep, options.registry.text_work, options.tuning)
    assembled = assemble_site(config, pages, now, drafts=options.drafts, future=options.future)
    problems.extend(assembled.problems)
    if any(p.is_error for p in problems) and not options.keep_going:
        raise ContentError(problems)
    site = assembled.site
    pictures = plan_pictures((*site.articles, *site.pages),
                             _bundles(sources, (*site.articles, *site.pages)), sources.static)
    problems.extend(pictures.problems)
    return Loaded(sources, site, tuple(problems), pictures)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the block runs: loading the cache and
    assembling the site make a million objects that all live as long as the build, and the
    collector, started again and again by so many new objects, scanned them all each time
    (benchmarks/README.md, 'Figures behind the code'). Rendering runs in :func:`frozen_heap`."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """The collector on while the block runs, but off the objects made so far (the site
    model): rendering makes cyclic garbage (Jinja's contexts) that is collected as it goes,
    and forked workers leave the shared pages of memory untouched. Enter it with the
    collector paused (:func:`collector_paused`): the objects made meanwhile are frozen
    before it runs, where turning it on first made its next run scan them all
    (benchmarks/README.md, 'Figures behind the code')."""
    was = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()
        gc.unfreeze()


def _bundles(sources: Sources, pages: Sequence[Page]) -> list[tuple[Page, tuple[Asset, ...]]]:
    """Each bundle's article (of ``pages``) and its other files."""
    by_source = {s.content_rel: s for s in sources.articles if s.bundle}
    return [(p, bundled.bundle) for p in pages
            if (bundled := by_source.get(p.content_rel)) is not None and bundled.bundle]


def bundles_of(loaded: Loaded) -> list[tuple[Page, tuple[Asset, ...]]]:
    """Each bundle's article and its other files but its photos (made by the photo
    pipeline, :mod:`sitegen.incremental.photos`)."""
    handled = loaded.pictures.handled
    return [(p, tuple(a for a in assets if p.path + a.rel not in handled))
            for p, assets in _bundles(loaded.sources, (*loaded.site.articles, *loaded.site.pages))]


def prepare(config: Config, options: BuildOptions, env: jinja2.Environment,
            store: Store | None = None, keep: Keep | None = None,
            progress: Progress | None = None, parallel: bool = True,
            scan: Scan | None = None,
            first: Callable[[Loaded, Renderer], None] | None = None,
            found: Sources | None = None) -> tuple[Loaded, Renderer, list[Task]]:
    """load_site, then the Renderer and the core pages' tasks: what build, serve and
    :func:`render` share, made with the collector paused (:func:`collector_paused`).
    ``first`` is handed the site and its Renderer before the tasks are listed (``serve``
    shows the edited pages then); ``found``: see load_site."""
    with collector_paused():
        loaded = load_site(config, options, store, keep, progress, parallel, scan, found)
        marks = marks_by_source(store.cache.values()) if store and store.cache else {}
        r = start_render(loaded.site, env, loaded.sources.static, store.memo if store else None,
                         options.registry, marks)
        if first is not None:
            first(loaded, r)
        return loaded, r, page_tasks(r)


def start_render(site: Site, env: jinja2.Environment, static: Sequence[Asset],
                 memo: Memo | None, features: Registry,
                 marks: Mapping[str, Marks] | None = None) -> Renderer:
    """The Renderer of ``site`` with the features' template names; with a ``memo``, its
    render keys start from the base signature (:func:`sitegen.incremental.reuse.base_signature`)
    and its pages' reads are looked up on ``site`` with the pages' ``marks`` (by source:
    those the read cache holds for this build)."""
    names = frozenset(a.rel for a in static)
    r = Renderer(site, env, names, memo, features.template_globals(site, names))
    if memo is not None:
        loader = env.loader
        folders = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
        marks = marks or {}
        base = base_signature(site, static, [Path(d) for d in folders], r.plain)
        memo.start(base, Values(site, marks, r.roots))
    return r


def extra_files(config: Config, r: Renderer, loaded: Loaded, features: Registry,
                photos: Photos) -> Iterator[RenderedFile]:
    """After the core pages: the features' files, the theme's assets, the static files and
    the bundles' files (render.other_files), then the photos' (``photos``)."""
    handled = loaded.pictures.handled
    yield from other_files(r, [(f.name, f.files) for f in features.features],
                           find_theme_assets(config, theme_dir()),
                           [a for a in loaded.sources.static if a.rel not in handled],
                           bundles_of(loaded))
    yield from photos.files(loaded.pictures.jobs)


def make_site(config: Config, options: BuildOptions, loaded: Loaded, r: Renderer,
              tasks: Sequence[Task], sink: Sink, progress: Progress | None = None,
              parallel: bool = True, photos: Photos | None = None) -> None:
    """The render and write stages: every file of the site into ``sink`` as it is made (the
    core pages, kept from the last build or rendered, across processes when the sink is the
    disk's; then the features', the theme's, the static and the bundles' files); raise
    ContentError, with the site's problems, when the sink could not take them all.

    What ``build`` (the disk writer), ``serve`` (memory) and ``check`` (a list) share.
    ``photos`` makes the photos' files (default: in memory, nothing kept).
    """
    def tick(done: int, total: int) -> None:
        if progress:
            progress("Dựng trang", done, total)

    write_pages(r, tasks, sink, tick, parallel, options.tuning.render_pool_from)
    for f in extra_files(config, r, loaded, options.registry,
                         photos or Photos(parallel=parallel)):
        sink.put(f)
    if sink.problems:
        raise ContentError([*loaded.problems, *sink.problems])


def render(config: Config, options: BuildOptions, progress: Progress | None = None,
           parallel: bool = True, photos: bool = True) -> Rendered:
    """Every stage but the write, in memory; raise ContentError listing every error found.

    What ``check`` uses (``build`` writes each page as it is rendered, ``serve`` keeps its
    own pages), with ``photos=False``: the photos' files named, none made.
    """
    loaded, r, tasks = prepare(config, options, make_environment(config), progress=progress,
                               parallel=parallel)
    collected = Collected()
    made = Photos(make=photos, parallel=False)
    make_site(config, options, loaded, r, tasks, collected, progress, parallel=False,
              photos=made)
    problems = [*loaded.problems, *made.problems]
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    return Rendered(loaded.site, collected.files, tuple(problems))


def build(config: Config, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None, parallel: bool = True,
          seen: Look | None = None) -> BuildReport:
    """Run the whole pipeline and swap the new ``output/`` in; raise on any error.

    Pages are written as they are rendered (:mod:`sitegen.incremental.publish`) into a folder beside
    ``output/`` that is swapped in only when every file is there (:class:`SiteWriter`).
    When nothing the build reads has changed since the last build (:mod:`sitegen.incremental.stamp`),
    return that build's report, marked ``skipped``, and write nothing (``clean`` builds).
    ``seen``: the stamp's :func:`~sitegen.incremental.stamp.look` with these options, when
    the caller took it (``sitegen build`` does, before importing this module); its inputs
    and listing are this build's then.
    """
    started = time.perf_counter()
    check_output_dir(config)  # before the work, not after it
    with build_lock(config):
        # The folders listed once, for the stamp and then find_sources; listed again when
        # another build ran while this one waited for the lock.
        if seen is None or not still(seen, config):
            seen = look(config, options.drafts, options.future, options.clean, options.now)
        if seen.last is not None:
            return replace(seen.last, seconds=time.perf_counter() - started, skipped=True)
        forget(config)
        now = seen.now
        try:
            report, change = _build(config, replace(options, now=now), started, progress,
                                    parallel, seen.scan)
        except CacheDamaged:  # a text of the cache changed under the build: build without it
            report, change = _build(config, replace(options, now=now, clean=True), started,
                                    progress, parallel)
        remember(config, seen.inputs, None if seen.pinned else valid_until(now, change), report)
    return report


def _build(config: Config, options: BuildOptions, started: float, progress: Progress | None,
           parallel: bool, scan: Scan | None = None) -> tuple[BuildReport, datetime | None]:
    """One build with or without the cache (``options.clean``): read, render, write, record.

    Returns the report and when the site next changes by itself (Site.next_change).
    """
    # Paused for the whole build: the site model is a million objects that all live on;
    # rendering, which makes garbage, runs with it on (frozen_heap).
    with collector_paused():
        store = Store.on_disk(config, read=not options.clean)
        with store.reading() as keep:  # bodies go to disk as they are read
            # A build compiles each template once: no need to check its file at every page.
            env = make_environment(config, reload=False, compiled=store.compiled)
            loaded, r, tasks = prepare(config, options, env, store, keep, progress, parallel,
                                       scan)
        site = loaded.site
        # The cache is saved as it is once read; beside the search index when that is
        # made in a process of its own (every text a page of this build reads is kept).
        # The process of work_ahead is waited for at the end, once the record is saved.
        with frozen_heap(), work_ahead(r, options.registry.ahead, parallel,
                                       also=[store.save_cache],
                                       pool_from=options.tuning.render_pool_from) as saving:
            with SiteWriter(config, store.trees) as writer:
                make_site(config, options, loaded, r, tasks, writer, progress, parallel,
                          store.photos)
                written = writer.commit()
            if store.photos is not None:
                store.photos.prune()
            if not saving:
                store.save_cache()
            store.save_record(written.files)
        return BuildReport(articles=len(site.articles), pages=writer.pages, files=written.written,
                           unchanged=written.unchanged, seconds=time.perf_counter() - started,
                           warnings=(*loaded.problems,
                                     *(store.photos.problems if store.photos else ()))), \
            site.next_change
