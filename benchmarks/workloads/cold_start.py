"""Cold start: ``gxf run`` of a ping pair sending one message, as a fresh process.

Whole-process wall time (spawn to exit) and peak RSS, both taken by a small launcher process whose
only child is ``gxf run``: getrusage(RUSAGE_CHILDREN).ru_maxrss there is the run's own peak RSS. Also
recorded: the 10 most expensive imports of ``python -X importtime -c "import gxf.core, gxf.std"``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .. import graphs
from ..harness import Bench
from ..targets import COLD_START_WALL

TITLE = "Cold start (gxf run, one message)"

IMPORT_STATEMENT = "import gxf.core, gxf.std"


def graph() -> str:
    documents = [graphs.ping_tx("tx", 1), graphs.ping_rx("rx"), graphs.connect("tx/signal", "rx/signal"),
                 graphs.scheduler("greedy")]
    return graphs.to_yaml(documents, "cold start: a ping pair sending one message")


def gxf_command() -> list[str] | None:
    """The ``gxf`` console script next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "gxf"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("gxf")
    return [found] if found else None


# Runs its arguments as a command and reports wall time and the command's peak RSS. It runs in a small
# interpreter of its own because Linux charges a child, in ru_maxrss, with the memory of the process
# it was forked from: measured from the harness (tens of MiB by then), every child would look that big.
LAUNCHER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"exit": code, "wall_s": wall, "maxrss_kib": usage.ru_maxrss}))
"""


def timed_process(argv: list[str], timeout_s: float) -> tuple[float, int]:
    """Runs ``argv`` in a fresh process; returns (wall seconds, peak RSS in KiB); raises when it fails."""
    try:
        done = subprocess.run([sys.executable, "-I", "-S", "-c", LAUNCHER, *argv], capture_output=True,
                              text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{' '.join(argv)} did not finish within {timeout_s:g} s") from None
    try:
        result = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise RuntimeError(f"the launcher failed: {done.stderr.strip()[-500:]}") from None
    if result["exit"] != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise RuntimeError(f"exit status {result['exit']}: {tail[0]}")
    return result["wall_s"], result["maxrss_kib"]


def import_costs(top: int = 10) -> dict:
    """The ``top`` imports with the largest own time, from ``python -X importtime``."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORT_STATEMENT], capture_output=True,
                         text=True, timeout=60)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"{IMPORT_STATEMENT!r} failed: {out.stderr.strip().splitlines()[-1:]}")
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|", 2)
        rows.append({"module": name.strip(), "self_us": int(own), "cumulative_us": int(cumulative)})
    rows.sort(key=lambda row: row["self_us"], reverse=True)
    return {"statement": IMPORT_STATEMENT, "process_wall_s": wall, "modules": len(rows),
            "total_self_us": sum(row["self_us"] for row in rows), "top": rows[:top]}


def graph_files(mode) -> dict[str, str]:
    return {"cold-start.yaml": graph()}


def run(bench: Bench) -> list[dict]:
    case = "gxf run ping count 1"
    if not bench.wants("cold_start", case):
        return []
    text = graph()
    command = gxf_command()
    directory = tempfile.mkdtemp(prefix="gxf-cold-start-")
    path = Path(directory) / "cold_start.yaml"
    path.write_text(text, encoding="utf-8")

    def once(warmup):
        wall, rss_kib = timed_process([*command, "run", str(path)], timeout_s=bench.mode.run_limit_s)
        return {"metrics": {"wall_s": wall, "peak_rss_mib": rss_kib / 1024}, "checks": {}}

    try:
        if command is None:
            record = bench.measure("cold_start", case, parameters={}, once=once, units={}, display=[],
                                   requires=["gxf command"])
        else:
            record = bench.measure(
                "cold_start", case,
                parameters={"command": "gxf run <graph>", "graph": "PingTx -> PingRx, CountSchedulingTerm 1, "
                            "GreedyScheduler, ManualClock", "runs": bench.mode.cold_start_runs},
                once=once, graph=text, units={"wall_s": "s", "peak_rss_mib": "MiB"},
                display=["wall_s", "peak_rss_mib"], target=COLD_START_WALL, repetitions=bench.mode.cold_start_runs)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if record["status"] == "ok":
        try:
            record["imports"] = import_costs()
        except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
            record["imports"] = {"error": str(exc)}
    return [record]
