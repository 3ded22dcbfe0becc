"""What the Markdown that writers write costs: one body's conversion, with and without the
extras (pymdown-extensions' tilde, mark and tasklist, and sitegen's list step).

    python benchmarks/markdown_cost.py [N] [--runs R]

Makes (or reuses) the bench corpus of N articles (default 1,000; bench.py's corpus and
seed) and converts every body R times (default 5) with sitegen's renderer as it is, then
with the extras taken out, and prints the best run of each and the difference per
article. Running it with another checkout first on ``PYTHONPATH`` times that checkout's
renderer ("as it is" only). Only the standard library and sitegen are needed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import make_corpus

from sitegen.core import markup
from sitegen.core.markup import LinkContext, MarkdownRenderer

#: The extensions before issue 18 (Python-Markdown's alone).
PLAIN = ("extra", "sane_lists", "toc")


def bodies(site: Path) -> list[tuple[str, str]]:
    """(path below content/, body) of every article of the corpus."""
    out = []
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        out.append((path.relative_to(site / "content").as_posix(), text.split("\n---\n", 1)[-1]))
    return out


def without_extras() -> MarkdownRenderer:
    """A renderer with only Python-Markdown's extensions and no list step."""
    kept = markup.EXTENSIONS
    markup.EXTENSIONS = PLAIN
    try:
        renderer = MarkdownRenderer()
    finally:
        markup.EXTENSIONS = kept
    if "sitegen_lists" in renderer._md.preprocessors:
        renderer._md.preprocessors.deregister("sitegen_lists")
    return renderer


def best(make: Callable[[], MarkdownRenderer], work: list[tuple[str, str]], runs: int) -> float:
    """The fastest of ``runs`` passes converting every body of ``work``, in CPU seconds of
    this process (less swayed than wall time by other work on a shared machine)."""
    renderer = make()
    articles = frozenset(rel for rel, _ in work)
    times = []
    for _ in range(runs):
        start = time.process_time()
        for rel, body in work:
            ctx = LinkContext(source=rel, bundle=None, static=frozenset(), articles=articles)
            renderer.render(body, ctx, "content/" + rel, 8)
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench"))
    args = parser.parse_args()
    site = args.work / f"sitegen-{args.n}"
    print(make_corpus(args.n, site, builtin=False))
    work = bodies(site)
    with_extras = best(MarkdownRenderer, work, args.runs)
    print(f"{len(work)} bodies, best of {args.runs}: as it is {with_extras:.3f} s "
          f"({with_extras / len(work) * 1000:.3f} ms an article)")
    if "pymdownx.tilde" in markup.EXTENSIONS:
        plain = best(without_extras, work, args.runs)
        print(f"without the extras {plain:.3f} s ({plain / len(work) * 1000:.3f} ms an article); "
              f"the extras cost {(with_extras - plain) / len(work) * 1000:.3f} ms an article "
              f"({(with_extras / plain - 1) * 100:+.1f} %)")


if __name__ == "__main__":
    main()
