"""The fix to suggest for a link or file that leads nowhere; pure.

What was written and what exists in; one Vietnamese "Cách sửa" out, that gives the path
the writer meant when a file of that name exists (counted from the writer's own file, so
from a bundle's ``index.md`` it starts with ``../../``), and an example of the right kind
of file otherwise (a picture for a picture, a document for a document).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from sitegen.core.suggest import close_enough

PICTURES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif")


def _stem(path: str) -> str:
    """The file's name, lower case; a bundle's ``x/index.md`` is named ``x.md``."""
    base = posixpath.basename(path)
    if base == "index.md" and "/" in path:
        base = posixpath.basename(posixpath.dirname(path)) + ".md"
    return base.lower()


def _meant(written: str, candidates: Iterable[str]) -> str | None:
    """The candidate that ``written`` most likely meant: the one ending with its path (its
    ``../`` dropped), else the one with its file name or a name a slip away from it."""
    tail = posixpath.normpath(written).lstrip("./").lstrip("/")
    name = _stem(written)
    ranked = sorted(candidates)
    tails = (tail, tail.removesuffix(".md") + "/index.md")
    for path in ranked:
        if any(path == t or path.endswith("/" + t) for t in tails):
            return path
    same = [p for p in ranked if _stem(p) == name]
    if same:
        return same[0]
    near = [p for p in ranked if close_enough(name, _stem(p))]
    return near[0] if len(near) == 1 else None


def page_link_fix(source: str, written: str, articles: Iterable[str]) -> str:
    """The fix for a link from ``source`` (a path below ``content/``) to the article
    ``written`` that is not there; ``articles`` are every article's path below content/."""
    here = posixpath.dirname(source)
    bundle = posixpath.basename(source) == "index.md"
    meant = _meant(written, articles)
    if meant:
        right = posixpath.relpath(meant, here)
        return (f'có phải ý bạn là "{right}"? Đường dẫn tính từ thư mục của tệp đang viết'
                + (" (bài dạng thư mục: lên hai bậc, ../../, mới tới content/)." if bundle
                   else "."))
    example = "../../guong-dien-hinh/dinh-thi-hoa.md" if bundle else \
        "../guong-dien-hinh/dinh-thi-hoa.md"
    return ("kiểm tra tên tệp và thư mục; đường dẫn tính từ tệp đang viết, ví dụ " + example
            + (" (từ bài dạng thư mục phải lên hai bậc)." if bundle else ""))


def file_fix(written: str, static: Iterable[str], bundle: Iterable[str] | None) -> str:
    """The fix for a picture or file ``written`` that is neither beside the article
    (``bundle``: its files, None when it is a single file) nor in ``static/``."""
    in_bundle = _meant(written, bundle or ())
    if in_bundle:
        return f'tệp ở cạnh bài tên là "{in_bundle}": ghi đúng tên đó.'
    in_static = _meant(written, static)
    if in_static:
        return f'trong static/ có "{in_static}": ghi đường dẫn tính từ static/, tức là {in_static}.'
    name = posixpath.basename(written) or written
    example = "images/anh.jpg" if name.lower().endswith(PICTURES) else f"tai-lieu/{name}"
    return ("đặt tệp cạnh bài (bài dạng thư mục có index.md) rồi ghi tên tệp, hoặc đặt vào "
            f"static/ rồi ghi đường dẫn từ static/, ví dụ {example}")
