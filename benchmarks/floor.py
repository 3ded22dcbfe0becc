#!/usr/bin/env python3
"""What a cold build of a site costs at the least on this machine, whatever else the
generator does: converting its Markdown, and making its output's folders and files.

    python benchmarks/floor.py markdown SITE
    python benchmarks/floor.py files SITE

``markdown``: every article and page the build reads (:func:`sitegen.core.sources.find_sources`)
read and its body converted by Python-Markdown with sitegen's extensions
(:data:`sitegen.core.markup.EXTENSIONS`), over as many processes as a build uses
(:func:`sitegen.incremental.parallel.workers`), one parser a process, nothing sent back but a count.
A build's reading step does this and more (the YAML, links, plain text, search keys).

``files``: every folder and file of ``SITE/output`` (the last build's) made again in the
fresh folder ``SITE/.floor-files``, each file as long as the built one, over as many
processes; the caller removes the folder. A build writes these and renders them first.

Each prints one line of JSON: ``{"wall": s, "cpu": s, "items": n, "workers": w, "cpus": c}``,
timed from the first process started to the last one ended (the listing, the imports and
the interpreter's start are not counted: a build's workers inherit their imports too);
``cpu`` is user+system time of all the processes, so that ``cpu / min(workers, cpus)``
bounds what the two steps could take if they overlapped perfectly. ``bench.py --floor``
runs both beside sitegen and the peers and prints the bound.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

FLOOR_DIR = ".floor-files"


def _cpu() -> float:
    """User+system seconds of this process and its reaped children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def convert(paths: Sequence[str]) -> int:
    """Convert the body of each Markdown file; how many were converted."""
    import markdown  # all three imported by main before the processes are forked

    from sitegen.core.frontmatter import decode, split
    from sitegen.core.markup import EXTENSIONS

    md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    done = 0
    for path in paths:
        with open(path, "rb") as fh:
            text = decode(fh.read())
        parts = split(text) if text is not None else None
        if parts is not None:
            md.reset()
            md.convert(parts.body)
            done += 1
    return done


def make(base: str, items: Sequence[tuple[str, int]]) -> int:
    """Make each ``(relative path, size)`` below ``base`` (a size of -1: a folder), each
    file's folder first; how many files."""
    made: set[str] = set()
    block = memoryview(b"x" * max((size for _, size in items), default=0))
    files = 0
    for rel, size in items:
        folder = rel if size < 0 else os.path.dirname(rel)
        if folder and folder not in made:
            os.makedirs(f"{base}/{folder}", exist_ok=True)
            made.add(folder)
        if size >= 0:
            with open(f"{base}/{rel}", "xb") as fh:
                fh.write(block[:size])
            files += 1
    return files


def run_split(job: Callable[..., int], items: Sequence[object], workers: int,
              *first: object) -> dict[str, float]:
    """Run ``job(*first, share)`` over ``workers`` processes, each a ``workers``-th of
    ``items`` (every ``workers``-th one); the wall and CPU seconds it took, and the count."""
    shares = [items[i::workers] for i in range(workers)]
    ctx = multiprocessing.get_context("fork")
    cpu, started = _cpu(), time.perf_counter()
    with ctx.Pool(workers) as pool:
        done = sum(pool.starmap(job, [(*first, share) for share in shares]))
        pool.close()
        pool.join()
    return {"wall": time.perf_counter() - started, "cpu": _cpu() - cpu, "items": done,
            "workers": workers, "cpus": len(os.sched_getaffinity(0))}


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("markdown", "files"):
        print(__doc__, file=sys.stderr)
        return 2
    # What the processes use, imported before they are forked, as a build's readers are.
    import markdown  # noqa: F401

    from sitegen.core import frontmatter, markup  # noqa: F401
    from sitegen.core.config import load_config
    from sitegen.core.sources import find_sources
    from sitegen.incremental.parallel import workers

    step, site = argv[0], Path(argv[1])
    if step == "markdown":
        config, _ = load_config(site)
        paths = [str(site / s.rel) for s in find_sources(config).articles]
        result = run_split(convert, paths, workers())
    else:
        output, base = site / "output", site / FLOOR_DIR
        if not output.is_dir():
            print(f"{output}: no output; build the site first", file=sys.stderr)
            return 1
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir()
        items = sorted((str(p.relative_to(output)), p.stat().st_size if p.is_file() else -1)
                       for p in output.rglob("*"))
        result = run_split(make, items, workers(), str(base))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
