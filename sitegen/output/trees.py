"""What a folder sitegen wrote holds: its marker, the TreeId the marker gives it, and its
files, walked or recorded. [IO: reads folders]

The spare's bookkeeping: :class:`sitegen.output.writer.SiteWriter` records, by TreeId, the
files of the output and of its spare, so that a build need not walk both
(:func:`sitegen.incremental.cache.trees_path`); a folder whose marker is not the one recorded
is walked (:func:`walk_tree`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

MARKER = ".sitegen-output"
#: In the spare while write_site updates it: a spare marked so is not trusted.
DIRTY = ".sitegen-dirty"


TreeId = tuple[int, int, int, int]
"""A folder sitegen wrote, as its marker file shows it: (device, inode, mtime_ns, ctime_ns).
Each build makes the marker of the folder it writes anew, so the id changes with the files."""


def tree_id(root: Path) -> TreeId | None:
    """The TreeId of the folder ``root``; None when it has no marker."""
    try:
        st = os.stat(root / MARKER)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


def new_marker(root: Path) -> None:
    """Make ``root``'s marker anew (a new file, renamed over the old one)."""
    tmp = root / f"{MARKER}.{os.getpid()}.sitegen-tmp"
    tmp.write_text("sitegen\n", encoding="utf-8")
    os.replace(tmp, root / MARKER)


def folders_of(files: Iterable[str]) -> set[str]:
    """Every folder the paths ``files`` are in."""
    folders: set[str] = set()
    for rel in files:
        add_folders(folders, rel)
    return folders


def add_folders(folders: set[str], rel: str) -> None:
    """Add to ``folders`` every folder the path ``rel`` is in (the known ones end the climb)."""
    parent = rel.rpartition("/")[0]
    while parent and parent not in folders:
        folders.add(parent)
        parent = parent.rpartition("/")[0]


def walk_tree(root: Path) -> tuple[dict[str, int], set[str]]:
    """Every file below ``root`` but sitegen's markers: {relative path: inode}, and the folders."""
    files: dict[str, int] = {}
    folders: set[str] = set()

    def walk(folder: str, prefix: str) -> None:
        for entry in os.scandir(folder):
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.add(rel)
                walk(entry.path, rel + "/")
            elif rel not in (MARKER, DIRTY):
                files[rel] = entry.inode()

    walk(str(root), "")
    return files, folders
