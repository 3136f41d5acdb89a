"""MockAllocator: an allocator that counts every block it hands out and reports leaks at teardown."""

from __future__ import annotations

import gc
import threading

from gxf.core import Parameter, Size
from gxf.std.allocator import AllocationError, Allocator, AllocatorStage
from gxf.std.memory_storage import MemoryBlock, MemoryStorageType, memory_backend

from .checks import CheckFailed

_TYPES = (MemoryStorageType.kHost, MemoryStorageType.kDevice, MemoryStorageType.kSystem)


def bytes_text(count: int) -> str:
    """``1536`` -> ``1kB``: the largest binary unit below the count, as GXF prints sizes."""
    for unit, name in ((1 << 50, "PB"), (1 << 40, "TB"), (1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "kB")):
        if count > unit:
            return f"{count // unit}{name}"
    return f"{count}B"


class MockAllocator(Allocator, type_name="nvidia::gxf::test::MockAllocator",
                    uuid="93585693-d816-b6c5-cb06-ba6ec534dfd4"):
    """An allocator for tests: limits can be set, leaks are reported and failures can be forced.

    Serves host, system and device memory (device memory needs gxf-cuda and a GPU) and keeps a table of
    the blocks that are out. ``max_block_size`` bounds one request; ``max_host_allocation``,
    ``max_device_allocation`` and ``max_system_allocation`` bound the total ever allocated of each
    storage type, as in GXF (freeing does not give budget back). A request over a bound fails naming
    the allocator. At teardown it logs ``Blocks Allocated: n (size) { Host: ... }`` at INFO and fails
    the run if blocks are still out (``Blocks Lost``), unless ``ignore_memory_leak``. Blocks come back
    when freed or when the tensor holding them is dropped. ``fail_on_free`` makes ``free`` fail.
    """

    ignore_memory_leak = Parameter(bool, False, "Let the run end normally even when blocks were never "
                                   "given back")
    fail_on_free = Parameter(bool, False, "Make every free() fail")
    max_block_size = Parameter(Size, optional=True, description="Largest single request that succeeds")
    max_host_allocation = Parameter(Size, optional=True, description="Total host memory the allocator hands "
                                    "out at most")
    max_device_allocation = Parameter(Size, optional=True, description="Total device memory the allocator "
                                      "hands out at most")
    max_system_allocation = Parameter(Size, optional=True, description="Total system memory the allocator "
                                      "hands out at most")

    def initialize(self) -> None:
        self._lock = threading.Lock()
        # id(block) -> (storage type, size) of the blocks that are out. Not the blocks themselves: a block
        # must be free to be collected (and so come back) when the tensor holding it goes.
        self._blocks: dict[int, tuple] = {}
        self._counts = {t: [0, 0] for t in _TYPES}  # storage type -> [blocks, bytes] ever allocated
        self._limits = {MemoryStorageType.kHost: self.max_host_allocation,
                        MemoryStorageType.kDevice: self.max_device_allocation,
                        MemoryStorageType.kSystem: self.max_system_allocation}
        self._stage = AllocatorStage.kInitialized

    # --- Allocator --------------------------------------------------------------------------------------
    def is_available(self, size: int) -> bool:
        if self._stage != AllocatorStage.kInitialized:
            return False
        return self.max_block_size is None or size <= self.max_block_size

    def allocate(self, size: int, storage_type: MemoryStorageType = MemoryStorageType.kHost) -> MemoryBlock:
        storage_type = self._check_ready(storage_type)
        if storage_type not in self._counts:
            raise AllocationError(f"{self.describe_self()} serves kHost, kDevice and kSystem memory, not "
                                  f"{storage_type.name}", self.location)
        if not self.is_available(size):
            raise AllocationError(f"{self.describe_self()}: {size} bytes were requested but max_block_size "
                                  f"is {self.max_block_size}", self.location, "raise max_block_size")
        limit = self._limits[storage_type]
        with self._lock:
            counts = self._counts[storage_type]
            if limit is not None and counts[1] + size > limit:
                raise AllocationError(
                    f"{self.describe_self()}: allocating {size} more bytes of {storage_type.name} memory "
                    f"would exceed its limit of {limit} bytes ({counts[1]} already allocated)", self.location,
                    "raise the max_*_allocation parameter of the allocator")
            address, memory = memory_backend(storage_type).allocate(size)
            block = MemoryBlock(address, size, storage_type, memory, self)
            self._blocks[id(block)] = (storage_type, size)
            counts[0] += 1
            counts[1] += size
        return block

    def free(self, block: MemoryBlock) -> None:
        if self.fail_on_free:
            raise AllocationError(f"{self.describe_self()}: free() fails (fail_on_free is set)",
                                  self.location, "set fail_on_free: false to let it succeed")
        super().free(block)

    def _release(self, block: MemoryBlock) -> None:
        with self._lock:
            self._blocks.pop(id(block), None)
        self._notify_released()

    # --- state ----------------------------------------------------------------------------------------------
    def blocks_out(self) -> int:
        """How many blocks are allocated and not yet returned."""
        return len(self._blocks)

    def allocated(self, storage_type: MemoryStorageType) -> tuple[int, int]:
        """(blocks, bytes) ever allocated of ``storage_type``."""
        blocks, size = self._counts[MemoryStorageType(storage_type)]
        return blocks, size

    def deinitialize(self) -> None:
        self._stage = AllocatorStage.kDeinitializationInProgress
        gc.collect()  # blocks held only by reference cycles come back now
        total = [sum(c[0] for c in self._counts.values()), sum(c[1] for c in self._counts.values())]
        self.logger.info("Blocks Allocated: %d (%s) %s", total[0], bytes_text(total[1]),
                         self._per_type(self._counts))
        lost = {t: [0, 0] for t in _TYPES}
        for storage_type, size in list(self._blocks.values()):
            lost[storage_type][0] += 1
            lost[storage_type][1] += size
        self._stage = AllocatorStage.kUninitialized
        count = sum(c[0] for c in lost.values())
        if count:
            text = (f"Blocks Lost: {count} ({bytes_text(sum(c[1] for c in lost.values()))}) "
                    f"{self._per_type(lost)}")
            self.logger.warning("%s", text)
            if not self.ignore_memory_leak:
                raise CheckFailed(f"{text} (set ignore_memory_leak: true to allow this)")

    @staticmethod
    def _per_type(counts: dict) -> str:
        host, device, system = (counts[t] for t in _TYPES)
        return (f"{{ Host: {host[0]} ({bytes_text(host[1])}) | "
                f"Device: {device[0]} ({bytes_text(device[1])}) | "
                f"System: {system[0]} ({bytes_text(system[1])}) }}")
