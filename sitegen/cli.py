"""The ``sitegen`` command: arguments in, messages and an exit code out.

Exit codes: 0 success; 1 the content has errors (the writer can fix them);
2 the command line or ``config.yaml`` is wrong, or the output cannot be used.
A writer's mistake is printed as one clear Vietnamese message, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sitegen import __version__
from sitegen.commands.console import EXIT_CONTENT, EXIT_USAGE, clear_progress, print_problems
from sitegen.core.config import KINDS, load_config
from sitegen.core.errors import (
    ConfigError,
    ContentError,
    OutputError,
    ProblemsError,
    SitegenError,
    printable,
)
from sitegen.core.suggest import nearest

_INVALID_CHOICE = re.compile(r"argument (\S+): invalid choice: '?([^']*?)'? \(choose from (.*)\)")
#: argparse's own messages (Python 3.11 to 3.14 word them alike), as a writer reads them.
_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), r"thiếu \1"),
    (_INVALID_CHOICE, r"\1: không có lựa chọn \2; chọn một trong: \3"),
    (re.compile(r"unrecognized arguments?: (.*)"), r"không hiểu: \1"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1 cần một giá trị"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.*)"), r"\1: giá trị \3 không hợp lệ"),
    (re.compile(r"argument (\S+): (.*)"), r"\1: \2"),
)


def vietnamese_error(message: str) -> str:
    """argparse's error ``message`` in Vietnamese (left as it is when not known); a choice
    not offered gets the nearest one offered (``buidl``: build)."""
    for pattern, vietnamese in _ARGPARSE_MESSAGES:
        m = pattern.fullmatch(message)
        if m:
            said = pattern.sub(vietnamese, message)
            if pattern is _INVALID_CHOICE:
                near = nearest(m[2], re.findall(r"'([^']*)'", m[3]))
                said += f". Có phải ý bạn là {near}?" if near else ""
            return said
    return message


class VietnameseParser(argparse.ArgumentParser):
    """argparse, speaking Vietnamese: its help, usage line, section titles and errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="in hướng dẫn này rồi thoát")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "cách dùng: ", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "cách dùng: ", 1)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi cú pháp lệnh: {vietnamese_error(message)}\n")


def _year(text: str) -> int:
    """A year as the command line takes it: four digits (``25`` is not a year of the report)."""
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"năm phải có bốn chữ số, ví dụ 2025 (không phải {text!r})")
    return int(text)


def _site_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", type=Path, default=Path("."), metavar="THƯ_MỤC",
                   help="thư mục của trang, nơi có config.yaml (mặc định: thư mục hiện tại)")


def _parser() -> argparse.ArgumentParser:
    parser = VietnameseParser(
        prog="sitegen", description="Dựng trang tuyên truyền tĩnh từ các bài viết Markdown.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}",
                        help="in phiên bản của sitegen rồi thoát")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH",
                                parser_class=VietnameseParser)

    b = sub.add_parser("build", help="dựng trang vào thư mục output/")
    _site_arg(b)
    b.add_argument("--output", type=Path, metavar="THƯ_MỤC", help="thư mục xuất (mặc định: <site>/output)")
    b.add_argument("--base-url", metavar="ĐỊA_CHỈ",
                   help="địa chỉ công khai của trang, thay cho base_url trong config")
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

    i = sub.add_parser("import", help="nhập bài từ tệp Word (.docx) thành bản nháp có thư mục riêng")
    i.add_argument("file", type=Path, metavar="TỆP_WORD", help='tệp .docx, ví dụ "Bai viet.docx"')
    i.add_argument("--kind", metavar="LOẠI",
                   help="loại bài (" + ", ".join(KINDS) + ") hoặc tên chuyên mục (mặc định: news)")
    _site_arg(i)

    s = sub.add_parser("serve", help="xem trước trang trên máy, tự dựng lại khi sửa bài")
    _site_arg(s)
    s.add_argument("--port", type=int, default=8000, metavar="SỐ", help="cổng (mặc định 8000; 0 = tự chọn)")

    r = sub.add_parser("report", help="báo cáo năm cho Văn phòng Sở (danh sách gửi Sở Nội vụ)")
    _site_arg(r)
    r.add_argument("--year", type=_year, required=True, metavar="NĂM", help="năm báo cáo, ví dụ 2025")
    r.add_argument("--format", choices=("text", "csv", "html"), default="text", metavar="DẠNG",
                   help="định dạng: text (mặc định), csv (gửi Sở Nội vụ), html (in A4)")
    r.add_argument("--output", type=Path, metavar="TỆP", help="ghi vào tệp thay vì in ra màn hình")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it)."""
    args = _parser().parse_args(argv)
    quiet = getattr(args, "quiet", False)
    try:
        # Imported here, inside the try: a Ctrl-C while they load is still a clean stop.
        if args.command == "new":
            from sitegen.commands.new import new_command

            return new_command(args.site, args.kind, args.title, bundle=args.bundle)
        if args.command == "import":
            from sitegen.commands.import_ import import_command

            return import_command(args.site, args.file, args.kind)
        config, warnings = load_config(args.site, base_url=getattr(args, "base_url", None),
                                       output=getattr(args, "output", None)
                                       if args.command == "build" else None)
        if args.command == "build":
            from sitegen.commands.build import build_command

            return build_command(config, warnings, drafts=args.drafts, future=args.future,
                                 clean=args.clean, quiet=quiet)
        if args.command == "check":
            from sitegen.commands.check import check_command

            return check_command(config, warnings, strict=args.strict, quiet=quiet)
        if args.command == "serve":
            from sitegen.commands.serve import serve

            return serve(args.site, config, args.port)
        if args.command == "report":
            from sitegen.commands.report import report_to

            return report_to(config, args.year, args.format, args.output)
    except ConfigError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_USAGE
    except (ContentError, ProblemsError) as exc:
        clear_progress(quiet)
        print_problems(exc.problems, sys.stderr,
                       output=_output_named(args) if args.command == "build" else None)
        return EXIT_CONTENT
    except OutputError as exc:
        print(printable(f"lỗi: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        why = "ổ đĩa đã đầy" if exc.errno == errno.ENOSPC else exc.strerror
        print(printable(f"lỗi: không đọc/ghi được {exc.filename or ''}: {why}. "
                        "Thư mục output/ giữ nguyên."), file=sys.stderr)
        return EXIT_USAGE
    except SitegenError as exc:  # e.g. the build cache damaged twice in one build
        print(f"lỗi: {exc}. Thư mục output/ giữ nguyên. Cách sửa: chạy lại với --clean.",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nĐã dừng theo yêu cầu; thư mục output/ giữ nguyên.", file=sys.stderr)
        return 130
    return EXIT_USAGE


def _output_named(args: argparse.Namespace) -> str:
    """The output folder as the writer named it (``--output``), else ``output/``."""
    named = getattr(args, "output", None)
    return printable(str(named)) if named else "output/"


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
