"""Marks: what the incremental layer keys a page by, made where the page is read; pure.

A page's marks are a digest of its body (its own part of its render key) and a digest of
what other pages show of it (:func:`sitegen.core.pages.shown_digest`, its part of its
token, which the pages that read it compare, and of the search index's marks). They are
made in the read workers, from the page as read, and kept beside its :class:`ReadResult`
in the read cache (:class:`Read`), so that a build which takes a page from the cache never
reads its body to key it. The Page itself holds content only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sitegen.core.digest import digest
from sitegen.core.errors import Problem
from sitegen.core.pages import Page, ReadResult, shown_digest


class Marks(NamedTuple):
    """A page's marks: see the module's docstring. A named tuple, as :class:`Read`."""

    #: A digest of the page's body HTML (:func:`sitegen.core.digest.digest`).
    body: str
    #: :func:`sitegen.core.pages.shown_digest` of the page as read.
    shown: bytes

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as ``tuple.__new__(Marks, fields)``: rebuilt without a call into Python."""
        return tuple.__new__, (type(self), tuple(self))


def marks_of(page: Page) -> Marks:
    """The marks of ``page`` (its body read if it is stored)."""
    return Marks(digest(page.body_html.encode()), shown_digest(page))


class Read(NamedTuple):
    """What the read cache keeps of one source: its read_page result and, for a page, the
    page's marks. A named tuple, not a dataclass: the read cache holds 10,000 of them at
    10,000 articles, and a tuple loads in a fifth of the work of an object with a
    ``__dict__`` (:meth:`__reduce__`; measured with the cache's loading)."""

    result: ReadResult
    marks: Marks | None

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as ``tuple.__new__(Read, fields)``: rebuilt without a call into Python."""
        return tuple.__new__, (type(self), tuple(self))

    @classmethod
    def of(cls, result: ReadResult) -> Read:
        """``result`` with its page's marks (made here: in the read worker)."""
        return cls(result, marks_of(result.page) if result.page is not None else None)

    @property
    def page(self) -> Page | None:
        return self.result.page

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.result.problems


def marks_by_source(reads: Iterable[Read]) -> dict[str, Marks]:
    """The marks of the pages of ``reads``, by the page's source (``Page.source``)."""
    return {r.result.page.source: r.marks for r in reads
            if r.result.page is not None and r.marks is not None}

