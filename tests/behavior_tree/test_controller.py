"""EntityCountFailureRepeatController: how often a failing node is executed again, and what its parent
sees meanwhile, on every scheduler.

The leaf is a FlakyLeaf that fails its first ``failures`` ticks of the run and then succeeds. While the
controller repeats it, the parent reads FAILURE (``return_behavior_running_if_failure_repeat: false``,
the default) or RUNNING (``true``). A parent is only woken when a child's status is no longer RUNNING,
so the parent's tick count tells how many failures it was shown. In the tests where the parent reacts
while the leaf is still being repeated, a PeriodicSchedulingTerm spaces the leaf's ticks one second
apart: the parent's reaction (at once) and the leaf's next try (a second later) then happen in one
order only, on every scheduler.
"""

from __future__ import annotations

import pytest
from gxf_bt_support import F, I, R, S, SCHEDULERS, children, clock_ns, node, run_tree, statuses, step_count

NS = "nvidia::gxf::"
SEQ, SEL, CON = NS + "SequenceBehavior", NS + "SelectorBehavior", NS + "ConstantBehavior"
TIM = NS + "TimerBehavior"
SECOND = 1_000_000_000

pytestmark = pytest.mark.parametrize("kind", SCHEDULERS)


def periodic(seconds: float) -> str:
    """A PeriodicSchedulingTerm (an extra of ``node``): the entity ticks at most once per ``seconds``."""
    return f"- type: nvidia::gxf::PeriodicSchedulingTerm\n  parameters:\n    recess_period: {seconds}s"


def flaky(name: str, leaf_type: str, failures: int, repeats: int, running: bool, ticks: int | None = None,
          starts: int = 1, raise_error: bool = False, spaced: bool = False) -> str:
    """A FlakyLeaf node; ``ticks``: the StepCount after the leaf (it is not ticked when the leaf raises);
    ``spaced``: one tick a second at most."""
    extras = [periodic(1)] if spaced else []
    if ticks is not None:
        extras.append(step_count(ticks, starts))
    return node(name, leaf_type, f"failures: {failures}\nraise_error: {str(raise_error).lower()}",
                repeats=repeats, running_on_repeat=running, extra="\n".join(extras))


def controller(ctx, name: str):
    return ctx.entity(name).find("controller")


def leaf_ticks(ctx, name: str = "leaf") -> int:
    return ctx.entity(name).find("codelet").ticks


# --- return_behavior_running_if_failure_repeat: true -------------------------------------------------------

@pytest.mark.parametrize("raise_error", [False, True])
def test_running_while_repeating_hides_the_failures_from_the_parent(kind, flaky_leaf, raise_error):
    # Fails twice, is repeated twice (3 allowed), then succeeds: the Sequence ticks when it starts the
    # leaf, when the leaf succeeds and when "after" does; a failure shown to it would add a tick. A
    # repeat is one more tick: the leaf's codelets start once; a StepCount after a leaf that raised
    # was not ticked in that execution.
    tree = (node("root", SEQ, children("leaf", "after"), root=True, extra=step_count(3))
            + flaky("leaf", flaky_leaf, failures=2, repeats=3, running=True, ticks=1 if raise_error else 3,
                    raise_error=raise_error)
            + node("after", CON, "constant_status: 0", extra=step_count(1)))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf", "after") == {"root": S, "leaf": S, "after": S}
    assert leaf_ticks(ctx) == 3
    assert controller(ctx, "leaf").repeat_count == 2


def test_running_while_repeating_until_max_repeat_count_then_failure(kind, flaky_leaf):
    # Would fail 5 times; max_repeat_count 2 allows 3 executions, the third failure is final.
    tree = (node("root", SEQ, children("leaf", "after"), root=True, extra=step_count(2))
            + flaky("leaf", flaky_leaf, failures=5, repeats=2, running=True, ticks=3)
            + node("after", CON, "constant_status: 0"))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf", "after") == {"root": F, "leaf": F, "after": I}
    assert leaf_ticks(ctx) == 3
    assert controller(ctx, "leaf").repeat_count == 3


@pytest.mark.parametrize("failures,repeats,ticks", [(0, 0, 1), (1, 1, 2), (3, 3, 4), (4, 3, 4)])
def test_max_repeat_count_bounds_the_executions(kind, flaky_leaf, failures, repeats, ticks):
    # An entity executes at most 1 + max_repeat_count times; it succeeds if a try is left when the
    # leaf stops failing.
    tree = (node("root", SEQ, children("leaf"), root=True, extra=step_count(2))
            + flaky("leaf", flaky_leaf, failures=failures, repeats=repeats, running=True, ticks=ticks))
    ctx = run_tree(tree, kind)
    outcome = S if failures <= repeats else F
    assert statuses(ctx, "root", "leaf") == {"root": outcome, "leaf": outcome}
    assert leaf_ticks(ctx) == ticks


def test_running_while_repeating_keeps_a_selector_on_the_repeated_child(kind, flaky_leaf):
    # The leaf fails at 0 s and 1 s and succeeds at 2 s; the Selector sees only RUNNING until then, so
    # it never tries its fallback.
    tree = (node("root", SEL, children("leaf", "fallback"), root=True, extra=step_count(2))
            + flaky("leaf", flaky_leaf, failures=2, repeats=3, running=True, ticks=3, spaced=True)
            + node("fallback", TIM, "clock: sched/clock\ndelay: 1.5\nswitch_status: 0"))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf", "fallback") == {"root": S, "leaf": S, "fallback": I}
    assert leaf_ticks(ctx) == 3
    assert 2 * SECOND <= clock_ns(ctx) < 3 * SECOND


