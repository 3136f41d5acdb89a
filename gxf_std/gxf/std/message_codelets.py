"""Routing codelets: Forward (one in, one out), Broadcast (one in, many out), Gather (many in, one out).

They pass message entities on unchanged: the same object travels on, so whatever a message holds
(tensors, primitive values, timestamps) arrives as it was published. Publishing restamps pubtime and
keeps acqtime.
"""

from __future__ import annotations

import enum

from gxf.core import ExecutionError, Handle, Parameter, ParameterError

from .codelet import Codelet
from .queue import Receiver, Transmitter


def _nothing_to_receive(codelet, receiver) -> ExecutionError:
    return ExecutionError(
        f"{codelet.describe_self()} ticked but '{receiver.handle_text()}' holds no message", codelet.location,
        f"add a MessageAvailableSchedulingTerm on '{receiver.name}' to the entity so it ticks only when "
        "a message is there")


class Forward(Codelet, type_name="nvidia::gxf::Forward", uuid="97cee543-8fb5-4541-8ff7-589318187ec0"):
    """Passes messages from its receiver on to its transmitter, one per tick."""

    in_ = Parameter(Handle(Receiver), description="Where messages come from", key="in")
    out = Parameter(Handle(Transmitter), description="Where messages go")

    def tick(self) -> None:
        message = self.in_.receive()
        if message is None:
            raise _nothing_to_receive(self, self.in_)
        self.out.publish(message)


class BroadcastMode(enum.IntEnum):
    """How Broadcast distributes messages."""

    Broadcast = 0   # every message to every transmitter
    RoundRobin = 1  # each message to the next transmitter in turn


class Broadcast(Codelet, type_name="nvidia::gxf::Broadcast", uuid="3daadb31-0bca-47e5-9924-342b9984a014"):
    """Sends each incoming message on to every transmitter of its entity, or to one after another in
    RoundRobin mode.

    The transmitters are those of the codelet's entity, in declaration order. In RoundRobin mode each
    message goes to one transmitter only, cycling through them. One message is taken per tick.
    """

    source = Parameter(Handle(Receiver), description="Where messages come from")
    mode = Parameter(BroadcastMode, BroadcastMode.Broadcast,
                     "Broadcast (every transmitter gets each message) or RoundRobin (the transmitters "
                     "take turns)")

    def start(self) -> None:
        self._transmitters = tuple(self.entity.find_all(Transmitter))
        if not self._transmitters:
            raise ParameterError(f"{self.describe_self()}: its entity has no transmitter to broadcast to",
                                 self.location, "add a DoubleBufferTransmitter to the entity")
        self._next = 0

    def tick(self) -> None:
        message = self.source.receive()
        if message is None:
            raise _nothing_to_receive(self, self.source)
        transmitters = self._transmitters
        if self.mode == BroadcastMode.Broadcast:
            for transmitter in transmitters:
                transmitter.publish(message)
        else:
            transmitters[self._next % len(transmitters)].publish(message)
            self._next += 1


class Gather(Codelet, type_name="nvidia::gxf::Gather", uuid="85f64c84-8236-4035-9b9a-3843a6a2026f"):
    """Merges the messages of several receivers onto one transmitter.

    Each tick drains the receivers in declaration order, taking at most ``tick_source_limit`` messages
    from each (0: all), so one busy source cannot starve the others. The receivers are those of the
    codelet's entity, as in GXF; when ``sources`` is given only those are gathered.
    """

    sink = Parameter(Handle(Transmitter), description="Where all messages go")
    sources = Parameter(list[Handle(Receiver)], optional=True,
                        description="The receivers to take messages from (default: every receiver of "
                        "the entity)")
    tick_source_limit = Parameter(int, 0, "Most messages taken from each receiver per tick (0: no limit)")

    def start(self) -> None:
        if self.tick_source_limit < 0:
            raise ParameterError(f"{self.describe_self()}: tick_source_limit must not be negative, got "
                                 f"{self.tick_source_limit}", self.location, "use 0 for no limit")
        sources = self.sources if self.sources else self.entity.find_all(Receiver)
        self._sources = tuple(sources)

    def tick(self) -> None:
        limit = self.tick_source_limit
        publish = self.sink.publish
        for receiver in self._sources:
            # Bounded by what is there now (an async buffer never empties on receive).
            count = receiver.size()
            if limit and count > limit:
                count = limit
            for _ in range(count):
                message = receiver.receive()
                if message is None:
                    break
                publish(message)
