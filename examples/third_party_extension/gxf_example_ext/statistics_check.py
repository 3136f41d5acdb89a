"""StatisticsCheck: a sink that fails the run unless the last statistics it receives are the expected ones."""

from __future__ import annotations

import math

from gxf.core import Handle, Parameter
from gxf.std.codelet import Codelet
from gxf.std.primitives import Float64, UInt64
from gxf.std.queue import Receiver

from .running_statistics import STATISTICS


class StatisticsMismatch(AssertionError):
    """The statistics a graph computed are not the ones its StatisticsCheck expects."""


class StatisticsCheck(Codelet, type_name="example::StatisticsCheck",
                      uuid="eeb5a3a3-0d5b-430c-b317-60902062608d"):
    """Receives the messages of a RunningStatistics and checks the last one when the graph stops.

    The last message must report ``expected_count`` numbers, and its total, mean, minimum and maximum
    must be within ``tolerance`` of the expected ones that are set. Otherwise the codelet raises
    StatisticsMismatch, which fails the run (``gxf run`` exits 1 and says what differs); a message
    reporting more numbers than ``expected_count`` fails it at once. A run that passes logs
    ``statistics as expected`` at INFO.
    """

    input = Parameter(Handle(Receiver), description="Where the statistics messages come from")
    expected_count = Parameter(int, description="How many numbers the last statistics must cover")
    expected_total = Parameter(float, optional=True, description="The expected total of all numbers")
    expected_mean = Parameter(float, optional=True, description="The expected mean")
    expected_minimum = Parameter(float, optional=True, description="The expected minimum")
    expected_maximum = Parameter(float, optional=True, description="The expected maximum")
    tolerance = Parameter(float, 1e-9, "How far (absolute) a statistic may be from the expected value")

    def initialize(self) -> None:
        if self.expected_count < 0:
            raise ValueError(f"expected_count must be 0 or more, not {self.expected_count}")
        if not self.tolerance >= 0:
            raise ValueError(f"tolerance must be 0 or more, not {self.tolerance}")

    def start(self) -> None:
        self.received = 0
        self.last: dict[str, float] | None = None

    def tick(self) -> None:
        message = self.input.receive()
        if message is None:
            raise RuntimeError(f"no message available on '{self.input.handle_text()}'")
        self.received += 1
        last = {"count": UInt64.get_from_entity(message, "count")}
        for name in STATISTICS[1:]:
            last[name] = Float64.get_from_entity(message, name)
        self.last = last
        if last["count"] > self.expected_count:
            raise StatisticsMismatch(f"message {self.received} reports {last['count']} numbers, "
                                     f"more than the {self.expected_count} expected")

    def stop(self) -> None:
        last = self.last
        if last is None:
            raise StatisticsMismatch(f"no statistics arrived; expected statistics of {self.expected_count} "
                                     "numbers")
        wrong = [] if last["count"] == self.expected_count else [
            f"count is {last['count']}, expected {self.expected_count}"]
        for name in STATISTICS[1:]:
            expected = getattr(self, f"expected_{name}")
            if expected is not None and not math.isclose(last[name], expected, rel_tol=0.0,
                                                         abs_tol=self.tolerance):
                wrong.append(f"{name} is {last[name]!r}, expected {expected!r}")
        if wrong:
            raise StatisticsMismatch(f"after {self.received} messages: " + "; ".join(wrong))
        self.logger.info("statistics as expected after %d messages: %s", self.received,
                         ", ".join(f"{name} {last[name]:g}" for name in STATISTICS))
