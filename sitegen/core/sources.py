"""Sources: the site folder in, the articles, pages, bundle files and static files out. [IO]

Finds the files and their ``stat``; their bytes are read when needed (:meth:`Source.loaded`).
Names starting with ``_`` or ``.`` are skipped at any depth (drafts in progress, editor
backups). A folder holding ``index.md`` is a bundle: its other files are published beside
the article's page.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.core.active import active
from sitegen.core.config import PAGES_DIR, Config
from sitegen.core.errors import Problem, warning
from sitegen.core.images import IMAGE_SUFFIXES, image_size
from sitegen.core.pictures import RASTER, UNPUBLISHABLE, Facts
from sitegen.core.sanitize import url_scheme
from sitegen.core.suggest import nearest
from sitegen.core.urls import NOT_ON_WINDOWS


@dataclass(frozen=True)
class Asset:
    """A file published as it is; ``rel`` is its path below its root (bundle or static)."""

    rel: str
    path: Path
    size: tuple[int, int] | None = None
    #: A photo's facts (upright size, digest, trouble: sitegen.core.photo.inspect); None for
    #: other files.
    facts: Facts | None = None


FileStat = tuple[int, int, int, int]
"""A file as ``stat`` sees it: size, modification and change times (ns), inode. Any write
changes the change time, so a file whose FileStat is the same still has the same bytes."""


@dataclass(frozen=True)
class Source:
    """One Markdown file as found on disk.

    ``rel`` is the path below the site folder (``content/tin-tuc/a.md``), ``section``
    the section folder (None for ``content/pages``), ``bundle`` the bundle's other
    files when the article is ``<name>/index.md``. ``raw`` (its bytes) is None until
    :meth:`loaded`: a build reads only the files it must. ``stat`` is the file as
    :func:`find_sources` found it (size, times, inode), how a build knows it unchanged
    without opening it.
    """

    rel: str
    section: str | None
    raw: bytes | None
    bundle: tuple[Asset, ...] | None = None
    stat: FileStat | None = None

    @property
    def content_rel(self) -> str:
        """The path below ``content/``: what relative links between articles name."""
        return self.rel.split("/", 1)[1] if "/" in self.rel else self.rel

    def loaded(self, root: Path) -> Source:
        """This source with its bytes (read from below ``root`` if not yet)."""
        return self if self.raw is not None else replace(self, raw=(root / self.rel).read_bytes())


@dataclass(frozen=True)
class Sources:
    """Everything the build reads: articles and pages, static files, and finding problems."""

    articles: tuple[Source, ...]
    static: tuple[Asset, ...]
    problems: tuple[Problem, ...] = ()


def ignored(name: str) -> bool:
    """Return True for names the build never publishes (``_draft.md``, ``.swp``)."""
    return name.startswith(("_", "."))


def _rel(path: str | Path, root: Path) -> str:
    """``path`` (a Path or a string) relative to ``root``, with forward slashes."""
    text, base = os.fspath(path), str(root)
    if text.startswith(base + os.sep):  # the usual case, without pathlib's cost
        return text[len(base) + 1:].replace(os.sep, "/")
    return Path(text).relative_to(root).as_posix()


class PictureFacts:
    """The facts of photo files (:func:`sitegen.core.photo.inspect`) by path: read from the
    file, or, for a file whose stat is the one ``known`` (kept by the build cache), as known
    then. ``seen`` is what this build found, to keep for the next."""

    #: How old (by its change time) a file's stat must be to be remembered, in nanoseconds
    #: (git's "racy clean" rule: a file changed twice within a tick may keep its stat).
    RACY_NS = 3_000_000_000

    def __init__(self, known: dict[str, tuple[FileStat, Facts]] | None = None) -> None:
        self.known = known or {}
        self.seen: dict[str, tuple[FileStat, Facts]] = {}

    def of(self, path: Path) -> Facts:
        """The facts of the photo at ``path``."""
        key = str(path)
        st = path.stat()
        stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        last = self.seen.get(key) or self.known.get(key)
        if last is not None and last[0] == stat:
            facts = last[1]
        else:  # Pillow imported only when a photo is read: a no-change build never is
            from sitegen.core.photo import inspect

            facts = inspect(path.read_bytes(), path.name)
        if st.st_ctime_ns < time.time_ns() - self.RACY_NS:
            self.seen[key] = (stat, facts)
        return facts


def _asset(path: Path, rel: str, photos: PictureFacts | None = None) -> Asset:
    size = None
    ext = path.suffix.lower()
    if ext in RASTER or ext in UNPUBLISHABLE:
        facts = (photos or PictureFacts()).of(path)
        return Asset(rel=rel, path=path, size=facts.size, facts=facts)
    if ext in IMAGE_SUFFIXES:
        with path.open("rb") as fh:
            size = image_size(fh.read(65536), path.suffix)
    return Asset(rel=rel, path=path, size=size)


class Scan:
    """The entries of folders, each folder listed once per build, in name order: the input
    stamp (sitegen.incremental.stamp) and :func:`find_sources` walk the same content/ and static/, and
    a DirEntry keeps its stat once asked (10,000 stat calls fewer at 10,000 articles)."""

    def __init__(self) -> None:
        self._listed: dict[str, list[os.DirEntry[str]]] = {}

    def entries(self, folder: str) -> list[os.DirEntry[str]]:
        """The entries of ``folder`` by name; raise OSError when it cannot be listed."""
        listed = self._listed.get(folder)
        if listed is None:
            with os.scandir(folder) as it:
                listed = self._listed[folder] = sorted(it, key=lambda e: e.name)
        return listed


def _walk_files(top: Path, root: Path, problems: list[Problem],
                scan: Scan | None = None) -> list[Path]:
    """Every published file below ``top`` in sorted order (see :func:`_walk_entries`)."""
    return [Path(e.path) for e in _walk_entries(top, root, problems, scan)]


def _walk_entries(top: Path, root: Path, problems: list[Problem],
                  scan: Scan | None = None) -> list[os.DirEntry[str]]:
    """Every published file below ``top`` in sorted order (a folder's files, then its
    folders'), links leading out of ``root`` refused. os.scandir and strings: pathlib's
    objects were measurable on a walk of 10,000 articles (benchmarks/README.md, 'Figures
    behind the code')."""
    found: list[os.DirEntry[str]] = []
    scan = scan or Scan()

    def walk(folder: str) -> None:
        entries = [e for e in scan.entries(folder) if not ignored(e.name)]
        folders = []
        for entry in entries:
            if entry.is_dir():
                if entry.is_symlink():
                    problems.append(_outside(Path(entry.path), root))
                else:
                    folders.append(entry.path)
                continue
            plain = _PLAIN_NAME.match(entry.name) is not None
            unsafe = None if plain else _unsafe_name(entry.name)
            if unsafe is not None:
                problems.append(Problem(
                    path=_rel(Path(entry.path), root), code="bad-file-name",
                    message=f"tên tệp {unsafe}, nên không đăng được.",
                    fix="đổi tên tệp, chỉ dùng chữ không dấu, số và dấu gạch ngang, "
                        "ví dụ bao-cao-2024.pdf."))
                continue
            if not plain and not _utf8_name(entry.name):
                problems.append(Problem(
                    path=_rel(Path(entry.path), root).encode("utf-8", "surrogateescape")
                    .decode("utf-8", "replace"),
                    code="bad-file-name",
                    message="tên tệp không phải chữ UTF-8 (thường do chép từ máy cũ).",
                    fix="đổi tên tệp, chỉ dùng chữ không dấu, số và dấu gạch ngang."))
                continue
            if entry.is_symlink() and _escapes(Path(entry.path), root):
                problems.append(_outside(Path(entry.path), root))
                continue
            found.append(entry)
        for sub in folders:
            walk(sub)

    walk(str(top))
    return found




#: A name that needs none of the checks of :func:`_unsafe_name` and :func:`_utf8_name`
#: (ASCII letters, digits, ``-``, ``_`` and dots, not ending in a dot): most of a site's
#: names, whose checks were measurable on 10,000 articles.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]*[A-Za-z0-9_-]\Z")


def _unsafe_name(name: str) -> str | None:
    """Why a file name cannot be published, or None: a name a browser would read as a URL
    scheme once its character references are decoded (``javascript:…``, ``&#106;avascript:…``),
    or with a character Windows cannot hold."""
    if url_scheme(name) is not None:
        return "bị trình duyệt hiểu thành một giao thức (có dấu hai chấm)"
    if name.endswith((".", " ")):
        return "kết thúc bằng dấu chấm hoặc dấu cách, mà Windows không cho phép"
    bad = sorted(set(name) & NOT_ON_WINDOWS)
    if bad:
        return "có ký tự " + " ".join(repr(c)[1:-1] if c < " " else c for c in bad) + \
            " mà Windows không cho phép"
    return None


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as surrogates
        return False
    return True


def _escapes(p: Path, root: Path) -> bool:
    """Whether ``p``, its links followed, leads out of the site folder ``root`` or into one of
    its hidden folders (``.git/``, whose config may hold a token; ``.sitegen/``)."""
    try:
        inside = p.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # outside, unreadable, or a loop of links
        return True
    return any(part.startswith(".") for part in inside.parts)


def _outside(p: Path, root: Path) -> Problem:
    return Problem(path=_rel_or_abs(p, root), code="symlink-outside",
                   message="thư mục hoặc liên kết tượng trưng (symlink) trỏ ra ngoài thư mục "
                           "của trang, hoặc vào thư mục ẩn của nó (.git, .sitegen).",
                   fix="chép tệp và thư mục thật vào trang thay cho liên kết; content_dir và "
                       "static_dir trong config.yaml phải nằm trong thư mục của trang.")


def folder_fix(name: str, known: set[str]) -> str:
    """The Vietnamese hint for a folder that is not a section: the nearest section, or all."""
    best = nearest(name, known)
    if best:
        return f'có phải ý bạn là "{best}"?'
    return "các chuyên mục: " + ", ".join(sorted(known)) + "."


def find_sources(config: Config, scan: Scan | None = None,
                 photos: PictureFacts | None = None) -> Sources:
    """Read ``content/`` and ``static/`` below ``config.root``; never raises for a writer's
    mistake. ``scan``: the folders as the input stamp listed them in this build; ``photos``:
    the photos' facts as the last build knew them (the build cache)."""
    root = config.root
    photos = photos or PictureFacts()
    problems: list[Problem] = []
    articles: list[Source] = []
    content = config.content_dir
    if content.exists() and _escapes(content, root):  # the folder itself, not only its files
        problems.append(_outside(content, root))
        return Sources((), _static(config, problems, scan, photos), tuple(problems))
    if not content.is_dir():
        problems.append(Problem(path=_rel_or_abs(content, root), code="content-missing",
                                message="không có thư mục nội dung.",
                                fix="tạo thư mục content/ và đặt bài viết vào các chuyên mục."))
        return Sources((), _static(config, problems, scan, photos), tuple(problems))
    names = {s.name for s in config.sections} | {PAGES_DIR}
    for entry in sorted(content.iterdir()):
        if ignored(entry.name):
            continue
        if entry.is_file():
            problems.append(warning(_rel(entry, root), "tệp nằm ngoài mọi chuyên mục nên không được đăng.",
                                    "content-loose-file",
                                    fix="chuyển tệp vào một thư mục chuyên mục, ví dụ content/tin-tuc/."))
            continue
        if entry.name not in names:
            problems.append(Problem(
                path=_rel(entry, root), code="unknown-section",
                message=f'thư mục "{entry.name}" không phải chuyên mục nào trong config.yaml.',
                fix="đổi tên thư mục cho đúng tên chuyên mục; " + folder_fix(entry.name, names)))
            continue
        if _escapes(entry, root):  # a section folder that is a link out of the site
            problems.append(_outside(entry, root))
            continue
        section = None if entry.name == PAGES_DIR else entry.name
        articles.extend(_section_sources(entry, section, config, problems, scan, photos))
    static = _static(config, problems, scan, photos)
    problems.extend(active_files(config, [*(a for s in articles for a in s.bundle or ()), *static]))
    return Sources(tuple(articles), static, tuple(problems))


def found_again(last: Sources, changed: Collection[Path], config: Config) -> Sources | None:
    """What :func:`find_sources` finds now, made from what it found last (``last``, with the
    same ``config``) and the paths ``changed`` since (all of them, as ``serve``'s watcher
    saw them): the changed articles' stats taken again, without listing the folders or
    taking 10,000 stats (0.08 s of a rebuild). None when the change is not one of articles
    found last, plain files still, in their content alone (a file added, removed or renamed,
    a link, a bundle's file, a static file, a template, config.yaml, a folder other than a
    changed article's, a file too large): then find_sources must look. A path gone that
    was none of the files found last nor held one is an editor's temporary file, renamed
    into place (:func:`temporary`): it changed nothing of what is found."""
    root = str(config.root) + os.sep
    at = {s.rel: i for i, s in enumerate(last.articles)}
    articles = list(last.articles)
    folders: set[str] = set()
    parents: set[str] = set()
    for path in map(os.fspath, changed):
        if not path.startswith(root):
            return None
        rel = _rel(path, config.root)
        try:
            st = os.lstat(path)
        except OSError:  # gone: a file found last, removed or renamed away, or a temporary one
            if temporary(last, path, config):
                continue
            return None
        if stat.S_ISDIR(st.st_mode):
            folders.add(path)
            continue
        i = at.get(rel)
        if i is None or not stat.S_ISREG(st.st_mode) or articles[i].bundle is not None \
                or st.st_size > config.max_file_size:
            return None
        articles[i] = replace(articles[i],
                              stat=(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        parents.add(os.path.dirname(path))
    if not parents or not folders <= parents:
        return None
    return replace(last, articles=tuple(articles))


def temporary(last: Sources, path: str, config: Config) -> bool:
    """Whether ``path`` is an editor's temporary file in ``content/``: gone now, and neither
    one of the files ``last`` found (an article, a bundle's file) nor a folder that held
    one (a folder moved away)."""
    content = str(config.content_dir) + os.sep
    if not path.startswith(content) or os.path.lexists(path):
        return False
    rel = _rel(path, config.root)  # strings: 10,000 Paths took 0.05 s
    below = rel + "/"
    for source in last.articles:
        if source.rel == rel or source.rel.startswith(below) or (source.bundle and any(
                os.fspath(a.path) == path for a in source.bundle)):
            return False
    return True


def active_files(config: Config, assets: Sequence[Asset]) -> list[Problem]:
    """An error for each bundle or static file in which a browser would run script when it
    is opened (:func:`sitegen.core.active.active`), unless ``html.allow_files`` names it."""
    allowed = set(config.html_files)
    problems = []
    for asset in assets:
        rel = _rel_or_abs(asset.path, config.root)
        why = None if rel in allowed else active(asset.path)
        if why is not None:
            problems.append(Problem(
                path=rel, code="active-file",
                message=f"tệp {why}: mở ra, trình duyệt sẽ chạy mã ấy như một trang của cổng, "
                        "nên không đăng được.",
                fix="với hình SVG: mở bằng phần mềm vẽ và xuất lại SVG thuần, hoặc xuất PNG; "
                    "với trang HTML: đổi thành PDF hoặc chép nội dung vào bài; tệp thật sự cần "
                    "(xác minh trang) thì nhờ quản trị thêm vào html.allow_files trong config.yaml."))
    return problems


def _rel_or_abs(p: Path, root: Path) -> str:
    return _rel(p, root) if p.is_relative_to(root) else str(p)


def _section_sources(top: Path, section: str | None, config: Config,
                     problems: list[Problem], scan: Scan | None = None,
                     photos: PictureFacts | None = None) -> list[Source]:
    """The articles of one section folder (strings, not Paths: 10,000 files a build)."""
    root = config.root
    out: list[Source] = []
    entries = _walk_entries(top, root, problems, scan)
    # Outermost first, so that an index.md inside a bundle is just one of its files.
    bundles = sorted({folder + "/" for e in entries if e.name == "index.md"
                      and (folder := os.path.dirname(e.path)) != str(top)},
                     key=lambda b: b.count("/"))
    for entry in entries:
        path = entry.path
        bundle_dir = next((b for b in bundles if path.startswith(b)), None) if bundles else None
        if bundle_dir is not None and path != bundle_dir + "index.md":
            continue  # a bundle's own file: published with its article
        if not entry.name.lower().endswith(".md"):  # its names never start with a dot
            problems.append(warning(_rel(path, root), "tệp không thuộc bài viết nào nên không được đăng.",
                                    "content-stray-file",
                                    fix="đặt tệp vào thư mục của bài (bài dạng thư mục có index.md), "
                                        "hoặc vào static/."))
            continue
        st = entry.stat()
        size = st.st_size
        if size > config.max_file_size:
            problems.append(Problem(
                path=_rel(path, root), code="file-too-large",
                message=f"tệp quá lớn ({size // 1000} KB, giới hạn {config.max_file_size // 1000} KB).",
                fix="chia bài thành nhiều bài, hoặc tăng max_file_size trong config.yaml."))
            continue
        bundle = None
        if bundle_dir is not None:
            bundle = tuple(_asset(Path(e.path), e.path[len(bundle_dir):], photos) for e in entries
                           if e.path.startswith(bundle_dir) and e.path != path)
        out.append(Source(rel=_rel(path, root), section=section, raw=None, bundle=bundle,
                          stat=(size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)))
    return out


def _static(config: Config, problems: list[Problem], scan: Scan | None = None,
            photos: PictureFacts | None = None
            ) -> tuple[Asset, ...]:
    top = config.static_dir
    if not top.is_dir():
        return ()
    if _escapes(top, config.root):  # static/ itself a link out of the site
        problems.append(_outside(top, config.root))
        return ()
    return tuple(_asset(p, _rel(p, top), photos)
                 for p in _walk_files(top, config.root, problems, scan))


def find_theme_assets(config: Config, theme: Path) -> tuple[Asset, ...]:
    """The theme's ``assets/`` files; the site's own ``templates/assets/`` override by name."""
    found: dict[str, Asset] = {}
    for top in (theme / "assets", config.templates_dir / "assets"):
        if top.is_dir():
            for p in _walk_files(top, top, []):
                found[_rel(p, top)] = _asset(p, _rel(p, top))
    return tuple(found[k] for k in sorted(found))
