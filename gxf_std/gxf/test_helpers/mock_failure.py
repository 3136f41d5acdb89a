"""MockFailure: a codelet that fails once it has ticked more often than allowed."""

from __future__ import annotations

from gxf.core import Parameter
from gxf.std.codelet import Codelet

from .checks import CheckFailed


class MockFailure(Codelet, type_name="nvidia::gxf::test::MockFailure",
                  uuid="263ba11a-bf9d-11ed-a3ed-8f40163997e9"):
    """A codelet that fails on purpose once it has ticked a given number of times.

    Ticks ``num_max_ticks`` times successfully; the next tick fails the run. Use it to test how a graph
    and its scheduler handle a failing codelet.
    """

    num_max_ticks = Parameter(int, description="Ticks that succeed before the next one fails")

    def initialize(self) -> None:
        self.current_ticks = 0

    def tick(self) -> None:
        if self.current_ticks >= self.num_max_ticks:
            raise CheckFailed(f"ticked more than num_max_ticks ({self.num_max_ticks}) times")
        self.current_ticks += 1
