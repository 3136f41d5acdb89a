"""UnboundedAllocator: allocates memory of any storage type on demand, without an upper bound."""

from __future__ import annotations

from .allocator import Allocator, AllocatorStage
from .memory_storage import MemoryBlock, MemoryStorageType, memory_backend


class UnboundedAllocator(Allocator, type_name="nvidia::gxf::UnboundedAllocator",
                         uuid="c3951b16-a01c-539f-d87e-1dc18d911ea0"):
    """An allocator with no limit: every request gets freshly allocated memory.

    Each block is fresh memory: host and system memory from NumPy, device memory from gxf-cuda.
    The memory itself goes away when the last reference to its block is dropped.
    """

    def initialize(self) -> None:
        self._stage = AllocatorStage.kInitialized

    def deinitialize(self) -> None:
        self._stage = AllocatorStage.kUninitialized

    def is_available(self, size: int) -> bool:
        return self._stage == AllocatorStage.kInitialized

    def allocate(self, size: int, storage_type: MemoryStorageType = MemoryStorageType.kHost) -> MemoryBlock:
        storage_type = self._check_ready(storage_type)
        address, memory = memory_backend(storage_type).allocate(size)
        return MemoryBlock(address, size, storage_type, memory, self)
