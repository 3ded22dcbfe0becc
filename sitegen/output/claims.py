"""Claims: which file each output path goes to, and the problems of paths that cannot be
written (outside the output, unsafe names) or are written twice; no IO.

Pelican's rule: a build never writes one output path twice. The disk writer
(:class:`sitegen.output.writer.SiteWriter`), serve's memory writer and ``check``
(:func:`find_collisions`) claim every file's path here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sitegen.core.errors import Problem
from sitegen.core.urls import UnsafePath, safe_rel
from sitegen.output.files import RenderedFile


def find_collisions(files: Iterable[RenderedFile]) -> list[Problem]:
    """Problems for output paths two things would write (Pelican's rule: never write twice),
    and for paths that would leave ``output/`` or cannot be created on common file systems."""
    claims = Claims()
    problems = []
    for f in files:
        _, problem = claims.claim_file(f)
        if problem is not None:
            problems.append(problem)
    return problems


def output_path(f: RenderedFile) -> str | None:
    """Where ``f`` goes below the output folder; None when its name is not safe there."""
    try:
        return safe_rel(f.path)
    except UnsafePath:
        return None


def unsafe_problem(f: RenderedFile) -> Problem:
    return Problem(
        path=f.origin, code="unsafe-path",
        message=f'tên "{f.path}" không dùng được làm địa chỉ (ra ngoài thư mục xuất, quá dài, '
                "hoặc là tên Windows dành riêng như CON, NUL).",
        fix="đổi tên tệp hoặc slug: chỉ dùng chữ không dấu, số và dấu gạch ngang.")


def collision_problem(rel: str, origin: str, first: str) -> Problem:
    return Problem(path=origin, code="output-collision",
                   message=f'tệp xuất "{rel}" bị tạo hai lần (cùng với {first}).',
                   fix="đổi tên tệp hoặc slug của một trong hai.")


class Claims:
    """Which file each output path went to first (Pelican's rule: never write twice)."""

    def __init__(self) -> None:
        self.origins: dict[str, str] = {}

    def taken(self, rel: str, origin: str) -> Problem | None:
        """The collision when ``rel`` already went to another file; else None."""
        first = self.origins.get(rel)
        return None if first is None else collision_problem(rel, origin, first)

    def claim(self, rel: str, origin: str) -> Problem | None:
        """Give ``rel`` to ``origin`` when it is free; the collision when it is not."""
        problem = self.taken(rel, origin)
        if problem is None:
            self.origins[rel] = origin
        return problem

    def claim_file(self, f: RenderedFile) -> tuple[str | None, Problem | None]:
        """Where ``f`` goes below the output folder, claimed for it, and None; or None and
        why it cannot go there (an unsafe name, or a path another file has)."""
        # a file kept from the last build has the name it was checked under then
        rel = f.rel if f.kept and f.rel is not None else output_path(f)
        problem = unsafe_problem(f) if rel is None else self.claim(rel, f.origin)
        return (None, problem) if problem is not None else (rel, None)


class Sink(Protocol):
    """Where the pipeline puts each file as it is made: the disk writer
    (:class:`sitegen.output.writer.SiteWriter`), serve's memory, or :class:`Collected`;
    each claims the file's path (:class:`Claims`) and notes what it cannot take."""

    problems: list[Problem]

    def put(self, f: RenderedFile) -> None:
        """Take ``f``, or note in ``problems`` why not (an unsafe name, a path taken)."""


class Collected:
    """A :class:`Sink` that keeps every file in a list (``check``: nothing written)."""

    def __init__(self) -> None:
        self.files: list[RenderedFile] = []
        self.problems: list[Problem] = []
        self._claims = Claims()

    def put(self, f: RenderedFile) -> None:
        _, problem = self._claims.claim_file(f)
        if problem is not None:
            self.problems.append(problem)
        self.files.append(f)
