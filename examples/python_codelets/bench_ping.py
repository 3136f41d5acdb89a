"""Throughput of Python-codelet ping: PingTx -> PingRx as PyCodeletV0 from files, GreedyScheduler, ManualClock.

    python examples/python_codelets/bench_ping.py [--messages 200000] [--runs 3]

Runs ping/ping.yaml with the message count raised and prints messages per second (the median of the
runs, timing only the run, not loading). Logging is at WARNING, so no message is formatted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from gxf.core import Context, load_graph_file, runner

GRAPH = Path(__file__).resolve().parent / "ping" / "ping.yaml"


def measure(messages: int) -> float:
    """Messages per second of one run of ``messages`` pings."""
    overrides = runner.parse_overrides([f"tx/count/count={messages}", f"rx/ping/codelet_params=expected={messages}"])
    with Context() as context:
        load_graph_file(context, GRAPH, overrides)
        context.activate()
        started = time.perf_counter()
        context.run()
        elapsed = time.perf_counter() - started
        received = context.find_component("rx/ping").adapter.received
    if received != messages:
        raise SystemExit(f"expected {messages} messages, received {received}")
    return messages / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description="Python-codelet ping throughput")
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rates = [measure(args.messages) for _ in range(args.runs)]
    print(f"python codelet ping, GreedyScheduler + ManualClock: {statistics.median(rates):,.0f} msg/s "
          f"(median of {args.runs}; runs: {', '.join(f'{r:,.0f}' for r in rates)})")


if __name__ == "__main__":
    main()
