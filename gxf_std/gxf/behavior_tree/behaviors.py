"""GXF's seven behaviors: Sequence, Selector, Parallel, Repeat, Switch, Timer and Constant.

Each is a codelet of a behavior-tree node (see ``behavior.py``); the composites start their children
through the children's BTSchedulingTerms and read the children's behavior statuses. A child that is
INIT or RUNNING has not ended its run yet: the parent keeps waiting.
"""

from __future__ import annotations

from gxf.core import Handle, Parameter
from gxf.std.clock import Clock
from gxf.std.scheduling_condition import NEVER
from gxf.std.scheduling_term import bad_parameter

from .behavior import FAILURE, RUNNING, SUCCESS, Behavior, CompositeBehavior


class SequenceBehavior(CompositeBehavior, type_name="nvidia::gxf::SequenceBehavior",
                       uuid="9e610c81-e307-4654-8d73-c3405050cea7"):
    """Runs its children one after the other: SUCCESS when all succeeded, FAILURE at the first that
    fails (the rest never start). No children: SUCCESS."""

    def begin(self):
        self._current = 0
        if not self.children:
            return SUCCESS
        self.children[0].start_node()
        return RUNNING

    def step(self):
        status = self.status_of(self._current)
        if status is SUCCESS:
            self._current += 1
            if self._current >= len(self.children):
                return SUCCESS
            self.children[self._current].start_node()
            return RUNNING
        if status is FAILURE:
            return FAILURE
        return RUNNING


class SelectorBehavior(CompositeBehavior, type_name="nvidia::gxf::SelectorBehavior",
                       uuid="1f5efe97-68a5-4a91-8990-37c0a222646f"):
    """Tries its children one after the other: SUCCESS at the first that succeeds (the rest never
    start), FAILURE when all failed. No children: FAILURE."""

    def begin(self):
        self._current = 0
        if not self.children:
            return FAILURE
        self.children[0].start_node()
        return RUNNING

    def step(self):
        status = self.status_of(self._current)
        if status is SUCCESS:
            return SUCCESS
        if status is FAILURE:
            self._current += 1
            if self._current >= len(self.children):
                return FAILURE
            self.children[self._current].start_node()
        return RUNNING


class ParallelBehavior(CompositeBehavior, type_name="nvidia::gxf::ParallelBehavior",
                       uuid="dc48e75e-5c76-48a1-b22b-c2b81d83a7b6"):
    """Starts all its children at once: SUCCESS once ``success_threshold`` of them succeeded, else
    FAILURE once ``failure_threshold`` failed (-1: all of them); the children still running are then
    stopped. No children: SUCCESS."""

    success_threshold = Parameter(int, description="How many children must succeed for SUCCESS (-1: all)")
    failure_threshold = Parameter(int, description="How many children must fail for FAILURE (-1: all)")

    def initialize(self) -> None:
        super().initialize()
        for key in ("success_threshold", "failure_threshold"):
            if getattr(self, key) < -1:
                raise bad_parameter(self, key, f"must be -1 (all children) or a count, got {getattr(self, key)}")

    def begin(self):
        if not self.children:
            return SUCCESS
        for child in self.children:
            child.start_node()
        return RUNNING

    def step(self):
        statuses = [child.behavior_status for child in self.children]
        count = len(statuses)
        successes = statuses.count(SUCCESS)
        failures = statuses.count(FAILURE)
        if _reached(successes, self.success_threshold, count):
            return SUCCESS
        if _reached(failures, self.failure_threshold, count):
            return FAILURE
        return RUNNING


def _reached(number: int, threshold: int, count: int) -> bool:
    return number == count if threshold == -1 else number >= threshold


