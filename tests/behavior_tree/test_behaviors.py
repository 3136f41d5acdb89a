"""Each behavior runs its children in the right order and ends with the right status, on every scheduler.

Parents sleep until a child ends a run, so a parent's tick count is 1 + the child runs it saw end:
the StepCount expectations fail if a child runs too early, too late, twice or not at all. A child
that was never started keeps status INIT (every execution of a node records a status).
"""

from __future__ import annotations

import pytest
from gxf_bt_support import F, I, R, S, SCHEDULERS, children, clock_ns, node, run_tree, statuses, step_count

from gxf.core import GxfError

SEQ, SEL, PAR = "nvidia::gxf::SequenceBehavior", "nvidia::gxf::SelectorBehavior", "nvidia::gxf::ParallelBehavior"
REP, SWI, TIM = "nvidia::gxf::RepeatBehavior", "nvidia::gxf::SwitchBehavior", "nvidia::gxf::TimerBehavior"
CON = "nvidia::gxf::ConstantBehavior"
SECOND = 1_000_000_000

pytestmark = pytest.mark.parametrize("kind", SCHEDULERS)


def const(name: str, status, ticks: int | None = 1, **kw) -> str:
    """A ConstantBehavior node ending with ``status`` (S or F); ``ticks`` None: no StepCount."""
    extra = step_count(ticks) if ticks is not None else ""
    return node(name, CON, f"constant_status: {0 if status is S else 1}", extra=extra, **kw)


def timer(name: str, delay: float, switch: int, ticks: int | None = None, starts: int = 1, **kw) -> str:
    extra = step_count(ticks, starts) if ticks is not None else ""
    return node(name, TIM, f"clock: sched/clock\ndelay: {delay}\nswitch_status: {switch}", extra=extra, **kw)


# --- Sequence ------------------------------------------------------------------------------------------

def test_sequence_runs_every_child_in_order_and_succeeds(kind):
    ctx = run_tree(node("root", SEQ, children("a", "b", "c"), root=True, extra=step_count(4))
                   + const("a", S) + const("b", S) + const("c", S), kind)
    assert statuses(ctx, "root", "a", "b", "c") == {"root": S, "a": S, "b": S, "c": S}


def test_sequence_fails_at_the_first_failure_and_never_starts_the_rest(kind):
    ctx = run_tree(node("root", SEQ, children("a", "b", "c", "d"), root=True, extra=step_count(3))
                   + const("a", S) + const("b", F) + const("c", S, ticks=None) + const("d", S, ticks=None), kind)
    assert statuses(ctx, "root", "a", "b", "c", "d") == {"root": F, "a": S, "b": F, "c": I, "d": I}


def test_sequence_order_is_the_children_list_not_the_file_order(kind):
    # b is declared first but listed second: a timer in a makes b wait for it.
    ctx = run_tree(node("root", SEQ, children("a", "b"), root=True, extra=step_count(3))
                   + const("b", S) + timer("a", 2.0, 0, ticks=2), kind)
    assert statuses(ctx, "root", "a", "b") == {"root": S, "a": S, "b": S}
    assert clock_ns(ctx) >= 2 * SECOND


def test_a_sequence_without_children_succeeds(kind):
    ctx = run_tree(node("root", SEQ, "children: []", root=True, extra=step_count(1)), kind)
    assert statuses(ctx, "root") == {"root": S}


# --- Selector ------------------------------------------------------------------------------------------

def test_selector_succeeds_at_the_first_success(kind):
    ctx = run_tree(node("root", SEL, children("a", "b", "c"), root=True, extra=step_count(3))
                   + const("a", F) + const("b", S) + const("c", S, ticks=None), kind)
    assert statuses(ctx, "root", "a", "b", "c") == {"root": S, "a": F, "b": S, "c": I}


def test_selector_fails_when_every_child_failed(kind):
    ctx = run_tree(node("root", SEL, children("a", "b", "c"), root=True, extra=step_count(4))
                   + const("a", F) + const("b", F) + const("c", F), kind)
    assert statuses(ctx, "root", "a", "b", "c") == {"root": F, "a": F, "b": F, "c": F}


