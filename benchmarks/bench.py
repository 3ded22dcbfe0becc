#!/usr/bin/env python3
"""Time ``sitegen build`` on synthetic corpora of N articles, beside Pelican and Hugo.

    python benchmarks/bench.py 1000 10000 [--runs 3] [--peers pelican,hugo] [--floor]
                               [--work DIR] [--tmpfs] [--json FILE] [--builtin-corpus]

For each N:

1. the corpus: ``shared/bench/make_corpus.py N DIR --flavor sitegen --seed 1948`` when that
   script exists (next to the repository, or under ``$SITEGEN_SHARED``), else a small
   built-in generator (deterministic, Vietnamese, the five kinds), so that the benchmark
   runs from a clone alone; the repository's ``config.yaml`` is copied in (no templates:
   the installed default theme is used). The few articles whose addresses collide (long
   titles cut to the same 80-character slug) get a ``slug:`` of their own, as in
   ``search_bench.py``;
2. sitegen, RUNS times each: a cold build (no output, no ``.sitegen/`` cache, ``--clean``),
   a no-change rebuild, and a rebuild after one line was appended to one article; every
   build with ``--future`` (the corpus runs past today), each one a child process timed with
   ``os.wait4`` (wall clock, user+system CPU, peak RSS);
3. with ``--floor``, RUNS times, the two steps of ``floor.py`` on the same site: its
   Markdown alone, and its output's folders and files made anew. What they take bounds any
   cold build with this parser on this disk from below; the report sets it beside a quarter
   of Pelican's cold build;
4. the peers, when installed (``shared/bench/peers/setup.sh``): ``run_peers.sh N <peers>``,
   whose ``results-N.tsv`` is read back.

Prints one Markdown table (sitegen and the peers side by side), the ratios, the time per
article and its growth from the smallest to the largest N. ``--json FILE`` keeps the raw
numbers. Standard library only.

Peak RSS is ``ru_maxrss`` of the build's process tree as ``wait4`` reports it: the largest
*single* process (sitegen's main process or one of its forked readers, whichever peaked
higher), not the sum of the processes alive at one time. The peers' figure, from
``/usr/bin/time -v``, means the same.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SEED = 1948
PEER_NAMES = {"pelican": "Pelican", "hugo": "Hugo", "eleventy": "Eleventy"}
SECTIONS = {  # the sections of the repository's config.yaml, by kind
    "guong-dien-hinh": "model", "phong-trao-thi-dua": "movement", "ngay-ky-niem": "commemoration",
    "tin-tuc": "news", "van-ban": "document",
}
SLUG_MAX = 80  # sitegen.vn.slug.slugify's default length limit


# --- where things are ---------------------------------------------------------------------


def shared_dir() -> Path | None:
    """The folder holding ``make_corpus.py`` and ``peers/``: ``$SITEGEN_SHARED`` (either the
    ``shared`` folder or its ``bench`` folder), else ``<repo>/../shared/bench``."""
    env = os.environ.get("SITEGEN_SHARED", "").strip()
    candidates = [Path(env), Path(env) / "bench"] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "bench")
    return next((c for c in candidates if (c / "make_corpus.py").is_file()), None)


def peers_prefix() -> Path:
    return Path(os.environ.get("PEERS_PREFIX", "/tmp/sitegen-peers"))


def peer_binary(peer: str, prefix: Path) -> Path:
    return {
        "pelican": prefix / "venv" / "bin" / "pelican",
        "hugo": prefix / "hugo",
        "eleventy": prefix / "node" / "node_modules" / ".bin" / "eleventy",
    }[peer]


def fs_type(path: Path) -> str:
    """The file system ``path`` lives on, from /proc/mounts (longest matching mount point)."""
    best, kind = "", "?"
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return kind
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def load_avg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def git_state() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + (" + uncommitted changes" if dirty else "")


def code_fingerprint() -> str:
    """A hash of the sitegen code that ``python -m sitegen`` runs (and of the theme in
    ``templates/``): the repository is worked on while benchmarks run, and an editable install
    runs whatever is on disk at that moment."""
    spec = importlib.util.find_spec("sitegen")
    folders = [Path(spec.origin).parent] if spec and spec.origin else []
    folders.append(REPO / "templates")
    h = hashlib.sha1()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:10]


# --- the corpus -----------------------------------------------------------------------------


def ascii_slug(text: str) -> str:
    """sitegen's slug rule without its length limit: NFC, lower, đ → d, marks off, [a-z0-9-]."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "-".join(p for p in re.split(r"[^a-z0-9]+", text) if p)


