"""Graph-file templates: entities of GXF's standard components, written out as GXF graph YAML.

Every workload builds its graph from these, so the graphs are ordinary GXF graph files (``run.py
--dump-graphs DIR`` writes them out; ``gxf run`` runs them). Queues are double buffers of capacity 1
with GXF's usual terms: MessageAvailable on receivers, DownstreamReceptive on transmitters.
"""

from __future__ import annotations

from pathlib import Path

import yaml

CODELETS = Path(__file__).resolve().parent / "codelets"

# scheduler key -> (type, parameters); the multi-threaded ones get 2 workers, as on a 2-core machine.
SCHEDULERS = {
    "greedy": ("nvidia::gxf::GreedyScheduler", {"stop_on_deadlock": True}),
    "multithread": ("nvidia::gxf::MultiThreadScheduler",
                    {"worker_thread_number": 2, "check_recession_period_ms": 0, "stop_on_deadlock": True}),
    "eventbased": ("nvidia::gxf::EventBasedScheduler", {"worker_thread_number": 2, "stop_on_deadlock": True}),
}

CLOCKS = {"manual": "nvidia::gxf::ManualClock", "realtime": "nvidia::gxf::RealtimeClock"}
CLOCK = "scheduler/clock"   # the handle every codelet that needs the clock uses


def component(type_name: str, name: str | None = None, **parameters) -> dict:
    doc: dict = {}
    if name:
        doc["name"] = name
    doc["type"] = type_name
    if parameters:
        doc["parameters"] = parameters
    return doc


def entity(name: str | None, *components: dict) -> dict:
    doc: dict = {}
    if name:
        doc["name"] = name
    doc["components"] = list(components)
    return doc


def to_yaml(documents: list[dict], title: str) -> str:
    """The graph file text: a comment line, then one YAML document per entity."""
    body = yaml.safe_dump_all(documents, sort_keys=False, explicit_start=True, default_flow_style=False)
    return f"%YAML 1.2\n# {title}\n{body}"


# --- building blocks ----------------------------------------------------------------------------------
def scheduler(kind: str, clock: str = "manual", max_duration_ms: int | None = None) -> dict:
    type_name, parameters = SCHEDULERS[kind]
    parameters = {"clock": "clock", **parameters}
    if max_duration_ms is not None:
        parameters["max_duration_ms"] = max_duration_ms
    return entity("scheduler", component(CLOCKS[clock], "clock"), component(type_name, "scheduler", **parameters))


def connect(source: str, target: str) -> dict:
    return entity(None, component("nvidia::gxf::Connection", source=source, target=target))


def transmitter(name: str, capacity: int = 1) -> list[dict]:
    """A double-buffer transmitter and the term that holds the entity while a receiver is full."""
    queue = component("nvidia::gxf::DoubleBufferTransmitter", name, capacity=capacity) if capacity != 1 \
        else component("nvidia::gxf::DoubleBufferTransmitter", name)
    return [queue, component("nvidia::gxf::DownstreamReceptiveSchedulingTerm", transmitter=name,
                             min_size=capacity)]


def receiver(name: str, capacity: int = 1) -> list[dict]:
    """A double-buffer receiver and the term that lets the entity tick when a message is there."""
    queue = component("nvidia::gxf::DoubleBufferReceiver", name, capacity=capacity) if capacity != 1 \
        else component("nvidia::gxf::DoubleBufferReceiver", name)
    return [queue, component("nvidia::gxf::MessageAvailableSchedulingTerm", receiver=name, min_size=1)]


def count(n: int) -> dict:
    return component("nvidia::gxf::CountSchedulingTerm", count=n)


def ping_tx(name: str, messages: int) -> dict:
    return entity(name, *transmitter("signal"), component("nvidia::gxf::PingTx", "ping_tx", signal="signal"),
                  count(messages))


def ping_rx(name: str, capacity: int = 1) -> dict:
    return entity(name, *receiver("signal", capacity), component("nvidia::gxf::PingRx", "ping_rx", signal="signal"))


def python_codelet(name: str, codelet: str, file: str = "ping.py", **params) -> dict:
    """A PyCodeletV0 running class ``codelet`` of ``benchmarks/codelets/<file>``."""
    parameters = {"codelet_name": codelet, "codelet_file": str(CODELETS / file)}
    if params:
        parameters["codelet_params"] = params
    return component("nvidia::gxf::PyCodeletV0", name, **parameters)


def py_ping_tx(name: str, messages: int) -> dict:
    return entity(name, *transmitter("signal"), python_codelet("python_codelet", "PingTx", transmitter="signal"),
                  count(messages))


def py_ping_rx(name: str, expected: int) -> dict:
    return entity(name, *receiver("signal"),
                  python_codelet("python_codelet", "PingRx", receiver="signal", expected_count=expected))


def forward(name: str) -> dict:
    """One nvidia::gxf::Forward stage: receives on ``in``, publishes the same message on ``out``."""
    return entity(name, *receiver("in"), *transmitter("out"),
                  component("nvidia::gxf::Forward", "forward", **{"in": "in", "out": "out"}))


def idle(name: str) -> dict:
    """An entity that is checked by the scheduler but never ticks: a receiver nothing writes to."""
    return entity(name, *receiver("signal"), component("nvidia::gxf::PingRx", "ping_rx", signal="signal"))


def chain(first_out: str, stages: list[str], last_in: str) -> list[dict]:
    """Connections ``first_out`` -> stage/in, stage/out -> next stage/in, ..., last stage/out -> ``last_in``."""
    outs = [first_out] + [f"{stage}/out" for stage in stages]
    ins = [f"{stage}/in" for stage in stages] + [last_in]
    return [connect(source, target) for source, target in zip(outs, ins)]
