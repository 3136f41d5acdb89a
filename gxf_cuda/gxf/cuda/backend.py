"""The device backend: everything gxf.cuda asks of a GPU, behind one small interface.

Streams, events, device and pinned memory, stream-ordered pools, copies and array views all go
through the active backend (``backend()``). Two implement it:

- ``CupyBackend`` (the default): a real NVIDIA GPU through CuPy, imported on first use; without
  CuPy or a GPU every call raises ``DeviceUnavailableError`` saying what to install.
- ``gxf.cuda.emulation.HostEmulationBackend``: a GPU emulated in host memory with a device thread,
  for the tests only. Nothing selects it by itself; tests install it with ``use_backend``.

A stream's work is queued with ``stream.run(work)``: ``work`` is host code that launches device work
(CuPy calls, copies). The CuPy backend runs it at once inside the stream's context, so the device
work it launches is asynchronous; the emulation runs it later on its device thread, in stream order.
"""

from __future__ import annotations

import contextlib
import enum
import threading
from collections.abc import Callable

from gxf.std.memory_storage import DeviceUnavailableError

from .cupy_support import INSTALL_HINT, cupy, device

RMM_HINT = "pip install gxf-cuda[rmm] (RAPIDS Memory Manager for CUDA 12) on a machine with an NVIDIA GPU"


class MemoryKind(enum.Enum):
    """What a backend allocation is: GPU memory, CUDA managed memory or page-locked host memory."""

    DEVICE = "device"
    MANAGED = "managed"
    PINNED = "pinned"


class DeviceStream:
    """The interface of a backend's stream (a ``cudaStream_t``)."""

    handle: int = 0

    def run(self, work: Callable[[], None]) -> None:
        """Queues ``work`` (host code launching device work) in the order of this stream."""
        raise NotImplementedError

    def launch_host_func(self, fn: Callable[[], None]) -> None:
        """Calls ``fn()`` once all work queued before it is done (``cudaLaunchHostFunc``).

        ``fn`` runs on a thread of the driver and must not call the GPU; it may wake a scheduler.
        """
        raise NotImplementedError

    def wait_event(self, event: DeviceEvent) -> None:
        """Makes work queued later on this stream wait for ``event``."""
        raise NotImplementedError

    def synchronize(self) -> None:
        """Waits until all work queued on the stream is done."""
        raise NotImplementedError

    def query(self) -> bool:
        """True if all work queued on the stream is done."""
        raise NotImplementedError


class DeviceEvent:
    """The interface of a backend's event (a ``cudaEvent_t``)."""

    def record(self, stream: DeviceStream) -> None:
        """Marks the point of ``stream`` reached once the work queued so far is done."""
        raise NotImplementedError

    def query(self) -> bool:
        """True if the marked work is done (or nothing was recorded)."""
        raise NotImplementedError

    def synchronize(self) -> None:
        """Waits until the marked work is done."""
        raise NotImplementedError

    def when_done(self, fn: Callable[[], None]) -> None:
        """Calls ``fn()`` (from any thread, without touching the GPU) once the marked work is done."""
        raise NotImplementedError


class CudaBackend:
    """The interface every backend implements (see the module docstring)."""

    name = "backend"

    @property
    def xp(self):
        """The array module of device arrays: CuPy, or NumPy for the emulation."""
        raise NotImplementedError

    def check_device(self, dev_id: int) -> None:
        """Raises DeviceUnavailableError unless GPU ``dev_id`` can be used."""
        raise NotImplementedError

    def create_stream(self, dev_id: int, non_blocking: bool, priority: int) -> DeviceStream:
        raise NotImplementedError

    def create_event(self, dev_id: int, timing: bool = False) -> DeviceEvent:
        raise NotImplementedError

    def allocate(self, kind: MemoryKind, size: int, dev_id: int = 0) -> tuple[int, object]:
        """``(address, owner)`` of ``size`` new bytes; the memory lives as long as ``owner``."""
        raise NotImplementedError

    def copy(self, dst: int, src: int, size: int, stream: DeviceStream | None = None, keep=None) -> None:
        """Copies ``size`` bytes in any direction; queued on ``stream`` if given, else finished on return.

        ``keep`` is an object owning the source or destination that must live until the copy is done.
        """
        raise NotImplementedError

    def memory_pool(self, dev_id: int, max_size: int):
        """A stream-ordered pool: ``malloc(size, stream) -> (address, owner)``, ``free(owner, stream)``."""
        raise NotImplementedError

    def rmm_resources(self, dev_id: int, device_initial: int, device_max: int, host_initial: int,
                      host_max: int):
        """RMM pools: ``allocate(kind, size, stream) -> (address, owner)``, ``free(owner, kind, stream)``."""
        raise NotImplementedError

    def array(self, address: int, shape: tuple, dtype, strides: tuple, owner) -> object:
        """An ``xp`` array viewing device memory at ``address`` (no copy), keeping ``owner`` alive."""
        raise NotImplementedError

    def to_host(self, array):
        """A NumPy copy of a device array."""
        raise NotImplementedError


