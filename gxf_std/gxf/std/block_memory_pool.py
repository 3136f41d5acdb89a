"""BlockMemoryPool: a fixed number of equally sized blocks of memory, allocated up front."""

from __future__ import annotations

import gc

from gxf.core import Parameter, ParameterError, Size

from .allocator import AllocationError, Allocator, AllocatorStage
from .memory_storage import DeviceUnavailableError, MemoryBlock, MemoryStorageType, memory_backend


class BlockMemoryPool(Allocator, type_name="nvidia::gxf::BlockMemoryPool",
                      uuid="92b627a3-5dd3-4c3c-976c-4700e8a3b96a"):
    """An allocator with a fixed number of blocks of one size, all reserved up front.

    All ``num_blocks`` blocks are allocated in one piece when the graph is initialized. A request
    is served with one whole block if it fits into one; a block comes back when it is freed, or when
    the tensor holding it is dropped - a message passed downstream keeps its blocks until every
    reference to it is gone. When every block is in use, ``allocate`` fails naming the pool, unless
    the allocating entity waits for memory with a MemoryAvailableSchedulingTerm.
    """

    storage_type = Parameter(MemoryStorageType, MemoryStorageType.kHost,
                             "Where the pool's blocks live: kHost (0), kDevice (1) or kSystem (2)")
    block_size_ = Parameter(Size, description="Bytes per block ('1KB', '4MiB' and the like work too). A "
                            "request larger than one block fails; a smaller one still uses a whole block",
                            key="block_size")
    num_blocks = Parameter(int, description="How many blocks the pool holds; once all are in use, "
                           "requests fail (or wait, with a MemoryAvailableSchedulingTerm)")

    def preflight(self) -> None:
        if self.block_size_ <= 0:
            raise ParameterError(f"parameter 'block_size' of {self.describe_self()} must be positive, got "
                                 f"{self.block_size_}", self.location, "set block_size, e.g. '1KB' or 1024")
        if self.num_blocks <= 0:
            raise ParameterError(f"parameter 'num_blocks' of {self.describe_self()} must be positive, got "
                                 f"{self.num_blocks}", self.location, "set num_blocks to at least 1")

    def initialize(self) -> None:
        self._stage = AllocatorStage.kInitializationInProgress
        storage_type = MemoryStorageType(self.storage_type)
        try:
            self._base, self._arena = memory_backend(storage_type).allocate(
                int(self.block_size_) * self.num_blocks)
        except DeviceUnavailableError as exc:
            self._stage = AllocatorStage.kUninitialized
            raise DeviceUnavailableError(f"{self.describe_self()} cannot allocate its {storage_type.name} "
                                         f"memory: {exc.message}", self.location, exc.hint) from None
        except Exception:
            self._stage = AllocatorStage.kUninitialized
            raise
        self._storage = storage_type
        self._block = int(self.block_size_)
        # Free block indices; pop() takes the lowest first. list.pop/append are atomic, so blocks can
        # come back from any thread (or from the garbage collector) without a lock.
        self._free = list(range(self.num_blocks - 1, -1, -1))
        self._stage = AllocatorStage.kInitialized

    def deinitialize(self) -> None:
        self._stage = AllocatorStage.kDeinitializationInProgress
        # Blocks still out keep the arena alive through their own reference to it.
        self._arena = None
        self._free = None
        self._stage = AllocatorStage.kUninitialized

    # --- Allocator ----------------------------------------------------------------------------------------
    def block_size(self) -> int:
        return int(self.block_size_)

    def is_available(self, size: int) -> bool:
        free = self._free
        return free is not None and size <= self._block * len(free)

    def allocate(self, size: int, storage_type: MemoryStorageType = MemoryStorageType.kHost) -> MemoryBlock:
        storage_type = self._check_ready(storage_type)
        if storage_type != self._storage:
            raise AllocationError(
                f"{self.describe_self()} serves {self._storage.name} memory (storage_type "
                f"{int(self._storage)}), but {storage_type.name} ({int(storage_type)}) was requested",
                self.location, f"set storage_type: {int(storage_type)} on the pool, or allocate "
                f"{self._storage.name} memory from it")
        if size > self._block:
            raise AllocationError(
                f"{self.describe_self()}: {size} bytes were requested but a block holds {self._block}",
                self.location, f"raise block_size to at least {size}")
        free = self._free
        try:
            index = free.pop()
        except IndexError:
            # Blocks of messages that are only kept in reference cycles come back on a collection.
            gc.collect()
            try:
                index = free.pop()
            except IndexError:
                raise self._exhausted() from None
        return MemoryBlock(self._base + index * self._block, size, self._storage, self._arena, self, index)

    def _release(self, block: MemoryBlock) -> None:
        free = self._free
        if free is not None and block.memory is self._arena:
            free.append(block._token)
            self._notify_released()

    # --- state ----------------------------------------------------------------------------------------------
    def available_blocks(self) -> int:
        """How many blocks are free now."""
        free = self._free
        return len(free) if free is not None else 0

    def _exhausted(self) -> AllocationError:
        name = self.handle_text() or "pool"
        return AllocationError(
            f"{self.describe_self()} is exhausted: all {self.num_blocks} blocks of {self._block} bytes are "
            "in use", self.location,
            f"raise num_blocks, drop tensors (and the messages holding them) sooner, or give the "
            f"allocating entity a MemoryAvailableSchedulingTerm (allocator: {name}, min_blocks: 1) so it "
            "waits for a free block")
