"""Cold start: ``gxf run`` of a ping pair sending one message, as a fresh process.

Whole-process wall time (spawn to exit) and peak RSS of the child. The RSS comes from the child's own
resource usage as ``os.wait4`` reports it (the figure getrusage(RUSAGE_CHILDREN) gives when it is the only
child, without the harness's other children mixed in). Also recorded: the 10 most expensive imports of
``python -X importtime -c "import gxf.core, gxf.std"``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
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


def timed_process(argv: list[str], timeout_s: float) -> tuple[float, int, str]:
    """Runs ``argv``; returns (wall seconds, peak RSS in KiB, stderr); raises when it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        killer = threading.Timer(timeout_s, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if process.returncode != 0:
        tail = stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise RuntimeError(f"exit status {process.returncode}: {tail[0]}")
    return wall, usage.ru_maxrss, stderr


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
        wall, rss_kib, _ = timed_process([*command, "run", str(path)], timeout_s=bench.mode.run_limit_s)
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