def test_running_while_repeating_then_the_final_failure_moves_the_selector_on(kind, flaky_leaf):
    # Fails at 0, 1 and 2 s with 2 repeats allowed: only the third failure reaches the Selector, at 2 s.
    tree = (node("root", SEL, children("leaf", "fallback"), root=True, extra=step_count(3))
            + flaky("leaf", flaky_leaf, failures=5, repeats=2, running=True, ticks=3, spaced=True)
            + node("fallback", CON, "constant_status: 0", extra=step_count(1)))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf", "fallback") == {"root": S, "leaf": F, "fallback": S}
    assert leaf_ticks(ctx) == 3
    assert 2 * SECOND <= clock_ns(ctx) < 3 * SECOND


def test_a_repeat_is_another_tick_not_a_restart(kind, flaky_leaf):
    # As in GXF's executor, the controller's repeats tick the entity again without stopping and starting
    # its codelets: the StepCount beside the leaf sees one start (and one stop) for three executions.
    # A parent's start_node, by contrast, restarts the entity (see the whole-run test below).
    tree = (node("root", SEQ, children("leaf"), root=True, extra=step_count(2))
            + flaky("leaf", flaky_leaf, failures=2, repeats=2, running=True, ticks=3, starts=1))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf") == {"root": S, "leaf": S}
    counter = ctx.entity("leaf").find_all()[-1]
    assert (counter.count_start, counter.count_tick, counter.count_stop) == (1, 3, 1)


# --- return_behavior_running_if_failure_repeat: false (the default) ----------------------------------------

def test_failure_while_repeating_is_shown_to_the_parent_at_once(kind, flaky_leaf):
    # The same tree as above but with the default: the leaf's first failure (0 s) moves the Selector on
    # to its fallback, a 1.5 s timer, while the controller keeps repeating the leaf: its second failure
    # (1 s) wakes the Selector once more. At 1.5 s the fallback succeeds and the Selector stops the leaf
    # before its third try (2 s), which would have succeeded. Selector ticks: start, the two failures,
    # the fallback's success.
    tree = (node("root", SEL, children("leaf", "fallback"), root=True, extra=step_count(4))
            + flaky("leaf", flaky_leaf, failures=2, repeats=3, running=False, ticks=2, spaced=True)
            + node("fallback", TIM, "clock: sched/clock\ndelay: 1.5\nswitch_status: 0", extra=step_count(2)))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf", "fallback") == {"root": S, "leaf": F, "fallback": S}
    assert leaf_ticks(ctx) == 2
    assert controller(ctx, "leaf").repeat_count == 2
    assert 1.5 * SECOND <= clock_ns(ctx) < 2 * SECOND


def test_failure_while_repeating_ends_a_sequence_and_the_repeats_with_it(kind, flaky_leaf):
    # The Sequence fails at the leaf's first failure and, ending, stops the leaf: the repeats the
    # controller still allowed never happen.
    tree = (node("root", SEQ, children("leaf", "after"), root=True, extra=step_count(2))
            + flaky("leaf", flaky_leaf, failures=1, repeats=3, running=False, ticks=1, spaced=True)
            + node("after", CON, "constant_status: 0"))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf", "after") == {"root": F, "leaf": F, "after": I}
    assert leaf_ticks(ctx) == 1
    assert controller(ctx, "leaf").repeat_count == 1
    assert clock_ns(ctx) < SECOND


def test_a_failure_past_max_repeat_count_is_final(kind, flaky_leaf):
    # With max_repeat_count 0 the first failure deactivates the leaf: no second execution, and the
    # Selector goes on to the next child.
    tree = (node("root", SEL, children("leaf", "fallback"), root=True, extra=step_count(3))
            + flaky("leaf", flaky_leaf, failures=1, repeats=0, running=False, ticks=1)
            + node("fallback", CON, "constant_status: 0", extra=step_count(1)))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf", "fallback") == {"root": S, "leaf": F, "fallback": S}
    assert leaf_ticks(ctx) == 1
    assert controller(ctx, "leaf").repeat_count == 1


def test_the_repeat_count_is_of_the_whole_run(kind, flaky_leaf):
    # A Sequence restarted by a Repeat (repeat_after_failure) runs the leaf again; the leaf's allowance
    # of one repeat is used up in the first run of the Sequence (fail, repeat, fail), so in the second
    # run its first failure is final. From the third run on (the leaf fails three times in all) the
    # Sequence succeeds once a second, until a 2.5 s timer ends it all.
    tree = (node("root", NS + "ParallelBehavior",
                 children("rep", "end") + "\nsuccess_threshold: 1\nfailure_threshold: -1", root=True)
            + node("rep", NS + "RepeatBehavior", children("seq") + "\nrepeat_after_failure: true")
            + node("seq", SEQ, children("leaf", "wait"))
            + flaky("leaf", flaky_leaf, failures=3, repeats=1, running=True, ticks=6, starts=5)
            + node("wait", TIM, "clock: sched/clock\ndelay: 1\nswitch_status: 0")
            + node("end", TIM, "clock: sched/clock\ndelay: 2.5\nswitch_status: 0"))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "rep", "leaf", "wait", "end") == {"root": S, "rep": R, "leaf": S, "wait": R,
                                                                   "end": S}
    # Ticks: run 1 fail, repeat, fail (final); run 2 fail (final); run 3 success (0 s), wait till 1 s;
    # run 4 success (1 s), wait till 2 s; run 5 success (2 s), cut short at 2.5 s.
    assert leaf_ticks(ctx) == 6
    assert controller(ctx, "leaf").repeat_count == 3
