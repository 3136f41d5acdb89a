"""The benchmark harness runs end to end (tiny counts) and writes a complete JSON file.

Only the shape of the results is checked - every workload present, every case measured with numbers or
skipped because a component type is not installed - never a speed.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "benchmarks" / "run.py"
WORKLOADS = ["ping", "pipeline", "overhead", "fanout", "tensor", "cold_start"]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "smoke.json"
    done = subprocess.run([sys.executable, str(RUN), "--smoke", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=50)
    assert out.is_file(), f"no JSON written; stderr:\n{done.stderr[-3000:]}"
    return done, json.loads(out.read_text())


def _cases(data):
    return [case for workload in data["workloads"].values() for case in workload["cases"]]


def test_every_workload_is_reported(smoke):
    _, data = smoke
    assert list(data["workloads"]) == WORKLOADS
    for name, workload in data["workloads"].items():
        assert workload["title"] and workload["description"], name


def test_every_case_has_numbers_or_says_what_is_missing(smoke):
    done, data = smoke
    for case in _cases(data):
        where = f"{case['workload']} {case['case']}"
        if case["status"].startswith("skipped: "):
            assert case["status"].endswith(" not installed"), where
            assert case["metrics"] == {}, where
            continue
        assert case["status"] == "ok", f"{where}: {case['status']}\n{case.get('traceback', '')}"
        assert case["metrics"], where
        for name, metric in case["metrics"].items():
            assert metric["unit"], (where, name)
            assert len(metric["runs"]) == case["repetitions"] and case["repetitions"] >= 1, (where, name)
            assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in metric["runs"]), (where, name)
            assert metric["median"] == statistics.median(metric["runs"]), (where, name)
        if case["target"]:
            assert case["result"] in ("PASS", "MISS"), where
    assert done.returncode == 0, done.stderr[-3000:]


def test_the_cases_that_need_only_the_core_components_ran(smoke):
    _, data = smoke
    ran = {(c["workload"], c["case"]) for c in _cases(data) if c["status"] == "ok"}
    assert ("ping", "standard/greedy") in ran
    assert ("overhead", "greedy/bare") in ran
    assert ("cold_start", "gxf run ping count 1") in ran
    ping = next(c for c in _cases(data) if (c["workload"], c["case"]) == ("ping", "standard/greedy"))
    assert set(ping["metrics"]) >= {"msg_per_s", "load_s", "run_s"}
    assert ping["checks"]["received"] == ping["parameters"]["messages"]
    cold = next(c for c in _cases(data) if c["workload"] == "cold_start")
    assert len(cold["imports"]["top"]) == 10


def test_machine_and_targets_are_recorded(smoke):
    done, data = smoke
    machine = data["machine"]
    assert machine["cpu_count"] >= 1 and machine["python"].count(".") == 2
    assert "git_commit" in machine and "StandardExtension" in machine["extensions"]
    assert data["mode"]["name"] == "smoke"
    texts = {(t["workload"], t["case"]) for t in data["targets"]}
    assert ("ping", "standard/greedy") in texts and ("cold_start", "gxf run ping count 1") in texts
    assert "target" in done.stdout and ("PASS" in done.stdout or "MISS" in done.stdout)
