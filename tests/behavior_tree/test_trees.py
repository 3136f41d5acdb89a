"""Whole trees: nested composites, ordinary codelets as leaves, a wide tree, and the scenarios of GXF's
own behavior-tree test graphs (gxf/behavior_tree/tests), each rebuilt here and run to the statuses
GXF's test driver expects, on every scheduler.

test_behaviors.py checks each behavior with leaves directly under it; here the behaviors are nested,
so a status has to travel up several levels, and the leaves are also empty composites (an empty
Sequence succeeds at once, an empty Selector fails) and codelets that are not behaviors.
"""

from __future__ import annotations

import textwrap

import pytest
from gxf_bt_support import (F, I, R, S, SCHEDULERS, children, clock_ns, node, run_tree, scheduler_text,
                            statuses, step_count)

from gxf.core import Context, load_graph_text
from gxf.std.epoch_scheduler import EpochScheduler

NS = "nvidia::gxf::"
SEQ, SEL, PAR = NS + "SequenceBehavior", NS + "SelectorBehavior", NS + "ParallelBehavior"
REP, SWI, TIM = NS + "RepeatBehavior", NS + "SwitchBehavior", NS + "TimerBehavior"
CON = NS + "ConstantBehavior"
SECOND = 1_000_000_000

every_scheduler = pytest.mark.parametrize("kind", SCHEDULERS)


def const(name: str, status, ticks: int | None = 1, starts: int = 1, **kw) -> str:
    """A ConstantBehavior node ending with ``status``, with a StepCount of ``ticks`` (None: without).

    A node its parent never starts stays INIT; it has no StepCount, because whether its codelets were
    started (at its entity's first execution, before the parent might have started it) or not (its
    parent ended and stopped it first) depends on the scheduler's order."""
    extra = step_count(ticks, starts) if ticks is not None else ""
    return node(name, CON, f"constant_status: {0 if status is S else 1}", extra=extra, **kw)


def timer(name: str, delay: float, switch: int, ticks: int | None = None, starts: int = 1, **kw) -> str:
    extra = step_count(ticks, starts) if ticks is not None else ""
    return node(name, TIM, f"clock: sched/clock\ndelay: {delay}\nswitch_status: {switch}", extra=extra, **kw)


def empty(name: str, behavior: str, ticks: int | None = 1) -> str:
    """A composite without children: a Sequence succeeds at its first tick, a Selector fails."""
    return node(name, behavior, "children: []", extra=step_count(ticks) if ticks is not None else "")


def par(children_: str, success: int, failure: int) -> str:
    return f"{children_}\nsuccess_threshold: {success}\nfailure_threshold: {failure}"


# --- nesting ---------------------------------------------------------------------------------------------

@every_scheduler
def test_a_tree_three_levels_deep_runs_each_subtree_in_turn(kind):
    #   root: Sequence                      left takes 1 s (t1), then right starts:
    #   |-- left: Selector                  its timers end at 1 + 2 = 3 s (r1) and 1 + 1 = 2 s (r2b).
    #   |   |-- l1: Constant FAILURE        Had right started with left, the run would end at 2 s;
    #   |   `-- l2: Sequence                had l2 run before l1 failed, l1 would still be INIT.
    #   |       |-- t1: Timer 1 s SUCCESS
    #   |       `-- c: Constant SUCCESS
    #   `-- right: Parallel (all, all)
    #       |-- r1: Timer 2 s SUCCESS
    #       `-- r2: Sequence
    #           |-- r2a: Constant SUCCESS
    #           `-- r2b: Timer 1 s SUCCESS
    tree = (node("root", SEQ, children("left", "right"), root=True, extra=step_count(3))
            + node("left", SEL, children("l1", "l2"), extra=step_count(3))
            + const("l1", F)
            + node("l2", SEQ, children("t1", "c"), extra=step_count(3))
            + timer("t1", 1, 0, ticks=2) + const("c", S)
            + node("right", PAR, par(children("r1", "r2"), -1, -1), extra=step_count(3))
            + timer("r1", 2, 0, ticks=2)
            + node("r2", SEQ, children("r2a", "r2b"), extra=step_count(3))
            + const("r2a", S) + timer("r2b", 1, 0, ticks=2))
    ctx = run_tree(tree, kind)
    names = ["root", "left", "l1", "l2", "t1", "c", "right", "r1", "r2", "r2a", "r2b"]
    assert statuses(ctx, *names) == {**{n: S for n in names}, "l1": F}
    assert 3 * SECOND <= clock_ns(ctx) < 4 * SECOND


