"""PingTx publishes an empty message each tick; PingRx receives one each tick."""

from __future__ import annotations

import logging

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std.clock import Clock
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter


class PingTx(Codelet, type_name="nvidia::gxf::PingTx", uuid="e9234c1a-d2de-4c2e-8f6c-8c1e5a0b3c71"):
    """Publishes an empty message on ``signal`` each tick."""

    signal = Parameter(Handle(Transmitter), description="Where the pings go")
    clock = Parameter(Handle(Clock), optional=True, description="Clock for the message's acquisition time")

    def tick(self) -> None:
        message = MessageEntity(self.context)
        clock = self.clock
        self.signal.publish(message, clock.timestamp() if clock is not None else None)


class PingRx(Codelet, type_name="nvidia::gxf::PingRx", uuid="c4b7ed9f-4c1a-4f02-9b0e-6e6b4e1f2f0a"):
    """Receives one message from ``signal`` each tick and logs it at INFO."""

    signal = Parameter(Handle(Receiver), description="Where the pings come from")

    def initialize(self) -> None:
        self.count = 0

    def start(self) -> None:
        self._log = self.logger.isEnabledFor(logging.INFO)

    def tick(self) -> None:
        message = self.signal.receive()
        if message is None:
            raise RuntimeError("ticked without a message to receive")
        self.count += 1
        if self._log:
            self.logger.info("message %d received", self.count)
