"""The ``sitegen`` command: arguments in, messages and an exit code out.

Exit codes: 0 success; 1 the content has errors (the writer can fix them);
2 the command line or ``config.yaml`` is wrong, or the output cannot be used.
A writer's mistake is printed as one clear Vietnamese message, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from sitegen import __version__
from sitegen.core.config import KINDS, Config, load_config
from sitegen.core.errors import (
    ConfigError,
    ContentError,
    Level,
    OutputError,
    Problem,
    ProblemsError,
    SitegenError,
)

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class VietnameseParser(argparse.ArgumentParser):
    """argparse, with its error line in Vietnamese."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi cú pháp lệnh: {message}\n")


def _site_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", type=Path, default=Path("."),
                   help="thư mục của trang, nơi có config.yaml (mặc định: thư mục hiện tại)")


def _parser() -> argparse.ArgumentParser:
    parser = VietnameseParser(
        prog="sitegen", description="Dựng trang tuyên truyền tĩnh từ các bài viết Markdown.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH",
                                parser_class=VietnameseParser)

    b = sub.add_parser("build", help="dựng trang vào thư mục output/")
    _site_arg(b)
    b.add_argument("--output", type=Path, help="thư mục xuất (mặc định: <site>/output)")
    b.add_argument("--base-url", help="địa chỉ công khai của trang, thay cho base_url trong config")
    b.add_argument("--drafts", action="store_true", help="dựng cả bản nháp (draft: true)")
    b.add_argument("--future", action="store_true", help="dựng cả bài hẹn ngày đăng sau hôm nay")
    b.add_argument("--quiet", "-q", action="store_true", help="chỉ in lỗi và dòng tổng kết")
    b.add_argument("--clean", action="store_true",
                   help="không dùng bộ nhớ đệm .sitegen/ (đọc lại mọi bài)")

    c = sub.add_parser("check", help="kiểm tra mọi bài viết, không ghi gì")
    _site_arg(c)
    c.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    c.add_argument("--quiet", "-q", action="store_true", help="chỉ in lỗi và dòng tổng kết")

    n = sub.add_parser("new", help="tạo bài viết mới (bản nháp) theo mẫu")
    n.add_argument("kind", metavar="LOẠI",
                   help="loại bài (" + ", ".join(KINDS) + ") hoặc tên chuyên mục")
    n.add_argument("title", metavar="TIÊU_ĐỀ", help='tiêu đề bài, trong ngoặc kép: "Tiêu đề"')
    _site_arg(n)
    n.add_argument("--bundle", action="store_true",
                   help="tạo thư mục riêng cho bài để đặt ảnh, tệp đính kèm bên cạnh")

    s = sub.add_parser("serve", help="xem trước trang trên máy, tự dựng lại khi sửa bài")
    _site_arg(s)
    s.add_argument("--port", type=int, default=8000, help="cổng (mặc định 8000; 0 = tự chọn)")

    r = sub.add_parser("report", help="báo cáo năm cho Văn phòng Sở (danh sách gửi Sở Nội vụ)")
    _site_arg(r)
    r.add_argument("--year", type=int, required=True, help="năm báo cáo, ví dụ 2025")
    r.add_argument("--format", choices=("text", "csv", "html"), default="text",
                   help="định dạng: text (mặc định), csv (gửi Sở Nội vụ), html (in A4)")
    r.add_argument("--output", type=Path, help="ghi vào tệp thay vì in ra màn hình")
    return parser


