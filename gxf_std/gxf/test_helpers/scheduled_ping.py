"""Pings on a schedule set by the codelet itself: ScheduledPingTx, and TestTimestampTx / TestTimestampRx
which check that acquisition and publication times advance by exactly the delay."""

from __future__ import annotations

import logging

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std.clock import Clock
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter
from gxf.std.scheduling_terms import TargetTimeSchedulingTerm
from gxf.std.timestamp import Timestamp

from .checks import CheckFailed
from .fixed_types import INT64


class ScheduledPingTx(Codelet, type_name="nvidia::gxf::test::ScheduledPingTx",
                      uuid="8b2e8b0f-0236-4d5f-3e57-2048949a43ef"):
    """Publishes a timestamped message every ``delay`` ns, driven by a TargetTimeSchedulingTerm.

    Ticks first when started, then every ``delay`` ns of ``execution_clock``, by setting the next target
    time of its TargetTimeSchedulingTerm ``scheduling_term``. Each message carries a Timestamp
    ``timestamp`` whose acqtime and pubtime are the next target time (plus ``offset_clock``'s time
    when one is given).
    """

    delay = Parameter(INT64, description="Time between pings in ns")
    execution_clock = Parameter(Handle(Clock), description="The clock the schedule is kept on")
    signal = Parameter(Handle(Transmitter), description="Where the pings go")
    scheduling_term = Parameter(Handle(TargetTimeSchedulingTerm), description="The term the next ping "
                                "time is set on")
    offset_clock = Parameter(Handle(Clock), optional=True, description="A clock whose time is added to the "
                             "timestamps")

    def initialize(self) -> None:
        if self.delay < 0:
            raise ValueError(f"delay must not be negative, got {self.delay}")

    def start(self) -> None:
        self.scheduling_term.set_next_target_time(self.execution_clock.timestamp())
        self._debug = self.logger.isEnabledFor(logging.DEBUG)

    def tick(self) -> None:
        target = self.execution_clock.timestamp() + self.delay
        self.scheduling_term.set_next_target_time(target)
        message = MessageEntity(self.context)
        stamp = message.add(Timestamp, "timestamp")
        offset = self.offset_clock.timestamp() if self.offset_clock is not None else 0
        stamp.acqtime = stamp.pubtime = offset + target
        self.signal.publish(message)
        if self._debug:
            self.logger.debug("message sent")


class TestTimestampTx(Codelet, type_name="nvidia::gxf::test::TestTimestampTx",
                      uuid="4f7b92fc-fb4d-1096-eebf-2cf958e74c45"):
    """Sends messages at a fixed interval so that a TestTimestampRx can check their times.

    Ticks first when started, then every ``delay`` ns of ``execution_clock`` (through the
    TargetTimeSchedulingTerm ``scheduling_term``), publishing a message whose acquisition time is the
    clock's time; the transmitter stamps the publication time. ``offset_clock`` is accepted and
    unused, as in GXF.
    """

    __test__ = False  # not a pytest test class

    delay = Parameter(INT64, description="Time between messages in ns")
    execution_clock = Parameter(Handle(Clock), description="The clock the schedule is kept on")
    signal = Parameter(Handle(Transmitter), description="Where the messages go")
    scheduling_term = Parameter(Handle(TargetTimeSchedulingTerm),
                                description="The term the next time is set on")
    offset_clock = Parameter(Handle(Clock), optional=True, description="Unused")

    def start(self) -> None:
        self.scheduling_term.set_next_target_time(self.execution_clock.timestamp())

    def tick(self) -> None:
        now = self.execution_clock.timestamp()
        self.scheduling_term.set_next_target_time(now + self.delay)
        self.signal.publish(MessageEntity(self.context), now)


class TestTimestampRx(Codelet, type_name="nvidia::gxf::test::TestTimestampRx",
                      uuid="a0204781-cabf-69d7-5615-3ac8398984ca"):
    """Checks that consecutive messages are published and acquired exactly ``delay`` ns apart.

    Each tick receives a message with a Timestamp; from the second message on, its pubtime and acqtime
    must each be exactly ``delay`` ns after those of the previous message, or the run fails.
    """

    __test__ = False  # not a pytest test class

    signal = Parameter(Handle(Receiver), description="Where the messages come from")
    delay = Parameter(INT64, description="Expected time between messages in ns")

    def initialize(self) -> None:
        self.last_pubtime = None
        self.last_acqtime = None
        self.checked = 0

    def tick(self) -> None:
        message = self.signal.receive()
        if message is None:
            raise CheckFailed(f"no message available on '{self.signal.handle_text()}'")
        stamp = message.get(Timestamp)
        if stamp is None:
            raise CheckFailed("the message has no Timestamp")
        if self.last_pubtime is not None:
            if stamp.pubtime != self.last_pubtime + self.delay:
                raise CheckFailed(f"pubtime {stamp.pubtime} is not {self.delay} ns after the previous "
                                  f"{self.last_pubtime}")
            if stamp.acqtime != self.last_acqtime + self.delay:
                raise CheckFailed(f"acqtime {stamp.acqtime} is not {self.delay} ns after the previous "
                                  f"{self.last_acqtime}")
            self.checked += 1
        self.last_pubtime, self.last_acqtime = stamp.pubtime, stamp.acqtime
