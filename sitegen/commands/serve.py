"""``sitegen serve``: build into memory (the pages in a scratch folder), serve on 127.0.0.1, rebuild
on change, reload pages. [IO]

While an article has errors, every page that is fine is built and served, the broken
article's address shows its errors, and every page carries them in a banner, in
Vietnamese, until the file is fixed (from the first build on: the site is never all 404s).
A failure of the whole build (config.yaml, a template) keeps the last good build served.
Pages reload by themselves through a Server-Sent Events stream and a few lines of our own
script (servepages.py); nothing is fetched from any other host. Drafts and future articles
are shown, with their badge. A busy port: the next free one is taken, and said. An
article an edit moved (a new title without ``slug``) sends its old address on to its new
one, so the page open on it reloads into the new (sitegen.commands.addresses).
"""

from __future__ import annotations

import gc
import shutil
import signal
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from http.server import ThreadingHTTPServer
from pathlib import Path

import jinja2

from sitegen.commands.addresses import gone_after, moved, moves, planned_address
from sitegen.commands.console import EXIT_USAGE
from sitegen.commands.handler import make_handler
from sitegen.commands.ports import bind
from sitegen.commands.preview import LastBuild, first_pages, last_build, preview
from sitegen.commands.served import (
    MemoryOutput,
    PageFiles,
    Served,
    ServeState,
    changed_pages,
)
from sitegen.commands.servepages import (
    EVENTS,
    RELOAD_JS,
)
from sitegen.commands.watch import Watcher
from sitegen.core.config import Config, load_config
from sitegen.core.errors import CacheDamaged, Problem, ProblemsError, SitegenError
from sitegen.core.markup import renderer_for
from sitegen.core.sources import Sources, found_again, temporary
from sitegen.core.urls import output_file
from sitegen.incremental.reuse import MemoryMemo
from sitegen.incremental.store import Store
from sitegen.output.files import RenderedFile
from sitegen.pipeline import (
    BuildOptions,
    Loaded,
    collector_paused,
    frozen_heap,
    make_site,
    prepare,
)
from sitegen.render.environment import make_environment
from sitegen.render.renderer import Renderer

__all__ = ["EVENTS", "RELOAD_JS", "SiteServer", "serve"]


