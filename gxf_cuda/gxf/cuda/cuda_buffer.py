"""CudaBuffer: one block of device memory in a message, allocated and filled asynchronously on a stream."""

from __future__ import annotations

import enum
import threading

from gxf.core import Component, GxfError
from gxf.std.memory_storage import MemoryStorageType

DEFAULT_CUDA_BUFFER_NAME = "gxf_cuda_buffer"


class CudaBufferState(enum.IntEnum):
    """Where a CudaBuffer is (GXF's ``CudaBuffer::State``)."""

    UNSET = 0                # no memory, or memory whose filling nobody waits for
    CALLBACK_REGISTERED = 1  # memory allocated on a stream; a host callback will mark it filled
    DATA_AVAILABLE = 2       # the work queued before the callback is done: the data can be used


class CudaBuffer(Component, type_name="nvidia::gxf::CudaBuffer", uuid="3b109830-5f1e-11ef-8393-c336b6b55546"):
    """A block of device memory from a CudaAllocator, tied to a CUDA stream of a CudaStreamPool.

    ``resize_async(allocator, stream_pool, size)`` allocates the memory in the order of a stream (one
    taken from the pool unless given) and queues a host callback that marks the buffer DATA_AVAILABLE
    once the allocation is done (as GXF). The producer then queues the work filling it on ``stream()``;
    consumers queue more work there, or wait for it with a CudaBufferAvailableSchedulingTerm or
    CudaStreamSchedulingTerm, whose host callbacks come after the producer's work. The memory goes
    back to the allocator, and a stream the buffer owns goes back to the pool (after it is
    synchronized), when the buffer is freed or dropped.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._state = CudaBufferState.UNSET
        self._block = None
        self._allocator = None
        self._stream = None
        self._stream_pool = None
        self._stream_owner = False

    # --- memory --------------------------------------------------------------------------------------
    def resize_async(self, allocator, stream_pool, size: int, stream=None) -> None:
        """Gives the buffer ``size`` bytes of device memory allocated in the order of ``stream``."""
        if allocator is None or not hasattr(allocator, "allocate_async"):
            raise GxfError(f"CudaBuffer '{self.name}': {allocator!r} is not a CudaAllocator",
                           hint="pass a StreamOrderedAllocator or RMMAllocator")
        if stream_pool is None:
            raise GxfError(f"CudaBuffer '{self.name}' needs a CudaStreamPool", hint="pass the stream pool")
        self.free_buffer()
        if stream is None:
            stream = stream_pool.allocate_stream()[1]
        # As in GXF, the buffer owns a stream of the pool (given or taken) until it hands it on with
        # transfer_stream_ownership(); an owned stream goes back to the pool when the buffer goes.
        owner = stream_pool.handed_out(stream)
        block = allocator.allocate_async(int(size), stream)
        with self._lock:
            self._state = CudaBufferState.CALLBACK_REGISTERED
        stream.launch_host_func(self._filled)
        self._block, self._allocator = block, allocator
        self._stream, self._stream_pool, self._stream_owner = stream, stream_pool, owner

    resizeAsync = resize_async

    def _filled(self) -> None:
        with self._lock:
            if self._state is CudaBufferState.CALLBACK_REGISTERED:
                self._state = CudaBufferState.DATA_AVAILABLE

    def free_buffer(self) -> None:
        """Returns the memory (and the stream, if the buffer took it from the pool)."""
        if self._state is CudaBufferState.CALLBACK_REGISTERED and self._stream is not None:
            self._stream.sync_stream()  # the work filling the memory must be done before it goes back
        block, self._block = self._block, None
        stream, owner = self._stream, self._stream_owner
        self._state = CudaBufferState.UNSET
        if block is not None:
            self._allocator.free_async(block, stream)
        if owner and stream is not None:
            stream.sync_stream()
            self._stream_owner = False
            self._stream_pool.release_stream(stream)

    freeBuffer = free_buffer

    def __del__(self):
        try:
            if self._block is not None:
                self.free_buffer()
        except Exception:  # noqa: BLE001 - never raise from a finalizer (e.g. at exit)
            pass

    # --- what it is ----------------------------------------------------------------------------------
    def state(self) -> CudaBufferState:
        return self._state

    def pointer(self) -> int:
        """The address of the memory (0 without memory)."""
        return self._block.address if self._block is not None else 0

    def size(self) -> int:
        return self._block.size if self._block is not None else 0

    def storage_type(self) -> MemoryStorageType:
        return MemoryStorageType.kDevice

    def stream(self):
        """The CudaStream the memory was allocated on."""
        return self._stream

    def stream_pool(self):
        return self._stream_pool

    streamPool = stream_pool

    def transfer_stream_ownership(self):
        """Hands the stream to the caller: it is not returned to the pool when this buffer goes."""
        self._stream_owner = False
        return self._stream

    transferStreamOwnership = transfer_stream_ownership

    def register_callback_on_stream(self, fn) -> None:
        """Calls ``fn()`` from a driver thread once the work queued on the buffer's stream is done."""
        if self._stream is None:
            raise GxfError(f"CudaBuffer '{self.name}' has no stream", hint="resize_async() it first")
        self._stream.launch_host_func(fn)

    registerCallbackOnStream = register_callback_on_stream

    def array(self, dtype="float32"):
        """An array of the backend (CuPy on a GPU) viewing the memory as a flat array of ``dtype``."""
        import numpy

        from .backend import backend

        dtype = numpy.dtype(dtype)
        count = self.size() // dtype.itemsize
        return backend().array(self.pointer(), (count,), dtype, (dtype.itemsize,), self._block)

    def __repr__(self) -> str:
        return f"<CudaBuffer {self.name or '(unnamed)'} {self.size()} bytes {self._state.name}>"
