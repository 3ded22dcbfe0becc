#!/usr/bin/env python3
"""Time one-article changes of each kind on a built site: what writers do all day.

    python benchmarks/edit_bench.py SITE [--runs 5] [--kinds body,title,tag,date,unit,summary]
                                         [--json FILE]

SITE is a site folder already built once (``bench.py`` leaves its corpora in
``/tmp/sitegen-bench/sitegen-N``; a cold build is made first when it has no output). For
each kind, RUNS times: one article (a different one each run, from the middle of the list
in name order) has its body, title, a tag, its date, its unit or its summary changed, then
``sitegen build --future`` runs over the existing output and cache, timed as a child
process (wall clock, user+system CPU, peak RSS, as ``bench.py``). The article is put back
and built again (untimed) before the next run, so that each run changes one thing.

Prints one Markdown table: per kind the median (min–max) of the wall clock and the CPU
seconds, and how many files the build wrote anew (from its summary line). Standard library
only, and ``bench.py`` beside it.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench

#: The tags and units an edit moves an article to (those of the repository's config.yaml).
OTHER_TAG = "du lịch xanh"
OTHER_UNIT = "Văn phòng Sở"


def _front(text: str, key: str, value: Callable[[str], str]) -> str:
    """``text`` with the front-matter line ``key: …`` replaced by ``key: value(old)``."""
    head, sep, body = text.partition("\n---\n")
    pattern = re.compile(rf"^{key}:[ \t]*(.*)$", re.M)
    if pattern.search(head):
        head = pattern.sub(lambda m: f"{key}: {value(m.group(1))}", head, count=1)
    else:
        head += f"\n{key}: {value('')}"
    return head + sep + body


def _shift_date(old: str) -> str:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", old.strip().strip('"'))
    if not match:
        return "2021-05-19"
    year, month, day = (int(g) for g in match.groups())
    return f"{year}-{month:02d}-{(day % 27) + 1:02d}"


EDITS: dict[str, Callable[[str, int], str]] = {
    "body": lambda text, i: text.rstrip("\n") + f"\n\nMột dòng thêm vào lần {i}.\n",
    "title": lambda text, i: _front(text, "title",
                                    lambda old: old[:-1] + f" (sửa {i})\"" if old.endswith('"')
                                    else f"{old} (sửa {i})"),
    "tag": lambda text, i: _front(text, "tags", lambda old: f'["{OTHER_TAG}", "sửa {i}"]'),
    "date": lambda text, i: _front(text, "date", _shift_date),
    "unit": lambda text, i: _front(text, "unit", lambda old: f'"{OTHER_UNIT}"'),
    "summary": lambda text, i: _front(text, "summary", lambda old: f'"Tóm tắt đã sửa lần {i}."'),
}


def written(log: Path) -> int:
    """Files written anew by the last build, from its summary line ("… (K không đổi)")."""
    found = re.findall(r"ghi (\d+) tệp \((\d+) không đổi\)", log.read_text(encoding="utf-8"))
    return int(found[-1][0]) - int(found[-1][1]) if found else -1


def run_kind(site: Path, kind: str, runs: int, env: dict[str, str]) -> dict[str, object]:
    articles = sorted((site / "content").rglob("*.md"))
    log = site / "edit-bench.log"
    walls, cpus, rss, files = [], [], [], []
    for i in range(runs):
        article = articles[len(articles) // 2 + 37 * i]
        original = article.read_text(encoding="utf-8")
        article.write_text(EDITS[kind](original, i + 1), encoding="utf-8")
        try:
            log.write_text("", encoding="utf-8")
            run = bench.timed([*bench.sitegen_cmd(site)[:-1]], log, env)  # without --quiet
            walls.append(run.wall)
            cpus.append(run.cpu)
            rss.append(run.rss_mb)
            files.append(written(log))
            print(f"[{kind} #{i + 1}] {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, "
                  f"{files[-1]} files written", file=sys.stderr, flush=True)
        finally:
            article.write_text(original, encoding="utf-8")
            bench.timed(bench.sitegen_cmd(site), log, env)
    return {"kind": kind, "wall": walls, "cpu": cpus, "rss_mb": rss, "written": files}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kinds", default=",".join(EDITS))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    site: Path = args.site.resolve()
    env = bench.sitegen_env()
    log = site / "edit-bench.log"
    log.write_text("", encoding="utf-8")
    if not (site / "output").is_dir():
        bench.timed(bench.sitegen_cmd(site), log, env)
    nochange = [bench.timed(bench.sitegen_cmd(site), log, env) for _ in range(args.runs)]
    results = [run_kind(site, kind, args.runs, env) for kind in args.kinds.split(",")]
    print(f"\nload average {bench.load_avg()}; {bench.git_state()}\n")
    print("| change of one article | wall s, median (min–max) | CPU s, median | files written |")
    print("| --- | --- | --- | --- |")
    print(f"| none | {bench.Figures.of([r.wall for r in nochange]).text()} "
          f"| {statistics.median(r.cpu for r in nochange):.2f} | 0 |")
    for r in results:
        walls, cpus = r["wall"], r["cpu"]
        assert isinstance(walls, list) and isinstance(cpus, list)
        print(f"| {r['kind']} | {bench.Figures.of(walls).text()} | {statistics.median(cpus):.2f} "
              f"| {statistics.median(r['written'])} |")  # type: ignore[arg-type]
    if args.json:
        args.json.write_text(json.dumps({"nochange": [r.wall for r in nochange],
                                         "kinds": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
