#!/usr/bin/env python3
"""Measure the in-browser search on a synthetic site of N articles.

    python3 benchmarks/search_bench.py 10000 [--workdir /tmp/corp10k] [--reuse] [--runs 5]

1. makes the corpus with /work/shared/bench/make_corpus.py N WORKDIR (unless --reuse),
   copies the repository's config.yaml in and gives the few articles whose addresses
   collide (long titles cut to the same slug) a slug of their own;
2. builds it: ``sitegen build --site WORKDIR --future`` (unless --reuse finds output/);
3. serves output/ on 127.0.0.1 under /tuyen-truyen/ and, in headless Debian Chromium
   (never a downloaded browser), opens ``tim-kiem/?q=...`` with a cold cache, RUNS times
   per query, and reads in the page: the time from navigation to the results rendered
   (the ``sitegen-search-results`` performance mark search.js sets), the time from the
   engine taking the query from the address (``sitegen-search-query``) to the results
   ("asked→shown"), and the bytes transferred before them (Resource Timing); then a
   second query typed into the same page ("next query": typed to results shown).

Prints the index size on disk and, per query, the median and worst figures.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = Path(os.environ.get("SITEGEN_SHARED", REPO.parent / "shared")) / "bench/make_corpus.py"
CHROMIUM = "/usr/bin/chromium"
PREFIX = "/tuyen-truyen/"
QUERIES = ("thi dua", "dinh", "hoà bình", "Tràng An", "sáng kiến số hóa")

# The floor: what this server and browser take for a blank page whose script fetches one
# index file (the search page does the same, plus its CSS, the query's shards and rendering).
FLOOR = {
    f"{PREFIX}__floor__/": ("text/html; charset=utf-8",
                            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
                            '<title>floor</title></head><body><p>floor</p>'
                            '<script src="floor.js" defer></script></body></html>'),
    f"{PREFIX}__floor__/floor.js": ("text/javascript",
                                    'fetch("../tim-kiem/index/docs-0.json").then(r => r.json())'
                                    '.then(() => performance.mark("sitegen-search-results"));'),
}

MEASURE_JS = """() => {
  const mark = performance.getEntriesByName('sitegen-search-results')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  const before = performance.getEntriesByType('resource').filter(r => r.responseEnd <= mark.startTime);
  const sum = (list, key) => list.reduce((n, r) => n + (r[key] || 0), 0);
  const asked = performance.getEntriesByName('sitegen-search-query')[0];
  return {ms: mark.startTime, query: mark.startTime - (asked ? asked.startTime : 0),
          bytes: nav.transferSize + sum(before, 'transferSize'),
          body: nav.encodedBodySize + sum(before, 'encodedBodySize'), requests: 1 + before.length,
          results: Number((document.querySelector('#trang-thai-tim-kiem').textContent
                           .match(/([\\d.]+) bài/) || [0, '0'])[1].replace(/\\./g, ''))};
}"""

TYPE_JS = """async (q) => {
  const t0 = performance.now();
  const input = document.getElementById('tu-khoa');
  input.value = q;
  input.form.requestSubmit();
  await new Promise(done => {
    const look = () => document.getElementById('ket-qua').getAttribute('data-for') === q
      ? done() : requestAnimationFrame(look);
    look();
  });
  return performance.now() - t0;
}"""


def make_corpus(n: int, workdir: Path) -> None:
    if workdir.exists():
        shutil.rmtree(workdir)
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), str(workdir)], check=True)
    shutil.copy(REPO / "config.yaml", workdir / "config.yaml")
    fixed = fix_collisions(workdir / "content")
    print(f"corpus: {n} articles in {workdir} ({fixed} given a slug of their own)")


def fix_collisions(content: Path) -> int:
    """Give every article whose address another one already has ``slug: <number>-<slug>``.

    (The number goes first: a long slug is cut at its end.)
    """
    from sitegen.vn.slug import slugify

    seen: set[tuple[str, str, str]] = set()
    fixed = 0
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---", 2)[1])
        slug = slugify(front.get("slug") or front["title"])
        key = (path.parent.name, str(front["date"])[:7], slug)
        if key in seen:
            number = re.findall(r"\d+", path.stem)[-1]
            text = text.replace("---\n", f"---\nslug: {number}-{slug}\n", 1)
            path.write_text(text, encoding="utf-8")
            key = (key[0], key[1], slugify(f"{number}-{slug}"))
            fixed += 1
        seen.add(key)
    return fixed


def build(workdir: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(workdir), "--future",
                    "--output", str(workdir / "output"), "--quiet"], check=True)
    return time.perf_counter() - started


def serve(root: Path) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            floor = FLOOR.get(self.path.split("?", 1)[0])
            if floor is None:
                super().do_GET()
                return
            body = floor[1].encode()
            self.send_response(200)
            self.send_header("Content-Type", floor[0])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def translate_path(self, path: str) -> str:
            path = path.split("?", 1)[0].split("#", 1)[0]
            if not path.startswith(PREFIX):
                return str(root / "__nowhere__")
            return super().translate_path("/" + path[len(PREFIX):])

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def index_size(output: Path) -> str:
    files = sorted((output / "tim-kiem" / "index").glob("*.json"))
    sizes = [f.stat().st_size for f in files]
    terms = [f.stat().st_size for f in files if f.name.startswith("terms")]
    docs = [f.stat().st_size for f in files if f.name.startswith("docs")]
    page = (output / "tim-kiem" / "index.html").stat().st_size
    return (f"index on disk: {sum(sizes) / 1e6:.2f} MB in {len(files)} files "
            f"(terms {sum(terms) / 1e6:.2f} MB in {len(terms)} shards, largest "
            f"{max(terms) / 1e3:.1f} kB; docs {sum(docs) / 1e6:.2f} MB in {len(docs)} files, "
            f"largest {max(docs) / 1e3:.1f} kB); search page {page / 1e3:.1f} kB")


def measure(port: int, queries: tuple[str, ...], runs: int) -> None:
    from urllib.parse import quote_plus

    from playwright.sync_api import Request, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        floors = []
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}{PREFIX}__floor__/")
            page.wait_for_function(
                "performance.getEntriesByName('sitegen-search-results').length > 0")
            floors.append(page.evaluate(
                "performance.getEntriesByName('sitegen-search-results')[0].startTime"))
            context.close()
        print(f"floor (blank page + script + one index file): median "
              f"{statistics.median(floors):.1f} ms, min {min(floors):.1f} ms")
        print(f"{'query':<20} {'ms min':>7} {'ms median':>9} {'ms max':>7} {'asked→shown':>11} "
              f"{'kB before results':>18} {'requests':>8} {'results':>8} {'next query ms':>13}")
        for query in queries:
            figures, typed = [], []
            for _ in range(runs):
                context = browser.new_context()  # a cold cache every time
                page = context.new_page()
                outside: list[str] = []

                def note(request: Request, outside: list[str] = outside) -> None:
                    if not request.url.startswith(f"http://127.0.0.1:{port}/"):
                        outside.append(request.url)

                page.on("request", note)
                page.goto(f"http://127.0.0.1:{port}{PREFIX}tim-kiem/?q={quote_plus(query)}")
                page.wait_for_selector("#ket-qua[data-for]", state="attached", timeout=30_000)
                page.wait_for_function(
                    "performance.getEntriesByName('sitegen-search-results').length > 0")
                figures.append(page.evaluate(MEASURE_JS))
                typed.append(page.evaluate(TYPE_JS, "khen thuong " + query))
                assert not outside, f"requests left 127.0.0.1: {outside}"
                context.close()
            ms = [f["ms"] for f in figures]
            asked = statistics.median(f["query"] for f in figures)
            print(f"{query:<20} {min(ms):7.1f} {statistics.median(ms):9.1f} {max(ms):7.1f} "
                  f"{asked:11.1f} {max(f['bytes'] for f in figures) / 1e3:18.1f} "
                  f"{figures[0]['requests']:8d} {figures[0]['results']:8d} "
                  f"{statistics.median(typed):13.1f}")
        browser.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("--workdir", type=Path, help="corpus folder (default /tmp/corp<N>)")
    ap.add_argument("--reuse", action="store_true", help="keep an existing corpus and build")
    ap.add_argument("--runs", type=int, default=5, help="cold page loads per query")
    ap.add_argument("--query", action="append", help="query to time (repeatable)")
    a = ap.parse_args()
    workdir = a.workdir or Path(f"/tmp/corp{a.n // 1000}k" if a.n % 1000 == 0 else f"/tmp/corp{a.n}")
    output = workdir / "output"
    if not (a.reuse and (workdir / "content").is_dir()):
        make_corpus(a.n, workdir)
    if not (a.reuse and (output / "tim-kiem" / "index.html").is_file()):
        print(f"build: {build(workdir):.1f} s")
    print(index_size(output))
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
          "(other work on the machine slows the page down: compare runs at equal load)")
    server = serve(output)
    try:
        measure(server.server_address[1], tuple(a.query or QUERIES), a.runs)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
