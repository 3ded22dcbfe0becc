"""Photos made once: picture jobs in, their files out, kept in ``.sitegen/photos/``. [IO, processes]

Each variant of a photo (sitegen.core.pictures) has a key: the digest of the photo's bytes,
the pipeline's settings and the variant's size and format. A variant whose key the last
build wrote to the same output file, still there unchanged, is kept as it is (the render
memo's record, :meth:`sitegen.incremental.reuse.Memo.reuse`); one whose key is in the
cache is copied from it; the others are made, a photo decoded once for all its variants,
in worker processes when there are several photos (Pillow's work is CPU-bound), and a
lone photo's files encoded in threads (Pillow lets go of the GIL): either way on every
CPU. A build where no photo changed opens none; an edited photo makes only its own
variants again.
The photos' digests come from their stats (sitegen.core.sources.PictureFacts), so an
unchanged photo is not even read.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen.core.errors import Problem, warning
from sitegen.core.pictures import SETTINGS, TROUBLES, PictureJob, Variant
from sitegen.incremental.parallel import die_with_parent, forking, min_parallel, workers
from sitegen.incremental.reuse import Memo
from sitegen.output.files import RenderedFile

PHOTOS_DIR = "photos"
#: Below this many photos to make, starting processes costs more than it saves: a lone
#: photo is made in this process (its files encoded in threads); two already go faster in
#: two processes (benchmarks/README.md, "Photos").
MIN_PARALLEL = 2


def variant_key(digest: str, v: Variant) -> str:
    """The key of variant ``v`` of the photo whose bytes' digest is ``digest``."""
    parts = f"{SETTINGS}\0{digest}\0{v.tail}\0{v.width}x{v.height}\0{v.format}\0{v.crop}"
    return hashlib.blake2b(parts.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class _Work:
    """One photo to decode and the variants to make of it, with where each goes in the cache
    (None: given back as bytes)."""

    source: str
    variants: tuple[Variant, ...]
    targets: tuple[str, ...] | None
    #: Threads that encode its files (several when the photos are made in this process).
    threads: int = 1


@dataclass
class Photos:
    """Makes the files of picture jobs. ``folder``: the cache (None: nothing kept, the
    files' bytes held); ``read``: whether the cache's files may be used (not by ``build
    --clean``, which makes every photo again and writes the cache anew); ``memo``: the
    render memo, whose record keeps a variant written by the last build; ``make``: False
    for ``check``, which names the files but makes none."""

    folder: Path | None = None
    read: bool = True
    memo: Memo | None = None
    make: bool = True
    parallel: bool = True
    #: Problems met while making (a photo Pillow could not decode after all).
    problems: list[Problem] = field(default_factory=list)
    #: How many photos this build decoded (the tests' and the benchmark's count).
    decoded: int = 0
    _used: set[str] = field(default_factory=set)

    def files(self, jobs: Sequence[PictureJob]) -> Iterator[RenderedFile]:
        """Every variant of every job, in the jobs' order."""
        out: list[list[RenderedFile | None]] = []
        todo: list[tuple[int, _Work, list[int]]] = []
        for n, job in enumerate(jobs):
            row: list[RenderedFile | None] = []
            missing: list[int] = []
            for i, v in enumerate(job.variants):
                found = self._found(job, v)
                row.append(found)
                if found is None:
                    missing.append(i)
            out.append(row)
            if missing:
                variants = tuple(job.variants[i] for i in missing)
                targets = tuple(str(self._cached(job, v)) for v in variants) \
                    if self.folder is not None else None
                todo.append((n, _Work(job.source, variants, targets), missing))
        for (n, _, missing), made in zip(todo, self._make_all([t[1] for t in todo]),
                                         strict=True):
            job = jobs[n]
            if made is None:
                what, fix = TROUBLES["photo-unreadable"]
                self.problems.append(warning(job.rel, f"ảnh {what}.", "photo-unreadable",
                                             fix=fix))
                continue
            for i, data in zip(missing, made, strict=True):
                v = job.variants[i]
                out[n][i] = RenderedFile(v.path(job.site_path), job.rel, data=data) \
                    if isinstance(data, bytes) else \
                    RenderedFile(v.path(job.site_path), job.rel, source=data)
        for row in out:
            yield from (f for f in row if f is not None)

    def _cached(self, job: PictureJob, v: Variant) -> Path:
        assert self.folder is not None
        key = variant_key(job.digest, v)
        self._used.add(key)
        return self.folder / PHOTOS_DIR / key[:2] / key

    def _found(self, job: PictureJob, v: Variant) -> RenderedFile | None:
        """The variant without making it: kept from the last build's output, or copied from
        the cache; None when it must be made."""
        path = v.path(job.site_path)
        if not self.make:
            return RenderedFile(path, job.rel, source=job.source)
        key = variant_key(job.digest, v)
        if self.memo is not None:  # (build --clean: an empty record)
            kept = self.memo.reuse(path, key, job.rel)
            if kept is not None:
                self._used.add(key)
                return kept
        if self.folder is None or not self.read:
            return None
        cached = self._cached(job, v)
        return RenderedFile(path, job.rel, source=cached) if cached.is_file() else None

    def _make_all(self, work: Sequence[_Work]) -> list[list[bytes | str] | None]:
        """Each photo's variants (bytes, or the cache file written), in order; None for a
        photo that could not be decoded."""
        self.decoded += len(work)
        jobs = workers() if self.parallel else 1
        if jobs < 2 or len(work) < max(2, min_parallel(MIN_PARALLEL)):
            threads = workers()  # threads, not processes: serve's may not fork
            return [_make_one(replace(w, threads=threads)) for w in work]
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        forking()
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                                 initializer=_init) as pool:
            return list(pool.map(_make_one, work, chunksize=1))

    def prune(self) -> None:
        """Remove the cache's variants this build did not use (photos edited or gone)."""
        if self.folder is None or not self.make:
            return
        top = self.folder / PHOTOS_DIR
        if not top.is_dir():
            return
        for sub in top.iterdir():
            for f in sub.iterdir() if sub.is_dir() else ():
                if f.name not in self._used:
                    with contextlib.suppress(OSError):
                        f.unlink()


def _init() -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _make_one(work: _Work) -> list[bytes | str] | None:
    """Decode one photo and make its variants: into the cache (their paths given back) or as
    bytes; None when it cannot be decoded."""
    try:
        data = Path(work.source).read_bytes()
    except OSError:
        return None
    from sitegen.core.photo import make  # Pillow: imported only by a build that makes photos

    made = make(data, work.variants, threads=work.threads)
    if made.files is None:
        return None
    if work.targets is None:
        return list(made.files)
    for target, blob in zip(work.targets, made.files, strict=True):
        _write(target, blob)
    return list(work.targets)


def _write(target: str, data: bytes) -> None:
    """Write ``data`` to ``target`` whole (a temporary file renamed over it)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    tmp = f"{target}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)