@every_scheduler
def test_a_failure_three_levels_down_ends_every_level_above_it(kind):
    # deep fails after 1 s; each Sequence above fails with it and never starts its next child.
    tree = (node("root", SEQ, children("a", "root_next"), root=True, extra=step_count(2))
            + node("a", SEQ, children("b", "a_next"), extra=step_count(2))
            + node("b", SEQ, children("ok", "deep", "b_next"), extra=step_count(3))
            + const("ok", S) + timer("deep", 1, 1, ticks=2)
            + const("b_next", S, ticks=None)
            + const("a_next", S, ticks=None)
            + const("root_next", S, ticks=None))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "a", "b", "ok", "deep", "b_next", "a_next", "root_next") == {
        "root": F, "a": F, "b": F, "ok": S, "deep": F, "b_next": I, "a_next": I, "root_next": I}
    assert SECOND <= clock_ns(ctx) < 2 * SECOND


@every_scheduler
def test_stopping_a_subtree_stops_its_running_grandchildren(kind):
    # A 1 s timer ends the Parallel (one success is enough) while the other branch is two levels
    # deep in a 10 s timer: the whole branch stops at 1 s, still RUNNING.
    tree = (node("root", PAR, par(children("quick", "slow"), 1, -1), root=True, extra=step_count(2))
            + timer("quick", 1, 0, ticks=2)
            + node("slow", SEQ, children("slow_inner"), extra=step_count(1))
            + node("slow_inner", SEQ, children("long"), extra=step_count(1))
            + timer("long", 10, 0, ticks=1))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "quick", "slow", "slow_inner", "long") == {
        "root": S, "quick": S, "slow": R, "slow_inner": R, "long": R}
    assert SECOND <= clock_ns(ctx) < 2 * SECOND


# --- ordinary codelets as leaves -------------------------------------------------------------------------

def ping_leaf(name: str, rx: str) -> str:
    """A leaf that is not a behavior: a PingTx sending once to ``rx`` (a plain entity, outside the tree)."""
    leaf = node(name, "nvidia::gxf::PingTx", "signal: out\nclock: sched/clock", extra=textwrap.dedent("""\
        - name: out
          type: nvidia::gxf::DoubleBufferTransmitter
        - type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
          parameters:
            transmitter: out
            min_size: 1
        - type: nvidia::gxf::CountSchedulingTerm
          parameters:
            count: 1
        """) + step_count(1))
    receiver = textwrap.dedent(f"""\
        ---
        name: {rx}
        components:
        - name: signal
          type: nvidia::gxf::DoubleBufferReceiver
        - type: nvidia::gxf::MessageAvailableSchedulingTerm
          parameters:
            receiver: signal
            min_size: 1
        - name: ping
          type: nvidia::gxf::PingRx
          parameters:
            signal: signal
        """) + step_count(1) + "\n"
    connection = (f"---\ncomponents:\n- type: nvidia::gxf::Connection\n  parameters:\n"
                  f"    source: {name}/out\n    target: {rx}/signal\n")
    return leaf + receiver + connection


@every_scheduler
def test_ordinary_codelets_as_leaves_tick_once_per_run_in_the_parents_order(kind):
    # As GXF's graph with non-behavior children: a Sequence of three PingTx leaves, each sending one
    # message to a receiver outside the tree. 1 s timers between them show the order in the times
    # of the leaves' last executions (each ticks, then is stopped at once: its run is over).
    tree = (node("root", SEQ, children("tx1", "pause1", "tx2", "pause2", "tx3"), root=True,
                 extra=step_count(6))
            + ping_leaf("tx1", "rx1") + timer("pause1", 1, 0, ticks=2)
            + ping_leaf("tx2", "rx2") + timer("pause2", 1, 0, ticks=2)
            + ping_leaf("tx3", "rx3"))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "tx1", "tx2", "tx3") == {"root": S, "tx1": S, "tx2": S, "tx3": S}
    assert [ctx.entity(rx).find("ping").count for rx in ("rx1", "rx2", "rx3")] == [1, 1, 1]
    leaves = [ctx.entity(tx).find("codelet") for tx in ("tx1", "tx2", "tx3")]
    assert [tx.count for tx in leaves] == [1, 1, 1]
    assert [tx.get_execution_timestamp() for tx in leaves] == [0, SECOND, 2 * SECOND]


