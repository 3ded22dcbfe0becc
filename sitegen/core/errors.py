"""Errors as values: a Problem names the file, the line, the key and the fix; no IO.

Writers' mistakes never surface as tracebacks: every stage returns or raises
Problems, and the CLI prints them in Vietnamese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Level(Enum):
    """How serious a problem is: an error stops the build, a warning does not."""

    ERROR = "lỗi"
    WARNING = "cảnh báo"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as it can be.

    ``path`` is relative to the site folder (``content/tin-tuc/a.md``), ``line``
    counts from 1 in the file, ``key`` is the front-matter or config key, ``message``
    says what is wrong and ``fix`` what to write instead, both in Vietnamese.
    ``code`` is a stable identifier for tests and for the writer's guide.
    """

    path: str
    message: str
    code: str
    line: int | None = None
    key: str | None = None
    fix: str | None = None
    level: Level = Level.ERROR

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def format(self) -> str:
        """Return the one-line Vietnamese form: ``file:line: lỗi [key]: message Cách sửa: fix``,
        safe to print: a quoted value is cut at :data:`QUOTE_LIMIT` characters, and control
        characters (a pasted ESC or BEL would drive the terminal) are shown as ``\\x1b``."""
        where = self.path + (f":{self.line}" if self.line else "")
        key = f" [{self.key}]" if self.key else ""
        text = f"{where}: {self.level.value}{key}: {self.message}"
        if self.fix:
            text += f" Cách sửa: {self.fix}"
        return printable(text)


#: The most characters of a writer's value a message quotes.
QUOTE_LIMIT = 200
_QUOTED = re.compile('"([^"]{' + str(QUOTE_LIMIT + 1) + ',})"')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with each quoted part cut at QUOTE_LIMIT characters and control characters
    (all but tab and newline) written as escapes."""
    text = _QUOTED.sub(lambda m: f'"{m[1][:QUOTE_LIMIT]}…"', text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def warning(path: str, message: str, code: str, **kw: object) -> Problem:
    """Make a warning Problem (same fields as :class:`Problem`)."""
    return Problem(path=path, message=message, code=code, level=Level.WARNING, **kw)  # type: ignore[arg-type]


class SitegenError(Exception):
    """Base of every error sitegen raises on purpose; never a writer-facing traceback."""


class ProblemsError(SitegenError):
    """An error carrying the Problems that caused it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    def __reduce__(self) -> tuple[type[ProblemsError], tuple[tuple[Problem, ...]]]:
        """Pickle with the problems (a worker process's error reaches the build whole)."""
        return type(self), (self.problems,)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


class ConfigError(ProblemsError):
    """``config.yaml`` (or the command line) is wrong; exit code 2."""


class ContentError(ProblemsError):
    """One or more content files break the content contract; exit code 1."""


class OutputError(SitegenError):
    """The output folder cannot be used or written (unsafe place, disk full)."""


class CacheDamaged(SitegenError):
    """Saved state that a build relied on (a text of the build cache, the spare output as
    recorded) changed or vanished under it: the build starts again without it."""
