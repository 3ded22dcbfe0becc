"""The build cache: read_page results kept on disk between builds. [IO]

``<site>/.sitegen/cache-<x>-<digest>.bin`` hold the Reads (read_page's results, with their
pages' marks: :mod:`sitegen.incremental.marks`) of the last build, keyed by
:func:`sitegen.incremental.reading.read_key` (the source's bytes, its path, its bundle and
everything else read_page depends on, including the config). A file whose key
did not change is not parsed again. The results are split by the first character of
their key into 16 files, each named by a digest of its keys: since a key says what its
result is, a file whose name is already there holds exactly what it would be written
with, and a build that read one article again writes one file, not the whole cache.
Each file carries sitegen's version, a digest of its code and a checksum; a file that is
corrupt, truncated, or from other code is ignored (and removed), never trusted. The pages'
bodies and search keys are in files of texts beside them (``texts-*.txt``, see
:class:`TextFile`), read only when a stage asks for one (:mod:`sitegen.incremental.stored`), each with
a checksum of its own.
``sitegen build --clean`` does not read the cache.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from sitegen import __version__
from sitegen.core.config import Config
from sitegen.core.digest import digest
from sitegen.core.pages import ReadResult
from sitegen.core.sources import FileStat
from sitegen.incremental.marks import Read
from sitegen.incremental.sharing import SharingPickler
from sitegen.incremental.stored import Stored

CACHE_DIR = ".sitegen"
#: The sources' digests by stat: {rel: (FileStat, digest)}.
KNOWN_FILE = "sources.bin"
_MAGIC = b"sitegen-cache-4\n"
_MAC_SIZE = 32
_KEY_SIZE = 32


def cache_files(config: Config) -> list[Path]:
    """The cache's files, in name order."""
    return sorted((config.root / CACHE_DIR).glob("cache-*.bin"))


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


def load_cache(config: Config) -> dict[str, Read]:
    """The cached read results; a file that cannot be trusted is left out (and removed)."""
    entries: dict[str, Read] = {}
    for path in cache_files(config):
        part = read_trusted(path)
        if isinstance(part, dict):
            entries.update(part)
        else:
            path.unlink(missing_ok=True)
    return entries


def trees_path(config: Config) -> Path:
    """Where :class:`sitegen.output.writer.SiteWriter` records the files of the output and of its
    spare by their TreeId: ``.sitegen/trees-<digest of the output folder's path>.bin``.

    With the record, a build need not walk both folders to learn what they hold
    (benchmarks/README.md, 'Figures behind the code'). A folder whose marker is not the one
    recorded (a build killed before it recorded, a spare left dirty, an output copied back)
    is walked as before; a spare that turns out not to be what was recorded makes the build
    start again without the cache. A file added to ``output/`` by hand, its marker kept, may
    stay in it until a ``--clean`` build.
    """
    name = hashlib.blake2b(os.fsencode(config.output_dir.resolve()), digest_size=8).hexdigest()
    return config.root / CACHE_DIR / f"trees-{name}.bin"


def compiled_path(config: Config) -> Path:
    """Where the templates compiled by a build are kept (sitegen.render.renderer.CompiledTemplates):
    a folder per version of sitegen's code, whose filters and settings the compiled code
    calls (Jinja checks only each template's source)."""
    return config.root / CACHE_DIR / "templates" / code_digest()


def clear_cache(config: Config) -> None:
    """Remove every file of the cache (the next build reads every source again)."""
    folder = config.root / CACHE_DIR
    for old in [*folder.glob("cache-*"), *folder.glob("texts-*"), *folder.glob("cards-*"),
                trees_path(config), folder / KNOWN_FILE]:
        old.unlink(missing_ok=True)
    shutil.rmtree(compiled_path(config).parent, ignore_errors=True)


def load_known(config: Config) -> dict[str, tuple[FileStat, str]]:
    """The last build's sources by stat, with their digests (see sitegen.incremental.reading.read_pages)."""
    known = read_trusted(config.root / CACHE_DIR / KNOWN_FILE)
    return known if isinstance(known, dict) else {}


def save_cache(config: Config, entries: dict[str, Read],
               known: dict[str, tuple[FileStat, str]] | None = None) -> None:
    """Write the files of the cache that changed; remove those no longer wanted; and the
    sources' digests by stat (``known``).

    The pages' bodies and search keys are in files of texts (``texts-*.txt``), as
    :class:`Stored` texts: those :class:`TextFile` wrote while the build read, or one
    written here for the pages that still hold theirs. A failure to write is not an error
    of the build. A file of texts that no entry of ``entries`` refers to is removed, so
    ``entries`` must hold every page the build still reads: its whole read cache (as
    ``publish.work_ahead`` passes it, while the pages are written).
    """
    folder = config.root / CACHE_DIR
    groups: dict[str, dict[str, Read]] = {}
    for key, result in entries.items():
        groups.setdefault(key[:1], {})[key] = result
    wanted: set[str] = set()
    for prefix, group in sorted(groups.items()):
        keys = hashlib.blake2b("\n".join(sorted(group)).encode(), digest_size=8).hexdigest()
        path = folder / f"cache-{prefix}-{keys}.bin"
        wanted.add(path.name)
        if not path.exists():
            with TextFile(folder) as texts:
                group.update({key: texts.keep(result) for key, result in group.items()})
            write_trusted(path, group, share=True)
    used = {text.path for group in groups.values() for result in group.values()
            if (page := result.result.page) is not None
            for text in (page.body, page.derived) if type(text) is Stored}
    for old in [*folder.glob("cache-*"), *folder.glob("texts-*"), folder / "cache.bin"]:
        if old.name not in wanted and str(old) not in used:
            old.unlink(missing_ok=True)
    if known is not None:
        write_trusted(folder / KNOWN_FILE, known)


class TextFile:
    """A new file of texts in the cache: :meth:`keep` writes a page's body and derived text
    there and gives the page back holding :class:`Stored` references to them, so that a
    build reading 10,000 articles does not hold every body at once. Its writes are
    unbuffered, so what it wrote can be read back at once (``serve`` renders the edited pages
    before it is closed); close it (``with``). A text that cannot be written stays in the
    page.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"texts-{os.getpid()}-{time.time_ns()}.txt"
        self._name = str(self.path)  # one string for the 20,000 Stored that name the file
        self._fh: BinaryIO | None = None
        self._size = 0
        self._failed = False

    def __enter__(self) -> TextFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def keep(self, read: Read) -> Read:
        """``read`` with its page's texts in this file (or as it is, on a failure)."""
        page = read.page
        if page is None or not isinstance(page.body, str) or self._failed:
            return read
        try:
            body = self._put(page.body.encode("utf-8"))
            derived = self._put(page.derived_text.encode())
        except OSError:
            self._failed = True
            return read
        return read._replace(result=ReadResult(replace(page, body=body, derived=derived),
                                               read.problems))

    def _put(self, data: bytes) -> Stored:
        if self._fh is None:
            self.path.parent.mkdir(exist_ok=True)
            # Unbuffered: a write that fails (a full disk) fails here, before any page
            # refers to bytes that never reached the file.
            self._fh = open(self.path, "wb", buffering=0)  # noqa: SIM115 - closed by close()
        if self._fh.write(data) != len(data):
            raise OSError(errno.ENOSPC, "ghi thiếu", str(self.path))
        self._size += len(data)
        return Stored(self._name, self._size - len(data), len(data), digest(data))

    def close(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None


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