@every_scheduler
def test_an_ordinary_leaf_that_raises_is_a_failure_its_parent_handles(kind):
    # The MockFailure leaf raises at its first tick; its controller absorbs the error (FAILURE) and the
    # Selector goes on to an ordinary leaf that succeeds. The run itself succeeds.
    tree = (node("root", SEL, children("broken", "tx"), root=True, extra=step_count(3))
            + node("broken", "nvidia::gxf::test::MockFailure", "num_max_ticks: 0")
            + ping_leaf("tx", "rx"))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "broken", "tx") == {"root": S, "broken": F, "tx": S}
    assert ctx.entity("rx").find("ping").count == 1


@every_scheduler
def test_an_ordinary_leaf_restarted_by_a_repeat_starts_afresh_each_run(kind):
    # MockFailure ticks 4 times in the run (its count survives restarts), then raises. Repeat starts it
    # 5 times: four successes, then the failure ends the Repeat. The StepCount beside it is ticked in
    # the four successful runs and started in all five.
    tree = (node("root", REP, children("leaf"), root=True, extra=step_count(6))
            + node("leaf", "nvidia::gxf::test::MockFailure", "num_max_ticks: 4",
                   extra=step_count(4, starts=5)))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "leaf") == {"root": F, "leaf": F}


# --- a wide tree -----------------------------------------------------------------------------------------

WIDTH = 300


@every_scheduler
@pytest.mark.timeout(30)
def test_a_wide_tree_of_hundreds_of_children_finishes_in_bounded_time(kind):
    # Three composites of 300 children each: a Sequence of successes (one tick per child that ended),
    # a Parallel of 1 s timers that end together, and a Selector whose children fail but the last.
    seq = [f"s{i}" for i in range(WIDTH)]
    par_ = [f"p{i}" for i in range(WIDTH)]
    sel = [f"f{i}" for i in range(WIDTH)]
    tree = (node("root", SEQ, children("seq", "par", "sel"), root=True, extra=step_count(4))
            + node("seq", SEQ, children(*seq), extra=step_count(WIDTH + 1))
            + "".join(const(n, S) for n in seq)
            + node("par", PAR, par(children(*par_), -1, -1))
            + "".join(timer(n, 1, 0, ticks=2) for n in par_)
            + node("sel", SEL, children(*sel), extra=step_count(WIDTH + 1))
            + "".join(const(n, F) for n in sel[:-1]) + const(sel[-1], S))
    ctx = run_tree(tree, kind)
    found = statuses(ctx, "root", "seq", "par", "sel", *seq, *par_, *sel)
    assert found == {"root": S, "seq": S, "par": S, "sel": S, **{n: S for n in seq + par_},
                     **{n: F for n in sel[:-1]}, sel[-1]: S}
    assert SECOND <= clock_ns(ctx) < 2 * SECOND   # the timers ran side by side


# --- GXF's behavior-tree test graphs ---------------------------------------------------------------------
# Each scenario is GXF's graph rebuilt in this file's terms (names shortened), with the statuses GXF's
# test driver asserts; StepCounts and times add what the driver cannot see.

def scene(last: str = SEQ) -> str:
    """A Sequence "scene" of three empty composites pose, det and seg (seg a ``last``)."""
    return (node("scene", SEQ, children("pose", "det", "seg"), extra=step_count(4))
            + empty("pose", SEQ) + empty("det", SEQ) + empty("seg", last))


@every_scheduler
def test_gxf_sequence(kind):
    # root: Sequence [scene: Sequence [pose, det, seg], ref], every leaf an empty Sequence.
    tree = (node("root", SEQ, children("scene", "ref"), root=True, extra=step_count(3)) + scene()
            + empty("ref", SEQ))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "scene", "ref", "pose", "det", "seg") == {
        "root": S, "scene": S, "ref": S, "pose": S, "det": S, "seg": S}


