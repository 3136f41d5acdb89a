"""WaitSchedulingTerm (always WAIT) and PeriodicSchedulingTermWithDelay (a jittered period)."""

from gxf.core import Context
from gxf.std.scheduling_condition import READY, WAIT, WAIT_TIME
from gxf.test_helpers.scheduling_terms import PeriodicSchedulingTermWithDelay, WaitSchedulingTerm


def test_wait_term_always_waits_and_its_entity_never_ticks(run_graph):
    context = run_graph("""
        name: waiting
        components:
        - type: nvidia::gxf::test::WaitSchedulingTerm
        - name: step
          type: nvidia::gxf::test::StepCount
        """)
    step = context.find_component("waiting/step")
    assert (step.count_start, step.count_tick, step.count_stop) == (1, 0, 1)
    term = WaitSchedulingTerm()
    assert term.check(0) == (WAIT, 0) and term.check(10**12) == (WAIT, 10**12)


def _term(period_ns):
    with Context() as context:
        term = context.create_entity("e").add(PeriodicSchedulingTermWithDelay, "t", recess_period=period_ns)
        term.initialize()
        return term


def test_delayed_periodic_term_is_ready_at_first_then_waits_a_period_plus_a_small_delay():
    term = _term(1000)
    assert term.check(0) == (READY, 0)
    term.on_execute(0)
    kind, ready_at = term.check(0)
    assert kind is WAIT_TIME and 1001 <= ready_at <= 1110
    assert term.check(ready_at - 1) == (WAIT_TIME, ready_at)  # the target does not move between checks
    assert term.check(ready_at) == (READY, ready_at)


def test_delays_differ_between_ticks_but_repeat_between_runs():
    def targets():
        term = _term(1_000_000)
        out = []
        now = 0
        for _ in range(20):
            term.on_execute(now)
            _, now = term.check(now)
            out.append(now)
        return out

    first = targets()
    assert first == targets()
    delays = [t - 1_000_000 * (i + 1) for i, t in enumerate(first)]
    assert all(1 <= d <= 109 for d in delays) and len(set(delays)) > 5


def test_a_graph_with_the_delayed_term_ticks_once_per_period(run_graph):
    context = run_graph("""
        name: periodic
        components:
        - type: nvidia::gxf::test::PeriodicSchedulingTermWithDelay
          parameters:
            recess_period: 1ms
        - name: step
          type: nvidia::gxf::test::StepCount
          parameters:
            expected_count: 5
        - type: nvidia::gxf::CountSchedulingTerm
          parameters:
            count: 5
        """)
    assert context.find_component("periodic/step").count_tick == 5
    now = context.find_component("scheduler/clock").timestamp()
    assert 4_000_000 < now < 4_000_200  # the fifth tick is due 4 periods plus a delay after the first