def test_a_selector_without_children_fails(kind):
    ctx = run_tree(node("root", SEL, "children: []", root=True, extra=step_count(1)), kind)
    assert statuses(ctx, "root") == {"root": F}


# --- Parallel ------------------------------------------------------------------------------------------

def par(children_: str, success: int, failure: int) -> str:
    return f"{children_}\nsuccess_threshold: {success}\nfailure_threshold: {failure}"


def test_parallel_with_all_thresholds_succeeds_when_all_succeed(kind):
    ctx = run_tree(node("root", PAR, par(children("a", "b", "c"), -1, -1), root=True)
                   + timer("a", 1, 0, ticks=2) + timer("b", 3, 0, ticks=2) + const("c", S), kind)
    assert statuses(ctx, "root", "a", "b", "c") == {"root": S, "a": S, "b": S, "c": S}
    assert clock_ns(ctx) >= 3 * SECOND   # it waited for the slowest child


def test_parallel_runs_children_at_once_not_one_after_the_other(kind):
    # Three 2-second timers end together at 2 s (one after the other would take 6 s).
    ctx = run_tree(node("root", PAR, par(children("a", "b", "c"), -1, -1), root=True)
                   + timer("a", 2, 0, ticks=2) + timer("b", 2, 0, ticks=2) + timer("c", 2, 0, ticks=2), kind)
    assert statuses(ctx, "root", "a", "b", "c") == {"root": S, "a": S, "b": S, "c": S}
    assert 2 * SECOND <= clock_ns(ctx) < 3 * SECOND


def test_parallel_fails_at_its_failure_threshold_and_stops_the_children_still_running(kind):
    # a fails at 1 s; b (a 5 s timer) is stopped while RUNNING, so it never succeeds.
    ctx = run_tree(node("root", PAR, par(children("a", "b"), -1, 1), root=True, extra=step_count(2))
                   + timer("a", 1, 1, ticks=2) + timer("b", 5, 0, ticks=1), kind)
    assert statuses(ctx, "root", "a", "b") == {"root": F, "a": F, "b": R}
    assert clock_ns(ctx) < 5 * SECOND


def test_parallel_success_threshold_counts_successes(kind):
    ctx = run_tree(node("root", PAR, par(children("a", "b", "c"), 2, -1), root=True)
                   + const("a", S) + const("b", F) + timer("c", 1, 0, ticks=2), kind)
    assert statuses(ctx, "root", "a", "b", "c") == {"root": S, "a": S, "b": F, "c": S}


def test_parallel_fails_when_all_fail_with_threshold_minus_one(kind):
    ctx = run_tree(node("root", PAR, par(children("a", "b"), 1, -1), root=True)
                   + const("a", F) + timer("b", 1, 1, ticks=2), kind)
    assert statuses(ctx, "root", "a", "b") == {"root": F, "a": F, "b": F}
    assert clock_ns(ctx) >= SECOND


# --- Repeat --------------------------------------------------------------------------------------------

def test_repeat_restarts_its_child_after_each_success_until_it_fails(kind, flaky_leaf):
    # MockFailure succeeds 3 runs (one tick each), then raises in the 4th (StepCount, after it, is not
    # ticked then); the controller absorbs the error.
    leaf = node("leaf", "nvidia::gxf::test::MockFailure", "num_max_ticks: 3", extra=step_count(3, starts=4))
    ctx = run_tree(node("root", REP, children("leaf"), root=True, extra=step_count(5)) + leaf, kind)
    assert statuses(ctx, "root", "leaf") == {"root": F, "leaf": F}


def test_repeat_after_failure_restarts_a_failed_child_too(kind, flaky_leaf):
    # rep repeats a Sequence of a leaf that fails twice, then succeeds, and a 1 s timer; the 3.5 s
    # timer "end" stops it all. Runs of seq: fail, fail, then succeed at 1, 2 and 3 s, the last cut short.
    tree = (node("root", PAR, par(children("rep", "end"), 1, -1), root=True, extra=step_count(2))
            + node("rep", REP, children("seq") + "\nrepeat_after_failure: true", extra=step_count(6))
            + node("seq", SEQ, children("leaf", "wait"), extra=step_count(15, starts=6))
            + node("leaf", flaky_leaf, "failures: 2\nraise_error: false", extra=step_count(6, starts=6))
            + timer("wait", 1, 0) + timer("end", 3.5, 0, ticks=2))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "rep", "end", "leaf", "wait") == {"root": S, "rep": R, "end": S, "leaf": S,
                                                                    "wait": R}
    assert ctx.entity("leaf").find("codelet").ticks == 6


