"""Runs the benchmark workloads, writes a JSON file and prints a table with targets and PASS/MISS.

    python benchmarks/run.py [--quick | --smoke] [--only NAME] [--out benchmarks/results/latest.json]

See benchmarks/README.md for the workloads, the targets and how to read the numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script: import the harness as the package ``benchmarks`` of the repository root (and keep
# this folder off sys.path, where profile.py would shadow the standard library's module).
if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    __package__ = "benchmarks"

import argparse
import json
import time

from gxf.core import log

from . import extension, report
from .harness import Bench
from .machine import load_average, machine_info
from .modes import FULL, MODES, QUICK, SMOKE
from .workloads import WORKLOADS

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python benchmarks/run.py", description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", const=QUICK, dest="mode",
                      help="one timed run per case, fewer messages (a look, not a measurement)")
    size.add_argument("--smoke", action="store_const", const=SMOKE, dest="mode",
                      help="tiny counts, no warm-up: checks that the harness works (used by the tests)")
    parser.add_argument("--only", metavar="NAME", action="append", choices=list(WORKLOADS),
                        help="run only this workload (repeatable): " + ", ".join(WORKLOADS))
    parser.add_argument("--case", metavar="TEXT", help="run only cases whose 'workload/case' contains TEXT")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the JSON goes [%(default)s]")
    parser.add_argument("--dump-graphs", type=Path, metavar="DIR", help="also write every graph file to DIR")
    parser.set_defaults(mode=FULL)
    return parser.parse_args(argv)


def targets_summary(records: list[dict]) -> list[dict]:
    out = []
    for record in records:
        target = record.get("target")
        if not target:
            continue
        metric = record["metrics"].get(target["metric"])
        measured = report.format_value(metric["median"], metric["unit"]) if metric else None
        out.append({"workload": record["workload"], "case": record["case"], "target": target["text"],
                    "measured": measured, "result": record["result"] if record["status"] == "ok" else None,
                    "status": record["status"]})
    return out


def write_graphs(directory: Path, mode, names: list[str]) -> None:
    """Writes the graph file of every case (at the mode's counts) to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        for filename, text in WORKLOADS[name].graph_files(mode).items():
            (directory / filename).write_text(text, encoding="utf-8")


def run(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    log.configure(None)
    extension.install()
    echo = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    bench = Bench(args.mode, case_filter=args.case, echo=echo)
    if args.dump_graphs:
        write_graphs(args.dump_graphs, args.mode, args.only or list(WORKLOADS))
    started = time.perf_counter()
    data = {"machine": machine_info(bench.registry), "mode": args.mode.as_dict(), "workloads": {}}
    records: list[dict] = []
    for name in args.only or WORKLOADS:
        module = WORKLOADS[name]
        echo(f"{name}: {module.TITLE}")
        cases = module.run(bench)
        data["workloads"][name] = {"title": module.TITLE, "description": (module.__doc__ or "").strip(),
                                   "cases": cases}
        records.extend(cases)
    data["machine"]["load_average_end"] = load_average()
    data["duration_s"] = round(time.perf_counter() - started, 2)
    data["targets"] = targets_summary(records)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(report.format_header(data))
    print()
    print(report.format_table(records))
    print()
    print(report.format_summary(data))
    problems = report.format_problems(records)
    if problems:
        print()
        print(problems)
    print(f"\n{len(records)} cases in {data['duration_s']:.1f} s; JSON written to {args.out}")
    return data


def main(argv: list[str] | None = None) -> int:
    data = run(argv)
    errors = [case for workload in data["workloads"].values() for case in workload["cases"]
              if case["status"].startswith("error")]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
