"""MockFailure: num_max_ticks ticks succeed, the next one fails the run naming the codelet."""

import pytest

from gxf.core import ExecutionError

GRAPH = """
    name: failing
    components:
    - name: mock
      type: nvidia::gxf::test::MockFailure
      parameters:
        num_max_ticks: 3
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: {count}
    """


def test_ticks_up_to_the_maximum_succeed(run_graph):
    context = run_graph(GRAPH.replace("{count}", "3"))
    assert context.find_component("failing/mock").current_ticks == 3


def test_the_tick_after_the_maximum_fails_the_run(run_graph):
    with pytest.raises(ExecutionError) as info:
        run_graph(GRAPH.replace("{count}", "10"))
    assert ("codelet 'failing/mock' (nvidia::gxf::test::MockFailure) failed in tick(): CheckFailed: "
            "ticked more than num_max_ticks (3) times") in str(info.value)
