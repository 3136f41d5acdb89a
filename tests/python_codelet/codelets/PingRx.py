"""A ping receiver written exactly as GXF's Python codelets are."""
from gxf.python_codelet import CodeletAdapter
from gxf.std import Receiver
from gxf.std import Clock
from gxf.core import MessageEntity


class PingRx(CodeletAdapter):
    """Receives one message per tick; fails when there is none."""

    def start(self):
        self.params = self.get_params()
        self.rx = Receiver.get(self.context(),
                               self.cid(),
                               self.params['receiver'])
        self.clock = Clock.get(self.context(), self.cid(), self.params['clock'])
        self.received = []

    def tick(self):
        msg = self.rx.receive()
        if (not msg):
            raise Exception("Didn't get message")
        self.received.append((msg, self.clock.timestamp()))
        return

    def stop(self):
        pass
