"""Allocator: the interface of every component that hands out memory (pools, unbounded, CUDA)."""

from __future__ import annotations

import enum

from gxf.core import Component, GxfError

from .memory_storage import MemoryBlock, MemoryStorageType


class AllocatorStage(enum.IntEnum):
    """Lifecycle stage of an allocator (GXF's ``AllocatorStage``)."""

    kUninitialized = 0
    kInitializationInProgress = 1
    kInitialized = 2
    kDeinitializationInProgress = 3


class AllocationError(GxfError):
    """An allocator could not serve a request: exhausted, wrong size or storage type, or not ready."""


class Allocator(Component, type_name="nvidia::gxf::Allocator", uuid="3cdd82d0-2326-4867-8de2-d565dbe28e03",
                abstract=True):
    """Base of the memory allocators: hands out blocks of memory and takes them back.

    ``allocate(size, storage_type)`` returns a ``MemoryBlock``; ``free(block)`` gives it back, which
    also happens by itself when the block is garbage-collected (a tensor holding it is dropped).
    Components that wait for memory (MemoryAvailableSchedulingTerm) subscribe with
    ``add_release_listener`` and are called whenever memory comes back.
    """

    _stage = AllocatorStage.kUninitialized
    _release_listeners: tuple = ()

    # --- the interface ------------------------------------------------------------------------------
    def is_available(self, size: int) -> bool:
        """True if a request for ``size`` bytes can be served now."""
        raise NotImplementedError

    def allocate(self, size: int, storage_type: MemoryStorageType = MemoryStorageType.kHost) -> MemoryBlock:
        """A block of at least ``size`` bytes of ``storage_type`` memory."""
        raise NotImplementedError

    def free(self, block: MemoryBlock) -> None:
        """Gives ``block`` back to this allocator."""
        if not isinstance(block, MemoryBlock) or block.allocator is not self:
            raise AllocationError(f"{self.describe_self()} cannot free {block!r}: it did not allocate it",
                                  self.location, "free a block with the allocator that allocated it")
        if not block.release():
            raise AllocationError(f"{self.describe_self()}: {block!r} was freed twice", self.location,
                                  "free each block once (tensors free theirs when they are dropped)")

    def block_size(self) -> int:
        """The unit of allocation in bytes; 1 for allocators that are not block based."""
        return 1

    def get_allocator_stage(self) -> AllocatorStage:
        return self._stage

    def allocator_stage_str(self, stage: AllocatorStage | None = None) -> str:
        return AllocatorStage(self._stage if stage is None else stage).name

    # --- waiting for memory ---------------------------------------------------------------------------
    def add_release_listener(self, callback) -> None:
        """Calls ``callback()`` (from any thread) each time memory is returned to this allocator."""
        self._release_listeners = self._release_listeners + (callback,)

    def remove_release_listener(self, callback) -> None:
        self._release_listeners = tuple(c for c in self._release_listeners if c != callback)

    # --- for implementations ---------------------------------------------------------------------------
    def _release(self, block: MemoryBlock) -> None:
        """Takes back ``block`` (called once per block, from ``free`` or when it is collected)."""
        self._notify_released()

    def _notify_released(self) -> None:
        for callback in self._release_listeners:
            callback()

    def _check_ready(self, storage_type) -> MemoryStorageType:
        if self._stage != AllocatorStage.kInitialized:
            raise AllocationError(
                f"{self.describe_self()} cannot allocate: it is {self.allocator_stage_str()}",
                self.location, "allocate in start() or tick(), once the graph is activated")
        if storage_type.__class__ is MemoryStorageType:
            return storage_type
        try:
            return MemoryStorageType(storage_type)
        except ValueError:
            raise AllocationError(f"{self.describe_self()}: {storage_type!r} is not a storage type",
                                  self.location, "use MemoryStorageType.kHost (0), kDevice (1), "
                                  "kSystem (2) or kCudaManaged (3)") from None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.handle_text() or '(unnamed)'} {self.allocator_stage_str()}>"
