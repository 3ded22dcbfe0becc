"""``sitegen serve``: build into memory, serve on 127.0.0.1, rebuild on change, reload pages. [IO]

While an article has errors, every page that is fine is built and served, the broken
article's address shows its errors, and every page carries them in a banner, in
Vietnamese, until the file is fixed (from the first build on: the site is never all 404s).
A failure of the whole build (config.yaml, a template) keeps the last good build served.
Pages reload by themselves through a Server-Sent Events stream and a few lines of our own
script (servepages.py); nothing is fetched from any other host. Drafts and future articles
are shown, with their badge. A busy port: the next free one is taken, and said.
"""

from __future__ import annotations

import errno
import mimetypes
import shutil
import signal
import sys
import tempfile
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from sitegen.commands.console import EXIT_USAGE
from sitegen.commands.servepages import (
    EVENTS,
    RELOAD_JS,
    SCRIPT,
    broken_page,
    decorate,
    not_found_page,
)
from sitegen.commands.watch import Watcher
from sitegen.core.config import PAGES_DIR, Config, load_config
from sitegen.core.digest import digest
from sitegen.core.errors import CacheDamaged, Problem, ProblemsError, SitegenError
from sitegen.core.frontmatter import decode, parse, split
from sitegen.core.urls import article_path, output_file, page_path
from sitegen.core.when import parse_when
from sitegen.incremental.reuse import MemoryMemo
from sitegen.incremental.store import Store
from sitegen.output.claims import Claims
from sitegen.output.files import RenderedFile
from sitegen.pipeline import (
    BuildOptions,
    collector_paused,
    frozen_heap,
    make_site,
    prepare,
)
from sitegen.render.environment import make_environment
from sitegen.vn.slug import slugify

__all__ = ["EVENTS", "RELOAD_JS", "SiteServer", "serve"]
#: How many ports after a busy one serve tries before giving up.
PORT_TRIES = 20


@dataclass(frozen=True)
class Served:
    """One file as the server holds it: its bytes, compressed (a large site's pages held
    as they were took too much memory: benchmarks/README.md, 'Figures behind the code'),
    or the file to read them from (static files, pictures)."""

    packed: bytes | None = None
    source: Path | None = None
    #: The preset dictionary ``packed`` was compressed with (see MemoryOutput).
    shared: bytes = b""
    #: A digest of the bytes (a file made again with the same bytes keeps this one).
    digest: str = ""
    #: Where ``source`` led, its links followed, when the build took it (it was checked then).
    real: Path | None = None

    def read(self) -> bytes | None:
        """The bytes; None when ``source`` no longer leads where the build checked it (a file
        replaced by a link to outside the site while a broken build keeps the last good one)."""
        if self.packed is not None:
            return zlib.decompressobj(zdict=self.shared).decompress(self.packed)
        if self.source is None:
            return b""
        try:
            if self.source.resolve() != self.real:
                return None
            return self.source.read_bytes()
        except OSError:
            return None


class MemoryOutput:
    """serve's write stage: each file as it is made, checked (unsafe names, two files with one
    name) and kept compressed; a page kept from the last good build keeps its bytes."""

    def __init__(self, last: Mapping[str, Served], shared: bytes = b"") -> None:
        self.last = last
        #: A zlib preset dictionary: the first page's head and tail (the header, menus and
        #: footer every page repeats), taken once for the server's life; pages then shrink
        #: to their own text.
        self.shared = shared
        self.files: dict[str, Served] = {}
        self.claims = Claims()
        self.problems: list[Problem] = []

    def put(self, f: RenderedFile) -> None:
        rel, problem = self.claims.claim_file(f)
        if problem is not None:
            self.problems.append(problem)
            return
        assert rel is not None
        if f.data is not None:
            made = digest(f.data)
            last = self.last.get(rel)
            if last is not None and last.digest == made:  # the search index, mostly
                self.files[rel] = last
                return
            if not self.shared and rel.endswith(".html"):
                self.shared = f.data[:16384] + f.data[-16384:]
            packer = zlib.compressobj(6, zdict=self.shared)  # a quarter smaller than level 1
            packed = packer.compress(f.data) + packer.flush()
            self.files[rel] = Served(packed=packed, shared=self.shared, digest=made)
        elif f.source is not None:
            copied = Served(source=Path(f.source), real=Path(f.source).resolve())
            self.files[rel] = copied if self.last.get(rel) != copied else self.last[rel]
        else:  # kept (MemoryMemo): the last good build's file
            self.files[rel] = self.last[rel]