def test_repeat_without_repeat_after_failure_ends_with_its_childs_failure(kind, flaky_leaf):
    tree = (node("root", REP, children("leaf"), root=True, extra=step_count(2))
            + node("leaf", flaky_leaf, "failures: 1\nraise_error: false", extra=step_count(1)))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf") == {"root": F, "leaf": F}


def test_a_repeat_needs_exactly_one_child(kind):
    with pytest.raises(GxfError, match="exactly one child"):
        run_tree(node("root", REP, children("a", "b"), root=True) + const("a", S) + const("b", S), kind)


# --- Switch --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("index", [0, 1, 2])
def test_switch_runs_only_the_chosen_child_and_ends_as_it_does(kind, index):
    outcomes = [S, F, S]
    names = ["a", "b", "c"]
    nodes = "".join(const(n, outcomes[i], ticks=1 if i == index else None) for i, n in enumerate(names))
    ctx = run_tree(node("root", SWI, children(*names) + f"\ndesired_behavior: {index}", root=True,
                        extra=step_count(2)) + nodes, kind)
    expected = {n: (outcomes[i] if i == index else I) for i, n in enumerate(names)}
    assert statuses(ctx, "root", *names) == {"root": outcomes[index], **expected}


def test_switch_index_out_of_range_is_an_error_naming_it(kind):
    with pytest.raises(GxfError, match="desired_behavior"):
        run_tree(node("root", SWI, children("a") + "\ndesired_behavior: 3", root=True) + const("a", S), kind)


# --- Timer ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("switch,status", [(0, S), (1, F)])
def test_timer_waits_its_delay_then_switches(kind, switch, status):
    ctx = run_tree(node("root", SEQ, children("t"), root=True, extra=step_count(2))
                   + timer("t", 1.5, switch, ticks=2), kind)
    assert statuses(ctx, "root", "t") == {"root": status, "t": status}
    assert clock_ns(ctx) >= 1.5 * SECOND


def test_timer_with_switch_status_running_keeps_running_a_delay_after_another(kind):
    # t ticks at 0, 1, 2 and 3 s and stays RUNNING; the 3.5 s timer ends the Parallel.
    ctx = run_tree(node("root", PAR, par(children("t", "end"), 1, -1), root=True, extra=step_count(2))
                   + timer("t", 1, 2, ticks=4) + timer("end", 3.5, 0, ticks=2), kind)
    assert statuses(ctx, "root", "t", "end") == {"root": S, "t": R, "end": S}
    assert 3.5 * SECOND <= clock_ns(ctx) < 4 * SECOND


def test_timer_delay_is_measured_from_its_start_by_the_parent(kind):
    # The second timer starts after the first ended: 1 s + 2 s.
    ctx = run_tree(node("root", SEQ, children("t1", "t2"), root=True, extra=step_count(3))
                   + timer("t1", 1, 0, ticks=2) + timer("t2", 2, 0, ticks=2), kind)
    assert statuses(ctx, "root", "t1", "t2") == {"root": S, "t1": S, "t2": S}
    assert clock_ns(ctx) >= 3 * SECOND


# --- Constant ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,status", [(0, S), (1, F)])
def test_constant_ends_with_its_constant_status(kind, value, status):
    ctx = run_tree(node("root", SEQ, children("c"), root=True, extra=step_count(2))
                   + node("c", CON, f"constant_status: {value}", extra=step_count(1)), kind)
    assert statuses(ctx, "root", "c") == {"root": status, "c": status}


def test_constant_as_the_root_ends_the_run_with_its_status(kind):
    ctx = run_tree(node("root", CON, "constant_status: 1", root=True, extra=step_count(1)), kind)
    assert statuses(ctx, "root") == {"root": F}
