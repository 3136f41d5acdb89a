"""MemoryAvailableSchedulingTerm: lets an entity tick only while its allocator has enough free memory."""

from __future__ import annotations

from gxf.core import Handle, Parameter, ParameterError, Size

from .allocator import Allocator
from .scheduling_condition import READY, WAIT
from .scheduling_term import NOTIFIES, SchedulingTerm, Waits


class MemoryAvailableSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::MemoryAvailableSchedulingTerm",
                                    uuid="f976d23a-8220-74e2-a5d9-04ed71b2454a"):
    """Holds an entity back until its allocator has enough free memory again.

    Makes a producer wait until enough of its in-flight buffers have come back from downstream
    consumers. Set exactly one of ``min_bytes`` and ``min_blocks``. The term wakes the scheduler
    whenever memory is returned to the allocator.
    """

    allocator = Parameter(Handle(Allocator), description="The allocator whose free memory is watched")
    min_bytes = Parameter(Size, optional=True, description="Free bytes the allocator needs before the "
                          "entity may run; give either this or min_blocks")
    min_blocks = Parameter(int, optional=True, description="Free blocks the allocator needs before the "
                           "entity may run (counted as bytes by allocators without blocks); give either this "
                           "or min_bytes")

    def preflight(self) -> None:
        if (self.min_bytes is None) == (self.min_blocks is None):
            which = "both" if self.min_bytes is not None else "neither"
            raise ParameterError(f"{self.describe_self()} sets {which} of 'min_bytes' and 'min_blocks'",
                                 self.location, "set exactly one of min_bytes and min_blocks")
        if self.min_blocks is not None and self.min_blocks < 0:
            raise ParameterError(f"parameter 'min_blocks' of {self.describe_self()} must not be negative",
                                 self.location, "set min_blocks to 1 or more")

    def initialize(self) -> None:
        if self.min_blocks is not None:
            self._min_bytes = self.allocator.block_size() * self.min_blocks
        else:
            self._min_bytes = int(self.min_bytes)
        self._ready = False
        self._last_change = 0
        self.allocator.add_release_listener(self.notify_change)

    def deinitialize(self) -> None:
        self.allocator.remove_release_listener(self.notify_change)

    def waits_on(self) -> Waits:
        return NOTIFIES  # the allocator's release listener calls notify_change()

    def check(self, timestamp: int) -> tuple:
        ready = self.allocator.is_available(self._min_bytes)
        if ready is not self._ready:
            self._ready = ready
            self._last_change = timestamp
        return (READY, self._last_change) if ready else (WAIT, self._last_change)

    def min_bytes_needed(self) -> int:
        """The free bytes the term waits for."""
        return self._min_bytes
