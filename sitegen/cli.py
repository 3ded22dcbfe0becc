"""The ``sitegen`` command: arguments in, messages and an exit code out.

Exit codes: 0 success; 1 the content has errors (the writer can fix them);
2 the command line or ``config.yaml`` is wrong, or the output cannot be used.
A writer's mistake is printed as one clear Vietnamese message, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .build import BuildOptions, build
from .config import load_config
from .errors import ConfigError, ContentError, OutputError, Problem, ProblemsError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Dựng trang tuyên truyền tĩnh từ các bài viết Markdown.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    b = sub.add_parser("build", help="dựng trang vào thư mục output/")
    b.add_argument("--site", type=Path, default=Path("."),
                   help="thư mục của trang, nơi có config.yaml (mặc định: thư mục hiện tại)")
    b.add_argument("--output", type=Path, help="thư mục xuất (mặc định: <site>/output)")
    b.add_argument("--base-url", help="địa chỉ công khai của trang, thay cho base_url trong config")
    b.add_argument("--drafts", action="store_true", help="dựng cả bản nháp (draft: true)")
    b.add_argument("--future", action="store_true", help="dựng cả bài hẹn ngày đăng sau hôm nay")
    b.add_argument("--quiet", "-q", action="store_true", help="chỉ in lỗi và dòng tổng kết")
    return parser


def print_problems(problems: Sequence[Problem], out: TextIO) -> None:
    """Print errors first, then warnings, one per line, and a count."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for p in errors + warnings:
        print(p.format(), file=out)
    if errors:
        files = len({p.path for p in errors})
        print(f"Có {len(errors)} lỗi trong {files} tệp; chưa dựng gì, thư mục output/ giữ nguyên.",
              file=out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it)."""
    args = _parser().parse_args(argv)
    try:
        config, warnings = load_config(args.site, base_url=args.base_url, output=args.output)
        if args.command == "build":
            report = build(config, BuildOptions(drafts=args.drafts, future=args.future))
            print_problems([*warnings, *report.warnings], sys.stderr)
            print(report.summary())
            return EXIT_OK
    except ConfigError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_CONTENT
    except ProblemsError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_CONTENT
    except OutputError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu; thư mục output/ giữ nguyên.", file=sys.stderr)
        return 130
    return EXIT_USAGE


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
