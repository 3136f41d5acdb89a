"""Scheduler overhead vs graph size: the ping pair plus 10, 100 and 1000 idle entities.

Each idle entity has a codelet (PingRx), a DoubleBufferReceiver and a MessageAvailableSchedulingTerm on
it that nothing ever writes to: it never ticks, so all it costs is the scheduler's attention. Reported:
ping msg/s and that figure relative to the bare ping (no idle entities) on the same scheduler. A
scheduler that polls every entity each round slows down in proportion; an event-driven one should not.
"""

from __future__ import annotations

from .. import graphs
from ..harness import Bench, add_metric, evaluate
from ..targets import EVENTBASED_IDLE_1000
from .ping import received, throughput, warmup_count

TITLE = "Scheduler overhead vs graph size"


def graph(scheduler: str, idle: int, messages: int) -> str:
    documents = [graphs.ping_tx("tx", messages), graphs.ping_rx("rx"), graphs.connect("tx/signal", "rx/signal"),
                 *(graphs.idle(f"idle_{i}") for i in range(idle)), graphs.scheduler(scheduler)]
    return graphs.to_yaml(documents, f"ping with {idle} idle entities, {scheduler} scheduler, {messages} messages")


def case_name(scheduler: str, idle: int) -> str:
    return f"{scheduler}/bare" if idle == 0 else f"{scheduler}/idle {idle}"


def graph_files(mode) -> dict[str, str]:
    return {f"overhead-{s}-idle{k}.yaml": graph(s, k, mode.overhead_messages[k])
            for s in graphs.SCHEDULERS for k in (0, *mode.overhead_sizes)}


def run(bench: Bench) -> list[dict]:
    records = []
    for scheduler in graphs.SCHEDULERS:
        bare = None
        for idle in (0, *bench.mode.overhead_sizes):
            case = case_name(scheduler, idle)
            if not bench.wants("overhead", case):
                continue
            messages = bench.mode.overhead_messages[idle]

            def once(warmup, scheduler=scheduler, idle=idle, messages=messages):
                n = warmup_count(messages) if warmup else messages
                return throughput(bench, graph(scheduler, idle, n), f"overhead-{idle}.yaml", n,
                                  lambda ctx: received(ctx, "standard"))

            target = EVENTBASED_IDLE_1000 if (scheduler, idle) == ("eventbased", 1000) else None
            record = bench.measure(
                "overhead", case, parameters={"idle_entities": idle, "messages": messages, "scheduler": scheduler,
                                              "scheduler_parameters": graphs.SCHEDULERS[scheduler][1],
                                              "clock": "ManualClock"},
                once=once, graph=graph(scheduler, idle, messages),
                units={"msg_per_s": "msg/s", "run_s": "s", "load_s": "s"}, display=["msg_per_s", "load_s"],
                target=target)
            records.append(record)
            if idle == 0:
                bare = record["metrics"].get("msg_per_s", {}).get("median")
            elif bare and "msg_per_s" in record["metrics"]:
                add_metric(record, "relative", "ratio", [run / bare for run in record["metrics"]["msg_per_s"]["runs"]])
                record["parameters"]["relative_to"] = case_name(scheduler, 0)
                evaluate(record)
    return records

