"""python -m gxf.std.gxe --app graph.yaml[,more.yaml] [--manifest manifest.yaml]: runs a graph as
`gxf run` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gxf.std import gxe

HERE = Path(__file__).resolve().parent
PING = HERE / "graphs" / "ping_py_py.yaml"


def fewer_ticks(tmp_path: Path, count: int) -> tuple[Path, Path]:
    """The ping graph, and a parameter file making it run ``count`` times with StepCounts expecting that."""
    base = PING.read_text().replace("- type: nvidia::gxf::CountSchedulingTerm",
                                    "- name: count\n  type: nvidia::gxf::CountSchedulingTerm")
    graph = tmp_path / "ping.yaml"
    graph.write_text(base.replace("../codelets/", f"{HERE / 'codelets'}/"))
    params = tmp_path / "params.yaml"
    params.write_text(f"""
name: tx
components:
- name: count
  parameters: {{count: {count}}}
- name: step_count
  parameters: {{codelet_params: {{expected_count: {count}}}}}
---
name: rx
components:
- name: step_count
  parameters: {{codelet_params: "expected_count={count}"}}
""")
    return graph, params


def test_gxe_runs_a_python_codelet_graph(capsys):
    assert gxe.main(["--app", str(PING)]) == 0
    assert capsys.readouterr().err == ""


def test_gxe_loads_comma_separated_graph_and_parameter_files_in_order(tmp_path, capsys):
    graph, params = fewer_ticks(tmp_path, 3)
    # StepCount fails the run unless both entities ticked three times: the parameter file was applied.
    assert gxe.main(["--app", f"{graph},{params}"]) == 0
    expectation_only = tmp_path / "expect.yaml"
    expectation_only.write_text(params.read_text().replace("- name: count\n  parameters: {count: 3}\n", ""))
    assert gxe.main(["--app", f"{graph},{expectation_only}"]) == 1
    assert "expected 3 ticks, got 5" in capsys.readouterr().err


def test_gxe_checks_the_manifest_and_reports_errors_with_exit_code_1(tmp_path, capsys):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("extensions:\n- gxf/std/libgxf_std.so\n- gxf/python_codelet/libgxf_python_codelet.so\n")
    assert gxe.main(["--app", str(PING), "--manifest", str(manifest)]) == 0
    assert gxe.main(["--app", str(PING), "--manifest", str(tmp_path / "missing.yaml")]) == 1
    assert "manifest file not found" in capsys.readouterr().err


def test_gxe_as_a_module_in_a_fresh_process_reports_a_codelet_failure_with_file_and_line(tmp_path):
    graph, params = fewer_ticks(tmp_path, 2)
    log_file = tmp_path / "gxe.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-m", "gxf.std.gxe", "--app", str(graph), "--app", str(params),
                           "--severity", "1", "--log_file", str(log_file)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    expectation_only = tmp_path / "expect.yaml"
    expectation_only.write_text(params.read_text().replace("- name: count\n  parameters: {count: 2}\n", ""))
    failing = subprocess.run([sys.executable, "-m", "gxf.std.gxe", "--app", f"{graph},{expectation_only}",
                              "--severity", "1", "--log_file", str(log_file)],
                             capture_output=True, text=True, env=env, timeout=60)
    assert failing.returncode == 1
    step_count = HERE / "codelets" / "StepCount.py"
    assert f"error: {graph}:" in failing.stderr
    assert "codelet 'tx/step_count' (nvidia::gxf::PyCodeletV0) failed in stop(): StepCount.stop() at " \
           f"{step_count}:" in failing.stderr
    assert "raised Exception: expected 2 ticks, got 5" in failing.stderr
    assert "StepCount.stop() at" in log_file.read_text()
