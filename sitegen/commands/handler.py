"""serve's answers to requests: a page of the state served (with the problems' banner),
an article's errors in its place, its new address, the 404 page, the reload script and
the event stream that tells a page to reload. [IO: the socket]

Only a request that names this machine is answered (a page of another site pointed at
127.0.0.1 by DNS rebinding must not read the drafts).
"""

from __future__ import annotations

import mimetypes
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from sitegen.commands.addresses import location
from sitegen.commands.served import ServeState, below_root, file_name, reloads, served_key
from sitegen.commands.servepages import (
    EVENTS,
    RELOAD_JS,
    SCRIPT,
    broken_page,
    decorate,
    not_found_page,
)
from sitegen.core.config import Config


class ServedSite(Protocol):
    """What the handler reads of the server (sitegen.commands.serve.SiteServer)."""

    @property
    def state(self) -> ServeState:
        """The state served now."""

    @property
    def config(self) -> Config:
        """The site's config (its base URL)."""

    def wait_change(self, version: int, timeout: float) -> int:
        """Block until the state's version differs from ``version`` (or ``timeout``)."""


def make_handler(server: ServedSite) -> type[BaseHTTPRequestHandler]:
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
            key = file_name(path.lstrip("/"))
            if key in state.broken:  # an article with errors: its errors in its place
                page = broken_page(state.broken[key], state.problems)
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8",
                                  decorate(page, state.problems, state.kept_last))
            key = served_key(path, state.files, server.config.base_url)
            f = state.files.get(key)
            if f is None and state.files.get(key + "/index.html"):
                return self._redirect(HTTPStatus.MOVED_PERMANENTLY, path + "/")
            if f is None and (to := self._moved(path, key, state)) is not None:
                return self._redirect(HTTPStatus.FOUND, to)  # the article's new address
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

        def _moved(self, path: str, key: str, state: ServeState) -> str | None:
            """Where the article that was at URL ``path`` (output file ``key``) is now."""
            for named in (key, file_name(below_root(path, server.config.base_url))):
                if named in state.moved:
                    return location(path, named, state.moved[named])
            return None

        def _redirect(self, status: HTTPStatus, to: str) -> None:
            self.send_response(status)
            self.send_header("Location", to)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

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
            state = server.state
            version = state.version
            # The page that listens (the stream is opened by its script): told only of the
            # builds that changed it, when it is known.
            opener = unquote(urlsplit(self.headers.get("Referer") or "").path)
            page = served_key(opener, state.files, server.config.base_url) if opener else None
            try:
                self.wfile.write(f"data: {version}\n\n".encode())
                self.wfile.flush()
                while not getattr(self.server, "stopping", False):
                    new = server.wait_change(version, timeout=10)
                    if new != version:
                        if reloads(server.state, version, page):
                            self.wfile.write(f"data: {new}\n\n".encode())
                        version = new
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler
