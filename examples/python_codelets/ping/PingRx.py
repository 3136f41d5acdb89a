"""PingRx: receives one message per tick and checks in stop() that the expected number arrived."""

import logging

from gxf.python_codelet import CodeletAdapter


class PingRx(CodeletAdapter):
    """Counts the messages of its first declared receiver; ``expected`` (codelet_params) is checked on stop."""

    rxs = ["signal"]  # with ComputeEntity.add_codelet: a receiver "signal" is created for it

    def start(self):
        self.receiver = self.get_receivers()[0]
        self.expected = self.get_params().get("expected")
        self.received = 0
        self.log = logging.getLogger("gxf.examples.ping")
        self.log_each = self.log.isEnabledFor(logging.INFO)  # decided once, not per message

    def tick(self):
        message = self.receiver.receive()
        if message is None:
            raise RuntimeError("ticked without a message")
        self.received += 1
        if self.log_each:
            self.log.info("%s: message %d received", self.name(), self.received)

    def stop(self):
        if self.expected is not None and self.received != self.expected:
            raise RuntimeError(f"expected {self.expected} messages, received {self.received}")
