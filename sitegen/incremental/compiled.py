"""Templates compiled by an earlier build, kept in ``.sitegen/`` (Jinja's BytecodeCache). [IO]"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import jinja2
import jinja2.bccache


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled to Python by an earlier build, kept in ``folder``, each under its
    name and file and with a checksum of its source (Jinja's own rule); compiling the
    theme's templates was a measurable part of every build (benchmarks/README.md, 'Figures
    behind the code'). One that cannot be read is compiled again; one that cannot be
    written is not an error of the build."""

    def __init__(self, folder: Path) -> None:
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            for other in folder.parent.iterdir():  # compiled by other code: never used again
                if other != folder:
                    shutil.rmtree(other, ignore_errors=True)
        super().__init__(str(folder))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged: compile it again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
