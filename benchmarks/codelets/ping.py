"""Python codelets for the ping benchmark, written the way GXF's Python codelets are.

Used through nvidia::gxf::PyCodeletV0 with ``codelet_file`` pointing here and ``codelet_name`` PingTx or
PingRx; their ports are named in ``codelet_params``.
"""

from gxf.core import MessageEntity
from gxf.python_codelet import CodeletAdapter
from gxf.std import Receiver, Transmitter


class PingTx(CodeletAdapter):
    """Publishes an empty message on the transmitter named by ``transmitter`` each tick."""

    def start(self):
        self.params = self.get_params()
        self.tx = Transmitter.get(self.context(), self.cid(), self.params["transmitter"])

    def tick(self):
        self.tx.publish(MessageEntity(self.context()))

    def stop(self):
        pass


class PingRx(CodeletAdapter):
    """Receives one message from the receiver named by ``receiver`` each tick.

    With ``expected_count`` set, stop() fails unless exactly that many messages arrived.
    """

    def start(self):
        self.params = self.get_params()
        self.rx = Receiver.get(self.context(), self.cid(), self.params["receiver"])
        self.expected = self.params.get("expected_count")
        self.count = 0

    def tick(self):
        if self.rx.receive() is None:
            raise RuntimeError("ticked without a message to receive")
        self.count += 1

    def stop(self):
        if self.expected is not None and self.count != self.expected:
            raise RuntimeError(f"received {self.count} messages, expected {self.expected}")
