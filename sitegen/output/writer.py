"""write_site: RenderedFiles in, a complete ``output/`` on disk out. [IO]

The new site is written into a folder beside ``output/`` (the spare brought up to date,
or a fresh staging folder) and swapped in with one atomic exchange
(:mod:`sitegen.output.swap`), so the portal never receives half a site and a failed or
killed build leaves the last good ``output/`` exactly as it was. A file whose bytes did not
change is hard-linked from the previous output, keeping its modification time, so a sync to
the portal sends only what changed. Which files each folder holds is recorded or walked
(:mod:`sitegen.output.trees`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sitegen.core.config import Config
from sitegen.core.errors import CacheDamaged, OutputError, Problem
from sitegen.core.state import SavedState
from sitegen.core.urls import output_file
from sitegen.output.claims import Claims, collision_problem, output_path, unsafe_problem
from sitegen.output.files import FileId, RenderedFile, file_id
from sitegen.output.swap import check_output_dir, cleanup_stale, remove_tree, spare_path, swap_in
from sitegen.output.trees import (
    DIRTY,
    MARKER,
    TreeId,
    add_folders,
    folders_of,
    new_marker,
    tree_id,
    walk_tree,
)


@dataclass(frozen=True)
class WriteReport:
    """How many files the new output holds, and how many of them were kept as they were;
    ``files``: each file's path in the output and its (size, mtime_ns, inode)."""

    written: int
    unchanged: int
    files: Mapping[str, FileId] = field(default_factory=dict)


def _inode_if_same(old: str, data: bytes | None, source: Path | str | None) -> int | None:
    """The inode of the file ``old`` when it holds ``data`` (or the bytes of ``source``)."""
    try:
        st = os.stat(old)
    except OSError:
        return None
    return st.st_ino if _holds(Path(old), st, data, source) else None


def _same_file(old: Path, data: bytes | None, source: Path | str | None) -> bool:
    """Whether the file ``old`` holds ``data`` (or the bytes of ``source``)."""
    try:
        st = old.stat()
    except OSError:
        return False
    return _holds(old, st, data, source)


def _holds(old: Path, st: os.stat_result, data: bytes | None,
           source: Path | str | None) -> bool:
    """``_same_file`` for a file whose stat is ``st``."""
    if data is not None:
        return st.st_size == len(data) and old.read_bytes() == data
    assert source is not None
    if st.st_size != os.stat(source).st_size:
        return False
    with old.open("rb") as a, open(source, "rb") as b:
        while True:
            x, y = a.read(1 << 16), b.read(1 << 16)
            if x != y:
                return False
            if not x:
                return True


def write_site(files: Iterable[RenderedFile], config: Config) -> WriteReport:
    """Write ``files`` as the new ``config.output_dir``, swapping it in whole.

    :class:`SiteWriter` with every file put in turn; an unsafe path or two files with one
    name raise OutputError, and ``output/`` is left as it was.
    """
    with SiteWriter(config) as writer:
        for f in files:
            writer.put(f)
        if writer.problems:
            raise OutputError("; ".join(p.format() for p in writer.problems))
        return writer.commit()


class Put(NamedTuple):
    """One file as :meth:`SiteWriter.write` left it: its path in the output, what made it,
    its FileId (None when refused), whether it was kept as it was, and whether it is a page
    (an HTML file, rendered, kept or copied)."""

    rel: str
    origin: str
    found: FileId | None
    unchanged: bool
    page: bool
    problem: Problem | None = None


