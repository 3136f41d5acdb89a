"""Every CodeletAdapter method, against known values: a ManualClock starting at 1000 ns, a
PeriodicSchedulingTerm of 10 ms and a CountSchedulingTerm of 4 (graphs/api_probe.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gxf.python_codelet import CodeletAdapter

GRAPH = Path(__file__).resolve().parent / "graphs" / "api_probe.yaml"
MS = 1_000_000


@pytest.fixture
def probe(run_graph):
    context = run_graph(GRAPH)
    component = context.find_component("probe/probe")
    return context, component, component.adapter


def test_start_tick_and_stop_are_called_in_order(probe):
    _, _, adapter = probe
    assert [r["stage"] for r in adapter.records] == ["start", "tick", "tick", "tick", "tick", "stop"]


def test_execution_timestamps_follow_the_clock(probe):
    _, _, adapter = probe
    stamps = [r["timestamp"] for r in adapter.records]
    assert stamps == [1000, 1000, 1000 + 10 * MS, 1000 + 20 * MS, 1000 + 30 * MS, 1000 + 30 * MS]
    assert [r["time"] for r in adapter.records] == pytest.approx([s / 1e9 for s in stamps])


def test_delta_time_is_the_seconds_since_the_previous_call(probe):
    _, _, adapter = probe
    assert [r["delta"] for r in adapter.records] == pytest.approx([0.0, 0.0, 0.01, 0.01, 0.01, 0.0])


def test_execution_count_counts_ticks_and_first_tick_is_only_the_first(probe):
    _, _, adapter = probe
    assert [r["count"] for r in adapter.records] == [0, 1, 2, 3, 4, 4]
    assert [r["first"] for r in adapter.records] == [False, True, False, False, False, False]


def test_identity_methods_name_the_pycodelet_component(probe):
    context, component, adapter = probe
    assert adapter.ids == (context, component.entity.eid, component.cid, "probe")
    assert adapter.bridge is component
    assert context.component(adapter.cid()) is component


def test_declared_components_are_reachable_from_the_adapter(probe):
    context, _, adapter = probe
    declared = adapter.declared
    assert declared["transmitters"] == [context.find_component("probe/out")]
    assert declared["receivers"] == [context.find_component("probe/in")]
    assert declared["clock"] is context.find_component("scheduler/clock")
    assert declared["allocators"] == []
    assert declared["cuda_stream_pools"] == []
    assert adapter.get_cuda_stream_pool() is None


def test_get_params_returns_a_fresh_dict_each_time(probe):
    _, _, adapter = probe
    first = adapter.get_params()
    first["rate"] = "changed"
    assert adapter.get_params()["rate"] == "10ms"


def test_named_transmitters_and_receivers_become_attributes(run_graph, write_graph):
    graph = write_graph("""
        name: node
        components:
        - name: out
          type: nvidia::gxf::DoubleBufferTransmitter
        - name: in
          type: nvidia::gxf::DoubleBufferReceiver
        - name: codelet
          type: nvidia::gxf::PyCodeletV0
          parameters:
            codelet_name: Named
            codelet_file: named.py
            transmitters: [out]
        - type: nvidia::gxf::CountSchedulingTerm
          parameters: {count: 1}
        """)
    (graph.parent / "named.py").write_text(
        "from gxf.python_codelet import CodeletAdapter\n\n\n"
        "class Named(CodeletAdapter):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.txs = ['out']\n"
        "        self.rxs = ['in']\n")
    context = run_graph(graph)
    adapter = context.find_component("node/codelet").adapter
    assert adapter.out is context.find_component("node/out")
    assert adapter.__dict__["in"] is context.find_component("node/in")  # found in the entity


def test_the_default_methods_do_nothing():
    adapter = CodeletAdapter()
    assert adapter.start() is None and adapter.tick() is None and adapter.stop() is None
    assert adapter.bridge is None
