"""`gxf validate` finds what the standard components check before they run (their preflight() and
declared ranges), all in one pass, and `gxf run` refuses the same graphs before initializing anything."""

import textwrap

import pytest

from gxf.core import GraphErrors, ParameterError
from gxf.core.runner import run_graphs, validate_graphs

GRAPH = """
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
      parameters: {capacity: 2}
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters: {receiver: signal, min_size: 5}
    - type: nvidia::gxf::PingRx
      parameters: {signal: signal}
    ---
    name: memory
    components:
    - name: pool
      type: nvidia::gxf::BlockMemoryPool
      parameters: {block_size: 1024, num_blocks: 0, storage_type: 0}
    ---
    name: queue
    components:
    - name: out
      type: nvidia::gxf::DoubleBufferTransmitter
      parameters: {capacity: 0, policy: 7}
    ---
    name: scheduler
    components:
    - name: clock
      type: nvidia::gxf::RealtimeClock
      parameters: {initial_time_scale: 0}
    - type: nvidia::gxf::GreedyScheduler
      parameters: {clock: clock}
    """


@pytest.fixture
def graph(tmp_path):
    path = tmp_path / "graph.yaml"
    path.write_text(textwrap.dedent(GRAPH).lstrip())
    return path


def test_validate_reports_every_std_check_with_its_line(graph):
    with pytest.raises(GraphErrors) as info:
        validate_graphs([graph])
    found = {(e.location.line, e.message) for e in info.value.errors}
    text = "\n".join(f"{line}: {message}" for line, message in sorted(found))
    assert "must be at least 1, got 0" in text and "must be one of 0, 1, 2, got 7" in text  # queue ranges
    assert "holds at most 4 messages (both stages full): the entity would never execute" in text
    assert "'num_blocks' of component 'memory/pool'" in text and "must be positive" in text
    assert "initial_time_scale" in text
    lines = sorted(line for line, _ in found)
    assert lines == [6, 13, 21, 21, 25], text  # the term, the pool, both queue values, the clock


def test_run_refuses_a_min_size_the_receiver_can_never_reach_before_initializing(tmp_path):
    text = textwrap.dedent(GRAPH).lstrip().split("---")[0] + textwrap.dedent("""
        ---
        name: scheduler
        components:
        - name: clock
          type: nvidia::gxf::ManualClock
        - type: nvidia::gxf::GreedyScheduler
          parameters: {clock: clock}
        """)
    path = tmp_path / "g.yaml"
    path.write_text(text)
    with pytest.raises(ParameterError, match="'min_size' .* holds at most 4 messages") as info:
        run_graphs([path], max_duration_ms=100)
    assert info.value.location.line == 6


def test_a_min_size_within_both_stages_is_accepted(tmp_path):
    text = textwrap.dedent(GRAPH).lstrip().split("---")[0].replace("min_size: 5", "min_size: 4")
    path = tmp_path / "g.yaml"
    path.write_text(text + "---\nname: s\ncomponents:\n- type: nvidia::gxf::GreedyScheduler\n")
    validate_graphs([path])
