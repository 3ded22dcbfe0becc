"""The stamp of the last build: a build whose inputs did not change has nothing to do. [IO]

A build's output depends on sitegen itself (its version and its code), the config (with
the command line's overrides) and the build options, every file under the site's
content/, static/ and templates/ and the default theme, and the clock (articles due
later, the calendar's "upcoming" days, anniversary numbers). After a successful build,
``.sitegen/stamp.bin`` records a digest of those inputs, the moment the clock next
changes the site (the next midnight, or the next article due), which output folder was
written (its device and inode, new at every swap) and the build's report.

A build whose inputs have the same digest, before that moment, with that same output
folder in place, returns the recorded report and writes nothing. Files are compared by
name, size, modification and change time and inode, so that the check never reads them:
an edit changes the change time even when the modification time is put back. Hand edits
inside output/ are not noticed; ``sitegen build --clean`` rebuilds everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import __version__
from sitegen.core.config import Config
from sitegen.core.errors import Problem
from sitegen.core.sources import Scan
from sitegen.incremental.trusted import CACHE_DIR, read_trusted, write_trusted
from sitegen.output.trees import MARKER
from sitegen.render.theme import theme_dir

STAMP_FILE = "stamp.bin"


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, the seconds it took, and its warnings (recorded with the
    stamp: a build with nothing to do gives the last one's)."""

    articles: int
    pages: int
    files: int
    unchanged: int
    seconds: float
    warnings: tuple[Problem, ...] = field(default_factory=tuple)
    #: Nothing had changed since the last build: nothing was written.
    skipped: bool = False

    def summary(self) -> str:
        """The one summary line the CLI ends with, in Vietnamese."""
        if self.skipped:
            return (f"Không có gì thay đổi từ lần dựng trước: giữ nguyên {self.files} tệp "
                    f"({self.articles} bài viết, {self.pages} trang); kiểm tra trong "
                    f"{self.seconds:.2f} giây. Dựng lại toàn bộ: sitegen build --clean.")
        return (f"Đã dựng {self.articles} bài viết, {self.pages} trang; ghi {self.files} tệp "
                f"({self.unchanged} không đổi) trong {self.seconds:.2f} giây.")


@dataclass(frozen=True)
class Stamp:
    """A build's inputs (``inputs``), valid until ``until``, for the output folder ``output``."""

    inputs: str
    until: datetime | None
    output: tuple[int, int]
    report: BuildReport


@dataclass(frozen=True)
class Look:
    """What :func:`look` saw of a site before its build."""

    #: The digest of the build's inputs (:func:`inputs_digest`).
    inputs: str
    #: The folders as listed for it (find_sources lists them no more).
    scan: Scan
    #: The build's "now", and whether it is pinned (part of ``inputs``).
    now: datetime
    pinned: bool
    #: The last build's report when nothing changed since (nothing to build); else None.
    last: BuildReport | None
    #: The stamp's file as it was then (:func:`stamp_identity`): a build that waited for
    #: another takes its look again when this changed.
    stamp: tuple[int, int, int] | None = None


