"""The build cache: read_page results kept on disk between builds. [IO]

``<site>/.sitegen/cache-<x>-<digest>.bin`` hold the ReadResults of the last build, keyed by
:func:`sitegen.build.read_key` (the source's bytes, its path, its bundle and
everything else read_page depends on, including the config). A file whose key
did not change is not parsed again. The results are split by the first character of
their key into 16 files, each named by a digest of its keys: since a key says what its
result is, a file whose name is already there holds exactly what it would be written
with, and a build that read one article again writes one file, not the whole cache.
Each file carries sitegen's version, a digest of its code and a checksum; a file that is
corrupt, truncated, or from other code is ignored (and removed), never trusted.
``sitegen build --clean`` does not read the cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path

from . import __version__
from .config import Config
from .pages import ReadResult

CACHE_DIR = ".sitegen"
_MAGIC = b"sitegen-cache-1\n"


def cache_files(config: Config) -> list[Path]:
    """The cache's files, in name order."""
    return sorted((config.root / CACHE_DIR).glob("cache-*.bin"))


@functools.cache
def code_digest() -> str:
    """A digest of sitegen's own modules (read once per process)."""
    code = hashlib.blake2b(digest_size=8)
    for p in sorted(Path(__file__).parent.rglob("*.py")):
        code.update(p.read_bytes())
    return code.hexdigest()


def _stamp() -> bytes:
    """sitegen's version, Python's, and a digest of sitegen's code: a cache written by other
    code (even the same version, during development) may hold objects of another shape."""
    return f"{__version__}|{sys.version_info[:2]}|{code_digest()}\n".encode()


def load_cache(config: Config) -> dict[str, ReadResult]:
    """The cached read results; a file that cannot be trusted is left out (and removed)."""
    entries: dict[str, ReadResult] = {}
    for path in cache_files(config):
        part = read_trusted(path)
        if isinstance(part, dict):
            entries.update(part)
        else:
            path.unlink(missing_ok=True)
    return entries


def save_cache(config: Config, entries: dict[str, ReadResult]) -> None:
    """Write the files of the cache that changed; remove those no longer wanted.

    A failure to write is not an error of the build.
    """
    folder = config.root / CACHE_DIR
    groups: dict[str, dict[str, ReadResult]] = {}
    for key, result in entries.items():
        groups.setdefault(key[:1], {})[key] = result
    wanted = set()
    for prefix, group in sorted(groups.items()):
        digest = hashlib.blake2b("\n".join(sorted(group)).encode(), digest_size=8).hexdigest()
        path = folder / f"cache-{prefix}-{digest}.bin"
        wanted.add(path.name)
        if not path.exists():
            write_trusted(path, group)
    for old in [*cache_files(config), folder / "cache.bin"]:
        if old.name not in wanted:
            old.unlink(missing_ok=True)


def read_trusted(path: Path) -> object | None:
    """What :func:`write_trusted` wrote to ``path``; None when it is missing, truncated,
    corrupt, or from another version of sitegen or Python (never trusted)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    stamp = _stamp()
    if not data.startswith(_MAGIC) or len(data) < head + len(stamp):
        return None
    digest, payload = data[len(_MAGIC):head], data[head:]
    if hashlib.blake2b(payload, digest_size=32).digest() != digest:
        return None  # truncated or corrupt
    if not payload.startswith(stamp):
        return None  # another version of sitegen or Python
    try:
        value: object = pickle.loads(payload[len(stamp):])
    except Exception:  # a cache is never worth failing a build over
        return None
    return value


def write_trusted(path: Path, value: object) -> None:
    """Write ``value`` to ``path`` in ``.sitegen/`` atomically, with sitegen's version and a
    checksum; a failure to write is not an error of the build."""
    payload = _stamp() + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    data = _MAGIC + hashlib.blake2b(payload, digest_size=32).digest() + payload
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
