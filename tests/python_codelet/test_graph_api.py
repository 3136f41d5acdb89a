"""The Python graph API: Graph, ComputeEntity and connect build the graphs graph files describe; they run
the same, and to_yaml() writes a graph file that loads back into the same graph."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import gxf.std as std
from gxf.core import Context, Entity, GxfError, Graph, MessageEntity
from gxf.python_codelet import CodeletAdapter, PyCodeletV0, add_pycodelet
from gxf.sample import MultiPingRx, PingRx, PingTx
from gxf.std import (ComputeEntity, CountSchedulingTerm, DoubleBufferReceiver, DoubleBufferTransmitter,
                     DownstreamReceptiveSchedulingTerm, GreedyScheduler, ManualClock,
                     MessageAvailableSchedulingTerm, connect)
from gxf.std.connection import Connection

HERE = Path(__file__).resolve().parent
CODELETS = HERE / "codelets"
PING_GRAPH = HERE / "graphs" / "ping_py_py.yaml"


# Python codelets given to the graph as classes (no file path), in GXF's compute-entity style.
class CountingTx(CodeletAdapter):
    def __init__(self):
        super().__init__()
        self.txs = ["out"]

    def start(self):
        self.sent = 0

    def tick(self):
        self.out.publish(MessageEntity(self.context()), self.sent)
        self.sent += 1


class CountingRx(CodeletAdapter):
    rxs = ["data"]

    def start(self):
        self.acqtimes = []
        self.limit = self.get_params().get("limit")

    def tick(self):
        from gxf.std.timestamp import Timestamp

        message = self.data.receive()
        self.acqtimes.append(Timestamp.get_from_entity(message).acqtime)


def tick_counts(context: Context) -> dict[str, int]:
    """Ticks of every codelet, by ``entity/component``."""
    from gxf.std.codelet import Codelet

    return {c.handle_text(): c.get_execution_count() for c in context.components(Codelet)}


def build_python_ping(graph: Graph) -> Graph:
    """The graph of graphs/ping_py_py.yaml, built with the graph API."""
    clock = graph.set_clock(ManualClock, name="clock")
    graph.set_scheduler(GreedyScheduler, clock=clock, max_duration_ms=1000000)
    tx = graph.add(Entity("tx"))
    signal = tx.add(DoubleBufferTransmitter, name="signal")
    tx.add(DownstreamReceptiveSchedulingTerm, transmitter=signal, min_size=1)
    tx.add(PyCodeletV0, name="python_codelet", codelet_name="PingTx", codelet_file=str(CODELETS / "PingTx.py"),
           codelet_params={"transmitter": "signal"})
    tx.add(CountSchedulingTerm, count=5)
    tx.add("nvidia::gxf::PyCodeletV0", name="step_count", codelet_name="StepCount",
           codelet_file=str(CODELETS / "StepCount.py"), codelet_params={"expected_count": 5})
    rx = graph.add_entity("rx")
    rx_signal = rx.add(DoubleBufferReceiver, name="signal")
    rx.add(MessageAvailableSchedulingTerm, receiver=rx_signal, min_size=1)
    rx.add(PyCodeletV0, name="python_codelet", codelet_name="PingRx", codelet_file=str(CODELETS / "PingRx.py"),
           codelet_params={"clock": "_system/clock", "receiver": "signal"})
    rx.add(PyCodeletV0, name="step_count", codelet_name="StepCount", codelet_file=str(CODELETS / "StepCount.py"),
           codelet_params="expected_count=5")
    connect(signal, rx_signal)
    return graph


def test_a_graph_built_in_python_runs_like_the_same_graph_file(run_graph):
    from_file = run_graph(PING_GRAPH)
    graph = build_python_ping(Graph())
    graph.run()
    assert tick_counts(graph.context) == tick_counts(from_file) == {
        "tx/python_codelet": 5, "tx/step_count": 5, "rx/python_codelet": 5, "rx/step_count": 5}
    assert len(graph.rx.python_codelet.adapter.received) == 5


def test_to_yaml_writes_a_graph_file_that_loads_back_into_the_same_graph_and_run(tmp_path):
    graph = build_python_ping(Graph())
    path = tmp_path / "ping.yaml"
    text = graph.to_yaml(path)
    assert path.read_text() == text
    reloaded = Graph.load(path)
    assert reloaded.to_yaml() == text  # a fixed point: same entities, components and parameters
    assert [e.name for e in reloaded.entities] == ["_system", "_scheduler", "tx", "rx", ""]
    graph.run()
    reloaded.run()
    assert tick_counts(reloaded.context) == tick_counts(graph.context)


def test_to_yaml_lists_dependencies_and_leaves_defaults_out():
    graph = build_python_ping(Graph())
    text = graph.to_yaml()
    assert text.startswith("%YAML 1.2\n---\ndependencies:\n- extension: StandardExtension\n")
    assert "- extension: PythonCodeletExtension\n  uuid: 787daddc-1c34-11ec-9621-0242ac130002\n" in text
    assert "capacity" not in text and "policy" not in text  # queue parameters at their defaults
    assert "    source: tx/signal\n    target: rx/signal\n" in text


def test_to_yaml_names_unnamed_components_that_handles_point_to(tmp_path):
    graph = Graph()
    graph.set_scheduler(GreedyScheduler, clock=graph.set_clock(ManualClock))
    tx = graph.add_entity("tx")
    queue = tx.add(DoubleBufferTransmitter)
    tx.add(PingTx, signal=queue)
    tx.add(CountSchedulingTerm, count=2)
    holder = graph.add_entity()
    rx_queue = holder.add(DoubleBufferReceiver)
    holder.add(MessageAvailableSchedulingTerm, receiver=rx_queue)
    holder.add(PingRx, signal=rx_queue)
    connect(queue, rx_queue)
    text = graph.to_yaml()
    assert "name: DoubleBufferTransmitter" in text and "signal: tx/DoubleBufferTransmitter" in text
    assert "name: entity_1" in text and "signal: entity_1/DoubleBufferReceiver" in text
    assert tx.components[0].name == ""  # only the file gets names
    reloaded = Graph.from_yaml(text)
    reloaded.run()
    assert reloaded.entity("entity_1").components[2].count == 2


def test_compute_entity_wires_queues_and_terms_for_the_codelet_parameters():
    graph = Graph()
    clock = std.set_clock(graph, ManualClock, name="clock")
    std.set_scheduler(graph, GreedyScheduler, clock=clock, max_duration_ms=1000000)
    tx = graph.add(ComputeEntity("tx", count=5))
    ping_tx = tx.add_codelet(PingTx, clock=clock)
    rx = graph.add(ComputeEntity("rx"))
    ping_rx = rx.add_codelet(PingRx)
    link = std.connect(graph.tx.signal, graph.rx.signal)
    assert [(c.name, type(c)) for c in tx.components] == [
        ("cst", CountSchedulingTerm), ("signal", DoubleBufferTransmitter),
        ("drst_signal", DownstreamReceptiveSchedulingTerm), ("", PingTx)]
    assert [(c.name, type(c)) for c in rx.components] == [
        ("signal", DoubleBufferReceiver), ("mast_signal", MessageAvailableSchedulingTerm), ("", PingRx)]
    assert tx.cst.count == 5 and tx.signal.capacity_ == 1
    assert tx.drst_signal.transmitter is tx.signal and tx.drst_signal.min_size == 1
    assert ping_tx.signal is tx.signal and ping_tx.clock is clock and ping_rx.signal is rx.signal
    assert isinstance(link, Connection) and link.source is tx.signal and link.target is rx.signal
    graph.run()
    assert ping_tx.count == ping_rx.count == 5


def test_compute_entity_options_set_capacities_terms_and_list_parameters():
    graph = Graph()
    graph.set_scheduler(GreedyScheduler, clock=graph.set_clock(ManualClock))
    senders = [graph.add(ComputeEntity(f"tx{i}", count=3, recess_period="1ms")) for i in range(3)]
    for sender in senders:
        sender.add_codelet(PingTx, tx_capacity=2, min_message_reception=2)
    rx = graph.add(ComputeEntity("rx"))
    multi = rx.add_codelet(MultiPingRx, rx_num=3, rx_capacity=4, min_message_available=1)
    for sender, receiver in zip(senders, rx.receivers):
        connect(sender.signal, receiver)
    assert [r.name for r in rx.receivers] == ["receivers_0", "receivers_1", "receivers_2"]
    assert multi.receivers == rx.receivers and rx.receivers_1.capacity_ == 4
    assert rx.mast_receivers_2.receiver is rx.receivers_2
    assert senders[0].pst.recess_period == 1_000_000
    assert senders[0].signal.capacity_ == 2 and senders[0].drst_signal.min_size == 2
    graph.run()
    assert [s.components[-1].count for s in senders] == [3, 3, 3]


def test_python_codelet_classes_are_given_directly_and_round_trip_through_yaml(tmp_path):
    graph = Graph()
    clock = graph.set_clock(ManualClock)
    graph.set_scheduler(GreedyScheduler, clock=clock)
    sender = graph.add(ComputeEntity("sender", count=4)).add_codelet(CountingTx)
    # Keys naming PyCodeletV0 parameters set them (clock); the others are codelet_params.
    receiver = graph.add(ComputeEntity("receiver")).add_codelet(CountingRx, clock=clock, limit=9)
    connect(graph.sender.out, graph.receiver.data)
    assert sender.name == "CountingTx" and sender.transmitters == [graph.sender.out]
    assert receiver.receivers == [graph.receiver.data] and receiver.codelet_params == {"limit": 9}
    assert receiver.clock is clock and sender.clock is None
    text = graph.to_yaml()
    assert f"codelet_file: {Path(__file__).resolve()}" in text and "codelet_name: CountingRx" in text
    graph.run()
    assert receiver.adapter.acqtimes == [0, 1, 2, 3] and receiver.adapter.limit == 9
    again = Graph.from_yaml(text)
    again.run()
    assert again.receiver.CountingRx.adapter.acqtimes == [0, 1, 2, 3]
    assert type(again.receiver.CountingRx.adapter) is CountingRx  # this module, not a second copy


def test_a_codelet_instance_is_used_as_given_and_add_pycodelet_takes_a_class():
    graph = Graph()
    graph.set_scheduler(GreedyScheduler, clock=graph.set_clock(ManualClock))
    tx = graph.add_entity("tx")
    out = tx.add(DoubleBufferTransmitter, name="out")
    tx.add(CountSchedulingTerm, count=2)
    instance = CountingTx()
    tx.add(PyCodeletV0, name="codelet", codelet=instance)
    rx = graph.add_entity("rx")
    data = rx.add(DoubleBufferReceiver, name="data")
    rx.add(MessageAvailableSchedulingTerm, receiver=data)
    component = add_pycodelet(rx, CountingRx, name="codelet", limit=3)
    connect(out, data)
    graph.run()
    assert instance.sent == 2 and tx.codelet.adapter is instance
    assert component.adapter.acqtimes == [0, 1] and component.get_params() == {"limit": 3}


def test_run_async_wait_and_interrupt_end_a_graph_that_would_run_forever():
    graph = Graph()
    graph.set_scheduler(GreedyScheduler, clock=graph.set_clock(ManualClock))
    graph.add(ComputeEntity("sender")).add_codelet(CountingTx)
    graph.add(ComputeEntity("receiver")).add_codelet(CountingRx)
    connect(graph.sender.out, graph.receiver.data)
    graph.run_async()
    try:
        deadline = time.monotonic() + 5
        while graph.receiver.CountingRx.get_execution_count() < 20 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert graph.running
    finally:
        graph.interrupt()
        graph.wait()  # an interruption asked for is not a failure
    assert not graph.running and graph.context.state == "deactivated"
    assert graph.receiver.CountingRx.get_execution_count() >= 20


def test_a_failure_reaches_run_and_the_graph_is_deactivated(tmp_path):
    graph = Graph()
    graph.set_scheduler(GreedyScheduler, clock=graph.set_clock(ManualClock))
    node = graph.add(ComputeEntity("node", count=3))
    node.add(PyCodeletV0, name="bad", codelet_name="FailsInTick",
             codelet_file=str(CODELETS / "Faulty.py"), codelet_params={"fail_at": 2})
    with pytest.raises(GxfError, match="codelet 'node/bad'.*FailsInTick.tick\\(\\) at .*Faulty.py:\\d+ raised ValueError"):
        graph.run()
    assert graph.context.state == "deactivated"


def test_entities_and_components_are_attributes():
    graph = Graph()
    entity = graph.add(Entity("camera"))
    queue = entity.add(DoubleBufferTransmitter, name="frames")
    assert graph.camera is entity and graph.camera.frames is queue and graph.entity("camera") is entity
    with pytest.raises(AttributeError, match="no attribute or entity 'lens'"):
        graph.lens
    with pytest.raises(AttributeError, match="no attribute or component 'lens'"):
        entity.lens
    with pytest.raises(KeyError, match="no entity 'lens'"):
        graph.entity("lens")


def test_misuse_gives_clear_errors():
    graph = Graph()
    graph.set_scheduler(GreedyScheduler, clock=graph.set_clock(ManualClock))
    with pytest.raises(GxfError, match="already has a scheduler"):
        graph.set_scheduler(GreedyScheduler)
    with pytest.raises(TypeError, match="a Graph holds entities"):
        graph.add(PingTx)
    graph.add(Entity("tx"))
    with pytest.raises(GxfError, match="entity 'tx' is defined twice"):
        graph.add(Entity("tx"))
    loose = Entity("loose")
    out = loose.add(DoubleBufferTransmitter, name="out")
    inp = loose.add(DoubleBufferReceiver, name="in")
    with pytest.raises(GxfError, match="belongs to a graph yet"):
        connect(out, inp)
    with pytest.raises(GxfError, match="needs a Receiver here"):
        connect(out, out)


def test_to_yaml_refuses_what_a_graph_file_cannot_hold():
    class LocalCodelet(CodeletAdapter):
        pass

    graph = Graph()
    graph.add_entity("node").add(PyCodeletV0, name="local", codelet=LocalCodelet)
    with pytest.raises(GxfError, match="not defined at the top level of a Python file"):
        graph.to_yaml()

    class Unregistered(PingTx):
        pass

    other = Graph()
    other.add_entity("node").add(Unregistered, name="x")
    with pytest.raises(GxfError, match="is not registered by an installed extension"):
        other.to_yaml()
