"""Device, CUDA managed and pinned host memory for gxf-std's allocators and tensors.

Importing this module registers backends for storage types kDevice (1), kCudaManaged (3) and kHost
(0, pinned); gxf-std imports it on the first request for device memory, and ``import gxf.cuda`` does.
The memory comes from the active device backend (``gxf.cuda.backend``): CuPy on a GPU, imported only
when memory is allocated or copied. Host memory is pinned (page-locked, as GXF's ``cudaMallocHost``)
where a GPU can be used, and ordinary NumPy memory elsewhere: pinning only matters for copies to a GPU.
"""

from __future__ import annotations

from gxf.std.memory_storage import (DeviceUnavailableError, HostMemory, MemoryStorageType,
                                   register_memory_backend)

from .backend import MemoryKind, backend, wrap_native_stream
from .cupy_support import cupy


def _as_device_stream(stream):
    """The backend stream for ``stream``: a CudaStream component, a backend stream or None."""
    if stream is None or hasattr(stream, "run"):
        return stream.device_stream() if hasattr(stream, "device_stream") else stream
    return wrap_native_stream(stream)


class DeviceMemory:
    """GPU memory from the active backend (``managed``: CUDA unified memory)."""

    def __init__(self, managed: bool = False):
        self.managed = managed
        self.kind = MemoryKind.MANAGED if managed else MemoryKind.DEVICE
        self.name = "CUDA managed memory" if managed else "device memory"

    def allocate(self, size: int, device_id: int = 0) -> tuple[int, object]:
        """``(address, owner)`` of ``size`` new bytes on GPU ``device_id`` (at least one byte)."""
        return backend().allocate(self.kind, max(size, 1), device_id)

    def copy(self, dst: int, src: int, size: int, dst_type: MemoryStorageType,
             src_type: MemoryStorageType, stream=None) -> None:
        """Copies ``size`` bytes in any direction: queued on ``stream`` if given, else finished on return."""
        backend().copy(dst, src, size, _as_device_stream(stream))

    def from_dlpack(self, obj):
        """A CuPy array over the memory of a DLPack producer on the GPU (no copy)."""
        return cupy().from_dlpack(obj)

    def dlpack(self, tensor, stream, kwargs: dict):
        """A DLPack capsule of a device tensor, through a CuPy view of it."""
        array = cupy().asarray(tensor)
        if stream is not None:
            kwargs["stream"] = stream
        return array.__dlpack__(**kwargs)

    def wait_stream(self, stream: int) -> None:
        """Makes the legacy default stream wait for work queued on ``stream`` (a cudaStream_t)."""
        cp = cupy()
        event = cp.cuda.Event(disable_timing=True)
        event.record(cp.cuda.ExternalStream(stream))
        cp.cuda.Stream.null.wait_event(event)


class PinnedHostMemory(HostMemory):
    """Host memory (storage type kHost), page-locked where a GPU can be used, else ordinary memory."""

    name = "pinned host memory"

    def allocate(self, size: int, device_id: int = 0) -> tuple[int, object]:
        active = backend()
        try:
            active.check_device(device_id)
        except DeviceUnavailableError:
            return super().allocate(size, device_id)
        return active.allocate(MemoryKind.PINNED, max(size, 1), device_id)


register_memory_backend([MemoryStorageType.kDevice], DeviceMemory())
register_memory_backend([MemoryStorageType.kCudaManaged], DeviceMemory(managed=True))
register_memory_backend([MemoryStorageType.kHost], PinnedHostMemory())