@dataclass
class ServeState:
    """What the server shows: the files, the current problems and a version number.

    ``broken``: the address (output file) of each article that has errors → its source;
    ``kept_last``: the whole build failed, ``files`` are the last good build's.
    """

    files: Mapping[str, Served] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    version: int = 0
    seconds: float = 0.0
    broken: Mapping[str, str] = field(default_factory=dict)
    kept_last: bool = False


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

    def rebuild(self) -> ServeState:
        """Build again; keep the last good files when the build fails. Returns the new state."""
        started = time.perf_counter()
        problems: tuple[Problem, ...] = ()
        files = self.state.files
        kept_last = True
        try:
            self.config, warnings = load_config(self.site_dir, output=self.output,
                                                base_url=self.config.base_url)
            if self.env is None or self.env_config != self.config:
                self.env, self.env_config = make_environment(self.config), self.config
            out = MemoryOutput(files, self.shared)
            # In this process (forking one that runs threads is unsafe); the collector is
            # paused while the site is made, and Watcher collects when idle.
            with collector_paused():
                with self.store.reading() as keep:
                    options = BuildOptions(drafts=True, future=True, keep_going=True)
                    loaded, r, tasks = prepare(self.config, options, self.env, self.store, keep,
                                               parallel=False)
                with frozen_heap():
                    make_site(self.config, options, loaded, r, tasks, out, parallel=False,
                              photos=self.store.photos)
            self.memo.adopt()
            files, self.shared, kept_last = out.files, out.shared, False
            problems = tuple(warnings) + loaded.problems
            self.addresses.update((p.source, output_file(p.path))
                                  for p in (*loaded.site.articles, *loaded.site.pages))
        except ProblemsError as exc:
            problems = exc.problems
        except CacheDamaged as exc:  # a read text changed under the server: read all again
            if self.store.cache:
                self.store.forget()
                return self.rebuild()
            problems = (Problem(path=str(self.texts), message=str(exc), code="serve"),)
        except SitegenError as exc:
            problems = (Problem(path="config.yaml", message=str(exc), code="serve"),)
        broken = {} if kept_last else self._broken(files, problems)
        with self.changed:
            self.state = ServeState(files, problems, self.state.version + 1,
                                    time.perf_counter() - started, broken, kept_last)
            self.changed.notify_all()
        errors = [p for p in problems if p.is_error]
        if errors:
            self.log(f"Có {len(errors)} lỗi; " + ("vẫn phục vụ bản dựng tốt gần nhất:" if kept_last
                                                 else "các trang khác vẫn được dựng:"))
            for p in errors:
                self.log("  " + p.format())
        else:
            self.log(f"Đã dựng lại trong {self.state.seconds:.2f} giây ({len(files)} tệp).")
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


def planned_address(config: Config, source: str) -> str | None:
    """The output file the article ``source`` (its path below the site) would be published
    at, as far as its front matter tells (its title or slug, its date), though it has
    errors; None when it does not tell (or the file cannot be read)."""
    path = config.root / source
    try:
        text = decode(path.read_bytes())
        folders = path.relative_to(config.content_dir).parts
    except (OSError, ValueError):
        return None
    parts = split(text) if text is not None and len(folders) > 1 else None
    data = parse(source, parts)[0] if parts is not None else None
    name = data.get("slug") or data.get("title") if data else None
    if not data or not isinstance(name, str) or not name.strip():
        return None
    slug = slugify(name, config.slug_length)
    if folders[0] == PAGES_DIR:
        return output_file(page_path(slug))
    when = parse_when(data.get("date"))
    if when is None:
        return None
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, tzinfo=config.zone)
    return output_file(article_path(folders[0], when.astimezone(config.zone)
                                    if when.tzinfo else when, slug))


def _below_root(path: str, base_url: str) -> str:
    """``path`` below ``base_url``'s path, where the 404 page's links point
    (``/tuyen-truyen/assets/site.css``), as a site path; else below ``/``."""
    root = urlsplit(base_url).path or "/"
    if root != "/" and (path + "/").startswith(root):
        path = path[len(root) - 1:]
    return path.lstrip("/")


