"""StepCount and StepRangeCount: check how often their entity was started, ticked and stopped."""

from __future__ import annotations

from gxf.core import Parameter
from gxf.std.codelet import Codelet

from .checks import CheckFailed


class _LifecycleCounter(Codelet):
    """Counts start/tick/stop, checking the order as it goes; subclasses check the totals."""

    use_assert = Parameter(bool, False, "Kept for GXF graph files: a failed check fails the run either way, "
                           "with the same message")
    expected_start_count = Parameter(int, 1, "How often the entity must have been started")

    def initialize(self) -> None:
        for key in self._count_params:
            if getattr(self, key) < 0:
                raise ValueError(f"{key} must not be negative, got {getattr(self, key)}")
        self.count_start = 0
        self.count_tick = 0
        self.count_stop = 0
        self._initialized = True

    _count_params = ("expected_start_count",)
    _initialized = False

    def start(self) -> None:
        if not self._initialized:
            raise CheckFailed("started before it was initialized")
        self.count_start += 1

    def tick(self) -> None:
        if self.count_start == 0:
            raise CheckFailed("ticked before it was started")
        self.count_tick += 1

    def stop(self) -> None:
        if self.count_start != self.count_stop + 1:
            raise CheckFailed(f"stopped {self.count_stop + 1} times after {self.count_start} starts")
        self.count_stop += 1

    def deinitialize(self) -> None:
        if not self._initialized:
            raise CheckFailed("deinitialized before it was initialized")
        if self.count_start != self.expected_start_count:
            raise CheckFailed(f"Start count [{self.count_start}] does not match expected start count "
                              f"[{self.expected_start_count}]")
        self.check_ticks()
        if self.count_start != self.count_stop:
            raise CheckFailed(f"started {self.count_start} times but stopped {self.count_stop} times")

    def check_ticks(self) -> None:
        raise NotImplementedError


class StepCount(_LifecycleCounter, type_name="nvidia::gxf::test::StepCount",
                uuid="c076cb71-55ca-4687-8c84-c789818f5cf7"):
    """Checks, when the graph is torn down, how often its entity was started, ticked and stopped.

    Put it in the entity to check. When the graph is torn down (deinitialize) it checks that the entity
    was started ``expected_start_count`` times, ticked exactly ``expected_count`` times, and stopped
    once per start; it also fails at once if it is ticked before being started or stopped twice. A
    failed check fails the run, naming this component.
    """

    expected_count = Parameter(int, 0, "How often the entity must have ticked")
    _count_params = ("expected_start_count", "expected_count")

    def check_ticks(self) -> None:
        if self.count_tick != self.expected_count:
            raise CheckFailed(f"Tick count [{self.count_tick}] does not match expected tick count "
                              f"[{self.expected_count}]")


class StepRangeCount(_LifecycleCounter, type_name="nvidia::gxf::test::StepRangeCount",
                     uuid="947e3c3d-1221-42d5-92f1-fe6c7fd95a8a"):
    """Like StepCount, but the number of ticks may lie anywhere in a range.

    Like StepCount, but the tick count must lie in [expected_count_range_start, expected_count_range_end]
    (both included): for graphs whose exact count depends on timing.
    """

    expected_count_range_start = Parameter(int, 0, "Fewest ticks accepted")
    expected_count_range_end = Parameter(int, 0, "Most ticks accepted")
    _count_params = ("expected_start_count", "expected_count_range_start", "expected_count_range_end")

    def initialize(self) -> None:
        super().initialize()
        if self.expected_count_range_start > self.expected_count_range_end:
            raise ValueError(f"expected_count_range_start ({self.expected_count_range_start}) is greater "
                             f"than expected_count_range_end ({self.expected_count_range_end})")

    def check_ticks(self) -> None:
        if self.count_tick < self.expected_count_range_start:
            raise CheckFailed(f"Tick count [{self.count_tick}] is lower than expected tick count range "
                              f"start [{self.expected_count_range_start}]")
        if self.count_tick > self.expected_count_range_end:
            raise CheckFailed(f"Tick count [{self.count_tick}] is higher than expected tick count range "
                              f"end [{self.expected_count_range_end}]")
