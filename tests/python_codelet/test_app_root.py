"""--app-root (GXF's gxe -app_root): relative paths inside graph files (subgraph locations, codelet files)
taken from one folder, as graph files written for a source tree's root name them; without it, a path
that a folder above the graph file holds gets a hint naming that folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxf.core.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python_codelets" / "ping"
SUMMARY = re.compile(r"gxf run: finished in [\d.]+ s: \d+ ticks, 5 messages")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A source tree: tree/app/ping.yaml names tree/codelets/*.py as 'codelets/…' (from the root) and
    includes tree/app/parts/scheduler.yaml as a subgraph named 'app/parts/scheduler.yaml'."""
    (tmp_path / "codelets").mkdir()
    for name in ("PingTx.py", "PingRx.py"):
        (tmp_path / "codelets" / name).write_text((EXAMPLE / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (EXAMPLE / "ping.yaml").read_text(encoding="utf-8")
    text = text.replace("codelet_file: PingTx.py", "codelet_file: codelets/PingTx.py")
    text = text.replace("codelet_file: PingRx.py", "codelet_file: codelets/PingRx.py")
    text = text.replace("clock: scheduler/clock", "clock: timing.scheduler/clock")
    text = text[:text.index("---\nname: scheduler")] + (
        "---\nname: timing\ncomponents:\n- type: nvidia::gxf::Subgraph\n  parameters:\n"
        "    location: app/parts/scheduler.yaml\n")
    (tmp_path / "app" / "parts").mkdir(parents=True)
    (tmp_path / "app" / "ping.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "app" / "parts" / "scheduler.yaml").write_text(
        "name: scheduler\ncomponents:\n- name: clock\n  type: nvidia::gxf::ManualClock\n"
        "- type: nvidia::gxf::GreedyScheduler\n  parameters:\n    clock: clock\n", encoding="utf-8")
    return tmp_path


def gxf(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_gxf_run_takes_codelet_files_and_subgraphs_from_the_app_root(tree):
    result = gxf("run", "--app-root", tree, tree / "app" / "ping.yaml")
    assert result.exit_code == 0, result.output
    assert SUMMARY.search(result.stderr), result.stderr


def test_without_it_the_error_names_the_folder_that_holds_the_path(tree):
    result = gxf("run", tree / "app" / "ping.yaml")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr or "cannot load subgraph" in result.stderr
    assert f"it is found under {tree}: run with --app-root {tree}" in result.stderr


def test_the_working_directory_is_still_never_searched_for_a_codelet_file(tree, monkeypatch):
    monkeypatch.chdir(tree)
    (tree / "app" / "parts" / "scheduler.yaml").rename(tree / "app" / "scheduler.yaml")
    text = (tree / "app" / "ping.yaml").read_text(encoding="utf-8")
    (tree / "app" / "ping.yaml").write_text(text.replace("app/parts/scheduler.yaml", "scheduler.yaml"),
                                            encoding="utf-8")
    result = gxf("run", tree / "app" / "ping.yaml")
    assert result.exit_code == 1 and "codelet_file" in result.stderr and "does not exist" in result.stderr


def test_validate_and_graph_take_it_too(tree):
    assert gxf("validate", "--app-root", tree, tree / "app" / "ping.yaml").exit_code == 0
    unrooted = gxf("validate", tree / "app" / "ping.yaml")
    assert unrooted.exit_code == 1 and f"--app-root {tree}" in unrooted.stderr
    drawn = gxf("graph", "--app-root", tree, "-f", "mermaid", tree / "app" / "ping.yaml")
    assert drawn.exit_code == 0 and "timing.scheduler" in drawn.stdout


def test_a_relative_graph_file_is_found_under_the_app_root_as_gxe_finds_it(tree, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = gxf("run", "--app-root", tree, "app/ping.yaml")
    assert result.exit_code == 0, result.output


def test_an_app_root_that_is_no_folder_is_refused(tree):
    result = gxf("run", "--app-root", tree / "missing", tree / "app" / "ping.yaml")
    assert result.exit_code == 1
    assert "app root" in result.stderr and "is not a folder" in result.stderr


def test_gxe_takes_app_root_as_gxf_run_does(tree):
    done = subprocess.run([sys.executable, "-m", "gxf.std.gxe", "--app", str(tree / "app" / "ping.yaml"),
                           "--app_root", str(tree)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
