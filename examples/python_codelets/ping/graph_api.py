"""The graph of ping.yaml, built with the Python graph API instead of a graph file.

    python examples/python_codelets/ping/graph_api.py              # run it
    python examples/python_codelets/ping/graph_api.py --yaml out.yaml   # write it as a graph file too

The codelet classes are given to the graph directly; ComputeEntity creates the queues their ``txs`` /
``rxs`` name, with the usual scheduling terms, and ``connect`` joins them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import gxf.std as std
from gxf.core import Graph
from gxf.std import ComputeEntity, GreedyScheduler, ManualClock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from PingRx import PingRx  # noqa: E402 - next to this file
from PingTx import PingTx  # noqa: E402


def build(count: int = 5) -> Graph:
    """PingTx sends ``count`` messages to PingRx, which expects them."""
    graph = Graph("ping")
    clock = std.set_clock(graph, ManualClock, name="clock")
    std.set_scheduler(graph, GreedyScheduler, clock=clock, max_duration_ms=10000)
    graph.add(ComputeEntity("tx", count=count)).add_codelet(PingTx, name="ping", clock=clock)
    graph.add(ComputeEntity("rx")).add_codelet(PingRx, name="ping", expected=count)
    std.connect(graph.tx.signal, graph.rx.signal)
    return graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5, help="messages to send")
    parser.add_argument("--yaml", metavar="FILE", help="also write the graph file")
    args = parser.parse_args(argv)
    graph = build(args.count)
    if args.yaml:
        graph.to_yaml(args.yaml)
    graph.run()
    print(f"PingRx received {graph.rx.ping.adapter.received} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
