"""Device memory allocators: CudaAllocator (the interface) and StreamOrderedAllocator (CUDA memory pools)."""

from __future__ import annotations

import threading

from gxf.core import Parameter, ParameterError, Size
from gxf.std.allocator import AllocationError, Allocator, AllocatorStage
from gxf.std.memory_storage import MemoryBlock, MemoryStorageType

from .backend import DeviceStream, backend, wrap_native_stream


class CudaAllocator(Allocator, type_name="nvidia::gxf::CudaAllocator",
                    uuid="04f22de6-5f1d-11ef-9c8a-373b588897af", abstract=True):
    """Base of the allocators that can also allocate and free in the order of a CUDA stream.

    Adds stream-ordered allocation: ``allocate_async(size, stream)`` and ``free_async(block, stream)``.
    """

    def allocate_async(self, size: int, stream) -> MemoryBlock:
        raise NotImplementedError

    def free_async(self, block: MemoryBlock, stream) -> None:
        raise NotImplementedError

    def get_pool_size(self, storage_type=MemoryStorageType.kDevice) -> int:
        """Bytes of ``storage_type`` memory in use."""
        raise NotImplementedError


class StreamOrderedAllocator(CudaAllocator, type_name="nvidia::gxf::StreamOrderedAllocator",
                             uuid="63d1d168-13d7-11ef-931a-0be4a6378384"):
    """A device-memory allocator drawing on a CUDA memory pool, in stream order.

    Device memory comes from a CUDA memory pool of the active backend (``cudaMallocAsync`` through
    CuPy on a GPU), created on the first allocation; at most ``device_memory_max_size`` bytes are in
    use at once. Without CuPy or a
    GPU the component still loads and initializes; allocating raises an error saying what is missing.
    """

    release_threshold = Parameter(Size, "4MB", "Memory the pool keeps cached for reuse instead of "
                                  "returning it to the device (units B, KB, MB, GB, TB)")
    device_memory_initial_size = Parameter(Size, "16MB", "Size of the memory pool when it is created (units "
                                           "B, KB, MB, GB, TB)")
    device_memory_max_size = Parameter(Size, "32MB", "Most device memory in use at once (units B, KB, MB, "
                                       "GB, TB)")
    device_max_memory_pool_size = Parameter(Size, optional=True, description="The name GXF's documentation "
                                            "uses for device_memory_max_size; when set, it wins")
    dev_id = Parameter(int, 0, "The GPU to allocate on")

    def initialize(self) -> None:
        limit = self.device_max_memory_pool_size
        self._max = int(limit if limit is not None else self.device_memory_max_size)
        if self._max < self.device_memory_initial_size:
            raise ParameterError(f"{self.describe_self()}: the maximum pool size ({self._max} bytes) is "
                                 f"smaller than the initial size ({int(self.device_memory_initial_size)})",
                                 self.location, "raise device_memory_max_size")
        self._lock = threading.Lock()
        self._used = 0
        self._pool = None
        self._stage = AllocatorStage.kInitialized

    def deinitialize(self) -> None:
        if self._used:
            self.logger.warning("%d bytes of device memory are still in use", self._used)
        self._pool = None
        self._stage = AllocatorStage.kUninitialized

    # --- Allocator -----------------------------------------------------------------------------------------
    def is_available(self, size: int) -> bool:
        return self._stage == AllocatorStage.kInitialized and self._used + size <= self._max

    def allocate(self, size: int, storage_type=MemoryStorageType.kDevice) -> MemoryBlock:
        storage_type = self._check_ready(storage_type)
        if storage_type != MemoryStorageType.kDevice:
            raise AllocationError(f"{self.describe_self()} allocates device memory (kDevice) only, not "
                                  f"{storage_type.name}", self.location,
                                  "use a BlockMemoryPool or UnboundedAllocator for host memory")
        return self._allocate(size, None)

    def allocate_async(self, size: int, stream) -> MemoryBlock:
        self._check_ready(MemoryStorageType.kDevice)
        return self._allocate(size, stream)

    def free_async(self, block: MemoryBlock, stream) -> None:
        self.free(block)

    def get_pool_size(self, storage_type=MemoryStorageType.kDevice) -> int:
        if MemoryStorageType(storage_type) != MemoryStorageType.kDevice:
            raise AllocationError(f"{self.describe_self()} only has device memory", self.location)
        return self._used

    def _allocate(self, size: int, stream) -> MemoryBlock:
        size = max(int(size), 1)
        with self._lock:
            if self._used + size > self._max:
                raise AllocationError(
                    f"{self.describe_self()} cannot allocate {size} bytes: {self._used} of "
                    f"{self._max} bytes are in use", self.location, "raise device_memory_max_size")
            self._used += size
        try:
            address, owner = self._memory_pool().malloc(size, _device_stream(stream))
        except BaseException:
            with self._lock:
                self._used -= size
            raise
        return MemoryBlock(address, size, MemoryStorageType.kDevice, owner, self, size, self.dev_id)

    def _release(self, block: MemoryBlock) -> None:
        with self._lock:
            self._used -= block._token
        self._notify_released()

    def _memory_pool(self):
        pool = self._pool
        if pool is None:
            pool = backend().memory_pool(self.dev_id, self._max)
            self._pool = pool
        return pool


def _device_stream(stream):
    """The backend stream of ``stream``: a CudaStream component, a backend stream, or None."""
    if stream is None or isinstance(stream, DeviceStream):
        return stream
    if hasattr(stream, "device_stream"):
        return stream.device_stream()
    return wrap_native_stream(stream)