# --- the CuPy backend ---------------------------------------------------------------------------------
class _CupyStream(DeviceStream):
    def __init__(self, stream):
        self.stream = stream
        self.handle = int(stream.ptr)

    def run(self, work) -> None:
        with self.stream:
            work()

    def launch_host_func(self, fn) -> None:
        self.stream.launch_host_func(lambda _arg: fn(), None)

    def wait_event(self, event) -> None:
        self.stream.wait_event(event.event)

    def synchronize(self) -> None:
        self.stream.synchronize()

    def query(self) -> bool:
        return bool(self.stream.done)


class _CupyEvent(DeviceEvent):
    def __init__(self, event):
        self.event = event
        self.stream: _CupyStream | None = None

    def record(self, stream) -> None:
        self.event.record(stream.stream)
        self.stream = stream

    def query(self) -> bool:
        return bool(self.event.done)

    def synchronize(self) -> None:
        self.event.synchronize()

    def when_done(self, fn) -> None:
        if self.stream is None or self.query():
            fn()
            return
        # A host function queued behind the event's point runs once the event's work is done (it may run
        # a little later, after work queued on the stream since; the term then finds the event done).
        self.stream.launch_host_func(fn)


class _CupyPool:
    def __init__(self, dev_id: int, max_size: int):
        cp = cupy()
        self.dev_id = dev_id
        with device(dev_id):
            self.pool = cp.cuda.MemoryAsyncPool()
            with contextlib.suppress(Exception):  # older CuPy: the limit is kept by the allocator anyway
                self.pool.set_limit(size=max_size)

    def malloc(self, size: int, stream):
        with device(self.dev_id):
            if stream is None:
                memory = self.pool.malloc(size)
            else:
                with stream.stream:
                    memory = self.pool.malloc(size)
        return int(memory.ptr), memory

    def free(self, owner, stream) -> None:
        """Memory from CuPy's pool goes back when its owner is dropped (in the order of its stream)."""


class _RmmResources:
    """Device memory from an RMM pool (``rmm.mr.PoolMemoryResource``), pinned host memory from CUDA."""

    def __init__(self, dev_id, device_initial, device_max, host_initial, host_max):
        try:
            import rmm
        except ImportError as exc:
            raise DeviceUnavailableError(f"the RMMAllocator needs RMM, which is not installed ({exc})",
                                         hint=RMM_HINT) from None
        self.rmm = rmm
        self.device = rmm.mr.PoolMemoryResource(rmm.mr.CudaMemoryResource(), device_initial, device_max)

    def _rmm_stream(self, stream):
        for module in ("rmm.pylibrmm.stream", "rmm._cuda.stream"):
            try:
                return __import__(module, fromlist=["Stream"]).Stream(stream.stream)
            except (ImportError, AttributeError, TypeError):
                continue
        return None

    def allocate(self, kind: MemoryKind, size: int, stream):
        if kind is MemoryKind.DEVICE:
            rmm_stream = self._rmm_stream(stream) if stream is not None else None
            address = self.device.allocate(size, rmm_stream) if rmm_stream is not None \
                else self.device.allocate(size)
            return int(address), (int(address), size, rmm_stream)
        memory = cupy().cuda.alloc_pinned_memory(size)
        return int(memory.ptr), memory

    def free(self, owner, kind: MemoryKind, stream) -> None:
        if kind is MemoryKind.DEVICE:
            address, size, rmm_stream = owner
            if rmm_stream is not None:
                self.device.deallocate(address, size, rmm_stream)
            else:
                self.device.deallocate(address, size)


