"""benchmarks/icount.py counts the instructions of one message under callgrind (a figure that does not
move with the machine's load). Checked here: which graphs it offers, that a counted run runs the graph
with the counts it was given, and, where valgrind is installed, one real count."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ICOUNT = ROOT / "benchmarks" / "icount.py"


def test_it_offers_the_message_graphs_but_not_the_real_time_ones():
    listed = subprocess.run([sys.executable, str(ICOUNT), "--list"], cwd=ROOT, capture_output=True,
                            text=True, timeout=30, check=True).stdout.split()
    assert {"ping-standard-greedy", "ping-python-greedy", "overhead-greedy-idle1000",
            "chain10-throughput-greedy", "fanout-eventbased"} <= set(listed)
    assert not [name for name in listed if "latency" in name]


def test_an_unknown_graph_is_refused_with_the_way_to_list_them():
    done = subprocess.run([sys.executable, str(ICOUNT), "ping-nowhere"], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2 and "--list shows the names" in done.stderr


def test_the_counted_run_sends_the_messages_it_is_given(tmp_path):
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks import icount
    finally:
        sys.path.remove(str(ROOT))
    path = tmp_path / "ping.yaml"
    path.write_text(icount.graphs()["ping-standard-greedy"], encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "benchmarks.icount", "--run", str(path), "37"], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "37 messages, counts used up: True" in done.stdout


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
@pytest.mark.timeout(240)  # two runs of Python under callgrind, which is some 50 times slower
def test_a_real_count_writes_instructions_per_message(tmp_path):
    out = tmp_path / "icount.json"
    done = subprocess.run([sys.executable, str(ICOUNT), "ping-standard-greedy", "--messages", "100", "300",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=230)
    assert done.returncode == 0, done.stderr
    figure = json.loads(out.read_text())["ping-standard-greedy"]
    assert 5_000 < figure < 500_000  # a message costs thousands of instructions, not none or millions
