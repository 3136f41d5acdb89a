"""Ping throughput: PingTx -> PingRx, on each scheduler, with the standard codelets and with Python codelets.

Messages per second = messages received / run wall time (graph load timed apart). ManualClock, so no
waiting on time: the figure is pure scheduling and messaging cost.
"""

from __future__ import annotations

from .. import graphs
from ..harness import Bench, entity_ticks
from ..targets import PING_PYTHON_GREEDY, PING_STANDARD_GREEDY

TITLE = "Ping throughput"

IMPLEMENTATIONS = ("standard", "python")


def graph(implementation: str, scheduler: str, messages: int) -> str:
    if implementation == "standard":
        tx, rx = graphs.ping_tx("tx", messages), graphs.ping_rx("rx")
    else:
        tx, rx = graphs.py_ping_tx("tx", messages), graphs.py_ping_rx("rx", messages)
    documents = [tx, rx, graphs.connect("tx/signal", "rx/signal"), graphs.scheduler(scheduler)]
    return graphs.to_yaml(documents, f"ping, {implementation} codelets, {scheduler} scheduler, {messages} messages")


def received(context, implementation: str) -> int | None:
    """Messages the receiver took: PingRx's own count, else the receiving entity's ticks."""
    if implementation == "standard":
        rx = context.find_component("rx/ping_rx")
        if rx is not None and hasattr(rx, "count"):
            return rx.count
    return entity_ticks(context, "rx")


def warmup_count(messages: int) -> int:
    """Messages of the untimed warm-up run: a tenth of the timed count."""
    return max(1, messages // 10)


def throughput(bench: Bench, text: str, filename: str, messages: int, count_received) -> dict:
    """Runs a graph whose sink should get ``messages``; msg/s from what ``count_received(ctx)`` reports."""
    timed = bench.run_graph(text, filename, count_received)
    got = timed.info
    if got is not None and got != messages:
        raise RuntimeError(f"the sink received {got} of {messages} messages")
    return {"metrics": {"msg_per_s": messages / timed.run_s, "run_s": timed.run_s, "load_s": timed.load_s},
            "checks": {"received": got if got is not None else "not checked"}}


def graph_files(mode) -> dict[str, str]:
    return {f"ping-{impl}-{sched}.yaml": graph(impl, sched, mode.ping_messages)
            for impl in IMPLEMENTATIONS for sched in graphs.SCHEDULERS}


def run(bench: Bench) -> list[dict]:
    messages = bench.mode.ping_messages
    records = []
    for implementation in IMPLEMENTATIONS:
        for scheduler in graphs.SCHEDULERS:
            case = f"{implementation}/{scheduler}"
            if not bench.wants("ping", case):
                continue
            target = None
            if scheduler == "greedy":
                target = PING_STANDARD_GREEDY if implementation == "standard" else PING_PYTHON_GREEDY

            def once(warmup, implementation=implementation, scheduler=scheduler):
                n = warmup_count(messages) if warmup else messages
                return throughput(bench, graph(implementation, scheduler, n), f"ping-{implementation}.yaml", n,
                                  lambda ctx: received(ctx, implementation))

            records.append(bench.measure(
                "ping", case, parameters={"messages": messages, "codelets": implementation, "scheduler": scheduler,
                                          "scheduler_parameters": graphs.SCHEDULERS[scheduler][1],
                                          "clock": "ManualClock", "queue_capacity": 1},
                once=once, graph=graph(implementation, scheduler, messages),
                units={"msg_per_s": "msg/s", "run_s": "s", "load_s": "s"},
                display=["msg_per_s", "load_s"], target=target))
    return records
