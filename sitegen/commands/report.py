"""``sitegen report``: read the site with the build's stages, make the yearly report
(:mod:`sitegen.thidua.report`) in the format asked for, and write it where asked. [IO]"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from sitegen.commands.console import EXIT_OK
from sitegen.core.config import Config
from sitegen.core.errors import OutputError
from sitegen.pipeline import BuildOptions, clock, load_site
from sitegen.render.environment import make_environment
from sitegen.thidua.report import (
    FORMATS,
    NO_MODEL,
    REPORT_TEMPLATE,
    Report,
    admin_date,
    as_csv,
    as_text,
    yearly_report,
)


def as_html(report: Report, config: Config) -> str:
    """The printable A4 report (``templates/report.html``, a standalone page)."""
    template = make_environment(config).get_template(REPORT_TEMPLATE)
    return template.render(report=report, config=config, made=admin_date(report.made),
                           no_model=NO_MODEL)


FORMATTERS: Mapping[str, Callable[[Report, Config], bytes]] = {
    "text": lambda r, c: as_text(r).encode("utf-8"),
    "csv": lambda r, c: as_csv(r),
    "html": lambda r, c: as_html(r, c).encode("utf-8"),
}


def report_command(config: Config, year: int, fmt: str = "text", output: Path | None = None,
                   now: datetime | None = None) -> bytes:
    """``sitegen report``: the report of ``year`` in ``fmt``, as bytes; also written to ``output``.

    Reads the site with the build's stages (no draft; articles dated later in the
    year than ``now`` count too, as they are scheduled for that year). Raises
    ContentError when the content has errors, OutputError when ``output`` cannot
    be written, ValueError for an unknown format.
    """
    if fmt not in FORMATTERS:
        raise ValueError(f"unknown report format {fmt!r}; one of {', '.join(FORMATS)}")
    moment = now or clock(config.zone)
    site = load_site(config, BuildOptions(drafts=False, future=True, now=moment)).site
    report = yearly_report(site, year, moment.astimezone(config.zone).date())
    data = FORMATTERS[fmt](report, config)
    if output is not None:
        write_atomic(output, data)
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no half file is ever left."""
    folder = path.resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=".report-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for sharing
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"không ghi được báo cáo vào {path}: {exc.strerror or exc}.") from exc


def report_to(config: Config, year: int, fmt: str, output: Path | None) -> int:
    """``sitegen report``: the report written to ``output``, or to standard output as bytes
    (the CSV keeps its byte-order mark and CRLF)."""
    data = report_command(config, year, fmt, output)
    if output is not None:
        print(f"Đã ghi báo cáo năm {year} vào {output}.", file=sys.stderr)
        return EXIT_OK
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (tests capture this way)
        sys.stdout.write(data.decode("utf-8"))
    else:
        out.write(data)
        out.flush()
    return EXIT_OK
