"""PingTx publishes an empty message each tick; PingRx receives one each tick."""

from __future__ import annotations

import logging
import time

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std.clock import Clock
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter


class PingTx(Codelet, type_name="nvidia::gxf::PingTx", uuid="568ba758-1688-11ec-9621-0242ac130002"):
    """Publishes one empty message per tick.

    The message's acquisition time is read from ``clock`` when one is given, else it is 0. Each send is
    logged at INFO as ``Message Sent: <n>``, counting from 1 as GXF does.

    With ``trigger_interrupt_after_ms`` set, the graph's run is interrupted (as by ``Context.interrupt()``:
    ``Context.wait()`` raises SchedulerInterrupted; ``gxf run`` ends as "interrupted" and exits 0, as
    GXF's gxe does) once that many milliseconds have passed since
    ``start()``. The time is read from ``clock`` when one is given (so a ManualClock graph is
    deterministic), else from the monotonic wall clock; it is checked at each tick, after the tick's
    message is published, rather than by a separate timer thread, so a PingTx that is never ticked again
    never interrupts.
    """

    signal = Parameter(Handle(Transmitter), description="Where the messages go")
    clock = Parameter(Handle(Clock), optional=True, description="The clock that gives each message its "
                      "acquisition time")
    trigger_interrupt_after_ms = Parameter(int, optional=True, description="Interrupt the graph's run once "
                                           "this many milliseconds have passed since start")

    def initialize(self) -> None:
        self.count = 0
        after = self.trigger_interrupt_after_ms
        if after is not None and after < 0:
            raise ValueError(f"trigger_interrupt_after_ms is {after}: it must be 0 or more milliseconds")

    def _now_ns(self) -> int:
        clock = self.clock
        return clock.timestamp() if clock is not None else time.monotonic_ns()

    def start(self) -> None:
        self._log = self.logger.isEnabledFor(logging.INFO)
        after = self.trigger_interrupt_after_ms
        self._interrupt_at_ns = None if after is None else self._now_ns() + after * 1_000_000
        self._interrupted = False

    def tick(self) -> None:
        message = MessageEntity(self.context)
        clock = self.clock
        self.signal.publish(message, clock.timestamp() if clock is not None else 0)
        self.count += 1
        if self._log:
            self.logger.info("Message Sent: %d", self.count)
        due = self._interrupt_at_ns
        if due is not None and not self._interrupted and self._now_ns() >= due:
            self._interrupted = True
            self.logger.info("interrupting the graph: %d ms have passed since start",
                             self.trigger_interrupt_after_ms)
            self.context.interrupt()


class PingRx(Codelet, type_name="nvidia::gxf::PingRx", uuid="a7fc439a-1688-11ec-9621-0242ac130002"):
    """Takes one message per tick.

    Each tick must find a message: ticking without one fails the run (GXF's
    GXF_CONTRACT_MESSAGE_NOT_AVAILABLE). Each message is logged at INFO as ``Message Received: <n>``.
    """

    signal = Parameter(Handle(Receiver), description="Where the messages come from")

    def initialize(self) -> None:
        self.count = 0

    def start(self) -> None:
        self._log = self.logger.isEnabledFor(logging.INFO)

    def tick(self) -> None:
        message = self.signal.receive()
        if message is None:
            raise RuntimeError(f"no message available on '{self.signal.handle_text()}'")
        self.count += 1
        if self._log:
            self.logger.info("Message Received: %d", self.count)