class SiteWriter:
    """Writes one build's files as they are made, then swaps them in whole (:meth:`commit`).

    The folder written is the *spare* (:func:`spare_path`), the output before last, which the
    previous build swapped out, brought up to date: only the files that differ from it are
    written (changed bytes, or a hard link to the current output's file), and at the commit
    the files no longer wanted are removed. Without a usable spare (the first build, or one
    killed while updating it), a fresh staging folder is filled instead. Either way the
    current output is never touched until the exchange, and files are only ever replaced by
    rename, never rewritten in place: the spare and the output share unchanged files. While
    the spare is written it is marked dirty, so that a build killed or failed then does not
    trust it next time. Used as a context manager, a writer not committed is abandoned.

    :meth:`write` may be called from worker processes forked after the writer was made
    (each writes its own files); the parent then passes their :class:`Put` to :meth:`record`.
    """

    def __init__(self, config: Config, record: SavedState | None = None) -> None:
        """``record``: where the files of the output and of its spare are recorded between
        builds, so that a build need not walk both folders; without it, they are walked."""
        out = config.output_dir.resolve()
        check_output_dir(config)
        cleanup_stale(config)
        self.out = out
        self.problems: list[Problem] = []
        self.files: dict[str, FileId] = {}
        self._claims = Claims()
        self.unchanged = 0
        self.pages = 0
        self.done = False
        spare = spare_path(out)
        self.updating = out.is_dir() and (spare / MARKER).is_file() and not (spare / DIRTY).exists()
        if self.updating:
            try:  # marked first: a spare that cannot be marked (read-only) is not updated
                (spare / DIRTY).touch()
            except OSError:
                self.updating = False
                remove_tree(spare)
        self._recorded = False  # whether the spare's files are known from the record
        self._record = record
        trees = record.load() if record is not None else None
        known: Mapping[TreeId, dict[str, int]] = trees if isinstance(trees, dict) else {}
        #: The current output's files ({path: inode}), when known (read, or walked to update).
        self._live_id = tree_id(out)
        self.live: dict[str, int] | None = known.get(self._live_id) if self._live_id else None
        if self.updating:
            self.root = spare
            spare_id = tree_id(spare)
            have = known.get(spare_id) if spare_id else None
            self._recorded = have is not None
            self.have, self.folders = (have, folders_of(have)) if have is not None else walk_tree(spare)
            if self.live is None:
                self.live = walk_tree(out)[0]
        else:
            remove_tree(spare)
            self.root = out.parent / f".{out.name}.staging-{os.getpid()}"
            shutil.rmtree(self.root, ignore_errors=True)
            self.root.mkdir(parents=True)
            self.have, self.folders = {}, set()
        new_marker(self.root)  # a tree of new content, a new TreeId
        self._id = tree_id(self.root)
        # Strings, not Paths: a Path per file was measurable at 20,000 files (benchmarks/README.md,
        # 'Figures behind the code').
        self._base, self._now = str(self.root), str(out)

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.abandon()

    def put(self, f: RenderedFile) -> None:
        """Check and write one file (in this process)."""
        rel = f.rel if f.kept and f.rel is not None else output_path(f)
        if rel is not None and (taken := self._claims.taken(rel, f.origin)) is not None:
            self.problems.append(taken)  # checked before writing: a worker cannot (record)
            return
        if rel is not None and f.kept and self.updating and f.found is not None and \
                self.live is not None and self.have.get(rel) == f.found[2]:
            self._claims.claim(rel, f.origin)  # kept, and already the spare's: nothing to do
            self.live[rel] = f.found[2]
            self.files[rel] = f.found
            self.unchanged += 1
            self.pages += rel.endswith(".html")
            return
        self.record(self._write(f, rel))

    def write(self, f: RenderedFile) -> Put:
        """Write ``f`` into the folder being made; what was done, for :meth:`record`."""
        return self._write(f, output_path(f))

    def _write(self, f: RenderedFile, rel: str | None) -> Put:
        page = (rel or output_file(f.path)).endswith(".html")  # a page, however it was made
        if rel is None:
            return Put(output_file(f.path), f.origin, None, False, page, unsafe_problem(f))
        target = f"{self._base}/{rel}"
        self._parent_folder(rel)
        old = f"{self._now}/{rel}"
        if not self.updating:  # a fresh folder: a file is made once, never opened again
            same = f.kept or _same_file(Path(old), f.data, f.source)
            try:
                if same:
                    try:
                        os.link(old, target)
                    except FileExistsError:
                        raise
                    except OSError:
                        same = False
                if not same:
                    _make(target, f.data, f.source)
            except FileExistsError:  # another worker's file of the same name: a collision
                return Put(rel, f.origin, None, False, page,
                           collision_problem(rel, f.origin, "một tệp khác của bản dựng này"))
            return Put(rel, f.origin, _written(target), same, page)
        assert self.live is not None  # updating: read or walked
        # The live file as it is now (kept: its FileId was just checked), not as recorded:
        # a file of output/ replaced by hand must not make the spare's old one look right.
        if f.kept and f.found is not None:
            live: int | None = f.found[2]
        else:
            live = _inode_if_same(old, f.data, f.source) if rel in self.live else None
        same = live is not None
        try:
            if same and self.have.get(rel) != live:
                _replace(target, link=old)
            elif not same:
                _replace(target, data=f.data, copy=f.source)
            elif f.found is not None and f.found[2] == live:
                return Put(rel, f.origin, f.found, same, page)  # the spare's file is that one
        except (FileNotFoundError, NotADirectoryError) as exc:
            source = str(f.source) if f.source is not None else None
            if self._recorded and exc.filename != source:  # the spare is not as recorded
                raise CacheDamaged(f"{self.root}: {exc}") from None
            raise
        if live is not None:
            # Recorded for the folder it becomes: in this process only (what a worker notes
            # here stays in the worker; the record keeps what the build had).
            self.live[rel] = live
        return Put(rel, f.origin, _written(target), same, page)

    def record(self, put: Put) -> None:
        """Count a file written (here or by a worker); note the problem of one refused."""
        if put.problem is not None:
            self.problems.append(put.problem)
            return
        problem = self._claims.claim(put.rel, put.origin)
        if problem is not None:
            self.problems.append(problem)
            return
        assert put.found is not None
        self.files[put.rel] = put.found
        self.unchanged += put.unchanged
        self.pages += put.page

    def commit(self) -> WriteReport:
        """Remove what the new site no longer has, and swap the new site in."""
        if self.problems:
            raise OutputError("; ".join(p.format() for p in self.problems))
        if self.updating:
            for rel in sorted(self.have.keys() - self.files.keys(), reverse=True):
                gone = self.root / rel
                try:
                    gone.unlink(missing_ok=True)
                except (IsADirectoryError, NotADirectoryError):  # a file became a folder, or
                    continue  # the other way round
                emptied = gone.parent
                while emptied != self.root and emptied.is_dir() and not any(emptied.iterdir()):
                    emptied.rmdir()
                    emptied = emptied.parent
            (self.root / DIRTY).unlink()
        swap_in(self.root, self.out)
        self.done = True
        trees = {self._id: {rel: found[2] for rel, found in self.files.items()}}
        if self._live_id is not None and self.live is not None:  # now the spare
            trees[self._live_id] = self.live
        if self._record is not None:
            self._record.save(trees)
        return WriteReport(written=len(self.files), unchanged=self.unchanged, files=self.files)

    def abandon(self) -> None:
        """Leave ``output/`` as it was: remove a staging folder; a spare stays marked dirty."""
        self.done = True
        if not self.updating:
            shutil.rmtree(self.root, ignore_errors=True)


    def _parent_folder(self, rel: str) -> None:
        """Make the folder ``rel`` goes in; a file of the spare in its way is removed, but
        one this build wrote is a collision (a file and a folder of one name)."""
        parent = rel.rpartition("/")[0]
        if not parent or parent in self.folders:
            return
        path = f"{self._base}/{parent}"
        try:
            os.makedirs(path, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            walked = ""
            for part in parent.split("/"):
                walked = f"{walked}/{part}" if walked else part
                full = f"{self._base}/{walked}"
                if os.path.lexists(full) and not os.path.isdir(full):
                    if walked not in self.have or walked in self.files:
                        raise OutputError(f'"{walked}" vừa là tệp vừa là thư mục của trang '
                                          f'(khi ghi "{rel}"). Cách sửa: đổi tên một trong hai.'
                                          ) from None
                    os.unlink(full)
            os.makedirs(path, exist_ok=True)
        add_folders(self.folders, rel)


def _written(path: Path | str) -> FileId:
    found = file_id(path)
    if found is None:
        raise FileNotFoundError(errno.ENOENT, "vừa ghi mà không thấy", str(path))
    return found


def _replace(target: str, *, link: str | None = None, data: bytes | None = None,
             copy: Path | str | None = None) -> None:
    """Make ``target`` anew beside it (a hard link to ``link``, ``data``, or a copy of
    ``copy``), then rename it over: a file is never changed in place."""
    folder, _, name = target.rpartition("/")
    # Each worker its own; short whatever the name's length (a name of 255 bytes is allowed).
    short = hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    tmp = f"{folder}/.{short}.{os.getpid()}.sitegen-tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    try:
        if link is not None:
            os.link(link, tmp)
        else:
            _make(tmp, data, copy)
    except OSError as exc:  # name the file being replaced, not its temporary name
        if exc.filename in (None, tmp):
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise OSError(exc.errno, exc.strerror, target) from exc
        raise
    try:
        os.replace(tmp, target)
    except IsADirectoryError:  # a folder of the spare where the new site has a file
        shutil.rmtree(target)
        os.replace(tmp, target)


def _make(target: str, data: bytes | None, copy: Path | str | None) -> None:
    """Write ``data`` to the new file ``target``, or copy ``copy`` there; raise
    FileExistsError rather than open a file that is there (it may be a hard link into the
    live output)."""
    try:
        with open(target, "xb") as fh:
            if data is not None:
                fh.write(data)
            elif copy is not None:
                with open(copy, "rb") as src:
                    shutil.copyfileobj(src, fh)
    except OSError as exc:  # a full disk names no file: name the one being written
        if exc.filename is not None or isinstance(exc, FileExistsError):
            raise
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise OSError(exc.errno, exc.strerror, target) from exc
    if data is None and copy is not None:
        shutil.copystat(copy, target)
