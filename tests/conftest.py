"""Shared fixtures: a site factory, a CLI runner, a fixed clock and the golden option.

Every test runs with ``SOURCE_DATE_EPOCH`` fixed (the build's "now"), so that
what counts as a future article does not depend on the day the suite runs.
Nothing here depends on the current directory: every path is built from
``tmp_path`` or from this file's folder.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXED_EPOCH, MINIMAL_CONFIG, CliResult, Files, write_tree
from hypothesis import settings

from sitegen.cli import main

# No property test is timed (Hypothesis's 200 ms deadline): an example that took 441 ms on a
# machine at load 9 and 0.16 ms when tried again failed the suite for nothing the code did;
# timing is the benchmarks' job (benchmarks/README.md).
settings.register_profile("sitegen", deadline=None)
# In CI (CI=true) the property tests draw the same examples every run, so that a run passes or
# fails for the code, not for the draw; locally they draw new ones each run, to find more.
settings.register_profile("ci", parent=settings.get_profile("sitegen"), derandomize=True,
                          print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "sitegen")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/expected/ from the current build")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> int:
    """Fix the build's clock for every test (the build honours SOURCE_DATE_EPOCH)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(FIXED_EPOCH))
    return FIXED_EPOCH


MakeSite = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Return ``make(files=None, config=None, name=None) -> Path`` writing a site folder.

    ``files`` maps paths below the site folder to text (UTF-8) or bytes; ``config`` is
    the text of config.yaml (the minimal one, title and base_url, when None). Every call
    makes a new folder below ``tmp_path``.
    """
    made: list[Path] = []

    def make(files: Files | None = None, config: str | None = None,
             name: str | None = None) -> Path:
        site = tmp_path / (name or f"site{len(made)}")
        site.mkdir(parents=True)
        (site / "config.yaml").write_text(MINIMAL_CONFIG if config is None else config,
                                          encoding="utf-8")
        (site / "content").mkdir()
        write_tree(site, files or {})
        made.append(site)
        return site

    return make


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Return ``run(*argv) -> CliResult``: call ``sitegen.cli.main`` and capture its output."""

    def run(*argv: str | os.PathLike[str]) -> CliResult:
        capsys.readouterr()  # drop what earlier steps printed
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def build_ok(run_cli: RunCli) -> Callable[..., CliResult]:
    """Return ``build(site, out, *more_args)``: run ``sitegen build`` and require exit 0."""

    def build(site: Path, out: Path, *more: str) -> CliResult:
        result = run_cli("build", "--site", site, "--output", out, *more)
        assert result.code == 0, result.err
        assert "Traceback" not in result.err
        return result

    return build


@pytest.fixture
def previous_output(tmp_path: Path) -> Path:
    """An output folder holding an earlier sitegen build (fake, but with sitegen's marker)."""
    out = tmp_path / "published"
    write_tree(out, {
        ".sitegen-output": "sitegen\n",
        "index.html": "<!DOCTYPE html><title>Bản đã đăng</title>\n",
        "tin-tuc/2024/06/bai-cu/index.html": "<p>Bài cũ đã đăng</p>\n",
        "images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
    })
    return out


@pytest.fixture
def serve_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``serve_site(site, port=0) -> address``: serve ``site`` in a thread; stopped after the test."""
    scratch = tmp_path / "scratch-start"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    running: list[tuple[threading.Thread, threading.Event]] = []

    def run(site: Path, port: int = 0) -> str:
        from sitegen.commands.serve import serve
        from sitegen.core.config import load_config

        config, _ = load_config(site)
        ready: list[str] = []
        stop = threading.Event()
        thread = threading.Thread(target=serve, args=(site, config, port),
                                  kwargs={"ready": ready.append, "stop": stop}, daemon=True)
        thread.start()
        running.append((thread, stop))
        deadline = time.monotonic() + 10
        while not ready and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready, "the server did not start"
        return ready[0]

    yield run
    for thread, stop in running:
        stop.set()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the server did not stop"
    assert list(scratch.iterdir()) == [], "serve left its temporary folder"


@pytest.fixture
def example_server(tmp_path: Path) -> Any:
    """A SiteServer of a copy of the example site, built once without an error."""
    from helpers import example_site

    from sitegen.commands.serve import SiteServer
    from sitegen.core.config import load_config

    site = example_site(tmp_path / "site")
    config, _ = load_config(site)
    made = SiteServer(site, config, log=lambda _: None)
    made.rebuild()
    assert not [p for p in made.state.problems if p.is_error]
    return made