def cut_slug(slug: str, limit: int = SLUG_MAX) -> str:
    """sitegen's length limit: cut at the last hyphen at or before ``limit``."""
    if len(slug) <= limit:
        return slug
    boundary = slug.rfind("-", 0, limit + 1)
    return slug[:boundary] if boundary > 0 else slug[:limit]


_TITLE = re.compile(r'^title: "((?:[^"\\]|\\.)*)"\s*$', re.M)
_SLUG = re.compile(r"^slug: (.+?)\s*$", re.M)
_DATE = re.compile(r"^date: (\d{4}-\d{2})", re.M)


def fix_collisions(content: Path) -> int:
    """Give every article whose address another one already has ``slug: <number>-<slug>``.

    The address is section/yyyy/mm/slug; the slug is cut to 80 characters, so two long titles
    that differ only in their "#number" end collide (2 of 10,000 in the seed-1948 corpus). The
    number goes first, as in ``search_bench.py``, so that the cut keeps it. make_corpus writes
    the title as a double-quoted YAML string on one line, which is all this reads.
    """
    seen: set[tuple[str, str, str]] = set()
    fixed = 0
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("---", 2)[1] if text.startswith("---") else ""
        title, slug_line, day = _TITLE.search(front), _SLUG.search(front), _DATE.search(front)
        if title is None or day is None:
            continue
        raw = slug_line.group(1) if slug_line else re.sub(r"\\(.)", r"\1", title.group(1))
        slug = cut_slug(ascii_slug(raw))
        key = (path.parent.name, day.group(1), slug)
        if key in seen:
            number = re.findall(r"\d+", path.stem)[-1]
            slug = cut_slug(ascii_slug(f"{number}-{slug}"))
            path.write_text(text.replace("---\n", f"---\nslug: {slug}\n", 1), encoding="utf-8")
            key = (key[0], key[1], slug)
            fixed += 1
        seen.add(key)
    return fixed


# The built-in generator: used when shared/bench/make_corpus.py is not there.
_SENTENCES = (
    "Quán triệt, triển khai kịp thời đến toàn thể cán bộ, công chức, viên chức và người lao động "
    "toàn ngành về công tác thi đua, khen thưởng.",
    "Công tác phát hiện, xây dựng, nhân rộng điển hình tiên tiến gắn liền với việc sơ kết, tổng kết "
    "các phong trào thi đua.",
    "Những gương điển hình tiên tiến được nhân rộng phải thực sự tiêu biểu, có sức lan tỏa trong "
    "đời sống xã hội.",
    "Trong năm, đơn vị đã đón hơn một triệu lượt khách tham quan Khu du lịch sinh thái Tràng An.",
    "Anh luôn tận tụy với công việc, chủ động đề xuất nhiều sáng kiến phục vụ du khách tại Cố đô Hoa Lư.",
    "Chị là tấm gương tiêu biểu trong việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Phong trào đã thu hút sự tham gia của hàng trăm doanh nghiệp lữ hành và hộ kinh doanh du lịch "
    "cộng đồng.",
    "Ban tổ chức đã biểu dương, khen thưởng mười lăm tập thể và hai mươi ba cá nhân có thành tích "
    "xuất sắc.",
    "Sáng kiến số hóa thuyết minh điểm đến bằng mã QR giúp du khách tra cứu thông tin về Tam Cốc – "
    "Bích Động.",
    "Ngành du lịch Ninh Bình phấn đấu trở thành ngành kinh tế mũi nhọn, phát triển nhanh và bền vững.",
)
_HEADINGS = ("Kết quả nổi bật", "Những việc làm thiết thực", "Bài học kinh nghiệm", "Phương hướng")
_NAMES = ("Nguyễn Văn An", "Trần Thị Hạnh", "Lê Minh Đức", "Phạm Thu Trang", "Đinh Thị Hoa",
          "Bùi Quang Sơn", "Hoàng Ngọc Lan", "Vũ Hữu Phúc")
_UNITS = ("Văn phòng Sở", "Phòng Quản lý du lịch", "Trung tâm Thông tin xúc tiến du lịch",
          "Ban Quản lý Quần thể danh thắng Tràng An", "Hiệp hội Du lịch Ninh Bình")
