"""write_site: RenderedFiles in, a complete ``output/`` on disk out. [IO]

The new site is written into a staging folder beside ``output/`` and swapped in
with one atomic exchange, so the portal never receives half a site and a failed
or killed build leaves the last good ``output/`` exactly as it was. A file whose
bytes did not change is hard-linked from the previous output, keeping its
modification time, so a sync to the portal sends only what changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import posixpath
import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .errors import OutputError, Problem
from .render import RenderedFile
from .urls import UnsafePath, check_path, output_file, safe_join

MARKER = ".sitegen-output"
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class WriteReport:
    """How many files the new output holds, and how many of them were kept as they were;
    ``files``: each file's path in the output and its (size, mtime_ns, inode)."""

    written: int
    unchanged: int
    files: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)


def check_output_dir(config: Config) -> None:
    """Raise OutputError when ``config.output_dir`` is a place the build must never replace."""
    out = config.output_dir.resolve()
    precious = [config.root, config.content_dir, config.templates_dir, config.static_dir,
                config.root / "config.yaml"]
    for p in precious:
        p = p.resolve()
        if out == p or p.is_relative_to(out):
            raise OutputError(
                f"thư mục xuất {out} trùng hoặc chứa {p}; bản dựng sẽ xóa mất nó. "
                "Cách sửa: chọn thư mục khác, ví dụ --output output")
    for p in (config.content_dir, config.templates_dir, config.static_dir):
        if out.is_relative_to(p.resolve()):
            raise OutputError(
                f"thư mục xuất {out} nằm trong {p}; mỗi lần dựng sẽ đăng lại chính nó. "
                "Cách sửa: chọn thư mục ngoài content/, static/ và templates/, ví dụ --output output")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} là một tệp, không phải thư mục. Cách sửa: chọn tên thư mục khác.")
    if out == Path(out.anchor) or out == Path.home():
        raise OutputError(f"không thể dùng {out} làm thư mục xuất.")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(
            f"thư mục xuất {out} đã có tệp không do sitegen tạo; sitegen không ghi đè lên nó. "
            "Cách sửa: chọn một thư mục trống hoặc chưa có, hoặc tự xóa thư mục đó trước.")


@contextmanager
def build_lock(config: Config) -> Iterator[None]:
    """Hold an exclusive lock for this output folder; a second build waits for the first.

    A POSIX record lock (``lockf``), not ``flock``: worker processes forked during the build
    do not inherit it, so a build killed mid-way never leaves its lock held by an orphan.
    """
    out = config.output_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.parent / f".{out.name}.lock"
    # POSIX locks are per process, so threads of one process also take a lock of their own.
    with _THREAD_LOCKS.setdefault(str(lock), threading.Lock()), lock.open("a") as fh:
        fcntl.lockf(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(fh, fcntl.LOCK_UN)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd = -100
    res = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if res == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def cleanup_stale(config: Config) -> None:
    """Remove staging folders left by a build that was killed; restore an output lost mid-swap."""
    out = config.output_dir.resolve()
    parent = out.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out.name}.old-*"))
    if not out.exists() and olds:
        olds[-1].rename(out)  # a swap by two renames was cut between them
        olds = olds[:-1]
    for stale in [*parent.glob(f".{out.name}.staging-*"), *olds]:
        shutil.rmtree(stale, ignore_errors=True)


def _same_file(old: Path, data: bytes | None, source: Path | None) -> bool:
    try:
        st = old.stat()
    except OSError:
        return False
    if data is not None:
        return st.st_size == len(data) and old.read_bytes() == data
    assert source is not None
    if st.st_size != source.stat().st_size:
        return False
    with old.open("rb") as a, source.open("rb") as b:
        while True:
            x, y = a.read(1 << 16), b.read(1 << 16)
            if x != y:
                return False
            if not x:
                return True


def find_collisions(files: Sequence[RenderedFile]) -> list[Problem]:
    """Problems for output paths two things would write (Pelican's rule: never write twice),
    and for paths that would leave ``output/`` or cannot be created on common file systems."""
    seen: dict[str, RenderedFile] = {}
    problems = []
    for f in files:
        key = output_file(f.path)
        try:
            check_path(key)
            key = posixpath.normpath(key)
        except UnsafePath:
            problems.append(Problem(
                path=f.origin, code="unsafe-path",
                message=f'tên "{key}" không dùng được làm địa chỉ (ra ngoài thư mục xuất, quá dài, '
                        "hoặc là tên Windows dành riêng như CON, NUL).",
                fix="đổi tên tệp hoặc slug: chỉ dùng chữ không dấu, số và dấu gạch ngang."))
            continue
        if key in seen:
            problems.append(Problem(
                path=f.origin, code="output-collision",
                message=f'tệp xuất "{key}" bị tạo hai lần (cùng với {seen[key].origin}).',
                fix="đổi tên tệp hoặc slug của một trong hai."))
        else:
            seen[key] = f
    return problems


def write_site(files: Sequence[RenderedFile], config: Config) -> WriteReport:
    """Write ``files`` as the new ``config.output_dir``, swapping it in whole."""
    out = config.output_dir.resolve()
    check_output_dir(config)
    cleanup_stale(config)
    stage = out.parent / f".{out.name}.staging-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    unchanged = 0
    written: dict[str, tuple[int, int, int]] = {}
    try:
        (stage / MARKER).write_text("sitegen\n", encoding="utf-8")
        made: set[Path] = set()
        for f in files:
            try:
                target = safe_join(stage, f.path)
            except UnsafePath:
                raise OutputError(f'{f.origin}: địa chỉ "{f.path}" nằm ngoài thư mục xuất.') from None
            rel = target.relative_to(stage)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            old = out / rel
            if f.kept or _same_file(old, f.data, f.source):
                try:
                    os.link(old, target)
                    unchanged += 1
                    written[rel.as_posix()] = _file_id(target)
                    continue
                except OSError:
                    pass
            if f.data is not None:
                target.write_bytes(f.data)
            elif f.source is not None:
                shutil.copy2(f.source, target)
            written[rel.as_posix()] = _file_id(target)
        _swap(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return WriteReport(written=len(files), unchanged=unchanged, files=written)


def _file_id(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _swap(stage: Path, out: Path) -> None:
    if out.exists() and _exchange(stage, out):
        shutil.rmtree(stage, ignore_errors=True)  # stage now holds the previous output
        return
    if not out.exists():
        stage.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)  # cleanup_stale() restores it if the build dies right here
    stage.rename(out)
    shutil.rmtree(old, ignore_errors=True)
