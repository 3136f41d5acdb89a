"""Connection: joins a transmitter to a receiver.

Any number of connections give every topology: 1:1, 1:m (one transmitter, several receivers: each
message is delivered to all of them, shared rather than copied), m:1 (several transmitters into one
receiver) and M x N.
"""

from __future__ import annotations

from gxf.core import Component, Handle, Parameter

from .queue import Receiver, Transmitter


class Connection(Component, type_name="nvidia::gxf::Connection", uuid="cc71afae-5ede-47e9-b267-60a5c750a89a"):
    """Links a transmitter to a receiver, so that what one publishes reaches the other.

    Every message published on ``source`` is delivered to ``target``.
    """

    source = Parameter(Handle(Transmitter), description="The transmitter messages come from")
    target = Parameter(Handle(Receiver), description="The receiver messages go to")

    def initialize(self) -> None:
        connect(self.source, self.target)

    def deinitialize(self) -> None:
        disconnect(self.source, self.target)


def connect(source: Transmitter, target: Receiver) -> None:
    """Routes ``source`` to ``target`` (connecting twice is the same as once)."""
    if target not in source._targets:
        source._targets = source._targets + (target,)
    if source not in target._sources:
        target._sources = target._sources + (source,)


def disconnect(source: Transmitter, target: Receiver) -> None:
    """Removes the route from ``source`` to ``target``, if there is one."""
    source._targets = tuple(t for t in source._targets if t is not target)
    target._sources = tuple(s for s in target._sources if s is not source)
