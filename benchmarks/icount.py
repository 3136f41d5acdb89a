"""Counts the machine instructions one message costs in a benchmark graph, under valgrind's callgrind.

    python benchmarks/icount.py ping-standard-greedy [overhead-greedy-idle1000 ...] [--messages 5000 15000]
    python benchmarks/icount.py --list

Wall-clock figures on a shared 2-core machine swing by tens of percent between runs; instruction counts
do not (callgrind counts the same for the same code and inputs, whatever else the machine does). Each
graph (a file name of ``run.py --dump-graphs`` without ``.yaml``) is run twice in a fresh process under
callgrind, with every CountSchedulingTerm set to the two message counts; the difference divided by the
difference of the counts is the cost of one message, start-up excluded. Results go to
``benchmarks/results/icount.json`` (``--out``) and a table. Threaded schedulers are counted too, but
their figures depend on how the threads interleaved (a few percent between runs).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    __package__ = "benchmarks"

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile

from .modes import QUICK
from .workloads import WORKLOADS

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "icount.json"
COUNTED = ("ping", "pipeline", "overhead", "fanout")


def graphs() -> dict[str, str]:
    """Every countable graph file by name (without .yaml), at the quick mode's sizes."""
    out = {}
    for name in COUNTED:
        for filename, text in WORKLOADS[name].graph_files(QUICK).items():
            if "latency" not in filename:  # runs in real time: its cost is not per message
                out[filename.removesuffix(".yaml")] = text
    return out


def run_graph(path: str, messages: int) -> None:
    """The counted process: loads ``path``, sets every count to ``messages`` and runs it."""
    from gxf.core import Context, load_graph_file, log

    from . import extension

    log.configure(None)
    extension.install()
    with Context() as context:
        load_graph_file(context, path)
        counts = [c for c in context.components() if c.type_name() == "nvidia::gxf::CountSchedulingTerm"]
        for count in counts:
            count.set_param("count", messages)
        for component in context.components():  # sinks that check how many messages they received
            params = component.param_values().get("codelet_params")
            if isinstance(params, dict) and "expected_count" in params:
                component.set_param("codelet_params", {**params, "expected_count": messages})
        context.run()
        used_up = bool(counts) and all(count.remaining() == 0 for count in counts)
        print(f"{messages} messages, counts used up: {used_up}")


def instructions(path: Path, messages: int) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-m",
         "benchmarks.icount", "--run", str(path), str(messages)],
        cwd=Path(__file__).resolve().parent.parent, env=env, capture_output=True, text=True, timeout=1800)
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode != 0 or found is None:
        raise RuntimeError(f"counting {path.name} failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/icount.py", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="graphs to count (see --list)")
    parser.add_argument("--messages", nargs=2, type=int, default=(5000, 15000), metavar=("LOW", "HIGH"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--list", action="store_true", help="list the graphs that can be counted")
    parser.add_argument("--run", nargs=2, metavar=("FILE", "MESSAGES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run_graph(args.run[0], int(args.run[1]))
        return 0
    available = graphs()
    if args.list or not args.names:
        print("\n".join(sorted(available)))
        return 0
    unknown = [name for name in args.names if name not in available]
    if unknown:
        parser.error(f"unknown graph(s) {', '.join(unknown)}; --list shows the names")
    if shutil.which("valgrind") is None:
        print("error: valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    low, high = args.messages
    if not 0 < low < high:
        parser.error("--messages takes two counts, the first smaller")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in args.names:
            path = Path(folder) / f"{name}.yaml"
            path.write_text(available[name], encoding="utf-8")
            per_message = (instructions(path, high) - instructions(path, low)) / (high - low)
            results[name] = round(per_message)
            print(f"{name:40} {per_message:>12,.0f} instructions per message", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    previous.update(results)
    args.out.write_text(json.dumps(previous, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