class CupyBackend(CudaBackend):
    """A real NVIDIA GPU through CuPy (``pip install gxf-cuda[cupy]``)."""

    name = "CuPy"

    @property
    def xp(self):
        return cupy()

    def check_device(self, dev_id: int) -> None:
        device(dev_id)

    def create_stream(self, dev_id, non_blocking, priority) -> DeviceStream:
        cp = cupy()
        with device(dev_id):
            try:
                stream = cp.cuda.Stream(non_blocking=non_blocking, priority=priority or None)
            except TypeError:  # CuPy without stream priorities
                stream = cp.cuda.Stream(non_blocking=non_blocking)
        return _CupyStream(stream)

    def create_event(self, dev_id, timing=False) -> DeviceEvent:
        with device(dev_id):
            return _CupyEvent(cupy().cuda.Event(disable_timing=not timing))

    def allocate(self, kind, size, dev_id=0):
        cp = cupy()
        size = max(int(size), 1)
        if kind is MemoryKind.PINNED:
            memory = cp.cuda.alloc_pinned_memory(size)
            return int(memory.ptr), memory
        with device(dev_id):
            memory = cp.cuda.malloc_managed(size) if kind is MemoryKind.MANAGED else cp.cuda.alloc(size)
        return int(memory.ptr), memory

    def copy(self, dst, src, size, stream=None, keep=None) -> None:
        # A queued copy from pageable host memory returns once the source is staged; pinned memory and
        # device memory are kept alive by their owners (tensors, buffers) in stream order.
        runtime = cupy().cuda.runtime
        if stream is None:
            runtime.memcpy(dst, src, size, 4)  # cudaMemcpyDefault: the direction follows from the addresses
        else:
            runtime.memcpyAsync(dst, src, size, 4, stream.handle)

    def memory_pool(self, dev_id, max_size):
        return _CupyPool(dev_id, max_size)

    def rmm_resources(self, dev_id, device_initial, device_max, host_initial, host_max):
        self.check_device(dev_id)
        with device(dev_id):
            return _RmmResources(dev_id, device_initial, device_max, host_initial, host_max)

    def array(self, address, shape, dtype, strides, owner):
        cp = cupy()
        nbytes = _span(shape, strides, cp.dtype(dtype).itemsize)
        memory = cp.cuda.UnownedMemory(address, nbytes, owner)
        return cp.ndarray(tuple(shape), dtype, cp.cuda.MemoryPointer(memory, 0), tuple(strides))

    def to_host(self, array):
        return cupy().asnumpy(array)


def wrap_native_stream(stream) -> DeviceStream:
    """A backend stream around a native CuPy stream (``cupy.cuda.Stream``)."""
    return _CupyStream(stream)


def _span(shape, strides, itemsize: int) -> int:
    if any(d == 0 for d in shape):
        return 0
    return sum((d - 1) * s for d, s in zip(shape, strides, strict=True)) + itemsize


# --- the active backend -----------------------------------------------------------------------------
_lock = threading.Lock()
_default = CupyBackend()
_active: CudaBackend = _default


def backend() -> CudaBackend:
    """The backend gxf.cuda's components use now (CuPy unless a test installed another)."""
    return _active


@contextlib.contextmanager
def use_backend(replacement: CudaBackend):
    """Makes ``replacement`` the active backend for the ``with`` block (tests use the emulation so)."""
    global _active
    with _lock:
        previous, _active = _active, replacement
    try:
        yield replacement
    finally:
        with _lock:
            _active = previous


def device_array(tensor):
    """An array of the backend's ``xp`` viewing a device tensor's memory (a CuPy array on a GPU)."""
    from gxf.std import MemoryStorageType
    from gxf.std.primitive_type import to_dtype

    if tensor.storage_type() not in (MemoryStorageType.kDevice, MemoryStorageType.kCudaManaged):
        raise DeviceUnavailableError(f"tensor '{tensor.name}' is in {tensor.storage_type().name} memory, "
                                     "not on the device", hint="use numpy.asarray(tensor) for host memory")
    dtype = to_dtype(tensor.element_type(), tensor.bytes_per_element())
    return backend().array(tensor.pointer(), tensor.shape().dims, dtype, tensor.strides(), tensor)


__all__ = ["CudaBackend", "CupyBackend", "DeviceEvent", "DeviceStream", "INSTALL_HINT", "MemoryKind",
           "backend", "device_array", "use_backend",
           "wrap_native_stream"]
