"""The basic scheduling terms: count, periodic, message available, downstream receptive."""

from __future__ import annotations

import enum

from gxf.core import Duration, Handle, Parameter

from .queue import Receiver, Transmitter
from .scheduling_condition import NEVER, READY, WAIT, WAIT_TIME
from .scheduling_term import SchedulingTerm


class CountSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::CountSchedulingTerm",
                          uuid="f89da2e4-fddf-4aa2-9a80-1119ba3fde05"):
    """Lets the entity tick ``count`` times, then never again."""

    count = Parameter(int, description="The total number of times the entity may tick")

    def initialize(self) -> None:
        if self.count < 0:
            raise ValueError(f"count must not be negative, got {self.count}")
        self._remaining = self.count
        self._last = 0

    def check(self, timestamp: int) -> tuple:
        if self._remaining <= 0:
            return (NEVER, self._last)
        return (READY, self._last)

    def on_execute(self, timestamp: int) -> None:
        self._remaining -= 1
        self._last = timestamp

    def remaining(self) -> int:
        return self._remaining


class PeriodicSchedulingPolicy(enum.IntEnum):
    """How missed periods are handled."""

    CatchUpMissedTicks = 0
    MinTimeBetweenTicks = 1
    NoCatchUpMissedTicks = 2


class PeriodicSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::PeriodicSchedulingTerm",
                             uuid="d392c98a-9b08-49b4-a422-d5fe6cd72e3e"):
    """Lets the entity tick at most once per ``recess_period``."""

    recess_period = Parameter(Duration, description="Minimum time between ticks: nanoseconds, or a "
                              "string with a unit ('10ms', '0.2s', '50Hz')")
    policy = Parameter(PeriodicSchedulingPolicy, PeriodicSchedulingPolicy.CatchUpMissedTicks,
                       "CatchUpMissedTicks, MinTimeBetweenTicks or NoCatchUpMissedTicks")

    def initialize(self) -> None:
        if self.recess_period <= 0:
            raise ValueError("recess_period must be positive")
        self._next = None

    def recess_period_ns(self) -> int:
        return int(self.recess_period)

    def check(self, timestamp: int) -> tuple:
        target = self._next
        if target is None:
            return (READY, timestamp)
        return (READY, target) if timestamp >= target else (WAIT_TIME, target)

    def on_execute(self, timestamp: int) -> None:
        period = int(self.recess_period)
        target = self._next
        if target is None:
            self._next = timestamp + period
        elif self.policy == PeriodicSchedulingPolicy.CatchUpMissedTicks:
            self._next = target + period
        elif self.policy == PeriodicSchedulingPolicy.MinTimeBetweenTicks:
            self._next = timestamp + period
        else:
            self._next = target + ((timestamp - target) // period + 1) * period

    def last_run_timestamp(self) -> int | None:
        return None if self._next is None else self._next - int(self.recess_period)


class MessageAvailableSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::MessageAvailableSchedulingTerm",
                                     uuid="fe799e65-f78b-48eb-beb6-e73083a12d5b"):
    """Lets the entity tick when ``receiver`` holds at least ``min_size`` messages."""

    receiver = Parameter(Handle(Receiver), description="The receiver to watch")
    min_size = Parameter(int, 1, "Minimum number of messages (arrived and staged) needed to tick")
    front_stage_max_size = Parameter(int, optional=True, description="If set, tick only while the main "
                                     "stage holds at most this many messages")

    def check(self, timestamp: int) -> tuple:
        receiver = self.receiver
        if receiver.size() + receiver.back_size() < self.min_size:
            return (WAIT, timestamp)
        limit = self.front_stage_max_size
        if limit is not None and receiver.size() > limit:
            return (WAIT, timestamp)
        return (READY, timestamp)


class DownstreamReceptiveSchedulingTerm(SchedulingTerm,
                                        type_name="nvidia::gxf::DownstreamReceptiveSchedulingTerm",
                                        uuid="9de75119-8d0f-4819-9a71-2aeaefd23f71"):
    """Lets the entity tick only while every receiver connected to ``transmitter`` has room."""

    transmitter = Parameter(Handle(Transmitter), description="The transmitter whose receivers must have room")
    min_size = Parameter(int, 1, "Free slots each connected receiver must have")

    def initialize(self) -> None:
        self._warned = False

    def check(self, timestamp: int) -> tuple:
        targets = self.transmitter._targets
        if not targets:
            if not self._warned:
                self._warned = True
                self.logger.warning("transmitter '%s' is not connected: the entity will never tick",
                                    self.transmitter.handle_text())
            return (NEVER, timestamp)
        need = self.min_size
        for receiver in targets:
            if receiver.back_size() + need > receiver.capacity() - receiver.size():
                return (WAIT, timestamp)
        return (READY, timestamp)
