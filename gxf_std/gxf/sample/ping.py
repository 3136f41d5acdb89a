"""PingTx publishes an empty message each tick; PingRx receives one each tick."""

from __future__ import annotations

import logging

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std.clock import Clock
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter


class PingTx(Codelet, type_name="nvidia::gxf::PingTx", uuid="568ba758-1688-11ec-9621-0242ac130002"):
    """Publishes one empty message per tick.

    The message's acquisition time is read from ``clock`` when one is given, else it is 0. Each send is
    logged at INFO as ``Message Sent: <n>``, counting from 1 as GXF does.
    """

    signal = Parameter(Handle(Transmitter), description="Where the messages go")
    clock = Parameter(Handle(Clock), optional=True, description="The clock that gives each message its "
                      "acquisition time")

    def initialize(self) -> None:
        self.count = 0

    def start(self) -> None:
        self._log = self.logger.isEnabledFor(logging.INFO)

    def tick(self) -> None:
        message = MessageEntity(self.context)
        clock = self.clock
        self.signal.publish(message, clock.timestamp() if clock is not None else 0)
        self.count += 1
        if self._log:
            self.logger.info("Message Sent: %d", self.count)


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
