"""PingTx: publishes one message per tick on the first of its declared transmitters."""

from gxf.core import MessageEntity
from gxf.python_codelet import CodeletAdapter


class PingTx(CodeletAdapter):
    """Each tick: a new message, stamped with the clock time as its acquisition time."""

    txs = ["signal"]  # with ComputeEntity.add_codelet: a transmitter "signal" is created for it

    def start(self):
        transmitters = self.get_transmitters()
        if not transmitters:
            raise ValueError("PingTx needs a transmitter: set 'transmitters: [name]' on its PyCodeletV0")
        self.transmitter = transmitters[0]
        self.clock = self.get_clock()
        self.sent = 0

    def tick(self):
        message = MessageEntity(self.context())
        acqtime = self.clock.timestamp() if self.clock is not None else self.get_execution_timestamp()
        self.transmitter.publish(message, acqtime)
        self.sent += 1