def pinned_clock(zone: ZoneInfo) -> datetime | None:
    """SOURCE_DATE_EPOCH as the build's "now" (reproducible builds), when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), zone) if epoch.isdigit() else None


def look(config: Config, drafts: bool, future: bool, clean: bool,
         now: datetime | None = None) -> Look:
    """The stamp's look at ``config``'s site with these options (``now``: a clock the caller
    pins; else SOURCE_DATE_EPOCH's, else the time): its inputs' digest, and the last build's
    report when its stamp matches them (never with ``clean``). Reads, writes nothing: what
    ``sitegen build`` does first, before the pipeline is even imported."""
    stamp = stamp_identity(config)
    pinned = now or pinned_clock(config.zone)
    when = pinned or datetime.now(config.zone)
    scan = Scan()
    inputs = inputs_digest(config, (drafts, future, pinned), theme_dir(), scan)
    last = None if clean else recorded(config, inputs, None if pinned else when)
    return Look(inputs, scan, when, pinned is not None, last, stamp)


def stamp_identity(config: Config) -> tuple[int, int, int] | None:
    """The stamp file's (inode, modification time, size), or None when there is none (a
    build is running, or the last failed, or none was made)."""
    try:
        st = stamp_path(config).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def still(seen: Look, config: Config) -> bool:
    """Whether ``seen``, taken before the build lock, holds under it: the stamp it saw is
    there as it was, so no build ran or started in between (each removes the stamp first)."""
    return seen.stamp is not None and seen.stamp == stamp_identity(config)


def stamp_path(config: Config) -> Path:
    return config.root / CACHE_DIR / STAMP_FILE


def _walk(folder: Path, h: hashlib.blake2b, root: Path, scan: Scan) -> None:
    """Feed every file under ``folder`` (name, size, times, inode) to ``h``, in name order.

    A symbolic link counts as its target's name and, for a file, the target's figures; a
    linked folder is not walked (it may lead back up), so edits inside it go unnoticed.
    """
    try:
        entries = scan.entries(str(folder))
    except OSError:
        return
    base = os.path.join(root, "")  # relpath's cost, 10,000 times, was a tenth of a second
    prefix = len(base)
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        rel = entry.path[prefix:] if entry.path.startswith(base) else os.path.relpath(entry.path, root)
        try:
            if entry.is_symlink():
                h.update(f"{rel}\0->{os.readlink(entry.path)}\n".encode("utf-8", "surrogateescape"))
            elif entry.is_dir():
                _walk(Path(entry.path), h, root, scan)
                continue
            st = entry.stat()
        except OSError:
            continue
        _figures(h, rel, st)


def _figures(h: hashlib.blake2b, rel: str, st: os.stat_result) -> None:
    """What counts of one file: its name, size, modification and change times, inode."""
    h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n"
             .encode("utf-8", "surrogateescape"))


def inputs_digest(config: Config, settings: object, theme: Path, scan: Scan | None = None) -> str:
    """The digest of everything a build reads: ``settings`` (the options, a pinned clock),
    the config, sitegen's code, the theme ``theme`` and the site's files (listed through
    ``scan``, which find_sources may then use)."""
    scan = scan or Scan()
    h = hashlib.blake2b(digest_size=20)
    h.update(repr((__version__, config, settings)).encode("utf-8", "surrogateescape"))
    for folder in (Path(__file__).parent.parent, theme, config.content_dir, config.static_dir,
                   config.templates_dir):
        h.update(f"\n{folder}\n".encode("utf-8", "surrogateescape"))
        _walk(folder, h, folder, scan)
    with contextlib.suppress(OSError):
        _figures(h, "config.yaml", (config.root / "config.yaml").stat())
    return h.hexdigest()


def output_identity(config: Config) -> tuple[int, int] | None:
    """The output folder's (device, inode), or None when it is missing or not sitegen's."""
    out = config.output_dir
    try:
        st = out.stat()
        (out / MARKER).stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def valid_until(now: datetime, next_change: datetime | None) -> datetime:
    """When the clock next changes the site: the next midnight where ``now`` is, or sooner."""
    midnight = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=now.tzinfo)
    return min(midnight, next_change) if next_change else midnight


def recorded(config: Config, inputs: str, now: datetime | None) -> BuildReport | None:
    """The report of the last build, when its stamp matches; None when a build is needed.

    ``now`` is the clock when it runs (None when it is pinned and part of ``inputs``).
    """
    stamp = read_trusted(stamp_path(config))
    if not isinstance(stamp, Stamp) or stamp.inputs != inputs:
        return None
    if now is not None and (stamp.until is None or now >= stamp.until):
        return None
    if stamp.output != output_identity(config) or not isinstance(stamp.report, BuildReport):
        return None
    return stamp.report


def forget(config: Config) -> None:
    """Drop the stamp (a build is about to change the output)."""
    stamp_path(config).unlink(missing_ok=True)


def remember(config: Config, inputs: str, until: datetime | None, report: BuildReport) -> None:
    """Record a successful build; nothing is recorded when the output cannot be identified."""
    identity = output_identity(config)
    if identity is not None:
        write_trusted(stamp_path(config), Stamp(inputs, until, identity, report))