@every_scheduler
def test_gxf_sequence_failure(kind):
    # As above, but seg is an empty Selector: it fails, so scene and root fail and ref never starts.
    tree = (node("root", SEQ, children("scene", "ref"), root=True, extra=step_count(2)) + scene(last=SEL)
            + empty("ref", SEQ, ticks=None))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "scene", "ref", "pose", "det", "seg") == {
        "root": F, "scene": F, "ref": I, "pose": S, "det": S, "seg": F}


@every_scheduler
def test_gxf_selector(kind):
    # root: Selector of three empty Sequences: the first succeeds, the others never start.
    tree = (node("root", SEL, children("distance", "detected", "knock"), root=True, extra=step_count(2))
            + empty("distance", SEQ) + empty("detected", SEQ, ticks=None) + empty("knock", SEQ, ticks=None))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "distance", "detected", "knock") == {
        "root": S, "distance": S, "detected": I, "knock": I}


@every_scheduler
def test_gxf_selector_failure(kind):
    # root: Selector of four empty Selectors: each fails in turn, and so does root.
    names = ["child1", "child2", "child3", "child4"]
    tree = (node("root", SEL, children(*names), root=True, extra=step_count(5))
            + "".join(empty(n, SEL) for n in names))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", *names) == {"root": F, **{n: F for n in names}}


@every_scheduler
def test_gxf_switch(kind):
    # root: Switch (desired_behavior 0) [scene, ref]: scene runs to its end, ref never starts.
    tree = (node("root", SWI, children("scene", "ref") + "\ndesired_behavior: 0", root=True,
                 extra=step_count(2))
            + scene() + empty("ref", SEQ, ticks=None))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "scene", "ref", "pose", "det", "seg") == {
        "root": S, "scene": S, "ref": I, "pose": S, "det": S, "seg": S}


@every_scheduler
def test_gxf_parallel(kind):
    # root: Parallel (success: all, failure: 1) of two Sequences, each with one empty Sequence.
    tree = (node("root", PAR, par(children("child1", "child2"), -1, 1), root=True)
            + node("child1", SEQ, children("distance"), extra=step_count(2)) + empty("distance", SEQ)
            + node("child2", SEQ, children("detected"), extra=step_count(2)) + empty("detected", SEQ))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", "child1", "child2", "distance", "detected") == {
        "root": S, "child1": S, "child2": S, "distance": S, "detected": S}


def nested_parallels(outcomes: list) -> str:
    """root: Parallel (1 success, all fail) [child1, child6 F, child7 F]; child1: Parallel (3 successes,
    2 failures) of Constants child2..child5 ending with ``outcomes``.

    A Parallel that ends stops the children still running, and a child whose entity has not had its
    first execution yet never ticks. GXF's expected statuses (child6 and child7 FAILURE) come from its
    greedy scheduler, where they tick before child1's subtree is through. child6 and child7 are
    defined before child1's subtree so that the worker schedulers, which may follow one worker's
    chain of events first, also start their entities early."""
    inner = ["child2", "child3", "child4", "child5"]
    return (node("root", PAR, par(children("child1", "child6", "child7"), 1, -1), root=True)
            + const("child6", F) + const("child7", F)
            + node("child1", PAR, par(children(*inner), 3, 2))
            + "".join(const(n, o) for n, o in zip(inner, outcomes)))


@every_scheduler
def test_gxf_parallel_success(kind):
    # child1 sees 3 successes (and 1 failure): it succeeds, and that one success is enough for root.
    ctx = run_tree(nested_parallels([F, S, S, S]), kind)
    assert statuses(ctx, *(["root"] + [f"child{i}" for i in range(1, 8)])) == {
        "root": S, "child1": S, "child2": F, "child3": S, "child4": S, "child5": S, "child6": F, "child7": F}


@every_scheduler
def test_gxf_parallel_failure(kind):
    # child1 sees 2 failures (and only 2 successes): it fails; all three of root's children failed.
    ctx = run_tree(nested_parallels([F, S, S, F]), kind)
    assert statuses(ctx, *(["root"] + [f"child{i}" for i in range(1, 8)])) == {
        "root": F, "child1": F, "child2": F, "child3": S, "child4": S, "child5": F, "child6": F, "child7": F}


