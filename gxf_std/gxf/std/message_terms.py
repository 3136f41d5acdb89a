"""Scheduling terms over several receivers or over message age: multi-message, expiring, throttler."""

from __future__ import annotations

import enum

from gxf.core import Duration, ExecutionError, Handle, Parameter

from .clock import Clock
from .queue import Receiver
from .scheduling_condition import READY_NOW, WAIT_NOW, WAIT_TIME
from .scheduling_term import ARRIVAL, QueueWait, SchedulingTerm, Waits, bad_parameter
from .timestamp import Timestamp


class SamplingMode(enum.IntEnum):
    """How message counts over several receivers are judged."""

    SumOfAll = 0     # the minimum is for the sum of the messages of all receivers
    PerReceiver = 1  # each receiver has its own minimum


def _check_thresholds(term, min_sum: int | None, min_sizes: list | None) -> tuple:
    """Validates min_sum / min_sizes for the sampling mode; returns (min_sum, ((receiver, min), ...))."""
    if term.sampling_mode == SamplingMode.SumOfAll:
        if min_sum is None:
            raise bad_parameter(term, "min_sum", "must be set when sampling_mode is SumOfAll",
                                "set 'min_sum', or use sampling_mode: PerReceiver with 'min_sizes'")
        if min_sum < 0:
            raise bad_parameter(term, "min_sum", f"must not be negative, got {min_sum}")
    else:
        if min_sizes is None:
            raise bad_parameter(term, "min_sizes", "must be set when sampling_mode is PerReceiver",
                                "give one minimum per receiver, e.g. min_sizes: [1, 1]")
        if len(min_sizes) != len(term.receivers):
            raise bad_parameter(term, "min_sizes", f"has {len(min_sizes)} entries for {len(term.receivers)} "
                                "receivers", "give exactly one minimum per receiver")
        if any(size < 0 for size in min_sizes):
            raise bad_parameter(term, "min_sizes", f"must not hold negative sizes, got {min_sizes}")
    return min_sum, tuple(zip(term.receivers, min_sizes, strict=True)) if min_sizes is not None else ()


def _arrivals(term) -> Waits:
    """Messages arriving in any of ``term.receivers`` may end its wait."""
    return Waits(tuple(QueueWait(receiver, ARRIVAL) for receiver in term.receivers))


def _enough_messages(term) -> bool:
    if term.sampling_mode == SamplingMode.SumOfAll:
        count = 0
        for receiver in term.receivers:
            count += receiver.size() + receiver.back_size()
        return count >= term._min_sum
    for receiver, minimum in term._min_sizes:
        if receiver.size() + receiver.back_size() < minimum:
            return False
    return True


class MultiMessageAvailableSchedulingTerm(SchedulingTerm,
                                          type_name="nvidia::gxf::MultiMessageAvailableSchedulingTerm",
                                          uuid="f15dbeaa-afd6-47a6-9ffc-7afd7e1b4c52"):
    """Lets an entity run once several receivers hold enough messages, in total or each on its own.

    SumOfAll: READY when all ``receivers`` together hold ``min_sum`` messages. PerReceiver: READY when
    each receiver holds its entry of ``min_sizes``. WAIT otherwise. ``min_size`` is the deprecated
    name of ``min_sum``.
    """

    receivers = Parameter(list[Handle(Receiver)], description="The receivers whose messages are counted")
    min_size = Parameter(int, optional=True, description="Deprecated: use min_sum with the SumOfAll sampling "
                         "mode. The minimum number of messages all receivers together must hold.")
    min_sizes = Parameter(list[int], optional=True, description="PerReceiver mode: the messages each "
                          "receiver must hold, one number per receiver in the same order")
    min_sum = Parameter(int, optional=True, description="SumOfAll mode: the messages all receivers must hold "
                        "together")
    sampling_mode = Parameter(SamplingMode, SamplingMode.SumOfAll, "How messages are counted: SumOfAll "
                              "(one total) or PerReceiver (a minimum for each receiver)")

    def initialize(self) -> None:
        min_sum = self.min_sum
        if self.min_size is not None:
            self.logger.warning("'min_size' is deprecated: use 'min_sum' with the SumOfAll sampling mode")
            if min_sum is None:
                min_sum = self.min_size
        if min_sum is None and self.sampling_mode == SamplingMode.SumOfAll:
            min_sum = 1  # GXF's effective default (min_size defaults to 1)
        self._min_sum, self._min_sizes = _check_thresholds(self, min_sum, self.min_sizes)

    waits_on = _arrivals

    def check(self, timestamp: int) -> tuple:
        return READY_NOW if _enough_messages(self) else WAIT_NOW


