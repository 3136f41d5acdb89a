"""Device and CUDA managed memory for gxf-std's allocators and tensors, through CuPy.

Importing this module registers the backend for storage types kDevice (1) and kCudaManaged (3);
gxf-std imports it on the first request for such memory. CuPy itself is imported only when memory
is allocated or copied.
"""

from __future__ import annotations

from gxf.std.memory_storage import MemoryStorageType, register_memory_backend

from .cupy_support import cupy, device

_MEMCPY_DEFAULT = 4  # cudaMemcpyDefault: the direction follows from the (unified) addresses


class DeviceMemory:
    """GPU memory from CuPy's allocator (``managed``: CUDA unified memory)."""

    def __init__(self, managed: bool = False):
        self.managed = managed
        self.name = "CUDA managed memory" if managed else "device memory"

    def allocate(self, size: int, device_id: int = 0) -> tuple[int, object]:
        """``(address, owner)`` of ``size`` new bytes on GPU ``device_id`` (at least one byte)."""
        cp = cupy()
        with device(device_id):
            if self.managed:
                memory = cp.cuda.malloc_managed(max(size, 1))
            else:
                memory = cp.cuda.alloc(max(size, 1))
        return int(memory.ptr), memory

    def copy(self, dst: int, src: int, size: int, dst_type: MemoryStorageType,
             src_type: MemoryStorageType) -> None:
        """Copies ``size`` bytes in any direction and waits for the copy to finish."""
        cp = cupy()
        cp.cuda.runtime.memcpy(dst, src, size, _MEMCPY_DEFAULT)

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


register_memory_backend([MemoryStorageType.kDevice], DeviceMemory())
register_memory_backend([MemoryStorageType.kCudaManaged], DeviceMemory(managed=True))
