"""Every address and output path of the site, and relative links between them; pure.

A *site path* is a POSIX path below the output root: ``""`` is the home page,
a directory page ends with ``/`` (``tin-tuc/2024/06/le-phat-dong/``), a file
does not (``feed.xml``). Templates never build addresses by hand: they call
:func:`relative` (through the ``href`` helper) or :func:`absolute`.
"""

from __future__ import annotations

import functools
import posixpath
import re
from datetime import datetime
from urllib.parse import urlsplit

from sitegen.core.config import Config

# Names Windows cannot create; a portal admin may copy output/ through one.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 3000  # below Linux's 4096 with room for where output/ itself lies


class UnsafePath(ValueError):
    """A path that would leave the output folder or cannot be created on common file systems."""


def article_path(section: str, when: datetime, slug: str) -> str:
    """``<section>/<yyyy>/<mm>/<slug>/`` — the address of a dated article."""
    return f"{section}/{when.year:04d}/{when.month:02d}/{slug}/"


def page_path(slug: str) -> str:
    """``<slug>/`` — the address of an undated page (Giới thiệu, Liên hệ)."""
    return f"{slug}/"


def section_path(section: str) -> str:
    return f"{section}/"


def term_path(prefix: str, slug: str) -> str:
    """``chu-de/<slug>/`` and the like: one tag, unit or field."""
    return f"{prefix}/{slug}/"


def year_path(year: int) -> str:
    return f"{year:04d}/"


def month_path(year: int, month: int) -> str:
    return f"{year:04d}/{month:02d}/"


def pager_path(first: str, number: int, config: Config) -> str:
    """The address of page ``number`` of a list whose first page is at ``first``."""
    return first if number == 1 else f"{first}{config.paths.page}/{number}/"


#: The JSON Feed of the whole site, the sitemap and the crawlers' file, at the root.
JSON_FEED = "feed.json"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


def feed_path(list_path: str) -> str:
    """``feed.xml`` beside the first page of a list: ``feed.xml``, ``tin-tuc/feed.xml``."""
    return f"{list_path}feed.xml"


def rss_path(list_path: str) -> str:
    """``rss.xml`` (RSS 2.0) beside the list's Atom feed: ``rss.xml``, ``tin-tuc/rss.xml``."""
    return f"{list_path}rss.xml"


def search_path(config: Config) -> str:
    """``tim-kiem/``: the search page."""
    return f"{config.paths.search}/"


def search_index_dir(config: Config) -> str:
    """``tim-kiem/index/``: the folder of the search index files."""
    return f"{config.paths.search}/index/"


def search_index_file(config: Config, name: str) -> str:
    """``tim-kiem/index/<name>.json``: one file of the search index."""
    return f"{search_index_dir(config)}{name}.json"


def alias_path(alias: str) -> str:
    """An old address (``/tin-tuc/2023/05/a.html`` or ``tin-tuc/a/``) as a site path.

    Raises UnsafePath for addresses that climb out (``..``) or name a scheme or host.
    """
    text = alias.strip()
    if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE) or text.startswith("//"):
        raise UnsafePath(alias)
    text = text.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if not text:
        raise UnsafePath(alias)
    is_file = bool(re.search(r"\.[A-Za-z0-9]{1,5}$", text))
    check_path(text)
    # A hidden name (.htaccess, .well-known/, sitegen's own .sitegen-output) would make the
    # server's files or hide the page; a name Windows cannot hold breaks the portal's share.
    if any(part.startswith(".") for part in text.split("/")) or set(text) & NOT_ON_WINDOWS:
        raise UnsafePath(alias)
    return text if is_file else text.rstrip("/") + "/"


#: Characters Windows cannot hold in a file or folder name (the portal's share is often NTFS):
#: for aliases here, for content and static files in sitegen.core.sources.
NOT_ON_WINDOWS = frozenset(':"|<>\\?*' + "".join(map(chr, range(0x20))))


def check_path(path: str) -> str:
    """Return ``path`` when it stays inside the output folder and is creatable; else raise."""
    if not _creatable(path):
        raise UnsafePath(path)
    return path


@functools.lru_cache(maxsize=1 << 16)  # serve checks the same 20,000 paths at every edit
def _creatable(path: str) -> bool:
    if "\\" in path or "\x00" in path or re.match(r"^[A-Za-z]:", path) or path.startswith("/") \
            or len(path.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        return False
    parts = path.split("/")
    if parts[-1] == "":  # a directory's trailing slash
        parts = parts[:-1]
    for part in parts:  # split by hand: PurePosixPath would hide "." and "" segments
        if part in ("", "..", ".") or _RESERVED.match(part) or part.endswith((" ", ".")) \
                or len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            return False
    return True


def output_file(path: str) -> str:
    """The file a site path is written to: directories get their ``index.html``."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def safe_rel(path: str) -> str:
    """The file below the output folder that the site path ``path`` is written to; raise
    UnsafePath when it would be anywhere else.

    The check is on the text alone (no ``..``, ``.`` or empty segment, not absolute: see
    :func:`check_path`), which is enough in a folder that holds no symbolic links, such as
    the folder SiteWriter writes; it costs nothing on disk for the 20,000 files of a large site.
    """
    rel = output_file(check_path(path))
    if posixpath.normpath(rel) != rel.rstrip("/") or rel.startswith("../"):
        raise UnsafePath(path)
    return rel


def relative(from_path: str, to_path: str, pretty: bool = False) -> str:
    """The relative link from the page at ``from_path`` to ``to_path`` (both site paths).

    Directory targets link to their ``index.html`` unless ``pretty`` is set, so the
    site also works opened from disk, where a folder is not a page.
    """
    return Links(from_path)(to_path, pretty)


class Links:
    """The relative links from the page at one site path (:func:`relative`), its folder
    split once: a page links to a few dozen addresses."""

    __slots__ = ("_here",)

    def __init__(self, from_path: str) -> None:
        base = from_path if from_path == "" or from_path.endswith("/") \
            else posixpath.dirname(from_path)
        self._here = base.split("/")[:-1] if base.endswith("/") \
            else base.split("/") if base else []

    def __call__(self, to_path: str, pretty: bool = False) -> str:
        """The link to ``to_path``, as :func:`relative` gives it."""
        fragment = ""
        if "#" in to_path:
            to_path, fragment = to_path.split("#", 1)
            fragment = "#" + fragment
        target = to_path if pretty else output_file(to_path)
        # Segment arithmetic instead of posixpath.relpath: this runs for every link of every page.
        here = self._here
        parts = target.split("/")
        common = 0
        while common < len(here) and common < len(parts) - 1 and here[common] == parts[common]:
            common += 1
        link = "../" * (len(here) - common) + ("/".join(parts[common:]) if common else target)
        if not link or ":" in link.split("/", 1)[0]:  # "a:b" would be read as the scheme "a:"
            link = "./" + link
        return link + fragment


def absolute(config: Config, path: str) -> str:
    """The full public address of a site path, from ``base_url`` (for feeds, canonical, cards)."""
    return config.base_url + path


def rooted(config: Config, to_path: str, pretty: bool = False) -> str:
    """The link to site path ``to_path`` from the server's root: ``base_url``'s path and the
    target (``/tuyen-truyen/assets/site.css``). Only for the 404 page, which a server sends
    for a missing address at any depth, so that no relative link can reach the site from it."""
    fragment = ""
    if "#" in to_path:
        to_path, fragment = to_path.split("#", 1)
        fragment = "#" + fragment
    root = urlsplit(config.base_url).path or "/"
    return root + (to_path if pretty else output_file(to_path)) + fragment