def make_handler(server: SiteServer) -> type[BaseHTTPRequestHandler]:
    """The request handler class bound to ``server``. (Long: the class is defined here, once
    per server, so that its methods close over the server; each method is short.)"""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            if not self._from_this_machine():
                return self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                                  "Chỉ mở được trang xem trước tại 127.0.0.1 hoặc localhost.".encode())
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS:
                return self._events()
            if path == RELOAD_JS:
                return self._send(HTTPStatus.OK, "text/javascript", SCRIPT.encode())
            state = server.state
            key = path.lstrip("/")
            key = output_file(key) if key == "" or key.endswith("/") else key
            if key in state.broken:  # an article with errors: its errors in its place
                page = broken_page(state.broken[key], state.problems)
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8",
                                  decorate(page, state.problems, state.kept_last))
            f = state.files.get(key)
            if f is None:  # the 404 page's links, from base_url's path
                below = _below_root(path, server.config.base_url)
                below = output_file(below) if below == "" or below.endswith("/") else below
                if state.files.get(below) is not None:
                    key, f = below, state.files.get(below)
            if f is None and state.files.get(key + "/index.html"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            status = HTTPStatus.OK
            if f is None:
                status, f = HTTPStatus.NOT_FOUND, state.files.get("404.html")
                if f is None:  # nothing built yet: still show the errors, and reload when fixed
                    return self._send(status, "text/html; charset=utf-8",
                                      decorate(not_found_page(), state.problems, state.kept_last))
            data = f.read()
            if data is None:  # the file changed into a link since the last good build
                return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8",
                                  "Tệp đã đổi; sửa lỗi của bản dựng để xem lại.".encode())
            kind = mimetypes.guess_type(key if status == HTTPStatus.OK else "404.html")[0] \
                or "application/octet-stream"
            if kind == "text/html":
                data = decorate(data, state.problems, state.kept_last)
            if kind.startswith("text/") or kind in ("application/json", "image/svg+xml"):
                kind += "; charset=utf-8"
            return self._send(status, kind, data)

        def _from_this_machine(self) -> bool:
            """Whether the request names this server by a name of this machine: a page of
            another site whose name a DNS rebinding pointed at 127.0.0.1 sends its own name
            in Host, and must not read the drafts."""
            host = (self.headers.get("Host") or "").strip().lower()
            if not host:  # an HTTP/1.0 client; a browser always names the host
                return True
            name = host[1:].split("]", 1)[0] if host.startswith("[") else host.rsplit(":", 1)[0]
            bound = str(self.server.server_address[0])  # type: ignore[index]
            return name.rstrip(".") in ("127.0.0.1", "localhost", bound)

        def _send(self, status: HTTPStatus, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            version = server.state.version
            try:
                self.wfile.write(f"data: {version}\n\n".encode())
                self.wfile.flush()
                while not getattr(self.server, "stopping", False):
                    new = server.wait_change(version, timeout=10)
                    if new != version:
                        version = new
                        self.wfile.write(f"data: {version}\n\n".encode())
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def bind(port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer | None:
    """The HTTP server on 127.0.0.1:``port``, or on the next free port when it is busy (and
    said on standard error); None, with the reason and the fix printed, when none is free
    or the port cannot be used."""
    last = port if port == 0 else min(port + PORT_TRIES - 1, 65535)
    for n in range(port, last + 1):
        try:
            httpd = ThreadingHTTPServer(("127.0.0.1", n), handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                continue
            print(f"lỗi: không mở được cổng {port}: {exc.strerror or exc}. Cách sửa: chọn một "
                  "cổng từ 1024 đến 65535, ví dụ sitegen serve --port 8080.", file=sys.stderr)
            return None
        except OverflowError:
            break
        if n != port:
            print(f"Cổng {port} đang được dùng (có thể một sitegen serve khác đang chạy), nên "
                  f"dùng cổng {n}. Muốn cổng khác: sitegen serve --port SỐ.", file=sys.stderr)
        return httpd
    print(f"lỗi: cổng {port} (và các cổng đến {last}) đang được dùng hoặc không hợp lệ. Cách "
          "sửa: dừng chương trình đang dùng cổng (có thể một sitegen serve khác), hoặc chọn "
          "cổng khác: sitegen serve --port 8080 (--port 0: tự chọn cổng trống).", file=sys.stderr)
    return None


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
    server.rebuild()
    httpd.daemon_threads = True
    address = f"http://127.0.0.1:{httpd.server_address[1]}/"
    watcher = Watcher(server)
    # In the main thread (the command line), rebuilds run here: the Markdown time limit is a
    # SIGALRM, which only the main thread receives; another caller keeps a rebuild thread.
    main = threading.current_thread() is threading.main_thread()
    observer = watcher.start(thread=not main)
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
