"""Runs behavior-tree graphs (YAML text) on each of the four schedulers and reads the nodes' statuses.

Every scheduler keeps time on a ManualClock, so timers and time limits cost no real time; the
EpochScheduler is driven from the test's thread, as an application does.
"""

from __future__ import annotations

import textwrap

from gxf.core import Context, load_graph_text
from gxf.std import BehaviorStatus, entity_behavior_status
from gxf.std.epoch_scheduler import EpochScheduler

SCHEDULERS = ["greedy", "multi_thread", "event_based", "epoch"]

_SCHEDULER_TYPES = {
    "greedy": "nvidia::gxf::GreedyScheduler",
    "multi_thread": "nvidia::gxf::MultiThreadScheduler",
    "event_based": "nvidia::gxf::EventBasedScheduler",
    "epoch": "nvidia::gxf::EpochScheduler",
}
_EXTRA = {
    "greedy": "    stop_on_deadlock: true\n",
    "multi_thread": "    worker_thread_number: 2\n    stop_on_deadlock: true\n    check_recession_period_ms: 0\n",
    "event_based": "    worker_thread_number: 2\n    stop_on_deadlock: true\n",
    "epoch": "",
}

S, F, R, I = BehaviorStatus.SUCCESS, BehaviorStatus.FAILURE, BehaviorStatus.RUNNING, BehaviorStatus.INIT


def scheduler_text(kind: str, max_duration_ms: int = 20000) -> str:
    """A scheduler entity named ``sched`` with a ManualClock ``sched/clock``."""
    return (f"---\nname: sched\ncomponents:\n- name: clock\n  type: nvidia::gxf::ManualClock\n"
            f"- type: {_SCHEDULER_TYPES[kind]}\n  parameters:\n    clock: clock\n"
            f"    max_duration_ms: {max_duration_ms}\n{_EXTRA[kind]}")


def run_tree(text: str, kind: str, max_duration_ms: int = 20000, context: Context | None = None) -> Context:
    """Loads ``text`` (a graph without a scheduler) with a ``kind`` scheduler, runs it to its end and
    returns the context (deactivated; the nodes' statuses stay readable)."""
    ctx = context or Context()
    load_graph_text(ctx, textwrap.dedent(text) + "\n" + scheduler_text(kind, max_duration_ms), "tree.yaml")
    try:
        if kind == "epoch":
            _drive_epochs(ctx)
        else:
            ctx.run()
    finally:
        ctx.deactivate()
    return ctx


def _drive_epochs(ctx: Context) -> None:
    scheduler = next(iter(ctx.components(EpochScheduler)))
    ctx.run_async()
    clock = scheduler.active_clock()
    idle = 0
    while scheduler.is_running():
        if scheduler.run_epoch(0):
            idle = 0
            continue
        target = scheduler.next_target_timestamp()
        if target is not None and target > clock.timestamp():
            clock.advance_to(target)
            continue
        idle += 1
        if idle > 50:
            scheduler.stop()
    ctx.wait()


def statuses(ctx: Context, *names: str) -> dict:
    """{entity name: BehaviorStatus} of the named entities."""
    return {name: entity_behavior_status(ctx.entity(name)) for name in names}


def node(name: str, codelet: str, params: str = "", root: bool = False, repeats: int = 0,
         extra: str = "", running_on_repeat: bool = False, controller: str | None = None) -> str:
    """The YAML of one tree node: controller, BTSchedulingTerm ``st`` and a codelet of type ``codelet``
    (``params``: its parameters, one ``key: value`` a line; s_term is added for behaviors). The
    controller is an EntityCountFailureRepeatController (``repeats``, ``running_on_repeat``), or one of
    type ``controller`` without parameters."""
    lines = [f"---\nname: {name}\ncomponents:"]
    if controller is not None:
        lines.append(f"- name: controller\n  type: {controller}")
    else:
        lines += ["- name: controller\n  type: nvidia::gxf::EntityCountFailureRepeatController",
                  f"  parameters:\n    max_repeat_count: {repeats}"]
        if running_on_repeat:
            lines.append("    return_behavior_running_if_failure_repeat: true")
    lines.append(f"- name: st\n  type: nvidia::gxf::BTSchedulingTerm\n  parameters:\n    is_root: {str(root).lower()}")
    lines.append(f"- name: codelet\n  type: {codelet}")
    body = [p for p in params.strip().splitlines() if p.strip()]
    if "Behavior" in codelet:
        body.append("s_term: st")
    if body:
        lines.append("  parameters:")
        lines.extend("    " + p.strip() for p in body)
    if extra:
        lines.append(textwrap.dedent(extra).strip("\n"))
    return "\n".join(lines) + "\n"


def children(*names: str) -> str:
    return "children: [" + ", ".join(f"{n}/st" for n in names) + "]"


def step_count(expected: int, starts: int = 1) -> str:
    """A StepCount component (an extra of ``node``) checking ticks and starts at teardown."""
    return (f"- type: nvidia::gxf::test::StepCount\n  parameters:\n    expected_count: {expected}\n"
            f"    expected_start_count: {starts}")


def clock_ns(ctx: Context) -> int:
    """The ManualClock time (ns) at which the run ended."""
    return ctx.entity("sched").find("clock").timestamp()


# --- a leaf that fails a given number of times, then succeeds ------------------------------------------

from gxf.core import Extension, Parameter, hookimpl  # noqa: E402
from gxf.std.codelet import Codelet  # noqa: E402


class FlakyLeaf(Codelet, type_name="gxf::bt_tests::FlakyLeaf", uuid="4b1d0c52-8f0e-4c39-9a43-6f2e1b7d5a10"):
    """Fails its first ``failures`` ticks of the whole run (raising, or returning FAILURE with
    ``raise_error: false``), then succeeds; the count survives restarts."""

    failures = Parameter(int, 0, "How many ticks fail before the others succeed")
    raise_error = Parameter(bool, True, "Fail by raising (else by returning BehaviorStatus.FAILURE)")

    def initialize(self) -> None:
        self.ticks = 0

    def tick(self):
        self.ticks += 1
        if self.ticks <= self.failures:
            if self.raise_error:
                raise RuntimeError(f"failure {self.ticks} of {self.failures}")
            return F
        return S


from gxf.std.controller import BehaviorStatus, Controller, ControllerStatus, ExecutionStatus  # noqa: E402


class StrictController(Controller, type_name="gxf::bt_tests::StrictController",
                       uuid="6c2e8d14-3f7a-4b9e-a1d5-0e8f4c7b2a93"):
    """A controller that absorbs nothing: a failed execution stops the whole graph (GXF's
    GXF_EXECUTE_FAILURE), the codelet's own error with it."""

    def control(self, entity, result, error=None) -> ControllerStatus:
        if result is BehaviorStatus.FAILURE:
            return ControllerStatus(BehaviorStatus.FAILURE, ExecutionStatus.FAILURE)
        return ControllerStatus(result, ExecutionStatus.SUCCESS)


TEST_EXTENSION = Extension(name="BehaviorTreeTestExtension", uuid="9a0f6e43-2d7b-4c55-8e1a-3b6c9d2f7e84",
                           version="0.1.0", components=[FlakyLeaf, StrictController], author="tests",
                           description="Leaves for the behavior-tree tests")


@hookimpl
def gxf_extensions():
    return TEST_EXTENSION