class ExpiringMessageAvailableSchedulingTerm(SchedulingTerm,
                                             type_name="nvidia::gxf::ExpiringMessageAvailableSchedulingTerm",
                                             uuid="eb22280c-76ff-11eb-b341-cf6b417c95c9"):
    """Lets an entity run when a full batch of messages is there, or when the first one has waited too long.

    READY when ``receiver`` holds ``max_batch_size`` messages, or when its oldest message was
    acquired (Timestamp ``acqtime``) at least ``max_delay_ns`` ago; WAIT_TIME until that moment while
    some messages wait; WAIT when the queue is empty.
    """

    max_batch_size = Parameter(int, description="Messages that make a full batch")
    max_delay_ns = Parameter(Duration, description="How long after the oldest message arrived the "
                             "entity runs even with a partial batch (nanoseconds, or a number with a unit "
                             "like 10ms).")
    receiver = Parameter(Handle(Receiver), description="The receiver whose messages are counted")
    clock = Parameter(Handle(Clock), description="The clock the waiting time is measured on")

    def preflight(self) -> None:
        if self.max_batch_size < 1:
            raise bad_parameter(self, "max_batch_size", f"must be at least 1, got {self.max_batch_size}")
        if self.max_delay_ns < 0:
            raise bad_parameter(self, "max_delay_ns", f"must not be negative, got {self.max_delay_ns}")

    def initialize(self) -> None:
        self._delay = int(self.max_delay_ns)

    def waits_on(self) -> Waits:
        return Waits((QueueWait(self.receiver, ARRIVAL),))  # and the oldest message's age (WAIT_TIME)

    def check(self, timestamp: int) -> tuple:
        receiver = self.receiver
        size = receiver.size()
        total = size + receiver.back_size()
        if total <= 0:
            return WAIT_NOW
        if total >= self.max_batch_size:
            return READY_NOW
        oldest = receiver.peek(0) if size else receiver.peek_back(0)
        if oldest is None:
            return WAIT_NOW
        expiring = _acqtime(self, oldest) + self._delay
        return READY_NOW if expiring <= timestamp else (WAIT_TIME, expiring)


def _acqtime(term, message) -> int:
    for component in message.components:
        if isinstance(component, Timestamp):
            return component.acqtime
    raise ExecutionError(f"{term.describe_self()}: a message in '{term.receiver.handle_text()}' carries no "
                         "Timestamp, so its age is unknown", term.location,
                         "publish messages through a transmitter (it adds the Timestamp)")


class MessageAvailableFrequencyThrottler(SchedulingTerm,
                                         type_name="nvidia::gxf::MessageAvailableFrequencyThrottler",
                                         uuid="5ae1d56c-a196-11ed-8759-ef34a33d45a6"):
    """Lets an entity run at a fixed rate, or earlier once its receivers hold enough messages.

    READY once a period of ``execution_frequency`` has passed since the last tick (before the first
    tick: once the clock reads one period), or sooner when the receivers hold enough messages
    (``min_sum`` / ``min_sizes`` by ``sampling_mode``). Otherwise WAIT_TIME until the period is
    over, so that event-driven schedulers wake the entity on time without polling (GXF reports WAIT).
    """

    execution_frequency = Parameter(Duration, description="How often the entity runs at least, as a rate "
                                    "('100Hz') or a period ('10ms', '0.2s', nanoseconds)")
    receivers = Parameter(list[Handle(Receiver)], description="The receivers whose messages are counted")
    min_sum = Parameter(int, optional=True, description="SumOfAll mode: the messages all receivers must hold "
                        "together to run early")
    min_sizes = Parameter(list[int], optional=True, description="PerReceiver mode: the messages each "
                          "receiver must hold to run early, one number per receiver in the same order")
    sampling_mode = Parameter(SamplingMode, SamplingMode.SumOfAll, "How messages are counted: SumOfAll "
                              "(one total) or PerReceiver (a minimum for each receiver)")

    def initialize(self) -> None:
        if self.execution_frequency <= 0:
            raise bad_parameter(self, "execution_frequency", "must be a positive frequency or period, got "
                                f"{self.execution_frequency}", "write e.g. '100Hz' or '10ms'")
        self._period = int(self.execution_frequency)
        self._last_run = None
        self._min_sum, self._min_sizes = _check_thresholds(self, self.min_sum, self.min_sizes)

    waits_on = _arrivals  # and the period (WAIT_TIME)

    def check(self, timestamp: int) -> tuple:
        last = self._last_run
        target = self._period if last is None else last + self._period
        if target <= timestamp or _enough_messages(self):
            return READY_NOW
        return (WAIT_TIME, target)

    def on_execute(self, timestamp: int) -> None:
        self._last_run = timestamp
