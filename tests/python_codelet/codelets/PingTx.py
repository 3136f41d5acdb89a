"""A ping transmitter written exactly as GXF's Python codelets are."""
from gxf.python_codelet import CodeletAdapter
from gxf.core import MessageEntity
from gxf.std import Transmitter


class PingTx(CodeletAdapter):
    """Publishes an empty message on the transmitter named in codelet_params each tick."""

    def start(self):
        self.params = self.get_params()
        self.tx = Transmitter.get(self.context(),
                                  self.cid(),
                                  self.params["transmitter"])
        self.sent = 0

    def tick(self):
        msg = MessageEntity(self.context())
        self.tx.publish(msg, 1)
        self.sent += 1
        return

    def stop(self):
        pass
