"""GXF's Python API from inside codelets: X.get(context, cid, name) for clocks, allocators, scheduling
terms and CUDA stream pools, with the methods GXF's bindings give them (graphs/gxf_apis.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

GRAPH = Path(__file__).resolve().parent / "graphs" / "gxf_apis.yaml"
MS = 1_000_000


@pytest.fixture
def context(run_graph):
    return run_graph(GRAPH)


def test_transmitter_receiver_clock_allocator_and_terms_are_found_and_work(context):
    log = context.find_component("loop/codelet").adapter.log
    # (clock.timestamp(), clock.time(), rx.size(), tensor received, count READY, periodic last run, gate)
    assert log == [(0, 0.0, 0, None, True, None, True),
                   (5 * MS, 0.005, 1, [1, 1, 1], True, 0, True),
                   (10 * MS, 0.01, 1, [2, 2, 2], True, 5 * MS, True)]


def test_make_disable_tick_stops_the_entity_for_good(context):
    gate = context.find_component("loop/gate")
    assert gate.check_tick_enable() is False
    assert context.find_component("loop/codelet").get_execution_count() == 3
    assert context.find_component("loop/count").remaining() == 97


def test_handles_resolve_to_the_named_components(context):
    adapter = context.find_component("loop/codelet").adapter
    assert adapter.tx is context.find_component("loop/out")
    assert adapter.clock is context.find_component("scheduler/clock")
    assert adapter.allocator is context.find_component("loop/pool")
    assert adapter.stream_pool is context.find_component("global/streams")
    assert adapter.recess_ns == 5 * MS


def test_a_cuda_stream_from_the_pool_is_named_in_messages_by_its_cid(context):
    from gxf.cuda import CudaStream, CudaStreamId

    adapter = context.find_component("loop/codelet").adapter
    assert isinstance(context.component(adapter.stream_cid), CudaStream)
    receiver = context.find_component("loop/in")
    receiver.sync()  # the last message arrived after the last tick
    message = receiver.receive()
    assert CudaStreamId.get_from_entity(message, "stream").stream_cid == adapter.stream_cid


def test_set_next_target_time_schedules_the_next_tick(context):
    assert context.find_component("scheduled/codelet").adapter.ticks == [0, 7 * MS, 14 * MS]


def test_get_names_the_entity_and_the_components_there_when_a_name_is_wrong(run_graph, tmp_path):
    from gxf.core import ExecutionError

    graph = tmp_path / "wrong.yaml"
    graph.write_text(GRAPH.read_text().replace("receiver: in", "receiver: inn")
                     .replace("../codelets/", f"{GRAPH.parent.parent / 'codelets'}/"))
    with pytest.raises(ExecutionError) as info:
        run_graph(graph)
    message = str(info.value)
    assert "GatedLoop.start() at" in message
    assert "no component 'inn' for nvidia::gxf::Receiver.get() from entity 'loop'" in message
