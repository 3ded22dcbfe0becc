"""The build cache: read_page results kept on disk between builds. [IO]

``<site>/.sitegen/cache.bin`` holds the ReadResults of the last build, keyed by
:func:`sitegen.build.read_key` (the source's bytes, its path, its bundle and
everything else read_page depends on, including the config). A file whose key
did not change is not parsed again. The cache carries sitegen's version, a digest
of its code and a checksum; a cache that is corrupt, truncated, or from other
code is ignored, never trusted. ``sitegen build --clean`` does not read it.
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
CACHE_FILE = "cache.bin"
_MAGIC = b"sitegen-cache-1\n"


def cache_path(config: Config) -> Path:
    return config.root / CACHE_DIR / CACHE_FILE


@functools.cache
def _code() -> str:
    code = hashlib.blake2b(digest_size=8)
    for p in sorted(Path(__file__).parent.rglob("*.py")):
        code.update(p.read_bytes())
    return code.hexdigest()


def _stamp() -> bytes:
    """sitegen's version, Python's, and a digest of sitegen's code: a cache written by other
    code (even the same version, during development) may hold objects of another shape."""
    return f"{__version__}|{sys.version_info[:2]}|{_code()}\n".encode()


def load_cache(config: Config) -> dict[str, ReadResult]:
    """The cached read results, or an empty cache when there is none or it cannot be trusted."""
    entries = read_trusted(cache_path(config))
    return entries if isinstance(entries, dict) else {}


def save_cache(config: Config, entries: dict[str, ReadResult]) -> None:
    """Write the cache atomically; a failure to write it is not an error of the build."""
    write_trusted(cache_path(config), entries)


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