_TAGS = ("thi đua yêu nước", "điển hình tiên tiến", "người tốt việc tốt", "du lịch", "Tràng An",
         "Hoa Lư", "khen thưởng", "chuyển đổi số", "di sản", "cải cách hành chính")
_EVENTS = (("Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc", date(1948, 6, 11)),
           ("Ngày Du lịch Việt Nam", date(1960, 7, 9)),
           ("Ngày tái lập tỉnh Ninh Bình", date(1992, 4, 1)),
           ("Ngày sinh Chủ tịch Hồ Chí Minh", date(1890, 5, 19)))
_AWARDS = ("Bằng khen của Chủ tịch UBND tỉnh", "Chiến sĩ thi đua cơ sở", "Lao động tiên tiến")


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _body(rng: random.Random, words: int) -> str:
    parts: list[str] = []
    count = 0
    while count < words:
        roll = rng.random()
        if roll < 0.12:
            block = "## " + rng.choice(_HEADINGS)
        elif roll < 0.22:
            block = "\n".join("- " + rng.choice(_SENTENCES) for _ in range(rng.randint(2, 4)))
        elif roll < 0.26:
            block = "| Đơn vị | Tập thể | Cá nhân |\n|---|---:|---:|\n" + "\n".join(
                f"| {rng.choice(_UNITS)} | {rng.randint(1, 40)} | {rng.randint(1, 12)} |" for _ in range(3))
        else:
            block = " ".join(rng.choice(_SENTENCES) for _ in range(rng.randint(2, 5)))
        parts.append(block)
        count += len(block.split())
    return "\n\n".join(parts) + "\n"


def builtin_corpus(n: int, site: Path, seed: int = SEED) -> None:
    """N articles over the five kinds, dated 2015–2026; same N and seed, same bytes."""
    rng = random.Random(seed)
    sections = list(SECTIONS)
    for i in range(n):
        section = sections[i % len(sections)]
        kind = SECTIONS[section]
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(12 * 365))
        tags = sorted({rng.choice(_TAGS) for _ in range(rng.randint(1, 3))})
        extra: list[str] = []
        if kind == "model":
            who = rng.choice(_NAMES)
            title = f"Gương sáng {who} #{i}"
            extra = [f"subject: {_q(who)}", "subject_kind: ca-nhan", "awards:",
                     f"  - name: {_q(rng.choice(_AWARDS))}", f"    year: {day.year}"]
        elif kind == "movement":
            title = f"Phong trào thi đua \"{rng.choice(_TAGS)}\" năm {day.year} #{i}"
            extra = [f"launched_by: {_q('UBND tỉnh Ninh Bình')}", f"start: {day.isoformat()}",
                     f"end: {date(day.year, 12, 31).isoformat()}"]
        elif kind == "commemoration":
            event, origin = rng.choice(_EVENTS)
            title = f"Kỷ niệm {max(day.year - origin.year, 1)} năm {event} #{i}"
            extra = [f"event: {_q(event)}", f"event_date: {origin.isoformat()}"]
        elif kind == "news":
            title = f"Tin hoạt động: {rng.choice(_HEADINGS).lower()} tại {rng.choice(_UNITS)} #{i}"
        else:
            title = f"Kế hoạch số {i}/KH-SDL về công tác thi đua, khen thưởng năm {day.year}"
            extra = [f"number: {_q(f'{i}/KH-SDL')}", f"issued: {day.isoformat()}",
                     f"issuer: {_q('Sở Du lịch tỉnh Ninh Bình')}"]
        front = [f"title: {_q(title)}", f"date: {day.isoformat()}",
                 f"summary: {_q(rng.choice(_SENTENCES))}",
                 "tags: [" + ", ".join(_q(t) for t in tags) + "]", f"unit: {_q(rng.choice(_UNITS))}",
                 *extra]
        path = site / "content" / section / f"{day.year}-{cut_slug(ascii_slug(title), 60)}-{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + "\n".join(front) + "\n---\n\n" + _body(rng, rng.randint(400, 1200)),
                        encoding="utf-8")


