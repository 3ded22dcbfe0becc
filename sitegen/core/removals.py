"""What the sanitiser took out of a body, told once per kind of thing removed; pure.

A page pasted from a website can carry the same ``style=`` on every paragraph: it is
one thing to tell the writer, not eighteen. :class:`Removals` gathers, for one body,
each thing removed (``style=``, ``<video>``, ``onclick=``, ``href="javascript:…"``)
with the lines where it was, and :meth:`Removals.problems` makes one warning for each
kind (code that would run, a player, an iframe, pasted looks, a picture inside the code,
another tag or attribute), naming the things and those lines, with a fix that fits that
kind: a ``style=`` is no matter of iframe hosts, a ``<video>`` is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sitegen.core.errors import Level, Problem

#: How many lines a message names before "và N dòng khác".
SHOWN_LINES = 8

_MEDIA = frozenset({"<video>", "<audio>", "<object>", "<embed>", "<source>", "<track>",
                    "<canvas>"})
#: Parts of a player, not told apart from the player they were in.
_PARTS = frozenset({"<source>", "<track>", "<param>"})
_CODE_TAGS = frozenset({"<script>", "<noscript>", "<template>"})
_LOOKS = frozenset({"style=", "<style>", "<font>", "<center>"})

#: (what it is, the fix) by kind of thing removed.
_TOLD: dict[str, tuple[str, str]] = {
    "iframe": ("khung nhúng <iframe> từ máy chủ chưa được phép",
               "muốn nhúng video hay bản đồ thì nhờ quản trị thêm máy chủ đó vào "
               "html.iframe_hosts trong config.yaml; nếu không, xóa khung đó và ghi một liên "
               "kết thay thế."),
    "media": ("phần phát video/âm thanh {what} (cả dòng chữ dự phòng bên trong)",
              "đặt tệp cạnh bài (bài dạng thư mục) rồi ghi liên kết: [Xem video](video.mp4); "
              "hoặc đưa lên trang chia sẻ video và nhúng bằng <iframe> từ máy chủ được phép."),
    "code": ("phần không an toàn (mã chạy trên trang) {what}",
             "trang không cho chạy mã của bài viết; xóa phần đó khỏi bài."),
    "looks": ("định dạng dán từ Word hoặc trang web {what} (màu, cỡ chữ, phông chữ, căn lề)",
              "không cần sửa: chữ vẫn giữ, theo kiểu chung của trang để luôn dễ đọc và đủ "
              "tương phản. Muốn nhấn mạnh thì dùng **chữ đậm**, *chữ nghiêng* hoặc "
              "==đánh dấu==."),
    "data": ("ảnh hay tệp nhúng thẳng vào mã {what}",
             "lưu ảnh thành tệp đặt cạnh bài rồi ghi ![Mô tả ảnh](anh.jpg)."),
    "tag": ("thẻ HTML không được phép {what} (chữ bên trong, nếu có, vẫn giữ)",
            "thường không cần sửa; muốn bỏ cảnh báo thì xóa thẻ đó. Nếu thật cần thẻ này, "
            "nhờ quản trị thêm vào html.allow_tags trong config.yaml."),
    "attribute": ("liên kết hay thuộc tính không an toàn {what}",
                  "liên kết tới bài khác thì ghi đường dẫn tới tệp .md của bài; liên kết ra "
                  "ngoài dùng https://, http://, mailto: hoặc tel:; trong {: ...} sau ảnh hay "
                  "đoạn văn chỉ ghi #ten-muc hoặc .ten-lop."),
}


def _kind(what: str) -> str:
    """The kind of thing ``what`` (as :func:`sitegen.core.sanitize.removed_between` names it)."""
    if what == "<iframe>":
        return "iframe"
    if what in _MEDIA:
        return "media"
    if what in _LOOKS or (":" in what and what.startswith("<")):  # Word's <o:p>, <st1:place>
        return "looks"
    if what in _CODE_TAGS or what.startswith("on") or "script:" in what \
            or what in ("srcdoc=", "formaction="):
        return "code"
    if "data:" in what:
        return "data"
    return "tag" if what.startswith("<") else "attribute"


@dataclass
class Removals:
    """The things removed from one body and the lines where each was (0: line unknown)."""

    found: dict[str, set[int]] = field(default_factory=dict)

    def add(self, what: str, lines: Iterable[int]) -> None:
        """Note ``what`` removed at ``lines`` (0 for a line not known)."""
        self.found.setdefault(what, set()).update(lines)

    def problems(self, rel: str, body_line: int) -> list[Problem]:
        """One warning per kind of thing removed, at its first line, naming the things and
        every line where they were."""
        kinds: dict[str, tuple[set[str], set[int]]] = {}
        players = any(_kind(what) == "media" and what not in _PARTS for what in self.found)
        for what, lines in self.found.items():
            if not (players and what in _PARTS):
                whats, where = kinds.setdefault(_kind(what), (set(), set()))
                whats.add(what)
                where.update(lines)
        out = []
        for kind, (whats, where) in kinds.items():
            known = sorted(n for n in where if n)
            told, fix = _TOLD[kind]
            message = "đã bỏ " + told.format(what=", ".join(sorted(whats)))
            if len(known) > 1:
                more = f" và {len(known) - SHOWN_LINES} dòng khác" \
                    if len(known) > SHOWN_LINES else ""
                message += f", ở {len(known)} dòng: {', '.join(map(str, known[:SHOWN_LINES]))}{more}"
            out.append(Problem(path=rel, line=known[0] if known else body_line,
                               message=message + ".", fix=fix, code="unsafe-html",
                               level=Level.WARNING))
        return sorted(out, key=lambda p: (p.line or 0, p.message))


def locate(block: str, gone: Iterable[str], lines: list[str], body_line: int,
           removed: Callable[[str], list[str]]) -> dict[str, set[int]]:
    """The file's lines (``body_line`` is the body's first) where each of ``gone``, removed
    from the raw HTML ``block``, was written: every place ``block`` stands in the body (one
    pasted tag may be repeated), each thing on the line of the block where ``removed``
    (the sanitiser on one line) finds it, else on the block's first line."""
    gone = set(gone)
    own = block.strip("\n").split("\n")
    head = own[0].strip()
    starts = [i for i, text in enumerate(lines) if head in text] if head else []
    if not starts:
        return {w: {0} for w in gone}
    offsets: dict[str, set[int]] = {}
    for j, text in enumerate(own if len(own) > 1 else ()):
        for w in set(removed(text)) & gone:
            offsets.setdefault(w, set()).add(j)
    at: dict[str, set[int]] = {}
    for w in gone:
        at[w] = {body_line + s + j for s in starts for j in offsets.get(w, {0})}
    return at
