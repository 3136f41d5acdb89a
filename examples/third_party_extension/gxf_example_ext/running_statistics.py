"""RunningStatistics: running count, total, mean, minimum and maximum of the numbers in a stream."""

from __future__ import annotations

import logging

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std.codelet import Codelet
from gxf.std.primitives import Float64, Primitive, UInt64
from gxf.std.queue import Receiver, Transmitter
from gxf.std.tensor import Tensor
from gxf.std.timestamp import Timestamp

from .accumulator import Accumulator

# The components of each statistics message, in the order they are added.
STATISTICS = ("count", "total", "mean", "minimum", "maximum")


class RunningStatistics(Codelet, type_name="example::RunningStatistics",
                        uuid="7f0c7c40-762b-404f-9eba-a05c06b7946e"):
    """Receives a message per tick, adds its numbers to ``accumulator`` and publishes the statistics.

    The numbers are the message's component called ``field``: a real primitive value (int8 ... uint64,
    float, double, bool), or a Tensor, each of whose elements counts as one number. Each statistics
    message holds ``count`` (uint64) and ``total``, ``mean``, ``minimum``, ``maximum`` (doubles), as
    ``accumulator`` reports them (its ``window`` bounds what mean, minimum and maximum cover), and
    carries the acquisition time of the message it was computed from. The accumulator is emptied when
    the codelet starts; the last statistics are logged at INFO when it stops.
    """

    input = Parameter(Handle(Receiver), description="Where the numbers come from")
    output = Parameter(Handle(Transmitter), optional=True,
                       description="Where the statistics go, one message per message received")
    accumulator = Parameter(Handle(Accumulator), description="Keeps the statistics")
    field = Parameter(str, "value", "The name of the component of each message that holds the numbers")

    def start(self) -> None:
        self.accumulator.reset()
        self.received = 0

    def tick(self) -> None:
        message = self.input.receive()
        if message is None:
            raise RuntimeError(f"no message available on '{self.input.handle_text()}'")
        self.received += 1
        statistics = self.accumulator
        for value in numbers_of(message, self.field):
            statistics.add(value)
        if self.output is not None:
            result = MessageEntity(self.context)
            result.add(UInt64(statistics.count), "count")
            for name in STATISTICS[1:]:
                result.add(Float64(getattr(statistics, name)), name)
            stamp = Timestamp.get_from_entity(message)
            self.output.publish(result, stamp.acqtime if stamp is not None else None)

    def stop(self) -> None:
        if self.logger.isEnabledFor(logging.INFO):
            s = self.accumulator
            window = f"the last {s.window}" if s.window else "all"
            self.logger.info("%d messages, %d values: total %g; over %s values: mean %g, minimum %g, "
                             "maximum %g", self.received, s.count, s.total, window,
                             s.mean, s.minimum, s.maximum)


def numbers_of(message, field: str) -> list[float]:
    """The numbers of ``message``'s component called ``field``: a real primitive, or a tensor's elements.

    Raises ValueError naming the field and what the message holds when there is no such component
    or it holds no real numbers.
    """
    component = message.find(field)
    if isinstance(component, Tensor):
        import numpy

        array = numpy.asarray(component)
        if array.dtype.kind not in "biuf":
            raise ValueError(f"tensor '{field}' holds {array.dtype} elements, not real numbers")
        return array.astype(numpy.float64).ravel().tolist()
    if isinstance(component, Primitive) and not isinstance(component.value, complex):
        return [float(component.value)]
    names = ", ".join(f"{c.name or '(unnamed)'} ({c.type_name()})" for c in message.components) or "nothing"
    if component is None:
        raise ValueError(f"the message has no component called '{field}'; it holds {names}")
    raise ValueError(f"component '{field}' is a {component.type_name()}, not a real number or a tensor; "
                     f"the message holds {names}")
