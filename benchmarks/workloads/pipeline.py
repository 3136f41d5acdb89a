"""Pipeline latency: source -> 8 nvidia::gxf::Forward -> sink, at 1 kHz on a RealtimeClock.

The source (PeriodicSchedulingTerm 1 ms) stamps ``acqtime`` from the clock; the sink reads the same clock
on receipt. This runs in real time (2 s = 2000 messages). Latencies are reported as p50 / p99 / max in
microseconds. The same chain is also run time-compressed (ManualClock, no period, PingTx/PingRx) for
its end-to-end throughput, the figure C++ GXF is quoted with.
"""

from __future__ import annotations

import math

from .. import graphs
from ..harness import Bench
from ..targets import CHAIN_P99
from .ping import received, throughput, warmup_count

TITLE = "Pipeline latency (10-stage chain)"

STAGES = [f"stage_{i}" for i in range(1, 9)]
PERIOD = "1ms"
RATE_HZ = 1000


def latency_graph(scheduler: str, messages: int) -> str:
    source = graphs.entity(
        "source", *graphs.transmitter("out"),
        graphs.component("gxf::benchmarks::LatencySource", "latency_source", signal="out", clock=graphs.CLOCK),
        graphs.component("nvidia::gxf::PeriodicSchedulingTerm", recess_period=PERIOD), graphs.count(messages))
    sink = graphs.entity(
        "sink", *graphs.receiver("in"),
        graphs.component("gxf::benchmarks::LatencySink", "latency_sink", signal="in", clock=graphs.CLOCK))
    max_ms = int(messages * 1000 / RATE_HZ) + 30_000
    documents = [source, *(graphs.forward(name) for name in STAGES), sink,
                 *graphs.chain("source/out", STAGES, "sink/in"),
                 graphs.scheduler(scheduler, clock="realtime", max_duration_ms=max_ms)]
    return graphs.to_yaml(documents, f"10-stage chain at {RATE_HZ} Hz, {scheduler} scheduler, RealtimeClock")


def throughput_graph(scheduler: str, messages: int) -> str:
    tx = graphs.ping_tx("tx", messages)
    rx = graphs.entity("rx", *graphs.receiver("in"), graphs.component("nvidia::gxf::PingRx", "ping_rx", signal="in"))
    documents = [tx, *(graphs.forward(name) for name in STAGES), rx, *graphs.chain("tx/signal", STAGES, "rx/in"),
                 graphs.scheduler(scheduler)]
    return graphs.to_yaml(documents, f"10-stage chain, time-compressed, {scheduler} scheduler, {messages} messages")


def percentile(ordered: list[int], fraction: float) -> int:
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def latencies(context) -> dict:
    source = context.find_component("source/latency_source")
    sink = context.find_component("sink/latency_sink")
    return {"sent": source.sent, "samples": list(sink.latencies),
            "acqtime_kept": sink.first_acqtime == source.first_acqtime}


def graph_files(mode) -> dict[str, str]:
    messages = max(1, int(mode.chain_seconds * RATE_HZ))
    files = {f"chain10-latency-{s}.yaml": latency_graph(s, messages) for s in graphs.SCHEDULERS}
    files.update({f"chain10-throughput-{s}.yaml": throughput_graph(s, mode.chain_messages) for s in graphs.SCHEDULERS})
    return files


def run(bench: Bench) -> list[dict]:
    messages = max(1, int(bench.mode.chain_seconds * RATE_HZ))
    records = []
    for scheduler in graphs.SCHEDULERS:
        case = f"chain10 latency/{scheduler}"
        if not bench.wants("pipeline", case):
            continue

        def once(warmup, scheduler=scheduler):
            n = max(1, messages // 10) if warmup else messages
            timed = bench.run_graph(latency_graph(scheduler, n), "chain10-latency.yaml", latencies,
                                    limit_s=n / RATE_HZ + bench.mode.run_limit_s)
            samples = sorted(timed.info["samples"])
            if len(samples) != n:
                raise RuntimeError(f"the sink received {len(samples)} of {n} messages")
            return {"metrics": {"p50_us": percentile(samples, 0.50) / 1e3, "p99_us": percentile(samples, 0.99) / 1e3,
                                "max_us": samples[-1] / 1e3, "mean_us": sum(samples) / len(samples) / 1e3,
                                "run_s": timed.run_s, "load_s": timed.load_s},
                    "checks": {"received": len(samples), "acqtime_preserved": timed.info["acqtime_kept"]}}

        records.append(bench.measure(
            "pipeline", case, parameters={"stages": 10, "forwards": len(STAGES), "rate_hz": RATE_HZ,
                                          "messages": messages, "clock": "RealtimeClock", "scheduler": scheduler,
                                          "scheduler_parameters": graphs.SCHEDULERS[scheduler][1]},
            once=once, graph=latency_graph(scheduler, messages),
            units={"p50_us": "us", "p99_us": "us", "max_us": "us", "mean_us": "us", "run_s": "s", "load_s": "s"},
            display=["p99_us", "p50_us", "max_us"], target=CHAIN_P99))

    chain_messages = bench.mode.chain_messages
    for scheduler in graphs.SCHEDULERS:
        case = f"chain10 throughput/{scheduler}"
        if not bench.wants("pipeline", case):
            continue

        def once(warmup, scheduler=scheduler):
            n = warmup_count(chain_messages) if warmup else chain_messages
            return throughput(bench, throughput_graph(scheduler, n), "chain10-throughput.yaml", n,
                              lambda ctx: received(ctx, "standard"))

        records.append(bench.measure(
            "pipeline", case, parameters={"stages": 10, "forwards": len(STAGES), "messages": chain_messages,
                                          "clock": "ManualClock", "scheduler": scheduler,
                                          "scheduler_parameters": graphs.SCHEDULERS[scheduler][1]},
            once=once, graph=throughput_graph(scheduler, chain_messages),
            units={"msg_per_s": "msg/s", "run_s": "s", "load_s": "s"}, display=["msg_per_s"]))
    return records
