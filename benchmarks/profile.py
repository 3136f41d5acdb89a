"""Runs workload cases under cProfile and prints the functions with the most own time (tottime).

    python benchmarks/profile.py ping/standard/greedy [--quick | --smoke] [--top 25]
    python benchmarks/profile.py ping/python/greedy

The argument is a workload name, optionally followed by text of the case ("ping/python/greedy"); every
matching case is profiled on its own, one timed run without warm-up. The scheduler runs its loop on
threads of its own, so every thread started during the run gets a profiler (the main thread only waits
and is not profiled); their statistics are merged. Each summary is also written to
benchmarks/results/profile-<workload>-<case>.txt. Profiling slows the run down about 2-3x, more for
code that makes many small calls: read the shares, not the msg/s.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this folder off sys.path: this file would shadow the standard library's ``profile`` module,
# which cProfile imports.
if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    __package__ = "benchmarks"

import argparse
import cProfile
import dataclasses
import io
import pstats
import re
import threading

from gxf.core import log

from . import extension, report
from .harness import Bench
from .modes import FULL, QUICK, SMOKE
from .workloads import WORKLOADS

RESULTS = Path(__file__).resolve().parent / "results"


class ThreadProfiler:
    """One cProfile.Profile per thread started while active; ``stats()`` merges them."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        def begin(frame, event, arg):
            # Runs once in each new thread; enabling the profiler replaces this hook for the thread.
            if isinstance(threading.current_thread(), threading.Timer):
                sys.setprofile(None)  # the harness's watchdog: it only waits
                return
            profile = cProfile.Profile()
            with self._lock:
                self.profiles.append(profile)
            profile.enable()

        threading.setprofile(begin)

    def stop(self) -> None:
        threading.setprofile(None)

    def stats(self, stream) -> pstats.Stats | None:
        with self._lock:
            profiles = list(self.profiles)
        if not profiles:
            return None
        stats = pstats.Stats(profiles[0], stream=stream)
        for profile in profiles[1:]:
            stats.add(profile)
        return stats


def summary(bench: Bench, key: str, profiler: ThreadProfiler, records: list[dict], top: int) -> str:
    stream = io.StringIO()
    record = next((r for r in records if f"{r['workload']}/{r['case']}" == key), None)
    stream.write(f"profile of {key} ({bench.mode.name} mode, one run under cProfile)\n")
    if record is not None:
        measured = ", ".join(f"{report.LABELS.get(name, name)} {report.format_value(m['median'], m['unit'])}"
                             for name, m in record["metrics"].items() if name in record["display"])
        stream.write(f"status: {record['status']}; measured under the profiler: {measured or '-'}\n")
        stream.write(f"parameters: {record['parameters']}\n")
    stats = profiler.stats(stream)
    if stats is None:
        stream.write("no thread was profiled\n")
        return stream.getvalue()
    stream.write(f"\n--- top {top} by own time (tottime) ---\n")
    stats.sort_stats("tottime").print_stats(top)
    stream.write(f"\n--- top {top} by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(top)
    return stream.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/profile.py", description=__doc__.splitlines()[0])
    parser.add_argument("target", metavar="WORKLOAD[/CASE]",
                        help="workload (" + ", ".join(WORKLOADS) + "), optionally /text of the case")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", const=QUICK, dest="mode")
    size.add_argument("--smoke", action="store_const", const=SMOKE, dest="mode")
    parser.add_argument("--top", type=int, default=25, help="functions to list [%(default)s]")
    parser.add_argument("--out-dir", type=Path, default=RESULTS, help="where summaries go [%(default)s]")
    parser.set_defaults(mode=FULL)
    args = parser.parse_args(argv)
    workload, _, case = args.target.partition("/")
    if workload not in WORKLOADS:
        parser.error(f"unknown workload {workload!r}; choose from {', '.join(WORKLOADS)}")

    log.configure(None)
    extension.install()
    mode = dataclasses.replace(args.mode, repetitions=1, warmup=False)
    bench = Bench(mode, profiler_factory=ThreadProfiler, case_filter=f"{workload}/{case}",
                  echo=lambda line: print(line, file=sys.stderr, flush=True))
    records = WORKLOADS[workload].run(bench)
    if not bench.profiles:
        print(f"no case of {workload} matches {args.target!r} and runs here: "
              + "; ".join(f"{r['case']}: {r['status']}" for r in records), file=sys.stderr)
        return 1
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for key, profiler in bench.profiles.items():
        text = summary(bench, key, profiler, records, args.top)
        path = args.out_dir / f"profile-{re.sub(r'[^A-Za-z0-9]+', '-', key).strip('-')}.txt"
        path.write_text(text, encoding="utf-8")
        print(text)
        print(f"(written to {path})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
