"""RampSource: publishes an evenly spaced series of numbers, one per tick."""

from __future__ import annotations

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std.clock import Clock
from gxf.std.codelet import Codelet
from gxf.std.primitives import Float64
from gxf.std.queue import Transmitter


class RampSource(Codelet, type_name="example::RampSource", uuid="0c4b3602-47ae-4383-98c8-8a2862dce582"):
    """Publishes ``first``, ``first + step``, ``first + 2 * step``, ... one message per tick.

    Each message holds the number as a double (a ``Float64`` component) called ``field``. Its
    acquisition time comes from ``clock`` when one is given. How many messages go out is up to the
    entity's scheduling terms (a CountSchedulingTerm, say).
    """

    signal = Parameter(Handle(Transmitter), description="Where the messages go")
    first = Parameter(float, 0.0, "The first number")
    step = Parameter(float, 1.0, "How much each number is larger than the one before")
    field = Parameter(str, "value", "The name of the number's component in each message")
    clock = Parameter(Handle(Clock), optional=True,
                      description="The clock that gives each message its acquisition time")

    def initialize(self) -> None:
        if not self.field:
            raise ValueError("field must name the component that holds the number, not be empty")
        self.sent = 0

    def tick(self) -> None:
        message = MessageEntity(self.context)
        message.add(Float64(self.first + self.sent * self.step), self.field)
        clock = self.clock
        self.signal.publish(message, clock.timestamp() if clock is not None else None)
        self.sent += 1
