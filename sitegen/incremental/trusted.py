"""Files of ``.sitegen/`` that only sitegen on this machine wrote: each signed with a key
kept outside the site folder and stamped with sitegen's version and code, read back whole
or refused, never trusted otherwise. [IO]

What the build cache (:mod:`sitegen.incremental.cache`), the render record, the features'
states and the build's stamp (:mod:`sitegen.incremental.stamp`) are kept in. Apart from the
cache's other machinery, so that a build with nothing to do (the stamp alone) imports
none of the pipeline.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import sys
from pathlib import Path
from typing import BinaryIO

from sitegen import __version__
from sitegen.incremental.sharing import SharingPickler

CACHE_DIR = ".sitegen"
_MAGIC = b"sitegen-cache-4\n"
_MAC_SIZE = 32
_KEY_SIZE = 32


@functools.cache
def code_digest() -> str:
    """A digest of sitegen's own modules (read once per process)."""
    code = hashlib.blake2b(digest_size=8)
    for p in sorted(Path(__file__).parent.parent.rglob("*.py")):  # all of sitegen
        code.update(p.read_bytes())
    return code.hexdigest()


def _stamp() -> bytes:
    """sitegen's version, Python's, and a digest of sitegen's code: a cache written by other
    code (even the same version, during development) may hold objects of another shape."""
    return f"{__version__}|{sys.version_info[:2]}|{code_digest()}\n".encode()


def key_path() -> Path:
    """Where this machine's cache key is kept: outside every site folder, in the user's
    configuration (``$SITEGEN_CACHE_KEY``, else ``$XDG_CONFIG_HOME/sitegen/cache.key``,
    else ``~/.config/sitegen/cache.key``)."""
    named = os.environ.get("SITEGEN_CACHE_KEY", "").strip()
    if named:
        return Path(named).absolute()
    config_home = os.environ.get("XDG_CONFIG_HOME", "").strip()
    base = Path(config_home) if config_home else Path.home() / ".config"
    return base.absolute() / "sitegen" / "cache.key"


@functools.cache
def cache_key() -> bytes | None:
    """This machine's secret key for the files of ``.sitegen/`` (made on first use, readable
    by its user only); None when it can neither be read nor made: then no cache is trusted."""
    try:
        path = key_path()
    except RuntimeError:  # no home folder to keep it in
        return None
    for _ in range(2):
        try:
            key = path.read_bytes()
            return key if len(key) == _KEY_SIZE else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        try:  # made whole under another name, then linked: a reader never sees half a key
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.unlink(missing_ok=True)  # left by a process of this pid that failed
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(_KEY_SIZE))
            with contextlib.suppress(FileExistsError):  # another made it first: read theirs
                os.link(tmp, path)
        except OSError:
            return None
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return None


def read_trusted(path: Path) -> object | None:
    """What :func:`write_trusted` wrote to ``path``; None when it is missing, truncated,
    corrupt, from another version of sitegen or Python, or not written with this machine's
    key (never trusted, never unpickled).

    The files are pickles, which can run code when loaded: each carries a MAC (HMAC-SHA256)
    made with a key kept outside the site folder (:func:`cache_key`), so a file
    forged or copied into ``.sitegen/`` is rejected before anything is unpickled. The file
    is checked, then unpickled from the file itself: the search state is large, and holding
    its bytes beside its objects would double the build's memory for it
    (benchmarks/README.md, 'Figures behind the code').
    """
    key = cache_key()
    if key is None:
        return None
    stamp = _stamp()
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_MAGIC) + _MAC_SIZE)
            if not head.startswith(_MAGIC):
                return None
            mac = _mac(key)
            while chunk := fh.read(1 << 20):
                mac.update(chunk)
            if not hmac.compare_digest(mac.digest(), head[len(_MAGIC):]):
                return None  # truncated, corrupt, or not written here
            fh.seek(len(head))
            if fh.read(len(stamp)) != stamp:
                return None  # another version of sitegen or Python
            value: object = pickle.load(fh)
    except Exception:  # missing, unreadable, not what was written: never worth a failed build
        return None
    return value


def _mac(key: bytes) -> hmac.HMAC:
    """A new MAC with ``key``: HMAC-SHA256, which OpenSSL computes at twice the speed of
    keyed BLAKE2b on a processor with SHA instructions (6 ms for the read cache's 11 MB, not
    12; and as much again for the search state and the record, read by every build)."""
    return hmac.new(key, digestmod=hashlib.sha256)


class _Signed:
    """A file wrapper that MACs what is written through it (for pickle.dump)."""

    def __init__(self, fh: BinaryIO, key: bytes) -> None:
        self.fh = fh
        self.mac = _mac(key)

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.fh.write(data)


def _remove_left(path: Path) -> None:
    """Remove the temporary files of ``path`` that a killed process left (``.name.<pid>``)."""
    for tmp in path.parent.glob(f".{path.name}.*"):
        pid = tmp.name.rpartition(".")[2]
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:  # gone: its file will never be finished
                tmp.unlink(missing_ok=True)
            except OSError:  # alive (another user's), or cannot tell
                pass


def write_trusted(path: Path, value: object, *, share: bool = False) -> None:
    """Write ``value`` to ``path`` in ``.sitegen/`` atomically, with sitegen's version and the
    MAC of this machine's key (:func:`read_trusted`); a failure to write, or no key, is not
    an error of the build (nothing is kept). ``share``: pickled by :class:`SharingPickler`
    (for values made of many small dataclasses, as the read cache is)."""
    key = cache_key()
    if key is None:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    _remove_left(path)
    try:
        path.parent.mkdir(exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        with open(tmp, "wb") as fh:
            fh.write(_MAGIC + bytes(_MAC_SIZE))  # the MAC, written once the rest is
            out = _Signed(fh, key)
            out.write(_stamp())
            pickler = SharingPickler if share else pickle.Pickler
            pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
            fh.seek(len(_MAGIC))
            fh.write(out.mac.digest())
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


class TrustedFile:
    """A :class:`sitegen.core.state.SavedState` kept in one file of ``.sitegen/``
    (:func:`read_trusted`, :func:`write_trusted`)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> object | None:
        return read_trusted(self.path)

    def save(self, value: object) -> None:
        write_trusted(self.path, value)