def make_corpus(n: int, site: Path, builtin: bool) -> str:
    """Make (or reuse) the sitegen corpus of ``n`` articles in ``site``; describe it."""
    shared = None if builtin else shared_dir()
    script = shared / "make_corpus.py" if shared else None
    recipe = (f"{script} sha1:{hashlib.sha1(script.read_bytes()).hexdigest()[:12]}" if script
              else f"built-in sha1:{hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]}")
    signature = f"{recipe} n={n} seed={SEED}\n"
    marker = site / ".corpus-ok"
    if not (marker.is_file() and marker.read_text(encoding="utf-8") == signature):
        shutil.rmtree(site, ignore_errors=True)
        site.mkdir(parents=True)
        if script:
            subprocess.run([sys.executable, str(script), str(n), str(site), "--flavor", "sitegen",
                            "--seed", str(SEED)], check=True, stdout=subprocess.DEVNULL)
        else:
            builtin_corpus(n, site)
        count = fix_collisions(site / "content")
        (site / ".collisions-fixed").write_text(f"{count}\n", encoding="utf-8")
        marker.write_text(signature, encoding="utf-8")
    shutil.copy(REPO / "config.yaml", site / "config.yaml")
    fixed = (site / ".collisions-fixed").read_text(encoding="utf-8").strip()
    source = f"make_corpus.py --seed {SEED}" if script else f"built-in generator, seed {SEED}"
    return f"{source}; {fixed} article(s) given a slug of their own"


# --- timing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One timed build: wall seconds, user+system CPU seconds, peak RSS of one process (MB)."""

    wall: float
    cpu: float
    rss_mb: float


class BuildFailed(RuntimeError):
    pass


