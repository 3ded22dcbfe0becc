"""What ``sitegen serve`` adds to the pages it serves: the reload script, the box listing the
errors, and the page shown in place of an article that has errors; pure (text in, text out).

The error box is a banner fixed to the top of the window, so that it stays in view however
the page is laid out or scrolled (in the flow of the page, a layout could put it above the
top of the screen: at 390 px it sat at y = −294). Folded, it is one line (how many errors,
the first of them) so that the page's header stays readable; a ``<details>`` unfolds the
whole list, and a close button (the reload script's) hides it until the next reload.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from sitegen.core.errors import Problem

EVENTS = "/__sitegen/events"
RELOAD_JS = "/__sitegen/reload.js"
SCRIPT = """\
(function () {
  var source = new EventSource("EVENTS");
  var seen = null;
  source.onmessage = function (e) {
    if (seen !== null && e.data !== seen) { location.reload(); }
    seen = e.data;
  };
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("#sitegen-error-close")) {
      document.getElementById("sitegen-error").remove();
    }
  });
})();
""".replace("EVENTS", EVENTS)

_BOX = ("position:fixed;top:0;left:0;right:0;z-index:2147483647;box-sizing:border-box;"
        "display:flex;align-items:flex-start;gap:.5rem;"
        "max-height:45vh;overflow:auto;background:#fff3f3;color:#7a0000;"
        "border-bottom:3px solid #b00020;padding:.35rem .5rem .35rem 1rem;margin:0;"
        "font:16px/1.5 system-ui,sans-serif;overflow-wrap:anywhere")
#: The folded line: one line, cut with "…" when the first error is longer than the screen.
_SUMMARY = "cursor:pointer;padding:.3rem 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis"
_CLOSE = ("flex:none;min-width:2.5rem;min-height:2.5rem;font:inherit;font-size:1.4rem;line-height:1;"
          "color:#7a0000;background:#fff;border:2px solid #b00020;border-radius:4px;cursor:pointer")


def _items(problems: Sequence[Problem]) -> str:
    return "".join(f"<li>{html.escape(p.format())}</li>" for p in problems)


def error_panel(problems: Sequence[Problem], kept_last: bool) -> str:
    """The Vietnamese error box put at the top of every page while a file is broken (empty
    when nothing is). ``kept_last``: the whole build failed and the last good one is shown;
    else the pages without errors are built and the broken ones show their errors instead."""
    errors = [p for p in problems if p.is_error]
    if not errors:
        return ""
    files = len({p.path for p in errors})
    head = ("Bản dựng bị lỗi — đang hiển thị bản tốt gần nhất. Sửa các lỗi sau rồi lưu tệp:"
            if kept_last else
            f"Có {len(errors)} lỗi trong {files} tệp: các trang khác vẫn được dựng, bài bị lỗi "
            "hiện lỗi thay cho nội dung. Sửa các lỗi sau rồi lưu tệp:")
    first = html.escape(errors[0].format())
    return (f'<div role="alert" id="sitegen-error" style="{_BOX}">'
            f'<details style="flex:1 1 auto;min-width:0"><summary style="{_SUMMARY}">'
            f"<strong>{len(errors)} lỗi</strong> — {first}</summary>"
            f"<p style=\"margin:.25rem 0 0\"><strong>{head}</strong></p>"
            f'<ul style="margin:.25rem 0 0;padding-left:1.25rem">{_items(errors)}</ul></details>'
            f'<button type="button" id="sitegen-error-close" style="{_CLOSE}" '
            'aria-label="Đóng thông báo lỗi (hiện lại khi tải lại trang)" title="Đóng">'
            '<span aria-hidden="true">×</span></button></div>')


def decorate(page: bytes, problems: Sequence[Problem], kept_last: bool) -> bytes:
    """Add the reload script (and the error box, if any) to an HTML page."""
    text = page.decode("utf-8")
    panel = error_panel(problems, kept_last)
    if panel:
        text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + panel, text, count=1)
    script = f'<script src="{RELOAD_JS}"></script>'
    text = text.replace("</body>", script + "</body>", 1) if "</body>" in text else text + script
    return text.encode("utf-8")


def broken_page(source: str, problems: Sequence[Problem]) -> bytes:
    """The page served at a broken article's address: its errors and what to do."""
    own = [p for p in problems if p.path == source]
    return ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Bài đang có lỗi: {html.escape(source)}</title></head>"
            '<body><main style="max-width:48rem;margin:0 auto;padding:calc(45vh + 1rem) 1rem 2rem;'
            'font:18px/1.6 system-ui,sans-serif">'
            f"<h1>Bài {html.escape(source)} đang có lỗi nên chưa dựng được</h1>"
            f"<ul>{_items(own)}</ul>"
            "<p>Sửa lỗi rồi lưu tệp: trang tự tải lại và hiện bài. Các trang khác vẫn xem được "
            '(<a href="/">trang chủ</a>).</p></main></body></html>').encode()


def not_found_page() -> bytes:
    """The page for an address with nothing built yet (no 404.html either)."""
    return ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            "<title>sitegen</title></head><body><h1>Không tìm thấy trang</h1>"
            "</body></html>").encode()
