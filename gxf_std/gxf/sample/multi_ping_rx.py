"""MultiPingRx: receives from whichever of several receivers hold a message."""

from __future__ import annotations

import logging

from gxf.core import Handle, Parameter
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver


class MultiPingRx(Codelet, type_name="nvidia::gxf::MultiPingRx", uuid="d7a53484-a1a7-11ed-b686-138d2bc637ee"):
    """Takes a message from each of several receivers that has one.

    Each tick takes one message from every receiver in ``receivers`` that holds one (receivers without a
    message are skipped) and logs ``Message Received at [<receiver>]`` at INFO. Schedule it with one
    MessageAvailableSchedulingTerm per receiver, or a MultiMessageAvailableSchedulingTerm.
    """

    receivers = Parameter(list[Handle(Receiver)], description="The receivers to take messages from")

    def initialize(self) -> None:
        self.received = {receiver.handle_text(): 0 for receiver in self.receivers}

    def start(self) -> None:
        self._log = self.logger.isEnabledFor(logging.INFO)

    def tick(self) -> None:
        for receiver in self.receivers:
            if receiver.size():
                if receiver.receive() is None:
                    raise RuntimeError(f"receiver '{receiver.handle_text()}' reported a message but "
                                       "none could be received")
                self.received[receiver.handle_text()] += 1
                if self._log:
                    self.logger.info("Message Received at [%s]", receiver.name)