def print_problems(problems: Sequence[Problem], out: TextIO, *, wrote_nothing: bool = True) -> None:
    """Print errors first, then warnings, one per line, and a count of errors."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for p in errors + warnings:
        print(p.format(), file=out)
    if errors:
        files = len({p.path for p in errors})
        tail = "; chưa dựng gì, thư mục output/ giữ nguyên." if wrote_nothing else "."
        print(f"Có {len(errors)} lỗi trong {files} tệp{tail}", file=out)


def terminal_progress(out: TextIO, after: float = 1.0) -> Callable[[str, int, int], None]:
    """A progress line on a terminal, shown only once a stage has taken ``after`` seconds."""
    started = time.monotonic()

    def show(stage: str, done: int, total: int) -> None:
        if time.monotonic() - started >= after:
            print(f"\r{stage}: {done}/{total}   ", end="", file=out, flush=True)

    return show


def _progress(args: argparse.Namespace) -> Callable[[str, int, int], None] | None:
    quiet = getattr(args, "quiet", False)
    return None if quiet or not sys.stderr.isatty() else terminal_progress(sys.stderr)


def _clear_progress(args: argparse.Namespace) -> None:
    if _progress(args) is not None:
        print("\r\033[K", end="", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it)."""
    args = _parser().parse_args(argv)
    try:
        # Imported here, inside the try: a Ctrl-C while they load is still a clean stop.
        from sitegen.pipeline import BuildOptions, build

        if args.command == "new":
            return _new(args)
        config, warnings = load_config(args.site, base_url=getattr(args, "base_url", None),
                                       output=getattr(args, "output", None)
                                       if args.command == "build" else None)
        if args.command == "build":
            report = build(config, BuildOptions(drafts=args.drafts, future=args.future,
                                                clean=args.clean),
                           progress=_progress(args))
            _clear_progress(args)
            print_problems([*warnings, *report.warnings], sys.stderr)
            print(report.summary())
            return EXIT_OK
        if args.command == "check":
            return _check(args, config, warnings)
        if args.command == "serve":
            from sitegen.commands.serve import serve

            return serve(args.site, config, args.port)
        if args.command == "report":
            return _report(args, config)
    except ConfigError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_USAGE
    except (ContentError, ProblemsError) as exc:
        _clear_progress(args)
        print_problems(exc.problems, sys.stderr, wrote_nothing=args.command == "build")
        return EXIT_CONTENT
    except OutputError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"lỗi: không đọc/ghi được {exc.filename or ''}: {exc.strerror}. "
              "Thư mục output/ giữ nguyên.", file=sys.stderr)
        return EXIT_USAGE
    except SitegenError as exc:  # e.g. the build cache damaged twice in one build
        print(f"lỗi: {exc}. Thư mục output/ giữ nguyên. Cách sửa: chạy lại với --clean.",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nĐã dừng theo yêu cầu; thư mục output/ giữ nguyên.", file=sys.stderr)
        return 130
    return EXIT_USAGE


def _check(args: argparse.Namespace, config: Config, warnings: Sequence[Problem]) -> int:
    from sitegen.pipeline import BuildOptions, render

    started = time.perf_counter()
    # Check what a build would publish and the drafts too: a draft is where mistakes are made.
    rendered = render(config, BuildOptions(drafts=True, future=True), progress=_progress(args))
    _clear_progress(args)
    problems = [*warnings, *rendered.warnings]
    if args.strict:
        problems = [replace(p, level=Level.ERROR) for p in problems]
    print_problems(problems, sys.stderr, wrote_nothing=False)
    errors = sum(1 for p in problems if p.is_error)
    warned = len(problems) - errors
    print(f"Đã kiểm tra {len(rendered.site.articles)} bài viết, {len(rendered.site.pages)} trang: "
          f"{errors} lỗi, {warned} cảnh báo ({time.perf_counter() - started:.2f} giây).")
    return EXIT_CONTENT if errors else EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from sitegen.commands.new import UnknownKind, scaffold
    from sitegen.pipeline import clock

    config, _ = load_config(args.site)
    try:
        made = scaffold(config, args.kind, args.title, clock(config.zone).date(), bundle=args.bundle)
    except UnknownKind:
        names = ", ".join([*KINDS, *(s.name for s in config.sections)])
        print(f'lỗi: không có loại bài hay chuyên mục "{args.kind}". Cách sửa: dùng một trong: {names}.',
              file=sys.stderr)
        return EXIT_USAGE
    target = config.root / made.rel
    if target.exists() or (args.bundle and target.parent.exists()) or \
            (not args.bundle and (target.parent / target.stem / "index.md").exists()):
        print(f"lỗi: {made.rel} đã có; sitegen không ghi đè. Cách sửa: chọn tiêu đề khác "
              "hoặc mở tệp đó để sửa.", file=sys.stderr)
        return EXIT_CONTENT
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
        fh.write(made.text)
    print(f"Đã tạo {made.rel} (bản nháp). Mở tệp để viết; khi xong, đổi draft: true thành false.")
    return EXIT_OK


def _report(args: argparse.Namespace, config: Config) -> int:
    from sitegen.commands.report import report_command

    data = report_command(config, args.year, args.format, args.output)
    if args.output is not None:
        print(f"Đã ghi báo cáo năm {args.year} vào {args.output}.", file=sys.stderr)
        return EXIT_OK
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (tests capture this way)
        sys.stdout.write(data.decode("utf-8"))
    else:  # bytes: the CSV keeps its byte-order mark and CRLF
        out.write(data)
        out.flush()
    return EXIT_OK


def run() -> None:
    """Console-script entry point.

    Exits at once when the command is done: every file it wrote is closed and renamed into
    place by then, and tearing down a large site model object by object was measurable at
    10,000 articles, for nothing (benchmarks/README.md, 'Figures behind the code').
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
