"""Stored: a long text of a cached page, left in the build cache until it is read. [IO]

An article's body (HTML) and its search keys are most of the build cache (sitegen.incremental.cache),
and a build needs only the few that belong to pages it renders again, to feeds, or to the
search entries an edit touched. They are written to files of texts as pages are read
(:class:`sitegen.incremental.cache.TextFile`); a Page then holds a :class:`Stored` (where the text is,
and its checksum) in their place, and reads it when a stage asks for it.
A text whose bytes do not match its checksum raises :class:`CacheDamaged`: the build then
starts again without the cache (never trusted).
"""

from __future__ import annotations

from typing import NamedTuple

from sitegen.core.digest import digest
from sitegen.core.errors import CacheDamaged


class Stored(NamedTuple):
    """``length`` bytes at ``offset`` of the file ``path``, whose digest is ``check``.

    A named tuple, not a dataclass: the read cache holds two for each of its pages, and a
    tuple loads in a fifth of the work of an object with a ``__dict__`` (:meth:`__reduce__`).
    """

    path: str
    offset: int
    length: int
    check: str

    def read(self) -> bytes:
        """The bytes; raise CacheDamaged when they are missing or not the ones written."""
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                data = fh.read(self.length)
        except OSError as exc:
            raise CacheDamaged(f"{self.path}: {exc}") from None
        if digest(data) != self.check:
            raise CacheDamaged(f"{self.path}: dữ liệu không khớp")
        return data



    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as ``tuple.__new__(Stored, fields)``: rebuilt without a call into Python."""
        return tuple.__new__, (type(self), tuple(self))
