"""``sitegen serve``'s port: 127.0.0.1 and the port asked for, or the next free one. [IO]"""

from __future__ import annotations

import errno
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: How many ports after a busy one serve tries before giving up.
PORT_TRIES = 20


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
