"""Where memory lives: storage types, blocks of memory, and the backends that provide them.

Host (0) and system (2) memory come from NumPy, imported on first allocation. Device (1) and CUDA
managed (3) memory are served by the gxf-cuda distribution, which registers a backend for them when
``gxf.cuda.memory`` is imported; without it (or without CuPy and a GPU) asking for device memory
raises ``DeviceUnavailableError`` saying what to install.

Without CUDA, host memory is ordinary pageable memory: GXF pins it with ``cudaMallocHost``, which
only matters for transfers to a GPU.
"""

from __future__ import annotations

import enum

from gxf.core import GxfError


class MemoryStorageType(enum.IntEnum):
    """Type of memory (GXF's ``nvidia::gxf::MemoryStorageType``)."""

    kHost = 0         # host memory (page-locked in GXF, so a GPU can reach it)
    kDevice = 1       # GPU memory
    kSystem = 2       # ordinary system memory
    kCudaManaged = 3  # CUDA unified memory, reachable from host and device


HOST_ACCESSIBLE = frozenset({MemoryStorageType.kHost, MemoryStorageType.kSystem,
                             MemoryStorageType.kCudaManaged})
DEVICE_ACCESSIBLE = frozenset({MemoryStorageType.kDevice, MemoryStorageType.kCudaManaged})

# DLPack device types.
kDLCPU, kDLCUDA, kDLCUDAHost, kDLCUDAManaged = 1, 2, 3, 13

DEVICE_HINT = ("pip install gxf-cuda[cupy] on a machine with an NVIDIA GPU (device memory needs both), "
               "or use storage_type 0 (kHost) or 2 (kSystem)")


class DeviceUnavailableError(GxfError):
    """Device memory or a CUDA stream was asked for where gxf-cuda, CuPy or a GPU is missing."""


class MemoryBlock:
    """A piece of memory handed out by an allocator.

    ``address`` is where it starts, ``size`` how many bytes were asked for. The block keeps the
    memory it lies in alive for as long as the block object lives, so views of it stay valid; it
    goes back to its allocator when freed explicitly (``allocator.free(block)``) or, at the latest,
    when the block object is garbage-collected.
    """

    __slots__ = ("address", "size", "storage_type", "memory", "device_id", "_allocator", "_token",
                 "_live")

    def __init__(self, address: int, size: int, storage_type: MemoryStorageType, memory,
                 allocator=None, token=None, device_id: int = 0):
        self.address = address
        self.size = size
        self.storage_type = storage_type
        self.memory = memory          # the object owning the memory (an array, a CuPy pointer...)
        self.device_id = device_id
        self._allocator = allocator
        self._token = token           # the allocator's own bookkeeping (a pool's block index)
        self._live = True

    @property
    def allocator(self):
        return self._allocator

    @property
    def released(self) -> bool:
        return not self._live

    def release(self) -> bool:
        """Returns the block to its allocator; False if it was already returned."""
        if not self._live:
            return False
        self._live = False
        allocator = self._allocator
        if allocator is not None:
            allocator._release(self)
        return True

    def __del__(self):
        if self._live:
            self._live = False
            allocator = self._allocator
            if allocator is not None:
                try:
                    allocator._release(self)
                except Exception:  # noqa: BLE001 - never raise from a finalizer (e.g. at exit)
                    pass

    def __repr__(self) -> str:
        state = "released" if not self._live else "live"
        return (f"<MemoryBlock {self.size} bytes at {self.address:#x} "
                f"{MemoryStorageType(self.storage_type).name} {state}>")


class HostMemory:
    """Host and system memory: NumPy byte arrays."""

    name = "host memory"

    def allocate(self, size: int, device_id: int = 0) -> tuple[int, object]:
        """``(address, owner)`` of ``size`` new bytes (at least one, as GXF allocates)."""
        import numpy

        array = numpy.empty(max(size, 1), numpy.uint8)
        return array.__array_interface__["data"][0], array

    def copy(self, dst: int, src: int, size: int, dst_type: MemoryStorageType,
             src_type: MemoryStorageType) -> None:
        import ctypes

        ctypes.memmove(dst, src, size)


_backends: dict[MemoryStorageType, object] = {
    MemoryStorageType.kHost: HostMemory(),
    MemoryStorageType.kSystem: HostMemory(),
}


def register_memory_backend(storage_types, backend) -> None:
    """Makes ``backend`` (``allocate(size, device_id)``, ``copy(...)``) serve ``storage_types``."""
    for storage_type in storage_types:
        _backends[MemoryStorageType(storage_type)] = backend


def memory_backend(storage_type: MemoryStorageType):
    """The backend serving ``storage_type``; loads gxf-cuda's for device and managed memory."""
    backend = _backends.get(storage_type)
    if backend is None:
        backend = _load_device_backend(storage_type)
    return backend


def _load_device_backend(storage_type: MemoryStorageType):
    storage_type = MemoryStorageType(storage_type)
    try:
        import gxf.cuda.memory  # noqa: F401 - registers the device backends
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("gxf.cuda"):
            raise
        raise DeviceUnavailableError(
            f"{storage_type.name} memory (storage type {int(storage_type)}) is served by the gxf-cuda "
            "extension, which is not installed", hint=DEVICE_HINT) from None
    backend = _backends.get(storage_type)
    if backend is None:
        raise DeviceUnavailableError(f"no backend serves {storage_type.name} memory", hint=DEVICE_HINT)
    return backend


_stream_finders: list = []


def register_stream_finder(finder) -> None:
    """Adds ``finder(message, context)``: the CUDA stream a message's data is produced on, or None."""
    if finder not in _stream_finders:
        _stream_finders.append(finder)


def message_stream(message, context=None):
    """The CUDA stream a message names (its CudaStreamId, with gxf-cuda), or None."""
    for finder in _stream_finders:
        stream = finder(message, context)
        if stream is not None:
            return stream
    return None


def memory_copy(dst: int, dst_type: MemoryStorageType, src: int, src_type: MemoryStorageType,
                size: int, stream=None) -> None:
    """Copies ``size`` bytes between any two storage types (device copies go through gxf-cuda).

    A copy to or from device memory is queued on ``stream`` (a CUDA stream of gxf-cuda) when one is
    given, so that it follows the work already queued there; without one it is finished on return.
    """
    if size <= 0:
        return
    if dst_type in DEVICE_ACCESSIBLE and dst_type != MemoryStorageType.kCudaManaged:
        backend = memory_backend(dst_type)
    elif src_type in DEVICE_ACCESSIBLE and src_type != MemoryStorageType.kCudaManaged:
        backend = memory_backend(src_type)
    else:
        backend = _backends[MemoryStorageType.kSystem]
        stream = None
    if stream is None:
        backend.copy(dst, src, size, dst_type, src_type)
    else:
        backend.copy(dst, src, size, dst_type, src_type, stream=stream)
