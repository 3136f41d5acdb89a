"""The basic scheduling terms: count, periodic, target time, boolean, message available, downstream receptive.

Terms with a run-time API (``BooleanSchedulingTerm.disable_tick()``,
``TargetTimeSchedulingTerm.set_next_target_time()``) may be called from any thread or component;
they tell the scheduler through ``notify_change()``. Find them from a codelet with
``BooleanSchedulingTerm.get(context, cid, "name")`` (or ``"entity/name"``).
"""

from __future__ import annotations

import enum

from gxf.core import Duration, GxfError, Handle, Parameter

from .clock import Clock
from .queue import Receiver, Transmitter
from .scheduling_condition import NEVER_NOW, READY_NOW, WAIT_NOW, WAIT_TIME
from .scheduling_term import (ARRIVAL, DEPARTURE, NOTHING, NOTIFIES, QueueWait, SchedulingTerm, Waits,
                              bad_parameter)


class CountSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::CountSchedulingTerm",
                          uuid="f89da2e4-fddf-4aa2-9a80-1119ba3fde05"):
    """Lets an entity execute a fixed number of times, then never again.

    READY until the entity has ticked ``count`` times, then NEVER.
    """

    count = Parameter(int, description="How many executions the term allows in total", minimum=0)

    def initialize(self) -> None:
        self._remaining = self.count
        self._last = 0

    def waits_on(self) -> Waits:
        return _EXHAUSTED_BY_TICK  # never says WAIT; a tick may use the count up

    def check(self, timestamp: int | None = None) -> tuple:
        return READY_NOW if self._remaining > 0 else NEVER_NOW

    def on_execute(self, timestamp: int) -> None:
        self._remaining -= 1
        self._last = timestamp

    def remaining(self) -> int:
        """How many more ticks the term permits."""
        return self._remaining


class PeriodicSchedulingPolicy(enum.IntEnum):
    """How a PeriodicSchedulingTerm handles ticks that came late (period 100 ms in the examples)."""

    CatchUpMissedTicks = 0    # ticks at 0, 250, 255 ms: the next targets are 100, 200, 300 ms
    MinTimeBetweenTicks = 1   # ticks at 0, 101, 350 ms: the next targets are 100, 201, 450 ms
    NoCatchUpMissedTicks = 2  # ticks at 0, 250, 305 ms: the next targets are 100, 300, 400 ms


class PeriodicSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::PeriodicSchedulingTerm",
                             uuid="d392c98a-9b08-49b4-a422-d5fe6cd72e3e"):
    """Lets an entity execute at a regular interval.

    READY on the first check, then WAIT_TIME until ``recess_period`` after the last tick (by
    ``policy``). The period is an integer in nanoseconds or a string with a unit: "10ms", "0.2s",
    "50Hz".
    """

    recess_period = Parameter(Duration, description="The interval between executions: nanoseconds, or a "
                              "number with a unit (10ms, 10000000, 0.2s, 50Hz)")
    policy = Parameter(PeriodicSchedulingPolicy, PeriodicSchedulingPolicy.CatchUpMissedTicks,
                       "What happens after a late execution: CatchUpMissedTicks (default), "
                       "MinTimeBetweenTicks, or NoCatchUpMissedTicks")

    def initialize(self) -> None:
        if self.recess_period < 0:
            raise bad_parameter(self, "recess_period", f"must not be negative, got {self.recess_period} ns")
        self._period = int(self.recess_period)
        self._next = None

    def waits_on(self) -> Waits:
        return NOTHING  # waits for a time only (WAIT_TIME)

    def recess_period_ns(self) -> int:
        """The recess period in nanoseconds."""
        return self._period

    def check(self, timestamp: int) -> tuple:
        target = self._next
        if target is None or timestamp >= target:
            return READY_NOW
        return (WAIT_TIME, target)

    def on_execute(self, timestamp: int) -> None:
        period = self._period
        target = self._next
        if target is None:
            self._next = timestamp + period
        elif self.policy == PeriodicSchedulingPolicy.CatchUpMissedTicks:
            self._next = target + period
        elif self.policy == PeriodicSchedulingPolicy.MinTimeBetweenTicks:
            self._next = timestamp + period
        elif period > 0:
            self._next = target + ((timestamp - target) // period + 1) * period
        else:
            self._next = timestamp

    def last_run_timestamp(self) -> int | None:
        """When the entity last ticked (as the term counts it), or None before the first tick."""
        return None if self._next is None else self._next - self._period


class TargetTimeSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::TargetTimeSchedulingTerm",
                               uuid="e4aaf5c3-2b10-4c9a-c463-ebf6084149bf"):
    """Lets an entity execute at a time that a codelet sets again after each execution.

    WAIT until ``set_next_target_time(ns)`` names a time on ``clock``; WAIT_TIME until then, READY
    after. Each tick consumes the target, so the entity waits again until the next one is set.
    Targets must not go backwards.
    """

    clock = Parameter(Handle(Clock), description="The clock the target times refer to")

    def waits_on(self) -> Waits:
        return NOTIFIES  # set_next_target_time() announces the new target

    def initialize(self) -> None:
        self._requested = None   # set by set_next_target_time, taken over at the next check
        self._locked = None      # the target the entity currently waits for
        self._last = 0           # when the last execution cycle began (the clock may start later)

    def set_next_target_time(self, target_timestamp: int) -> None:
        """Lets the entity tick once the clock reads ``target_timestamp`` (ns)."""
        locked = self._locked
        if locked is not None and locked > target_timestamp:
            raise GxfError(f"{self.describe_self()}: the next target time ({target_timestamp} ns) must be on "
                           f"or after the current target time ({locked} ns)", self.location,
                           "target times must not go backwards")
        self._requested = int(target_timestamp)
        self.notify_change()

    setNextTargetTime = set_next_target_time  # noqa: N815 - GXF's C++ name

    def check(self, timestamp: int) -> tuple:
        requested = self._requested
        if requested is not None:
            self._locked = requested
            self._requested = None
        locked = self._locked
        if locked is None:
            return WAIT_NOW
        return (WAIT_TIME, locked) if locked > timestamp else READY_NOW

    def on_execute(self, timestamp: int) -> None:
        self._last = self.clock.timestamp()
        self._locked = None

    def last_timestamp(self) -> int:
        """When the most recent execution cycle began (on ``clock``)."""
        return self._last


class BooleanSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::BooleanSchedulingTerm",
                            uuid="e07a0dc4-3908-4df8-8134-7ce38e60fbef"):
    """An on/off switch for an entity: while disabled, the entity does not execute.

    READY while ticking is enabled, NEVER once it is disabled (the entity is then stopped for good).
    ``enable_tick()`` / ``disable_tick()`` may be called from any component or thread.
    """

    enable_tick_ = Parameter(bool, True, "Whether the entity may execute when the run starts",
                             key="enable_tick")

    def waits_on(self) -> Waits:
        return NOTIFIES  # enable_tick() / disable_tick() announce the change

    def enable_tick(self) -> None:
        """Lets the entity tick."""
        self.enable_tick_ = True
        self.notify_change()

    def disable_tick(self) -> None:
        """Stops the entity from ticking again (its condition becomes NEVER)."""
        self.enable_tick_ = False
        self.notify_change()

    def check_tick_enabled(self) -> bool:
        """True while the entity may tick (GXF's ``checkTickEnabled``)."""
        return self.enable_tick_

    # The names of GXF's Python bindings.
    make_enable_tick = enable_tick
    make_disable_tick = disable_tick
    check_tick_enable = check_tick_enabled
    checkTickEnabled = check_tick_enabled  # noqa: N815 - GXF's C++ name

    def check(self, timestamp: int) -> tuple:
        return READY_NOW if self.enable_tick_ else NEVER_NOW


class MessageAvailableSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::MessageAvailableSchedulingTerm",
                                     uuid="fe799e65-f78b-48eb-beb6-e73083a12d5b"):
    """Lets an entity execute once one of its receivers holds enough messages.

    READY while ``receiver`` holds at least ``min_size`` messages (arrived and receivable together)
    and, if ``front_stage_max_size`` is set, at most that many receivable ones; WAIT otherwise.
    """

    receiver = Parameter(Handle(Receiver), description="The receiver whose messages are counted")
    min_size = Parameter(int, 1, "Messages the receiver must hold before the entity may execute", minimum=0)
    front_stage_max_size = Parameter(int, optional=True, description="When set, the entity also waits while "
                                     "more than this many messages sit in the receiver's front stage",
                                     minimum=0)

    def preflight(self) -> None:
        """A ``min_size`` above what the receiver can ever hold would keep the entity from executing."""
        most = self.receiver.most_available()
        if most is not None and self.min_size > most:
            raise bad_parameter(
                self, "min_size", f"is {self.min_size}, but receiver '{self.receiver.handle_text()}' holds "
                f"at most {most} messages (both stages full): the entity would never execute",
                "lower 'min_size' or raise the receiver's 'capacity'")

    def waits_on(self) -> Waits:
        receiver = self.receiver
        if self.front_stage_max_size is not None:  # also waits on the front stage, which only ticks empty
            return Waits((QueueWait(receiver, ARRIVAL),))
        return Waits((QueueWait(receiver, ARRIVAL, receiver.available, self.min_size),))

    def check(self, timestamp: int) -> tuple:
        receiver = self.receiver
        if receiver.available() < self.min_size:
            return WAIT_NOW
        limit = self.front_stage_max_size
        if limit is not None and receiver.size() > limit:
            return WAIT_NOW
        return READY_NOW


class DownstreamReceptiveSchedulingTerm(SchedulingTerm,
                                        type_name="nvidia::gxf::DownstreamReceptiveSchedulingTerm",
                                        uuid="9de75119-8d0f-4819-9a71-2aeaefd23f71"):
    """Holds an entity back while the receivers downstream of one of its transmitters have no room.

    READY while every receiver connected to ``transmitter`` has at least ``min_size`` free slots in
    its back stage; WAIT otherwise; NEVER (with a warning) when nothing is connected.
    """

    transmitter = Parameter(Handle(Transmitter), description="The transmitter whose connected receivers "
                            "must have room for a new message")
    min_size = Parameter(int, 1, "Free places each connected receiver's back stage must have before the "
                         "entity may execute", minimum=0)

    def initialize(self) -> None:
        self._warned = False

    def waits_on(self) -> Waits:
        need = self.min_size
        return Waits(tuple(QueueWait(receiver, DEPARTURE, receiver.room, need)
                           for receiver in self.transmitter.receivers()))

    def check(self, timestamp: int) -> tuple:
        targets = self.transmitter.routes
        if not targets:
            if not self._warned:
                self._warned = True
                self.logger.warning("no receiver is connected to transmitter '%s': the entity will never "
                                    "tick",
                                    self.transmitter.handle_text())
            return NEVER_NOW
        need = self.min_size
        for receiver in targets:
            if receiver.room() < need:
                return WAIT_NOW
        return READY_NOW


_EXHAUSTED_BY_TICK = Waits(exhausted_by_tick=True)
