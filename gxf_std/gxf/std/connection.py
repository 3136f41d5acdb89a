"""Connection: joins a transmitter to a receiver.

The routes belong to the graph's MessageRouter (``router.py``). Any number of connections give every
topology: 1:1, 1:m (one transmitter, several receivers: each
message is delivered to all of them, shared rather than copied), m:1 (several transmitters into one
receiver) and M x N.
"""

from __future__ import annotations

from gxf.core import Component, Handle, Parameter

from .queue import Receiver, Transmitter
from .router import connect, disconnect, router_of

__all__ = ["Connection", "connect", "disconnect"]


class Connection(Component, type_name="nvidia::gxf::Connection", uuid="cc71afae-5ede-47e9-b267-60a5c750a89a"):
    """Links a transmitter to a receiver, so that what one publishes reaches the other.

    Every message published on ``source`` is delivered to ``target``.
    """

    source = Parameter(Handle(Transmitter), description="The transmitter messages come from")
    target = Parameter(Handle(Receiver), description="The receiver messages go to")

    def initialize(self) -> None:
        router_of(self.context).message_router.connect(self.source, self.target)

    def deinitialize(self) -> None:
        router_of(self.context).message_router.disconnect(self.source, self.target)
