"""RMMAllocator (GXF's RMMExtension): device and pinned host memory from RAPIDS Memory Manager pools.

Needs the ``rmm`` package (``pip install gxf-cuda[rmm]``) and a GPU; without them the graph fails
when it is activated, naming the allocator and what to install.
"""

from __future__ import annotations

import threading

from gxf.core import Parameter, Size
from gxf.core.units import parse_size
from gxf.std.allocator import AllocationError, AllocatorStage
from gxf.std.gpu_device import find_gpu_device
from gxf.std.memory_storage import DeviceUnavailableError, MemoryBlock, MemoryStorageType

from .backend import MemoryKind, backend
from .cuda_allocator import CudaAllocator, _device_stream

_DEFAULT_INITIAL, _DEFAULT_MAX = parse_size("16MB"), parse_size("32MB")  # GXF's defaults (on x86)
_ALIGNMENT = 256  # RMM's CUDA allocation alignment


def _align(size: int) -> int:
    return (int(size) + _ALIGNMENT - 1) // _ALIGNMENT * _ALIGNMENT


def _max_size(initial: int, maximum: int) -> int:
    # As GXF: an initial size changed from the default with the maximum left at its default gives a pool
    # of twice the initial size; otherwise the maximum as given (both aligned to 256 bytes).
    if _align(initial) != _align(_DEFAULT_INITIAL) and int(maximum) == _DEFAULT_MAX:
        return _align(_align(initial) * 2)
    return _align(maximum)


