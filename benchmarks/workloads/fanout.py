"""Fan-out / fan-in: PingTx -> Broadcast to 8 consumers (a Forward each) -> Gather -> PingRx.

The Broadcast entity publishes each message on its 8 transmitters; each consumer forwards it; the Gather
entity (one MessageAvailable term per receiver, so it ticks when all 8 copies are there) publishes all 8
to the sink. Reported: source messages per second through the whole graph, and deliveries per second
at the sink (8 per source message).
"""

from __future__ import annotations

from .. import graphs
from ..harness import Bench
from .ping import received, warmup_count

TITLE = "Fan-out / fan-in (Broadcast 8 -> Forward -> Gather)"

WIDTH = 8


def graph(scheduler: str, messages: int) -> str:
    outs = [f"out_{i}" for i in range(WIDTH)]
    ins = [f"in_{i}" for i in range(WIDTH)]
    broadcast = graphs.entity("broadcast", *graphs.receiver("in"),
                              *(part for name in outs for part in graphs.transmitter(name)),
                              graphs.component("nvidia::gxf::Broadcast", "broadcast", source="in"))
    gather = graphs.entity("gather", *(part for name in ins for part in graphs.receiver(name)),
                           *graphs.transmitter("out", capacity=WIDTH),
                           graphs.component("nvidia::gxf::Gather", "gather", sink="out"))
    consumers = [graphs.forward(f"consumer_{i}") for i in range(WIDTH)]
    documents = [graphs.ping_tx("tx", messages), broadcast, *consumers, gather, graphs.ping_rx("rx", capacity=WIDTH),
                 graphs.connect("tx/signal", "broadcast/in"),
                 *(graphs.connect(f"broadcast/out_{i}", f"consumer_{i}/in") for i in range(WIDTH)),
                 *(graphs.connect(f"consumer_{i}/out", f"gather/in_{i}") for i in range(WIDTH)),
                 graphs.connect("gather/out", "rx/signal"), graphs.scheduler(scheduler)]
    return graphs.to_yaml(documents, f"fan-out/fan-in over {WIDTH} Forwards, {scheduler} scheduler, {messages} messages")


def graph_files(mode) -> dict[str, str]:
    return {f"fanout-{s}.yaml": graph(s, mode.fanout_messages) for s in graphs.SCHEDULERS}


def run(bench: Bench) -> list[dict]:
    messages = bench.mode.fanout_messages
    records = []
    for scheduler in graphs.SCHEDULERS:
        case = f"broadcast {WIDTH}/{scheduler}"
        if not bench.wants("fanout", case):
            continue

        def once(warmup, scheduler=scheduler):
            n = warmup_count(messages) if warmup else messages
            timed = bench.run_graph(graph(scheduler, n), "fanout.yaml", lambda ctx: received(ctx, "standard"))
            if timed.info is not None and timed.info != n * WIDTH:
                raise RuntimeError(f"the sink received {timed.info} of {n * WIDTH} messages")
            return {"metrics": {"msg_per_s": n / timed.run_s, "deliveries_per_s": n * WIDTH / timed.run_s,
                                "run_s": timed.run_s, "load_s": timed.load_s},
                    "checks": {"received": timed.info if timed.info is not None else "not checked"}}

        records.append(bench.measure(
            "fanout", case, parameters={"messages": messages, "width": WIDTH, "scheduler": scheduler,
                                        "scheduler_parameters": graphs.SCHEDULERS[scheduler][1],
                                        "clock": "ManualClock"},
            once=once, graph=graph(scheduler, messages),
            units={"msg_per_s": "msg/s", "deliveries_per_s": "msg/s", "run_s": "s", "load_s": "s"},
            display=["msg_per_s", "deliveries_per_s"]))
    return records

