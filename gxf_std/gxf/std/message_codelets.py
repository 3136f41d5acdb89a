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
    """Forwards incoming messages at the receiver to the transmitter: one message per tick."""

    in_ = Parameter(Handle(Receiver), description="The channel for incoming messages.", key="in")
    out = Parameter(Handle(Transmitter), description="The channel for outgoing messages")

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
    """Messages arrived on the input channel are distributed to all transmitters.

    The transmitters are those of the codelet's entity, in declaration order. In RoundRobin mode each
    message goes to one transmitter only, cycling through them. One message is taken per tick.
    """

    source = Parameter(Handle(Receiver), description="Source channel")
    mode = Parameter(BroadcastMode, BroadcastMode.Broadcast,
                     "The broadcast mode. Can be Broadcast or RoundRobin.")

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
    """All messages arriving on any input channel are published on the single output channel.

    Each tick drains the receivers in declaration order, taking at most ``tick_source_limit`` messages
    from each (0: all), so one busy source cannot starve the others. The receivers are those of the
    codelet's entity, as in GXF; when ``sources`` is given only those are gathered.
    """

    sink = Parameter(Handle(Transmitter), description="The output channel for gathered messages.")
    sources = Parameter(list[Handle(Receiver)], optional=True,
                        description="The input channels for gathering messages (default: every receiver "
                        "of the entity).")
    tick_source_limit = Parameter(int, 0, "Maximum number of messages to take from each source in one tick. "
                                  "0 means no limit.")

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