class RMMAllocator(CudaAllocator, type_name="nvidia::gxf::RMMAllocator",
                   uuid="5a8ac4c2-1f83-11ef-8859-d710d3299dfa"):
    """A CudaAllocator over RMM memory pools: one of device memory, one of pinned host memory.

    Serves kDevice (1) and kHost (0) memory, synchronously or (device memory) in the order of a CUDA
    stream; kSystem (2) is refused. At most the maximum size of each pool (at least its initial size,
    which the pool holds from the start) is in use at once. The GPU
    is the one of the entity's GPUDevice resource (GPU 0 without one).
    """

    device_memory_initial_size = Parameter(Size, "16MB", "Initial size of the device memory pool (units B, "
                                           "KB, MB, GB, TB)")
    device_memory_max_size = Parameter(Size, "32MB", "Most device memory the pool holds (units B, KB, MB, "
                                       "GB, TB)")
    host_memory_initial_size = Parameter(Size, "16MB", "Initial size of the pinned host memory pool "
                                         "(units B, KB, MB, GB, TB)")
    host_memory_max_size = Parameter(Size, "32MB", "Most pinned host memory the pool holds (units B, KB, MB, "
                                     "GB, TB)")

    def initialize(self) -> None:
        self._stage = AllocatorStage.kInitializationInProgress
        gpu = find_gpu_device(self.entity) if self.entity is not None else None
        self._dev_id = gpu.device_id() if gpu is not None else 0
        device_initial = _align(self.device_memory_initial_size)
        host_initial = _align(self.host_memory_initial_size)
        self._limits = {MemoryStorageType.kDevice: _max_size(self.device_memory_initial_size,
                                                             self.device_memory_max_size),
                        MemoryStorageType.kHost: _max_size(self.host_memory_initial_size,
                                                           self.host_memory_max_size)}
        for key, initial, storage in (("device", device_initial, MemoryStorageType.kDevice),
                                      ("host", host_initial, MemoryStorageType.kHost)):
            if self._limits[storage] < initial:
                # The pool holds its initial size from the start; the maximum only limits its growth.
                self.logger.warning("%s: %s_memory_max_size (%d bytes) is below %s_memory_initial_size (%d): "
                                    "the pool holds the initial size", self.describe_self(), key,
                                    self._limits[storage], key, initial)
                self._limits[storage] = initial
        try:
            self._resources = backend().rmm_resources(self._dev_id, device_initial, self._limits[
                MemoryStorageType.kDevice], host_initial, self._limits[MemoryStorageType.kHost])
        except DeviceUnavailableError as exc:
            self._stage = AllocatorStage.kUninitialized
            raise DeviceUnavailableError(f"{self.describe_self()} cannot create its memory pools: "
                                         f"{exc.message}", self.location, exc.hint) from None
        self._lock = threading.Lock()
        self._used = {MemoryStorageType.kDevice: 0, MemoryStorageType.kHost: 0}
        self._stage = AllocatorStage.kInitialized

    def deinitialize(self) -> None:
        self._stage = AllocatorStage.kUninitialized
        if any(self._used.values()):
            self.logger.warning("RMMAllocator pool %s still has unreleased memory", self.handle_text())
        self._resources = None

    # --- Allocator -----------------------------------------------------------------------------------------
    def is_available(self, size: int) -> bool:
        """Whether ``size`` bytes of device memory can be served now (see ``is_rmm_available``)."""
        return self._stage == AllocatorStage.kInitialized and self.is_rmm_available(
            size, MemoryStorageType.kDevice)

    def is_rmm_available(self, size: int, storage_type=MemoryStorageType.kDevice) -> bool:
        """Whether ``size`` bytes of ``storage_type`` memory (kDevice or kHost) can be served now."""
        storage_type = self._storage(storage_type)
        return self._used[storage_type] + int(size) <= self._limits[storage_type]

    def allocate(self, size: int, storage_type=MemoryStorageType.kHost) -> MemoryBlock:
        storage_type = self._storage(self._check_ready(storage_type))
        return self._allocate(size, storage_type, None)

    def allocate_async(self, size: int, stream) -> MemoryBlock:
        self._check_ready(MemoryStorageType.kDevice)
        return self._allocate(size, MemoryStorageType.kDevice, _device_stream(stream))

    def free_async(self, block: MemoryBlock, stream) -> None:
        if block.storage_type != MemoryStorageType.kDevice:
            raise AllocationError(f"{self.describe_self()}: free_async() takes device memory, "
                                  f"{block!r} is not", self.location, "free host memory with free()")
        self.free(block)

    def get_pool_size(self, storage_type=MemoryStorageType.kDevice) -> int:
        return self._used[self._storage(storage_type)]

    # --- internals -----------------------------------------------------------------------------------------
    def _storage(self, storage_type) -> MemoryStorageType:
        storage_type = MemoryStorageType(storage_type)
        if storage_type not in (MemoryStorageType.kDevice, MemoryStorageType.kHost):
            raise AllocationError(f"{self.describe_self()} does not serve {storage_type.name} memory",
                                  self.location, "use storage_type 1 (kDevice) or 0 (kHost), or an "
                                  "UnboundedAllocator for system memory")
        return storage_type

    def _allocate(self, size: int, storage_type: MemoryStorageType, stream) -> MemoryBlock:
        size = max(int(size), 1)
        with self._lock:
            used, limit = self._used[storage_type], self._limits[storage_type]
            if used + size > limit:
                which = "device" if storage_type == MemoryStorageType.kDevice else "host"
                raise AllocationError(f"{self.describe_self()} cannot allocate {size} bytes of {which} "
                                      f"memory: {used} of {limit} bytes are in use", self.location,
                                      f"raise {which}_memory_max_size")
            self._used[storage_type] = used + size
        kind = MemoryKind.DEVICE if storage_type == MemoryStorageType.kDevice else MemoryKind.PINNED
        try:
            address, owner = self._resources.allocate(kind, size, stream)
        except BaseException:
            with self._lock:
                self._used[storage_type] -= size
            raise
        return MemoryBlock(address, size, storage_type, owner, self, (size, kind), self._dev_id)

    def _release(self, block: MemoryBlock) -> None:
        size, kind = block._token
        resources = self._resources
        if resources is not None:
            resources.free(block.memory, kind, None)
        with self._lock:
            self._used[block.storage_type] -= size
        self._notify_released()