class SiteServer:
    """Holds the site in memory and rebuilds it when its files change."""

    def __init__(self, site: Path, config: Config, *, output: Path | None = None,
                 log: Callable[[str], None] = print) -> None:
        self.site_dir = site
        self.config = config
        self.output = output
        self.state = ServeState()
        self.changed = threading.Condition()
        self.shared = b""  # MemoryOutput's preset dictionary
        #: The read pages' bodies and derived texts, out of memory (cache.TextFile); removed
        #: with the server.
        self.texts = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
        self.close = weakref.finalize(self, shutil.rmtree, self.texts, True)
        #: The pages' bytes, out of memory too.
        self.pages = PageFiles(self.texts / "pages")
        #: What a rebuild takes from the last: the read results, the sources' stats, the last
        #: good build's pages and their render keys (an edit renders what it touches).
        self.store = Store.in_memory(self.texts)
        assert isinstance(self.store.memo, MemoryMemo)
        self.memo: MemoryMemo = self.store.memo
        self.env: jinja2.Environment | None = None
        self.env_config: Config | None = None
        self.log = log
        #: Each article's address (output file) as last built, by its source: where a
        #: broken article's errors are shown.
        self.addresses: dict[str, str] = {}
        #: The addresses articles left → their sources (sitegen.commands.addresses).
        self.gone: dict[str, str] = {}
        #: The last build, while no other has started: what a body edit's preview is made
        #: from (sitegen.commands.preview).
        self.last: LastBuild | None = None
        #: How many rebuilds showed a preview first, or their edited pages first, or found
        #: the sources from the last build's and the watcher's (the tests look).
        self.previews = self.firsts = self.refound = 0
        #: The config and sources the last build found, while the watcher tells every change
        #: since (sitegen.core.sources.found_again): None once a build failed before its own.
        self.found: tuple[Config, Sources] | None = None
        #: The same, kept through failures: which gone files were never found (_rels).
        self.seen: tuple[Config, Sources] | None = None

    def rebuild(self, changed: Collection[Path] = ()) -> ServeState:
        """Build again; keep the last good files when the build fails. Returns the new state.

        ``changed``: the files whose change started it (the watcher's). When they are
        articles whose bodies alone changed, their pages are shown first, with a reload
        signal (:meth:`show_preview`); after any other edit, as soon as the site is read
        (:meth:`show_first`). The whole build's signal then reloads only the pages it made
        otherwise (:attr:`ServeState.changed`)."""
        started = time.perf_counter()
        found, self.found = self.found, None  # until this build has found its own
        shown = self.show_preview(changed, started) if changed else None
        self.last = None  # not kept through the build: the memory of a whole site model
        if shown is not None:
            # The parts of it that refer to each other (its archives and terms) are freed
            # by the cyclic collector only, which holds the interpreter while it runs: first
            # the event streams send the preview's signal.
            time.sleep(0.05)
            gc.collect()
        problems: tuple[Problem, ...] = ()
        files, kept_last = self.state.files, True
        try:
            self.config, warnings = load_config(self.site_dir, output=self.output,
                                                base_url=self.config.base_url)
            if self.env is None or self.env_config != self.config:
                self.env, self.env_config = make_environment(self.config), self.config
            out = MemoryOutput(files, self.pages, self.shared)
            # In this process (forking one that runs threads is unsafe); the collector is
            # paused while the site is made, and Watcher collects when idle.
            with collector_paused():
                with self.store.reading() as keep:
                    options = BuildOptions(drafts=True, future=True, keep_going=True)
                    first = self._first(changed, tuple(warnings), started) \
                        if shown is None and changed else None
                    again = self._found_again(found, changed)
                    loaded, r, tasks = prepare(self.config, options, self.env, self.store, keep,
                                               parallel=False, first=first, found=again)
                    self.found = self.seen = (self.config, loaded.sources)
                with frozen_heap():
                    make_site(self.config, options, loaded, r, tasks, out, parallel=False,
                              photos=self.store.photos)
            self.memo.adopt()
            self.last = last_build(self.config, loaded, r, tasks, options.registry.text_work)
            files, self.shared, kept_last = out.files, out.shared, False
            problems = tuple(warnings) + loaded.problems
            now = {p.source: output_file(p.path)
                   for p in (*loaded.site.articles, *loaded.site.pages)}
            self.gone = gone_after(self.gone, self.addresses, now)
            self.addresses.update(now)
        except ProblemsError as exc:
            problems = exc.problems
        except CacheDamaged as exc:  # a read text changed under the server: read all again
            if self.store.cache:
                self.store.forget()
                return self.rebuild()
            problems = (Problem(path=str(self.texts), message=str(exc), code="serve"),)
        except SitegenError as exc:
            problems = (Problem(path="config.yaml", message=str(exc), code="serve"),)
        self._publish(files, problems, kept_last, started)
        self._tell(problems, kept_last, len(files))
        return self.state

    def _found_again(self, last: tuple[Config, Sources] | None,
                     changed: Collection[Path]) -> Sources | None:
        """The sources of this build from those the ``last`` build found, when the
        ``changed`` files (the watcher's) are some of its articles, in their content alone."""
        if not changed or last is None or last[0] != self.config:
            return None
        found = found_again(last[1], changed, self.config)
        self.refound += found is not None
        return found

    def _tell(self, problems: tuple[Problem, ...], kept_last: bool, files: int) -> None:
        """Say how a build went: its errors (``kept_last``: the last good build is served),
        or its time and how many ``files`` are served."""
        errors = [p for p in problems if p.is_error]
        if errors:
            self.log(f"Có {len(errors)} lỗi; " + ("vẫn phục vụ bản dựng tốt gần nhất:" if kept_last
                                                 else "các trang khác vẫn được dựng:"))
            for p in errors:
                self.log("  " + p.format())
        else:
            self.log(f"Đã dựng lại trong {self.state.seconds:.2f} giây ({files} tệp).")

    def _publish(self, files: Mapping[str, Served], problems: tuple[Problem, ...],
                 kept_last: bool, started: float) -> None:
        """Serve a build's ``files`` and ``problems`` (``kept_last``: the last good build's
        files, the build failed), and signal the pages it changed."""
        broken = {} if kept_last else self._broken(files, problems)
        last = self.state
        pages = None if kept_last or (problems, broken) != (last.problems, last.broken) \
            else changed_pages(last.files, files)
        self._show(ServeState(files, problems, last.version + 1, time.perf_counter() - started,
                              broken, kept_last, pages, moved(self.gone, self.addresses, files)))

    def _show(self, state: ServeState) -> None:
        """Serve ``state`` and wake the event streams (each tells its page when it changed)."""
        with self.changed:
            last, self.state = self.state, state
            self.changed.notify_all()
        self.pages.prune(state.files, last.files)  # a request may still read the last

    def show_preview(self, changed: Collection[Path], started: float) -> ServeState | None:
        """Show the pages of the ``changed`` articles at once when only their bodies changed
        (:func:`sitegen.commands.preview.preview`), with a reload signal; the state shown, or
        None (nothing shown: the whole build will tell)."""
        last = self.last
        state = self.state
        if last is None or state.kept_last or state.broken or last.config != self.config:
            return None
        rels = self._rels(changed)
        made = preview(last, rels, renderer_for(last.config)) if rels else None
        shown = self._show_first(made, started) if made else None
        self.previews += shown is not None
        return shown

    def _first(self, changed: Collection[Path], warnings: tuple[Problem, ...],
               started: float) -> Callable[[Loaded, Renderer], None]:
        """What a build calls once its site is read and its Renderer made: the ``changed``
        files' pages shown before the other pages are made (:meth:`show_first`)."""
        def first(loaded: Loaded, r: Renderer) -> None:
            self.show_first(r, changed, warnings + loaded.problems, started)
        return first

    def show_first(self, r: Renderer, changed: Collection[Path], problems: tuple[Problem, ...],
                   started: float) -> ServeState | None:
        """Show the pages of the ``changed`` files as the build of ``r`` makes them, before
        the rest of it (:func:`sitegen.commands.preview.first_pages`), with a reload signal,
        when the build's ``problems`` are those shown (else the whole build tells); the
        state shown, or None."""
        state = self.state
        rels = self._rels(changed)
        if not rels or state.kept_last or problems != state.problems:
            return None
        made = first_pages(r, rels)
        shown = self._show_first(made, started) if made else None
        self.firsts += shown is not None
        return shown

    def _rels(self, changed: Collection[Path]) -> list[str]:
        """The ``changed`` files' paths below the site (none when one is outside it), but
        an editor's temporary file (sitegen.core.sources.temporary: renamed onto the file it
        saved)."""
        root = self.site_dir.resolve()
        seen = self.seen
        try:  # a folder changes with the files made or removed in it: those tell
            return [Path(p).resolve().relative_to(root).as_posix() for p in changed
                    if not Path(p).is_dir() and not (seen and temporary(seen[1], str(p),
                                                                         seen[0]))]
        except ValueError:  # outside the site (the output folder …)
            return []

    def _show_first(self, made: Sequence[RenderedFile], started: float) -> ServeState | None:
        """Serve the edited pages ``made`` over the state shown, with a reload signal to them
        and to the addresses their articles left (sent on to the new ones); the state shown,
        or None when one was refused."""
        state = self.state
        out = MemoryOutput(state.files, self.pages, self.shared)
        for f in made:
            out.put(f)
        if out.problems:
            return None
        now = {f.origin: output_file(f.path) for f in made}
        left = moves(self.addresses, now).keys() - out.files.keys()
        files = {rel: f for rel, f in {**state.files, **out.files}.items() if rel not in left}
        self._show(replace(state, files=files, version=state.version + 1,
                           seconds=time.perf_counter() - started,
                           changed=changed_pages(state.files, out.files, whole=False) | left,
                           moved=moved(gone_after(self.gone, self.addresses, now),
                                       {**self.addresses, **now}, files)))
        self.log(f"Đã hiện trang vừa sửa trong {self.state.seconds:.2f} giây; đang dựng lại "
                 "các trang khác.")
        return self.state

    def _broken(self, files: Mapping[str, Served], problems: Sequence[Problem]) -> dict[str, str]:
        """The address of each article with errors that this build left out → its source:
        its address as last built, or as its front matter gives it."""
        out: dict[str, str] = {}
        for source in dict.fromkeys(p.path for p in problems if p.is_error):
            key = self.addresses.get(source) or planned_address(self.config, source)
            if key and key not in files:
                out[key] = source
        return out

    def wait_change(self, version: int, timeout: float) -> int:
        """Block until the version differs from ``version`` (or ``timeout``); return the current one."""
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != version, timeout=timeout)
            return self.state.version