@every_scheduler
def test_gxf_timer(kind):
    # root: Sequence [child1: Sequence [switch: Timer 1 s -> FAILURE]]: the failure reaches root at 1 s.
    tree = (node("root", SEQ, children("child1"), root=True, extra=step_count(2))
            + node("child1", SEQ, children("switch"), extra=step_count(2))
            + timer("switch", 1, 1, ticks=2))
    ctx = run_tree(tree, kind, max_duration_ms=1200)
    assert statuses(ctx, "root", "child1", "switch") == {"root": F, "child1": F, "switch": F}
    assert SECOND <= clock_ns(ctx) < 1.2 * SECOND


def constant_tree() -> str:
    """root: Sequence [child1: Constant SUCCESS, child2: Constant FAILURE repeated 3 times, RUNNING
    meanwhile]: child2 executes 4 times, then its failure is root's."""
    return (node("root", SEQ, children("child1", "child2"), root=True, extra=step_count(3))
            + const("child1", S)
            + const("child2", F, ticks=4, repeats=3, running_on_repeat=True))


@every_scheduler
def test_gxf_constant(kind):
    ctx = run_tree(constant_tree(), kind)
    assert statuses(ctx, "root", "child1", "child2") == {"root": F, "child1": S, "child2": F}


def test_gxf_epoch_driven_as_gxfs_driver_does():
    # GXF's epoch test: the constant tree on an EpochScheduler, one runEpoch(50 ms) call from the test's
    # thread, then an interrupt. No time passes in this tree, so that one epoch (it goes on until
    # nothing is ready) decides it, and the run ends by itself: every node is done.
    ctx = Context()
    load_graph_text(ctx, textwrap.dedent(constant_tree()) + "\n" + scheduler_text("epoch"), "tree.yaml")
    scheduler = next(iter(ctx.components(EpochScheduler)))
    ctx.run_async()
    try:
        assert scheduler.run_epoch(50.0) > 0
        assert statuses(ctx, "root", "child1", "child2") == {"root": F, "child1": S, "child2": F}
        assert not scheduler.is_running()
        ctx.interrupt()
        ctx.wait()
    finally:
        ctx.deactivate()


@every_scheduler
def test_gxf_epoch_with_all_behaviors(kind):
    # GXF's all-behaviors graph (run there on an EpochScheduler; here on each):
    #   root: Sequence
    #   |-- child1: Parallel (all, 1 failure)        ends at 5 s, with child7
    #   |   |-- child3: Constant SUCCESS
    #   |   |-- child4: Switch 0 -> child5: Constant SUCCESS (child6 never starts)
    #   |   `-- child7: Timer 5 s SUCCESS
    #   `-- child2: Selector                         from 5 s
    #       |-- child8: Repeat (no repeat after failure)
    #       |   `-- child9: Timer 2 s FAILURE, repeated twice (RUNNING meanwhile): fails at 7, 9, 11 s
    #       `-- child10: Constant SUCCESS            at 11 s, after child8 failed
    tree = (node("root", SEQ, children("child1", "child2"), root=True, extra=step_count(3))
            + node("child1", PAR, par(children("child3", "child4", "child7"), -1, 1))
            + node("child2", SEL, children("child8", "child10"), extra=step_count(3))
            + const("child3", S)
            + node("child4", SWI, children("child5", "child6") + "\ndesired_behavior: 0", extra=step_count(2))
            + const("child5", S) + const("child6", S, ticks=None)
            + timer("child7", 5, 0, ticks=2)
            + node("child8", REP, children("child9") + "\nrepeat_after_failure: false", extra=step_count(2))
            + timer("child9", 2, 1, ticks=6, repeats=2, running_on_repeat=True)
            + const("child10", S))
    ctx = run_tree(tree, kind)
    assert statuses(ctx, "root", *(f"child{i}" for i in range(1, 11))) == {
        "root": S, "child1": S, "child2": S, "child3": S, "child4": S, "child5": S, "child6": I, "child7": S,
        "child8": F, "child9": F, "child10": S}
    assert 11 * SECOND <= clock_ns(ctx) < 12 * SECOND
