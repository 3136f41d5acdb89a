"""What watching a run costs: ping throughput with nothing, with --stats, and with --dashboard and a page open.

    python benchmarks/dashboard_overhead.py [--messages 100000] [--rounds 7] [--out FILE]

The ping graph of ``workloads/ping.py`` (PingTx -> PingRx, greedy scheduler, ManualClock) runs in this
process through ``runner.run_graphs`` as ``gxf run`` runs it, once per variant per round, the variants
interleaved so that the machine's load drifts alike for all:

- ``off``: the summary line only (what every ``gxf run`` pays: counts read at the end);
- ``stats``: ``RunStatistics`` attached (``--stats``: every tick timed);
- ``dashboard``: the dashboard served, with one page's event stream read by a client thread
  (``--dashboard`` and a browser tab: a snapshot every half second), its statistics timing ticks for
  the sample of time ``gxf run --dashboard`` gives them (``cli.LIVE_SAMPLE``).

The figures are messages per second over the run (start to end, graph load excluded) and the CPU time
of the whole process (every thread: the dashboard's server and the page's reader too) per message;
the medians of the rounds are reported with each variant's cost against ``off``. On a shared machine
the CPU time per message is the steadier of the two. Results go to
``benchmarks/results/dashboard_overhead.json``. Wall-clock figures on a shared machine move by several
percent between rounds: compare medians of many rounds.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    __package__ = "benchmarks"

import argparse
import json
import statistics
import tempfile
import threading
import time
import urllib.request

from .workloads import ping

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "dashboard_overhead.json"
VARIANTS = ("off", "stats", "dashboard")


class _Timing:
    """A watch that times the run between its start and its end, passing the calls on."""

    def __init__(self, report) -> None:
        self.report = report
        self.seconds = 0.0

    def started(self, context) -> None:
        self.report.started(context)
        self._t0, self._cpu0 = time.perf_counter(), time.process_time()

    def ended(self, context, how: str) -> None:
        self.seconds = time.perf_counter() - self._t0
        self.cpu_seconds = time.process_time() - self._cpu0
        self.report.ended(context, how)


def _read_events(url: str, stop: threading.Event, seen: list) -> None:
    """An open page: reads the event stream until ``stop``."""
    try:
        with urllib.request.urlopen(url + "events", timeout=30) as stream:
            while not stop.is_set():
                line = stream.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    seen.append(len(line))
    except OSError:
        pass


def run_once(path: Path, variant: str) -> tuple[float, float, int]:
    """Seconds the run took, CPU seconds of the process (every thread) meanwhile, and events a page got
    (dashboard only)."""
    from gxf.core import runner
    from gxf.core.run_report import RunReport
    from gxf.core.run_statistics import RunStatistics

    from gxf.core.cli import LIVE_SAMPLE

    # As ``gxf run`` builds them: --stats times every tick, --dashboard alone a sample of them.
    statistics_ = {"off": None, "stats": RunStatistics(), "dashboard": RunStatistics(sample=LIVE_SAMPLE)}[variant]
    watches = []
    stop, seen, reader = threading.Event(), [], None
    if variant == "dashboard":
        from gxf.core.dashboard import Dashboard

        dashboard = Dashboard(0, statistics_)
        url = dashboard.start()
        watches.append(dashboard)
        reader = threading.Thread(target=_read_events, args=(url, stop, seen), daemon=True)
        reader.start()
    timing = _Timing(RunReport(progress=False, statistics=statistics_, watches=watches))
    try:
        runner.run_graphs([path], watch=timing)
    finally:
        stop.set()
        for watch in watches:
            watch.stop()
        if reader is not None:
            reader.join(5)
    return timing.seconds, timing.cpu_seconds, len(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    from gxf.core import log

    log.configure(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ping.yaml"
        path.write_text(ping.graph("standard", "greedy", args.messages), encoding="utf-8")
        run_once(path, "off")  # warm-up: imports, caches
        runs: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
        cpu: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
        events = []
        for _ in range(args.rounds):
            for variant in VARIANTS:
                seconds, cpu_seconds, seen = run_once(path, variant)
                runs[variant].append(args.messages / seconds)
                cpu[variant].append(cpu_seconds / args.messages * 1e6)
                if variant == "dashboard":
                    events.append(seen)
    medians = {variant: statistics.median(values) for variant, values in runs.items()}
    cpu_medians = {variant: statistics.median(values) for variant, values in cpu.items()}
    result = {
        "graph": "ping, standard codelets, greedy scheduler, ManualClock",
        "messages": args.messages,
        "rounds": args.rounds,
        "msg_per_s": {variant: round(value) for variant, value in medians.items()},
        "cost_vs_off_percent": {variant: round(100 * (1 - medians[variant] / medians["off"]), 2)
                                for variant in VARIANTS if variant != "off"},
        "cpu_us_per_message": {variant: round(value, 3) for variant, value in cpu_medians.items()},
        "cpu_cost_vs_off_percent": {variant: round(100 * (cpu_medians[variant] / cpu_medians["off"] - 1), 2)
                                    for variant in VARIANTS if variant != "off"},
        "runs_msg_per_s": {variant: [round(v) for v in values] for variant, values in runs.items()},
        "runs_cpu_us_per_message": {variant: [round(v, 3) for v in values] for variant, values in cpu.items()},
        "events_per_dashboard_run": events,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for variant in VARIANTS:
        cost = result["cost_vs_off_percent"].get(variant)
        cpu_cost = result["cpu_cost_vs_off_percent"].get(variant)
        print(f"{variant:10} {medians[variant]:>10,.0f} msg/s {cpu_medians[variant]:8.2f} CPU us/msg"
              + (f"   throughput {-cost:+.1f}%, CPU {cpu_cost:+.1f}% vs off" if cost is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
