"""The output folder as a whole: where it may be, its lock, the spare beside it, and the
atomic swap that puts a new one in its place. [IO]

The writer (:mod:`sitegen.output.writer`) fills a folder beside ``output/`` (the spare, or a
fresh staging folder) and :func:`swap_in` exchanges it with ``output/`` in one step, so that
the portal never receives half a site and a failed or killed build leaves the last good
``output/`` as it was (:func:`cleanup_stale` tidies what a killed build left).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sitegen.core.config import Config
from sitegen.core.errors import OutputError
from sitegen.output.trees import MARKER

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_RENAME_EXCHANGE = 2


def remove_tree(folder: Path) -> None:
    """Remove ``folder`` and everything in it, its read-only folders included (an output
    made read-only on purpose, then swapped out, becomes the spare)."""
    shutil.rmtree(folder, ignore_errors=True)
    if not folder.exists():
        return
    for path, _, _ in os.walk(folder):  # made writable, then removed whole
        with contextlib.suppress(OSError):
            os.chmod(path, 0o755)
    shutil.rmtree(folder, ignore_errors=True)


def check_output_dir(config: Config) -> None:
    """Raise OutputError when ``config.output_dir`` is a place the build must never replace."""
    out = config.output_dir.resolve()
    if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(
            f"thư mục xuất {out} chỉ đọc; sitegen không thay nó. Cách sửa: cho phép ghi "
            f"(chmod -R u+w {out}) hoặc chọn thư mục khác với --output.")
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

def spare_path(out: Path) -> Path:
    """Where the output before last is kept, beside ``out`` (the same file system)."""
    return out.parent / f".{out.name}.spare"


def swap_in(stage: Path, out: Path) -> None:
    """Put ``stage`` in place of ``out``; the previous output becomes the spare."""
    spare = spare_path(out)
    if out.exists() and _exchange(stage, out):
        if stage != spare:  # stage now holds the previous output: keep it as the spare
            shutil.rmtree(spare, ignore_errors=True)
            stage.rename(spare)
        return
    if not out.exists():
        stage.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)  # cleanup_stale() restores it if the build dies right here
    stage.rename(out)
    shutil.rmtree(spare, ignore_errors=True)
    old.rename(spare)
