"""write_site: RenderedFiles in, a complete ``output/`` on disk out. [IO]

The new site is written into a staging folder beside ``output/`` and swapped in
with one atomic exchange, so the portal never receives half a site and a failed
or killed build leaves the last good ``output/`` exactly as it was. A file whose
bytes did not change is hard-linked from the previous output, keeping its
modification time, so a sync to the portal sends only what changed.
"""

from __future__ import annotations

import contextlib
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
from .rendered import FileId, RenderedFile, file_id
from .urls import UnsafePath, check_path, output_file, safe_join

MARKER = ".sitegen-output"
#: In the spare while write_site updates it: a spare marked so is not trusted.
DIRTY = ".sitegen-dirty"
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class WriteReport:
    """How many files the new output holds, and how many of them were kept as they were;
    ``files``: each file's path in the output and its (size, mtime_ns, inode)."""

    written: int
    unchanged: int
    files: Mapping[str, FileId] = field(default_factory=dict)


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
    """Write ``files`` as the new ``config.output_dir``, swapping it in whole.

    The folder swapped in is the *spare* (:func:`spare_path`), the output before last, which
    the previous build swapped out, brought up to date: only the files that differ from it
    are written (changed bytes, or a hard link to the current output's file), and the files
    no longer wanted are removed. Without a usable spare (the first build, or one killed
    while updating it), a fresh staging folder is filled instead. Either way the current
    output is never touched until the exchange, and files are only ever replaced by
    rename, never rewritten in place: the spare and the output share unchanged files.
    """
    out = config.output_dir.resolve()
    check_output_dir(config)
    cleanup_stale(config)
    targets = []
    for f in files:
        try:
            targets.append((f, safe_join(Path("."), f.path).as_posix()))
        except UnsafePath:
            raise OutputError(f'{f.origin}: địa chỉ "{f.path}" nằm ngoài thư mục xuất.') from None
    spare = spare_path(out)
    if out.is_dir() and (spare / MARKER).is_file() and not (spare / DIRTY).exists():
        try:
            report = _update(spare, out, targets)
        except OSError:  # the spare is not what it should be (a file where a folder goes …)
            shutil.rmtree(spare, ignore_errors=True)
        else:
            _swap(spare, out)
            return report
    stage = out.parent / f".{out.name}.staging-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    try:
        (stage / MARKER).write_text("sitegen\n", encoding="utf-8")
        report = _fill(stage, out, targets)
        _swap(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return report


def spare_path(out: Path) -> Path:
    """Where the output before last is kept, beside ``out`` (the same file system)."""
    return out.parent / f".{out.name}.spare"


Targets = Sequence[tuple[RenderedFile, str]]


def _fill(stage: Path, out: Path, targets: Targets) -> WriteReport:
    """Write every file into the empty ``stage``; unchanged ones are hard links into ``out``."""
    unchanged = 0
    written: dict[str, FileId] = {}
    made: set[Path] = set()
    for f, rel in targets:
        target = stage / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        old = out / rel
        if f.kept or _same_file(old, f.data, f.source):
            try:
                os.link(old, target)
                unchanged += 1
                written[rel] = _written(target)
                continue
            except OSError:
                pass
        if f.data is not None:
            target.write_bytes(f.data)
        elif f.source is not None:
            shutil.copy2(f.source, target)
        written[rel] = _written(target)
    return WriteReport(written=len(targets), unchanged=unchanged, files=written)


def _update(spare: Path, out: Path, targets: Targets) -> WriteReport:
    """Bring ``spare`` to the new site: write what differs from it, remove what is not wanted.

    A file the new site shares with ``out`` becomes a hard link to ``out``'s; a file already
    linked so is left alone. While this runs the spare is marked dirty, so that a build
    killed here does not trust it next time.
    """
    (spare / DIRTY).touch()
    have, folders = _tree(spare)
    live, _ = _tree(out)
    unchanged = 0
    written: dict[str, FileId] = {}
    base, now = str(spare), str(out)  # strings: 20,000 Path objects cost a quarter second
    for f, rel in targets:
        target = f"{base}/{rel}"
        parent = rel.rpartition("/")[0]
        if parent and parent not in folders:
            os.makedirs(f"{base}/{parent}", exist_ok=True)
            while parent and parent not in folders:
                folders.add(parent)
                parent = parent.rpartition("/")[0]
        old = f"{now}/{rel}"
        if rel in live and (f.kept or _same_file(Path(old), f.data, f.source)):
            unchanged += 1
            if have.get(rel) != live[rel]:
                _replace(target, link=old)
        else:
            _replace(target, data=f.data, copy=f.source)
        written[rel] = _written(target)
    for rel in sorted(have.keys() - written.keys(), reverse=True):
        (spare / rel).unlink()
        emptied = (spare / rel).parent
        while emptied != spare and not any(emptied.iterdir()):
            emptied.rmdir()
            emptied = emptied.parent
    (spare / DIRTY).unlink()
    return WriteReport(written=len(targets), unchanged=unchanged, files=written)


def _written(path: Path | str) -> FileId:
    found = file_id(path)
    if found is None:
        raise FileNotFoundError(errno.ENOENT, "vừa ghi mà không thấy", str(path))
    return found


def _replace(target: str, *, link: str | None = None, data: bytes | None = None,
             copy: Path | None = None) -> None:
    """Make ``target`` anew beside it (a hard link to ``link``, ``data``, or a copy of
    ``copy``), then rename it over: a file is never changed in place."""
    folder, _, name = target.rpartition("/")
    tmp = f"{folder}/.{name}.sitegen-tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    if link is not None:
        os.link(link, tmp)
    elif data is not None:
        with open(tmp, "wb") as fh:
            fh.write(data)
    elif copy is not None:
        shutil.copy2(copy, tmp)
    os.replace(tmp, target)


def _tree(root: Path) -> tuple[dict[str, int], set[str]]:
    """Every file below ``root`` but sitegen's markers: {relative path: inode}, and the folders."""
    files: dict[str, int] = {}
    folders: set[str] = set()

    def walk(folder: str, prefix: str) -> None:
        for entry in os.scandir(folder):
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.add(rel)
                walk(entry.path, rel + "/")
            elif rel not in (MARKER, DIRTY):
                files[rel] = entry.inode()

    walk(str(root), "")
    return files, folders


def _swap(stage: Path, out: Path) -> None:
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
