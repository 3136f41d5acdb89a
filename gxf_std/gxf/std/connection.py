"""Connection: joins a transmitter to a receiver. Any number of connections give 1:1, 1:m, m:1 and M x N."""

from __future__ import annotations

from gxf.core import Component, Handle, Parameter

from .queue import Receiver, Transmitter


class Connection(Component, type_name="nvidia::gxf::Connection", uuid="cc71afae-5ede-47e9-b267-60a5c750a89a"):
    """Delivers every message published on ``source`` to ``target``."""

    source = Parameter(Handle(Transmitter), description="The transmitter messages come from")
    target = Parameter(Handle(Receiver), description="The receiver messages go to")

    def initialize(self) -> None:
        connect(self.source, self.target)

    def deinitialize(self) -> None:
        disconnect(self.source, self.target)


def connect(source: Transmitter, target: Receiver) -> None:
    """Routes ``source`` to ``target`` (idempotent)."""
    if target not in source._targets:
        source._targets = source._targets + (target,)
    sources = getattr(target, "_sources", ())
    if source not in sources:
        target._sources = sources + (source,)


def disconnect(source: Transmitter, target: Receiver) -> None:
    source._targets = tuple(t for t in source._targets if t is not target)
    target._sources = tuple(s for s in getattr(target, "_sources", ()) if s is not source)
