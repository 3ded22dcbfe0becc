"""benchmarks/floor.py measures what it says: every body, and a copy of the output's tree."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from helpers import article

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"benchmarks_{name}"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


floor = _load("floor")
bench = _load("bench")


def _tree(root: Path) -> dict[str, int]:
    """Every file below ``root``: its size; every folder: -1."""
    return {str(p.relative_to(root)): (p.stat().st_size if p.is_file() else -1)
            for p in root.rglob("*")}


@pytest.fixture
def built(make_site: Callable[..., Path], build_ok: Callable[..., object]) -> Path:
    site = make_site({
        "content/tin-tuc/a.md": article("Hội nghị điển hình tiên tiến",
                                        body="# Mở đầu\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        "content/tin-tuc/b.md": article("Phong trào thi đua", "2024-06-11", tags=["thi đua"]),
        "content/pages/gioi-thieu.md": article("Giới thiệu", None),
        "content/ghi-chu.txt": "không phải bài viết",
        "content/tin-tuc/_nhap.md": article("Bản nháp chưa đăng"),  # never read by a build
    })
    build_ok(site, site / "output")
    return site


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_files_makes_the_output_tree_again_folder_for_folder_and_size_for_size(
        built: Path, workers: int, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SITEGEN_JOBS", str(workers))
    (built / "output" / "thu-muc-trong").mkdir()  # a folder with no file is made too
    assert floor.main(["files", str(built)]) == 0
    copy, output = _tree(built / floor.FLOOR_DIR), _tree(built / "output")
    assert copy == output
    got = json.loads(capsys.readouterr().out)
    assert got["items"] == sum(1 for size in output.values() if size >= 0)
    assert got["workers"] == workers and got["wall"] > 0 and got["cpu"] >= 0


def test_markdown_converts_every_article_and_page_the_build_reads(
        built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    no_front_matter = built / "content" / "tin-tuc" / "khong-co-front-matter.md"
    no_front_matter.write_text("Chỉ có nội dung.\n", encoding="utf-8")
    assert floor.main(["markdown", str(built)]) == 0
    assert json.loads(capsys.readouterr().out)["items"] == 3  # two articles and one page


def test_bench_removes_the_folder_floor_makes() -> None:
    assert bench.FLOOR_DIR == floor.FLOOR_DIR


def test_a_floor_that_fails_is_a_failure_of_the_floor(make_site: Callable[..., Path]) -> None:
    with pytest.raises(bench.BuildFailed, match=r"floor\.py files"):
        bench.floor_step("files", make_site({}), dict(os.environ))  # nothing built yet


def test_files_without_a_build_says_so(make_site: Callable[..., Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert floor.main(["files", str(site)]) == 1
    assert "build the site first" in capsys.readouterr().err
    assert not os.path.exists(site / floor.FLOOR_DIR)


@pytest.mark.parametrize(("md", "files", "workers", "bound"), [
    ((4.0, 8.0), (1.0, 1.5), 2, 4.75),   # both steps' CPU on two processes
    ((4.0, 4.0), (3.0, 0.2), 2, 4.0),    # the Markdown alone
    ((1.0, 1.0), (6.0, 0.5), 2, 6.0),    # the files alone (waiting on the disk)
    ((2.0, 4.0), (2.0, 4.0), 1, 8.0),    # one process: the CPU of both
])
def test_the_bound_is_the_longest_of_each_step_and_their_cpu_over_the_processes(
        md: tuple[float, float], files: tuple[float, float], workers: int, bound: float) -> None:
    got = bench.floor_bound(bench.Run(*md, 0.0), bench.Run(*files, 0.0), workers)
    assert got == pytest.approx(bound)


def test_the_floor_row_sets_the_bound_beside_a_quarter_of_pelican_when_it_ran() -> None:
    result = bench.SitegenResult(n=10, corpus="", cold=[bench.Run(2.0, 3.0, 0.0)],
                                 floor_markdown=[bench.Run(1.0, 2.0, 0.0)],
                                 floor_files=[bench.Run(1.0, 1.0, 0.0)], floor_workers=2)
    pelican = bench.PeerResult("pelican", 10, bench.Figures(8.0, 7.0, 9.0), 0.8, 8.0, 50.0,
                               bench.Figures(1.0, 1.0, 1.0), "", "", "")
    cells = [c.strip() for c in bench.floor_row(result, pelican).strip("|").split("|")]
    assert cells == ["10", "1.00 (2.00)", "1.00 (1.00)", "1.50", "2.00", "8.00", "2.00"]
    alone = [c.strip() for c in bench.floor_row(result, None).strip("|").split("|")]
    assert alone[-2:] == ["–", "–"] and alone[:5] == cells[:5]
