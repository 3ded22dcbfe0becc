"""Time from saving an article to the browser's reload signal in ``sitegen serve``.

    python benchmarks/serve_bench.py SITE_DIR [--edits 5] [--pause 3]
                                     [--kind body|title|tag|date]

Starts ``sitegen serve`` on a free port, listens to its event stream like an open
page does, appends a line to one article several times, and prints how long each
edit took to reach the reload signal, and to show in the served page, and serve's peak
memory. ``--kind title`` changes the article's title instead (what other pages show of it:
its lists, neighbours and related articles are made again), ``tag`` its tags and ``date``
its date (as ``edit_bench.py`` does). The article is put back as it was at the end. Timing
only here, never in the test suite.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edit_bench import EDITS


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--pause", type=float, default=3.0,
                    help="seconds between edits (a writer's rhythm; serve tidies up when idle)")
    ap.add_argument("--kind", choices=("body", "title", "tag", "date"), default="body")
    args = ap.parse_args()
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--site", str(args.site),
                             "--port", "0"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    address = ""
    for line in proc.stdout:
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if m:
            address = m.group(1)
            break
    threading.Thread(target=lambda: [None for _ in proc.stdout or ()], daemon=True).start()
    events: list[float] = []
    stream = urllib.request.urlopen(address + "__sitegen/events", timeout=120)

    def listen() -> None:
        for raw in stream:
            if raw.startswith(b"data: "):
                events.append(time.perf_counter())

    threading.Thread(target=listen, daemon=True).start()
    time.sleep(1.0)
    article = sorted((args.site / "content").rglob("*.md"))[len(events) % 7 + 3]
    original = article.read_bytes()
    signal_s: list[float] = []
    shown_s: list[float] = []
    try:
        for i in range(args.edits):
            seen = len(events)
            marker = f"MARKER{i}X{time.time_ns()}"
            started = time.perf_counter()
            text = article.read_text(encoding="utf-8")
            if args.kind == "title":
                article.write_text(re.sub(r"^title:.*$", f'title: "Tiêu đề {marker}"', text,
                                          count=1, flags=re.M), encoding="utf-8")
            elif args.kind in ("tag", "date"):
                article.write_text(EDITS[args.kind](text, i), encoding="utf-8")
            else:
                with article.open("a", encoding="utf-8") as fh:
                    fh.write(f"\n\n{marker}\n")
            while len(events) == seen:
                time.sleep(0.005)
            signal_s.append(events[-1] - started)
            # The page the edit shows on: find it through the served search of the address.
            while True:
                html = urllib.request.urlopen(address, timeout=30).read().decode()
                if "sitegen-error" not in html:
                    break
            shown_s.append(time.perf_counter() - started)
            time.sleep(args.pause)
        peak = _peak_mb(proc.pid)
    finally:
        proc.terminate()
        article.write_bytes(original)
        proc.wait(10)
    n = sum(1 for _ in (args.site / "content").rglob("*.md"))
    print(f"{n} articles, {args.edits} edits of {article.name}")
    print(f"edit → reload signal: median {statistics.median(signal_s):.2f} s "
          f"(min {min(signal_s):.2f}, max {max(signal_s):.2f})")
    print(f"edit → page served again: median {statistics.median(shown_s):.2f} s")
    print(f"serve's peak resident memory (VmHWM): {peak:.0f} MB")


def _peak_mb(pid: int) -> float:
    """The process's peak resident set size so far, from /proc (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    main()