def serve(site: Path, config: Config, port: int, *, output: Path | None = None,
          ready: Callable[[str], None] | None = None, stop: threading.Event | None = None) -> int:
    """Serve ``site`` on 127.0.0.1:``port`` (or the next free port) until Ctrl-C, SIGTERM or
    ``stop``; return 0, or 2 when no port could be opened."""
    server = SiteServer(site, config, output=output)
    try:
        httpd = bind(port, make_handler(server))
        if httpd is None:
            return EXIT_USAGE
        return _serve(server, httpd, ready, stop)
    finally:
        server.close()  # its temporary folder (the command line exits without finalizers)


def _serve(server: SiteServer, httpd: ThreadingHTTPServer,
           ready: Callable[[str], None] | None, stop: threading.Event | None) -> int:
    watcher = Watcher(server)
    # Watched from before the first build: a file saved while it runs is built again after
    # it, and every change is told (the rebuilds trust that: sitegen.core.sources.found_again).
    observer = watcher.observe()
    try:
        server.rebuild()
    except BaseException:
        observer.stop()
        raise
    httpd.daemon_threads = True
    address = f"http://127.0.0.1:{httpd.server_address[1]}/"
    # In the main thread (the command line), rebuilds run here: the Markdown time limit is a
    # SIGALRM, which only the main thread receives; another caller keeps a rebuild thread.
    main = threading.current_thread() is threading.main_thread()
    if not main:
        threading.Thread(target=watcher.run, name="sitegen-rebuild", daemon=True).start()
    stop = stop or threading.Event()
    if main:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=httpd.serve_forever, name="sitegen-http", daemon=True).start()
    print(f"Đang phục vụ tại {address} — nhấn Ctrl-C để dừng.", flush=True)
    if ready:
        ready(address)
    try:
        if main:
            def relay() -> None:  # SIGTERM or the caller's stop ends the rebuild loop
                stop.wait()
                watcher.stop.set()

            threading.Thread(target=relay, daemon=True, name="sitegen-stop").start()
            watcher.run()
        else:
            while not stop.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        httpd.stopping = True  # type: ignore[attr-defined]
        watcher.stop.set()
        observer.stop()
        with server.changed:
            server.changed.notify_all()
        httpd.shutdown()
        httpd.server_close()
        print("Đã dừng máy chủ xem trước.", flush=True)
    return 0
