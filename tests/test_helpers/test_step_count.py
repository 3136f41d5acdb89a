"""StepCount / StepRangeCount: start, tick and stop counts checked when the graph is torn down."""

import pytest

from gxf.core import Context, ExecutionError
from gxf.test_helpers.checks import CheckFailed
from gxf.test_helpers.step_count import StepCount, StepRangeCount

COUNTED = """
    name: counted
    components:
    - name: step
      type: {type}
      parameters:
        {params}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: {count}
    """


def graph(count, params, kind="nvidia::gxf::test::StepCount"):
    return COUNTED.replace("{type}", kind).replace("{count}", str(count)).replace("{params}", params)


def test_counts_one_start_every_tick_and_one_stop(run_graph):
    context = run_graph(graph(7, "expected_count: 7"))
    step = context.find_component("counted/step")
    assert (step.count_start, step.count_tick, step.count_stop) == (1, 7, 1)
    context.deactivate()  # the check runs here and passes


def test_wrong_tick_count_fails_at_deinitialize_naming_the_component(run_graph):
    context = run_graph(graph(5, "expected_count: 4"))
    with pytest.raises(ExecutionError) as info:
        context.deactivate()
    message = str(info.value)
    assert "component 'counted/step' (nvidia::gxf::test::StepCount) failed in deinitialize()" in message
    assert "CheckFailed: Tick count [5] does not match expected tick count [4]" in message


def test_wrong_start_count_fails(run_graph):
    context = run_graph(graph(2, "expected_count: 2\n        expected_start_count: 2"))
    with pytest.raises(ExecutionError, match=r"Start count \[1\] does not match expected start count \[2\]"):
        context.deactivate()


def test_defaults_expect_one_start_and_no_tick():
    assert StepCount.parameters()["expected_count"].default == 0
    assert StepCount.parameters()["expected_start_count"].default == 1
    assert StepCount.parameters()["use_assert"].default is False


def test_out_of_order_lifecycle_calls_fail_at_once():
    with Context() as context:
        step = context.create_entity("e").add(StepCount, "step")
        step.initialize()
        with pytest.raises(CheckFailed, match="ticked before it was started"):
            step.tick()
        step.start()
        step.stop()
        with pytest.raises(CheckFailed, match="stopped 2 times after 1 starts"):
            step.stop()
        fresh = context.entities[0].add(StepCount, "fresh")
        with pytest.raises(CheckFailed, match="started before it was initialized"):
            fresh.start()


def test_started_but_never_stopped_fails():
    with Context() as context:
        step = context.create_entity("e").add(StepCount, "step", expected_count=1)
        step.initialize()
        step.start()
        step.tick()
        with pytest.raises(CheckFailed, match="started 1 times but stopped 0 times"):
            step.deinitialize()


@pytest.mark.parametrize(("ticks", "problem"), [
    (4, None), (5, None), (8, None),
    (3, "Tick count [3] is lower than expected tick count range start [4]"),
    (9, "Tick count [9] is higher than expected tick count range end [8]"),
])
def test_step_range_count_accepts_counts_in_the_closed_range(run_graph, ticks, problem):
    context = run_graph(graph(ticks, "expected_count_range_start: 4\n        expected_count_range_end: 8",
                              "nvidia::gxf::test::StepRangeCount"))
    if problem is None:
        context.deactivate()
    else:
        with pytest.raises(ExecutionError) as info:
            context.deactivate()
        assert problem in str(info.value) and "counted/step" in str(info.value)


def test_step_range_count_refuses_an_inverted_range():
    with Context() as context:
        step = context.create_entity("e").add(StepRangeCount, "step", expected_count_range_start=3,
                                              expected_count_range_end=2)
        with pytest.raises(ValueError, match=r"expected_count_range_start \(3\) is greater than"):
            step.initialize()