def timed(cmd: Sequence[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` as a child, its output appended to ``log``; raise BuildFailed if it fails.

    ``os.wait4`` gives the child's rusage including its reaped descendants: ru_maxrss is the
    peak of the largest single process of that tree (Linux keeps the max, not a sum).
    """
    with log.open("ab") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-8:]
        raise BuildFailed(f"{' '.join(cmd)} exited with {proc.returncode}:\n  " + "\n  ".join(tail))
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024)


@dataclass
class Figures:
    """median, min, max of a list of numbers (NaN when empty)."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Figures:
        if not values:
            nan = float("nan")
            return cls(nan, nan, nan)
        return cls(statistics.median(values), min(values), max(values))

    def text(self, digits: int = 2) -> str:
        if self.median != self.median:  # NaN
            return "–"
        return f"{self.median:.{digits}f} ({self.low:.{digits}f}–{self.high:.{digits}f})"


@dataclass
class SitegenResult:
    n: int
    corpus: str
    cold: list[Run] = field(default_factory=list)
    nochange: list[Run] = field(default_factory=list)
    edit: list[Run] = field(default_factory=list)
    floor_markdown: list[Run] = field(default_factory=list)
    floor_files: list[Run] = field(default_factory=list)
    floor_workers: int = 0
    floor_error: str | None = None
    html_files: int = 0
    all_files: int = 0
    load_before: str = ""
    load_after: str = ""
    code_before: str = ""
    code_after: str = ""
    error: str | None = None


def sitegen_cmd(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--output",
            str(site / "output"), "--future", "--quiet", *extra]


def sitegen_env() -> dict[str, str]:
    """sitegen's environment, its modules byte-compiled first, as on a normal install.

    An editable install has no compiled modules until they are imported, and a machine
    that sets PYTHONDONTWRITEBYTECODE (this one does) would compile sitegen's forty modules
    at every run (+0.04 s); pip compiles an installed package's modules, Pelican's included.
    """
    spec = importlib.util.find_spec("sitegen")
    if spec and spec.origin:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(spec.origin).parent)],
                       check=False, stdout=subprocess.DEVNULL)
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def clear_build(site: Path) -> None:
    """No output, no staging leftovers, no read cache: a cold start for sitegen (not the disk)."""
    for p in [site / "output", site / ".sitegen", *site.glob(".output.staging-*"),
              *site.glob(".output.old-*")]:
        shutil.rmtree(p, ignore_errors=True)
    os.sync()


def append_line(article: Path, label: str) -> None:
    """The edit run_peers.sh makes: one line appended to the article."""
    with article.open("a", encoding="utf-8") as fh:
        fh.write(f"\nDòng sửa số {label} lúc {time.time_ns()}.\n")


FLOOR_DIR = ".floor-files"  # floor.py's FLOOR_DIR, which it makes and this removes


def floor_step(step: str, site: Path, env: dict[str, str]) -> tuple[Run, int]:
    """One step of floor.py on ``site``: its wall and CPU seconds, and how many of its
    processes could run at once (its processes, at most the CPUs)."""
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "floor.py"), step, str(site)],
                          env=env, stdout=subprocess.PIPE, text=True, check=False)
    try:
        if done.returncode != 0:
            raise ValueError(f"exited with {done.returncode}")
        got = json.loads(done.stdout)
        return (Run(wall=float(got["wall"]), cpu=float(got["cpu"]), rss_mb=0.0),
                min(int(got["workers"]), int(got["cpus"])))
    except (ValueError, KeyError, TypeError) as exc:
        raise BuildFailed(f"floor.py {step} {site}: {exc}") from None


def bench_floor(result: SitegenResult, site: Path, runs: int, env: dict[str, str]) -> None:
    """floor.py's two steps, ``runs`` times each, into ``result``; the files removed each time."""
    for i in range(1, runs + 1):
        md, result.floor_workers = floor_step("markdown", site, env)
        files, _ = floor_step("files", site, env)
        shutil.rmtree(site / FLOOR_DIR, ignore_errors=True)
        os.sync()
        result.floor_markdown.append(md)
        result.floor_files.append(files)
        print(f"[floor N={result.n}] #{i}: Markdown {md.wall:.2f} s, files {files.wall:.2f} s",
              file=sys.stderr, flush=True)


def bench_sitegen(n: int, work: Path, runs: int, builtin: bool, floor: bool = False) -> SitegenResult:
    site = work / f"sitegen-{n}"
    print(f"[sitegen N={n}] corpus in {site} …", file=sys.stderr, flush=True)
    result = SitegenResult(n=n, corpus=make_corpus(n, site, builtin))
    articles = sorted((site / "content").rglob("*.md"))
    article = articles[len(articles) // 2]
    original = article.read_bytes()
    log = site / "bench.log"
    log.write_text("", encoding="utf-8")
    result.load_before = load_avg()
    result.code_before = code_fingerprint()
    env = sitegen_env()
    try:
        for i in range(1, runs + 1):
            clear_build(site)
            run = timed(sitegen_cmd(site, "--clean"), log, env)
            result.cold.append(run)
            print(f"[sitegen N={n}] cold #{i}: {run.wall:.2f} s, CPU {run.cpu:.2f} s, "
                  f"{run.rss_mb:.0f} MB", file=sys.stderr, flush=True)
        out = site / "output"
        result.all_files = sum(1 for p in out.rglob("*") if p.is_file())
        result.html_files = sum(1 for _ in out.rglob("*.html"))
        for i in range(1, runs + 1):
            run = timed(sitegen_cmd(site), log, env)
            result.nochange.append(run)
            print(f"[sitegen N={n}] no-change #{i}: {run.wall:.2f} s", file=sys.stderr, flush=True)
        for i in range(1, runs + 1):
            append_line(article, str(i))
            run = timed(sitegen_cmd(site), log, env)
            result.edit.append(run)
            print(f"[sitegen N={n}] edit #{i}: {run.wall:.2f} s", file=sys.stderr, flush=True)
    except BuildFailed as exc:
        result.error = str(exc)
        print(f"[sitegen N={n}] FAILED: {exc}", file=sys.stderr)
    finally:
        article.write_bytes(original)  # leave the corpus as generated
    if floor and result.error is None:
        try:
            bench_floor(result, site, runs, env)
        except BuildFailed as exc:  # the floor's, not sitegen's: reported apart
            result.floor_error = str(exc)
            print(f"[floor N={n}] FAILED: {exc}", file=sys.stderr)
    result.load_after = load_avg()
    result.code_after = code_fingerprint()
    return result


# --- peers ----------------------------------------------------------------------------------


@dataclass
class PeerResult:
    peer: str
    n: int
    cold: Figures
    ms_per_article: float
    cpu: float
    rss_mb: float
    edit: Figures
    watch: str
    html_files: str
    all_files: str
    note: str = ""


def _num(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def parse_results(path: Path, n: int) -> list[PeerResult]:
    """Rows of run_peers.sh's results-N.tsv (a failed peer has three fields: peer, N, why)."""
    rows: list[PeerResult] = []
    nan = float("nan")
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) < 5:
            note = f[2] if len(f) > 2 else "failed"
            rows.append(PeerResult(f[0], n, Figures(nan, nan, nan), nan, nan, nan,
                                   Figures(nan, nan, nan), "-", "", "", note))
            continue
        f += [""] * (14 - len(f))
        rows.append(PeerResult(
            peer=f[0], n=int(f[1]), cold=Figures(_num(f[2]), _num(f[3]), _num(f[4])),
            ms_per_article=_num(f[5]), cpu=_num(f[6]), rss_mb=_num(f[7]),
            edit=Figures(_num(f[8]), _num(f[9]), _num(f[10])), watch=f[11], html_files=f[12],
            all_files=f[13]))
    return rows


def bench_peers(n: int, peers: Sequence[str], runs: int, peers_work: Path | None) -> list[PeerResult]:
    shared = shared_dir()
    script = shared / "peers" / "run_peers.sh" if shared else None
    if script is None or not script.is_file():
        print("[peers] run_peers.sh not found; peers skipped", file=sys.stderr)
        return []
    env = dict(os.environ, RUNS=str(runs), PEERS_PREFIX=str(peers_prefix()))
    if peers_work is not None:
        env["PEERS_WORK"] = str(peers_work)
    work = Path(env.get("PEERS_WORK") or peers_prefix() / "work")
    print(f"[peers N={n}] run_peers.sh {n} {' '.join(peers)} (work: {work}) …", file=sys.stderr, flush=True)
    # Its table goes to stdout; its progress (stderr) is shown as it comes.
    done = subprocess.run(["bash", str(script), str(n), *peers], env=env, stdout=subprocess.PIPE,
                          text=True, check=False)
    results = work / f"results-{n}.tsv"
    if done.returncode != 0:
        print(f"[peers N={n}] run_peers.sh exited with {done.returncode}", file=sys.stderr)
    if not results.is_file():
        return []
    return parse_results(results, n)


# --- report ---------------------------------------------------------------------------------


def _ratio(a: float, b: float) -> str:
    if a != a or b != b or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def sitegen_ms_per_article(r: SitegenResult) -> float:
    return Figures.of([x.wall for x in r.cold]).median * 1000 / r.n


def floor_bound(md: Run, files: Run, workers: int) -> float:
    """The least a cold build can take: each step alone, and both steps' CPU spread over
    ``workers`` processes running at once, even if the steps overlapped perfectly."""
    return max(md.wall, files.wall, (md.cpu + files.cpu) / max(workers, 1))


def floor_row(r: SitegenResult, pelican: PeerResult | None) -> str:
    """The floor table's row for ``r`` (medians of its floor runs)."""
    def median(runs: list[Run]) -> Run:
        return Run(statistics.median(x.wall for x in runs), statistics.median(x.cpu for x in runs), 0.0)

    md, files = median(r.floor_markdown), median(r.floor_files)
    pel = pelican.cold.median if pelican else float("nan")
    known = pel == pel  # not NaN: Pelican ran and has a median
    return (f"| {r.n} | {md.wall:.2f} ({md.cpu:.2f}) | {files.wall:.2f} ({files.cpu:.2f}) "
            f"| {floor_bound(md, files, r.floor_workers):.2f} "
            f"| {Figures.of([x.wall for x in r.cold]).median:.2f} "
            f"| {f'{pel:.2f}' if known else '–'} | {f'{pel / 4:.2f}' if known else '–'} |")


def report(sitegen: list[SitegenResult], peers: list[PeerResult], runs: int) -> str:
    lines = [
        "| generator | N | cold s, median (min–max) | ms/article (cold) | cold CPU s | peak RSS MB "
        "| no-change rebuild s | one-edit rebuild s | HTML files | all files |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ns = sorted({r.n for r in sitegen} | {p.n for p in peers})
    for n in ns:
        for r in (x for x in sitegen if x.n == n):
            if r.error and not r.cold:
                lines.append(f"| sitegen | {n} | failed | | | | | | | |")
                continue
            cold = Figures.of([x.wall for x in r.cold])
            cpu = statistics.median([x.cpu for x in r.cold])
            rss = max(x.rss_mb for x in [*r.cold, *r.nochange, *r.edit])
            lines.append(
                f"| **sitegen** | {n} | {cold.text()} | {sitegen_ms_per_article(r):.2f} | {cpu:.2f} "
                f"| {rss:.0f} | {Figures.of([x.wall for x in r.nochange]).text()} "
                f"| {Figures.of([x.wall for x in r.edit]).text()} | {r.html_files} | {r.all_files} |")
        for p in (x for x in peers if x.n == n):
            name = PEER_NAMES.get(p.peer, p.peer)
            if p.note and p.cold.median != p.cold.median:
                lines.append(f"| {name} | {n} | {p.note} | | | | | | | |")
                continue
            lines.append(
                f"| {name} | {n} | {p.cold.text()} | {p.ms_per_article:.2f} | {p.cpu:.2f} "
                f"| {p.rss_mb:.0f} | – | {p.edit.text()} | {p.html_files} | {p.all_files} |")
    out = ["\n".join(lines)]

    ratio_rows = []
    for n in ns:
        mine = next((x for x in sitegen if x.n == n and x.cold), None)
        if mine is None:
            continue
        by = {p.peer: p for p in peers if p.n == n}
        if not by:
            continue
        cold_s = Figures.of([x.wall for x in mine.cold]).median
        edit_s = Figures.of([x.wall for x in mine.edit]).median
        nan = float("nan")
        pel, hug = by.get("pelican"), by.get("hugo")
        ratio_rows.append(
            f"| {n} | {_ratio(cold_s, pel.cold.median if pel else nan)} "
            f"| {_ratio(cold_s, hug.cold.median if hug else nan)} "
            f"| {_ratio(edit_s, pel.edit.median if pel else nan)} "
            f"| {_ratio(edit_s, hug.edit.median if hug else nan)} |")
    if ratio_rows:
        out.append("Ratios of medians (below 1: sitegen is faster):\n\n"
                   "| N | sitegen cold / Pelican cold | sitegen cold / Hugo cold "
                   "| sitegen edit / Pelican edit | sitegen edit / Hugo edit |\n"
                   "|---:|---:|---:|---:|---:|\n" + "\n".join(ratio_rows))

    floors = [floor_row(r, next((p for p in peers if p.n == r.n and p.peer == "pelican"), None))
              for r in sitegen if r.floor_markdown]
    if floors:
        out.append("Floor (`benchmarks/floor.py`, medians): the site's Markdown alone, and its "
                   "output's folders and files made anew, each over the build's processes. "
                   "bound = max(Markdown, files, their CPU / the processes that run at once): "
                   "no cold build with this parser on this disk takes less.\n\n"
                   "| N | Markdown s (CPU) | output files s (CPU) | bound s | sitegen cold s "
                   "| Pelican cold s | ¼ of Pelican's s |\n"
                   "|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(floors))

    if len(ns) > 1:
        lo, hi = ns[0], ns[-1]
        growth = []
        per: dict[str, dict[int, float]] = {"sitegen": {r.n: sitegen_ms_per_article(r)
                                                        for r in sitegen if r.cold}}
        for p in peers:
            if p.ms_per_article == p.ms_per_article:
                per.setdefault(PEER_NAMES.get(p.peer, p.peer), {})[p.n] = p.ms_per_article
        for name, by_n in per.items():
            if lo in by_n and hi in by_n:
                pct = (by_n[hi] - by_n[lo]) / by_n[lo] * 100
                growth.append(f"| {name} | {by_n[lo]:.2f} | {by_n[hi]:.2f} | {pct:+.0f} % |")
        if growth:
            out.append(f"Time per article (cold median / N), N={lo} → N={hi}:\n\n"
                       f"| generator | ms/article at {lo} | ms/article at {hi} | growth |\n"
                       "|---|---:|---:|---:|\n" + "\n".join(growth))
    plural = "s" if runs > 1 else ""
    out.append(
        f"{runs} run{plural} each. Wall seconds from process start to exit (interpreter start-up "
        "included). cold: no output, no cache (sitegen: `--clean`, `.sitegen/` removed; the OS "
        "page cache is not dropped). no-change: a second build, nothing edited (sitegen only). "
        "one-edit: a line appended to one article, then a build over the existing output and cache "
        "(Pelican with its content cache; Hugo has no incremental CLI build). peak RSS: the largest "
        "single process of the build (sitegen: the maximum over all its runs, main process or one "
        "of its forked readers, not their sum); peers: median of the cold runs.")
    return "\n\n".join(out)


# --- main -----------------------------------------------------------------------------------


def mount_tmpfs(path: Path) -> bool:
    """Mount a tmpfs on ``path`` unless it is one already; True if this call mounted it."""
    path.mkdir(parents=True, exist_ok=True)
    if os.path.ismount(path):
        return False
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8g", "tmpfs", str(path)], check=True)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, nargs="+", help="number of articles (several: one run per N)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    ap.add_argument("--peers", default="", help="comma-separated peers: pelican,hugo[,eleventy]")
    ap.add_argument("--floor", action="store_true",
                    help="also time floor.py's Markdown-alone and files-alone steps on each site")
    ap.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench"),
                    help="folder for the corpora and outputs (default /tmp/sitegen-bench)")
    ap.add_argument("--tmpfs", action="store_true",
                    help="mount a tmpfs on --work (root) and run the peers inside it too")
    ap.add_argument("--json", type=Path, help="write the raw numbers to this file")
    ap.add_argument("--builtin-corpus", action="store_true",
                    help="use the built-in generator even when make_corpus.py is there")
    args = ap.parse_args(argv)
    if args.runs < 1 or any(n < 1 for n in args.n):
        ap.error("N and --runs must be positive")
    wanted = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in PEER_NAMES]
    if unknown:
        ap.error(f"unknown peer(s): {', '.join(unknown)}")

    work: Path = args.work.resolve()
    mounted = mount_tmpfs(work) if args.tmpfs else False
    work.mkdir(parents=True, exist_ok=True)
    peers_work = work / "peers" if args.tmpfs else None
    prefix = peers_prefix()
    missing = [p for p in wanted if not os.access(peer_binary(p, prefix), os.X_OK)]
    peers = [p for p in wanted if p not in missing]
    shared = shared_dir()
    notes: list[str] = []
    if missing:
        notes.append(f"Peers not installed under {prefix}: {', '.join(missing)} (install: "
                     "`bash ../shared/bench/peers/setup.sh`); sitegen shown without them.")
    if peers and (shared is None or not (shared / "peers" / "run_peers.sh").is_file()):
        notes.append("shared/bench/peers/run_peers.sh not found: peers skipped.")
        peers = []
    if not wanted:
        notes.append("No peers asked for (--peers pelican,hugo): sitegen alone.")

    code_before = code_fingerprint()
    jobs = os.environ.get("SITEGEN_JOBS") or str(len(os.sched_getaffinity(0)))
    peer_storage = fs_type(peers_work or prefix / "work") if peers else "-"
    header = (f"{datetime.now(UTC):%Y-%m-%dT%H:%MZ} · {platform.node()} · "
              f"{os.cpu_count()} CPUs · Python {platform.python_version()} · sitegen {git_state()} "
              f"(code {code_before}) · "
              f"SITEGEN_JOBS={jobs} · work: {work} ({fs_type(work)}); peers' work: {peer_storage} · "
              f"load average at start: {load_avg()}")
    print(f"# {header}", file=sys.stderr, flush=True)

    results: list[SitegenResult] = []
    peer_rows: list[PeerResult] = []
    peer_loads: dict[int, tuple[str, str]] = {}
    try:
        for n in args.n:
            results.append(bench_sitegen(n, work, args.runs, args.builtin_corpus, args.floor))
            if peers:
                before = load_avg()
                peer_rows.extend(bench_peers(n, peers, args.runs, peers_work))
                peer_loads[n] = (before, load_avg())
    finally:
        if mounted:
            subprocess.run(["umount", str(work)], check=False)

    for r in results:
        if r.code_after != r.code_before:
            notes.append(f"N={r.n}: sitegen's code or theme changed on disk while sitegen was timed "
                         f"(code {r.code_before} → {r.code_after}): its figures may mix two versions.")
    if code_fingerprint() != code_before:
        notes.append(f"sitegen's code changed during this invocation (code {code_before} → "
                     f"{code_fingerprint()}); each N's sitegen block above says if it was affected.")
    print()
    print(f"Benchmark: {header}")
    print()
    for r in results:
        load = f"load average {r.load_before} → {r.load_after}"
        if r.n in peer_loads:
            load += f"; peers {peer_loads[r.n][0]} → {peer_loads[r.n][1]}"
        print(f"- N={r.n}: corpus {r.corpus}; sitegen code {r.code_before}; {load}")
        if r.error:
            print(f"- N={r.n}: sitegen failed: {r.error}")
        if r.floor_error:
            print(f"- N={r.n}: the floor was not measured: {r.floor_error}")
    for note in notes:
        print(f"- {note}")
    print()
    print(report(results, peer_rows, args.runs))

    if args.json:
        data: dict[str, Any] = {
            "header": header, "runs": args.runs, "work": str(work), "notes": notes,
            "sitegen": [asdict(r) for r in results],
            "peers": [asdict(p) for p in peer_rows],
            "peer_load": {str(k): v for k, v in peer_loads.items()},
        }
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nraw numbers: {args.json}", file=sys.stderr)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
