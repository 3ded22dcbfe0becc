"""The render record on disk: written whole, or as a patch of the one last written whole. [IO]

    Record (this build's, :meth:`sitegen.incremental.reuse.Memo.record`) → ``.sitegen/``
    ``.sitegen/`` → the record written whole, and the last build's (it with its patch)

``pages.bin`` holds the record whole (:func:`sitegen.incremental.trusted.write_trusted`):
the base, every page's token, the table of reads with their digests, each list's mark,
and per file its key, output file, FileId, reads and context digest. A build that changed
few entries writes only what changed since then (``pages-patch.bin``, :class:`Patch`: a
few hundred bytes for an edit, where the whole record of 10,000 articles is 8 MB).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sitegen.incremental.trusted import read_trusted, write_trusted
from sitegen.output.files import FileId
from sitegen.render.trace import Dep

RECORD_FILE = "pages.bin"
#: What changed in the record since ``pages.bin`` was written whole (:class:`Patch`).
PATCH_FILE = "pages-patch.bin"
#: A patch is written instead of the whole record while it holds fewer entries than this
#: share of the record's files (and tokens); past it, the record is written whole again.
PATCH_SHARE = 0.05
#: … plus this many entries (a small site's record is small either way).
_PATCH_FLOOR = 64

#: What the record keeps of a list: its pages' sources in order, or its digest
#: (:meth:`sitegen.incremental.depends.Values.list_mark`).
ListMark = tuple[str, ...] | bytes

#: One file's record: its key, its output file relative to the output, its FileId when it
#: was written (None: not yet known), its reads (those of a page kept: indexes into the last
#: record's table), its context's digest.
Entry = tuple[str, str, FileId | None, tuple[Any, ...], bytes]
#: A file's entry as the record keeps it (its reads as indexes into the record's table).
Kept = tuple[str, str, FileId | None, tuple[int, ...], bytes]


@dataclass(frozen=True)
class Record:
    """What a build leaves for the next (``.sitegen/pages.bin``): see the module's docstring.
    ``files`` maps a site path to (key, output file, FileId, read indexes, context digest)."""

    base: str = ""
    tokens: Mapping[str, bytes] = field(default_factory=dict)
    reads: tuple[Dep, ...] = ()
    values: tuple[bytes, ...] = ()
    #: The mark of every list of the model a read looks into (term's pages …), by (owner,
    #: attribute; :meth:`Values.list_mark`): the same mark and none of its pages' tokens
    #: changed leave every read of it as it was.
    lists: Mapping[tuple[Dep, str], ListMark] = field(default_factory=dict)
    files: Mapping[str, Kept] = field(default_factory=dict)
    #: Names this record when written whole (a :class:`Patch` says which record it patches).
    stamp: str = ""


@dataclass(frozen=True)
class Patch:
    """A record as the differences from the one written whole before it (``of``: that
    one's stamp), so that a build which changed a few pages writes a few entries, not the
    8 MB of a large site's record: changed or added tokens, lists and files (None: gone),
    the reads added to the table and the digests that changed in it."""

    of: str
    base: str
    tokens: Mapping[str, bytes | None]
    reads: tuple[Dep, ...]
    values: Mapping[int, bytes]
    lists: Mapping[tuple[Dep, str], ListMark | None]
    files: Mapping[str, Kept | None]

    @property
    def size(self) -> int:
        """How many entries the patch holds."""
        return len(self.tokens) + len(self.reads) + len(self.values) + len(self.lists) + \
            len(self.files)


def _changes(new: Mapping[Any, Any], old: Mapping[Any, Any]) -> dict[Any, Any]:
    """The keys of ``new`` whose values differ from ``old``'s, and those gone (None)."""
    out = {k: v for k, v in new.items() if old.get(k) != v}
    out.update((k, None) for k in old.keys() - new.keys())
    return out


def _patched(old: Mapping[Any, Any], changes: Mapping[Any, Any]) -> dict[Any, Any]:
    out = dict(old)
    for k, v in changes.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def patch_of(new: Record, whole: Record) -> Patch | None:
    """``new`` as a :class:`Patch` of ``whole`` (the record last written whole), or None when
    it cannot be (``whole``'s table was compacted away) or would hold too much
    (:data:`PATCH_SHARE`)."""
    if not whole.stamp or len(new.reads) < len(whole.reads) or \
            new.reads[:len(whole.reads)] != whole.reads:
        return None
    limit = PATCH_SHARE * (len(whole.files) + len(whole.tokens)) + _PATCH_FLOOR
    files = _changes(new.files, whole.files)
    if len(files) > limit:
        return None
    old = whole.values
    values = {i: new.values[i] for i in range(len(old)) if new.values[i] != old[i]}
    values.update((i, new.values[i]) for i in range(len(whole.values), len(new.values)))
    found = Patch(whole.stamp, new.base, _changes(new.tokens, whole.tokens),
                  new.reads[len(whole.reads):], values, _changes(new.lists, whole.lists), files)
    return found if found.size <= 2 * limit else None


def apply_patch(whole: Record, patch: Patch) -> Record:
    """The record ``patch`` stands for, made from ``whole`` (the one it patches)."""
    values = [*whole.values, *(b"",) * len(patch.reads)]
    for i, v in patch.values.items():
        values[i] = v
    return Record(patch.base, _patched(whole.tokens, patch.tokens),
                  (*whole.reads, *patch.reads), tuple(values),
                  _patched(whole.lists, patch.lists), _patched(whole.files, patch.files),
                  whole.stamp)


def load_record(folder: Path) -> tuple[Record, Record]:
    """The record last written whole in ``folder`` and the last build's (it with its patch,
    when the patch is of it); empty records when they are missing or damaged."""
    whole = read_trusted(folder / RECORD_FILE)
    if not isinstance(whole, Record):
        whole = Record()
    patch = read_trusted(folder / PATCH_FILE)
    if isinstance(patch, Patch) and whole.stamp and patch.of == whole.stamp:
        return whole, apply_patch(whole, patch)
    return whole, whole


def save_record(folder: Path, record: Record, whole: Record) -> None:
    """Write ``record`` to ``folder``: as a patch of ``whole`` (the record last written
    whole) when it can be (:func:`patch_of`), else whole, and then the old patch removed (a
    patch of another stamp is ignored anyway)."""
    patch = patch_of(record, whole)
    if patch is not None:
        write_trusted(folder / PATCH_FILE, patch)
    else:
        write_trusted(folder / RECORD_FILE, replace(record, stamp=secrets.token_hex(8)))
        (folder / PATCH_FILE).unlink(missing_ok=True)