class RepeatBehavior(CompositeBehavior, type_name="nvidia::gxf::RepeatBehavior",
                     uuid="9d035af9-a33e-447c-a6dd-c67b1d8ce687"):
    """Runs its one child again and again: after each success, and after a failure too when
    ``repeat_after_failure``; otherwise the child's failure is its own FAILURE. It never succeeds."""

    repeat_after_failure = Parameter(bool, False, "Start the child again after it failed as well")

    def initialize(self) -> None:
        super().initialize()
        if len(self.children) != 1:
            raise bad_parameter(self, "children", f"a RepeatBehavior has exactly one child, got "
                                f"{len(self.children)}")

    def begin(self):
        self.children[0].start_node()
        return RUNNING

    def step(self):
        child = self.children[0]
        status = child.behavior_status
        if status is SUCCESS or (status is FAILURE and self.repeat_after_failure):
            child.start_node()
            return RUNNING
        if status is FAILURE:
            return FAILURE
        return RUNNING


class SwitchBehavior(CompositeBehavior, type_name="nvidia::gxf::SwitchBehavior",
                     uuid="fbaafbf2-644c-4f49-a398-463215f54474"):
    """Runs the one child ``desired_behavior`` picks and ends as it does. No children: SUCCESS."""

    desired_behavior = Parameter(int, description="The index (from 0) in children of the child to run")

    def initialize(self) -> None:
        super().initialize()
        if self.children and not 0 <= self.desired_behavior < len(self.children):
            raise bad_parameter(self, "desired_behavior", f"{self.desired_behavior} is not the index of one "
                                f"of the {len(self.children)} children (0 to {len(self.children) - 1})")

    def begin(self):
        if not self.children:
            return SUCCESS
        self.children[self.desired_behavior].start_node()
        return RUNNING

    def step(self):
        status = self.status_of(self.desired_behavior)
        if status is SUCCESS or status is FAILURE:
            return status
        return RUNNING


TIMER_SUCCESS, TIMER_FAILURE, TIMER_RUNNING = 0, 1, 2


class TimerBehavior(Behavior, type_name="nvidia::gxf::TimerBehavior", uuid="23cc5585-7708-4b93-8379-8b46c3ab56d5"):
    """Stays RUNNING for ``delay`` seconds of ``clock`` time after it starts, then switches to
    ``switch_status``: 0 SUCCESS, 1 FAILURE, 2 RUNNING (another ``delay`` begins). It waits for the
    time without ticking."""

    clock = Parameter(Handle(Clock), description="The clock the delay is measured on")
    delay = Parameter(float, description="Seconds after which the status switches")
    switch_status = Parameter(int, description="The status to switch to: 0 SUCCESS, 1 FAILURE, 2 RUNNING")

    def initialize(self) -> None:
        super().initialize()
        if self.switch_status not in (TIMER_SUCCESS, TIMER_FAILURE, TIMER_RUNNING):
            raise bad_parameter(self, "switch_status", f"must be 0 (SUCCESS), 1 (FAILURE) or 2 (RUNNING), got "
                                f"{self.switch_status}")
        if self.delay < 0:
            raise bad_parameter(self, "delay", f"must not be negative, got {self.delay}")

    def tick(self):
        now = self.clock.timestamp()
        term = self.s_term
        delay_ns = int(round(self.delay * 1e9))
        if self.is_first_tick():
            self._since = now
        if now - self._since < delay_ns:
            term.wait_until(self._since + delay_ns)
            return RUNNING
        self._since = now
        if self.switch_status == TIMER_SUCCESS:
            term.set_condition(NEVER)
            return SUCCESS
        if self.switch_status == TIMER_FAILURE:
            return FAILURE
        term.wait_until(now + delay_ns)
        return RUNNING


CONSTANT_SUCCESS, CONSTANT_FAILURE = 0, 1


class ConstantBehavior(Behavior, type_name="nvidia::gxf::ConstantBehavior",
                       uuid="11ae05e5-75a5-4246-8a04-ef37d45419ab"):
    """Ends every run with ``constant_status``: 0 SUCCESS, 1 FAILURE."""

    constant_status = Parameter(int, description="The status of every tick: 0 SUCCESS, 1 FAILURE")

    def initialize(self) -> None:
        super().initialize()
        if self.constant_status not in (CONSTANT_SUCCESS, CONSTANT_FAILURE):
            raise bad_parameter(self, "constant_status", f"must be 0 (SUCCESS) or 1 (FAILURE), got "
                                f"{self.constant_status}")

    def step(self):
        return SUCCESS if self.constant_status == CONSTANT_SUCCESS else FAILURE
