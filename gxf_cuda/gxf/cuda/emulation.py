"""HostEmulationBackend: a GPU emulated in host memory, for the tests of machines without one.

FOR TESTS ONLY. It is never selected by itself: a test installs it with ``with HostEmulationBackend()
as gpu:`` (or ``use_backend``), and gxf.cuda's streams, events, scheduling terms, allocators and device
tensors then run on the CPU with the semantics of CUDA that they rely on:

- "device" memory is ordinary host memory (NumPy), reached by codelets through ``device_array`` as
  NumPy arrays, never by ``numpy.asarray(tensor)`` (which refuses device tensors as on a GPU);
- work queued on a stream (``stream.run``, asynchronous copies, event records, host functions) runs
  later, in the order it was queued, on one device thread of the backend;
- ``pause()`` holds the device thread so that a test can see what happens while work is pending;
  ``resume()`` lets it go on; ``close()`` (the end of the ``with`` block) stops the thread.

It counts what it was asked for (``allocations``, ``host_funcs``) so that tests can check, for
instance, that a scheduling term registered a host callback instead of polling.
"""

from __future__ import annotations

import collections
import ctypes
import itertools
import logging
import threading

from gxf.std.memory_storage import DeviceUnavailableError

from .backend import CudaBackend, DeviceEvent, DeviceStream, MemoryKind, use_backend

_log = logging.getLogger("gxf.cuda.emulation")
SYNC_TIMEOUT_S = 30.0


class EmulatedDeviceError(RuntimeError):
    """Work queued on an emulated stream failed, or a wait on the emulated device took too long."""


class _Stream(DeviceStream):
    def __init__(self, gpu: HostEmulationBackend, handle: int, dev_id: int):
        self.gpu = gpu
        self.handle = handle
        self.dev_id = dev_id
        self.pending = 0
        self.error: BaseException | None = None

    def run(self, work) -> None:
        self.gpu.enqueue(self, work)

    def launch_host_func(self, fn) -> None:
        self.gpu.host_funcs += 1
        self.gpu.enqueue(self, fn)

    def wait_event(self, event) -> None:
        self.gpu.enqueue(self, event.check_done)

    def synchronize(self) -> None:
        if threading.current_thread() is self.gpu.thread:
            raise EmulatedDeviceError("a stream was synchronized from a host function or stream work, "
                                      "which CUDA does not allow")
        self.gpu.wait_for(lambda: self.pending == 0, f"stream {self.handle:#x}")
        error, self.error = self.error, None
        if error is not None:
            raise EmulatedDeviceError(f"work queued on emulated stream {self.handle:#x} failed: "
                                      f"{type(error).__name__}: {error}") from error

    def query(self) -> bool:
        return self.pending == 0


class _Event(DeviceEvent):
    def __init__(self, gpu: HostEmulationBackend):
        self.gpu = gpu
        self.recorded = 0   # records queued
        self.reached = 0    # records the device thread has passed
        self.callbacks: list = []

    def record(self, stream) -> None:
        with self.gpu.cond:
            self.recorded += 1
            mark = self.recorded
        stream.run(lambda: self._reach(mark))

    def _reach(self, mark: int) -> None:
        with self.gpu.cond:
            self.reached = max(self.reached, mark)
            done = self.reached == self.recorded
            callbacks, self.callbacks = (self.callbacks, []) if done else ([], self.callbacks)
        for fn in callbacks:
            fn()

    def query(self) -> bool:
        return self.reached == self.recorded

    def check_done(self) -> None:
        if not self.query():
            raise EmulatedDeviceError("a stream waited on an event recorded after it in queue order")

    def synchronize(self) -> None:
        self.gpu.wait_for(self.query, "event")

    def when_done(self, fn) -> None:
        with self.gpu.cond:
            if self.reached != self.recorded:
                self.callbacks.append(fn)
                return
        fn()


class _Pool:
    """A stream-ordered pool of the emulation: fresh host memory per request."""

    def __init__(self, gpu: HostEmulationBackend, dev_id: int):
        self.gpu, self.dev_id = gpu, dev_id

    def malloc(self, size: int, stream):
        return self.gpu.allocate(MemoryKind.DEVICE, size, self.dev_id)

    def free(self, owner, stream) -> None:
        self.gpu.frees += 1


class _Rmm:
    """RMM pools of the emulation (the limits are kept by the RMMAllocator itself)."""

    def __init__(self, gpu: HostEmulationBackend, dev_id: int):
        self.gpu, self.dev_id = gpu, dev_id

    def allocate(self, kind: MemoryKind, size: int, stream):
        return self.gpu.allocate(kind, size, self.dev_id)

    def free(self, owner, kind: MemoryKind, stream) -> None:
        self.gpu.frees += 1


class _View:
    """An object exposing host memory through ``__array_interface__`` (NumPy wraps it without a copy)."""

    def __init__(self, address, shape, dtype, strides, owner):
        self.__array_interface__ = {"data": (address, False), "shape": tuple(shape), "typestr": dtype.str,
                                    "strides": tuple(strides) or None, "version": 3}
        self.owner = owner


class HostEmulationBackend(CudaBackend):
    """FOR TESTS ONLY: a GPU emulated in host memory with one device thread (see the module docstring)."""

    name = "host emulation (tests only)"

    def __init__(self, devices: int = 1):
        import numpy

        self.numpy = numpy
        self.devices = devices
        self.cond = threading.Condition()
        self.queue: collections.deque = collections.deque()
        self.paused = False
        self.closed = False
        self.thread: threading.Thread | None = None
        self.handles = itertools.count(0x5000)
        self.allocations: collections.Counter = collections.Counter()
        self.frees = 0
        self.host_funcs = 0
        self._installed = None

    # --- a test's controls -------------------------------------------------------------------------------
    def __enter__(self) -> HostEmulationBackend:
        self._installed = use_backend(self)
        self._installed.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.close()
        finally:
            installed, self._installed = self._installed, None
            if installed is not None:
                installed.__exit__(*exc)

    def pause(self) -> None:
        """Holds the device thread: queued work waits until ``resume()``."""
        with self.cond:
            self.paused = True

    def resume(self) -> None:
        with self.cond:
            self.paused = False
            self.cond.notify_all()

    def pending(self) -> int:
        """Work items queued and not yet run."""
        return len(self.queue)

    def drain(self) -> None:
        """Waits until every queued work item has run."""
        self.wait_for(lambda: not self.queue and not self.busy, "device")

    def close(self) -> None:
        """Runs what is still queued (a paused device resumes) and stops the device thread."""
        with self.cond:
            self.closed = True
            self.paused = False
            self.cond.notify_all()
        thread = self.thread
        if thread is not None:
            thread.join(SYNC_TIMEOUT_S)
            self.thread = None

    # --- the device thread ------------------------------------------------------------------------------
    busy = False

    def enqueue(self, stream: _Stream, work) -> None:
        with self.cond:
            if self.closed:
                raise EmulatedDeviceError("the emulated device is closed")
            stream.pending += 1
            self.queue.append((stream, work))
            if self.thread is None:
                self.thread = threading.Thread(target=self._device_loop, name="emulated-gpu", daemon=True)
                self.thread.start()
            self.cond.notify_all()

    def _device_loop(self) -> None:
        cond = self.cond
        while True:
            with cond:
                while not self.queue or self.paused:
                    if self.closed and not self.queue:
                        return
                    cond.wait()
                stream, work = self.queue.popleft()
                self.busy = True
            try:
                if stream.error is None:
                    work()
            except BaseException as exc:  # noqa: BLE001 - kept on the stream, as CUDA keeps its errors
                _log.error("work on emulated stream %#x failed: %s: %s", stream.handle, type(exc).__name__,
                           exc)
                stream.error = exc
            finally:
                with cond:
                    stream.pending -= 1
                    self.busy = False
                    cond.notify_all()

    def wait_for(self, predicate, what: str) -> None:
        with self.cond:
            if not self.cond.wait_for(predicate, SYNC_TIMEOUT_S):
                state = "paused" if self.paused else "busy"
                raise EmulatedDeviceError(f"the emulated {what} did not finish within {SYNC_TIMEOUT_S:.0f} s "
                                          f"(the emulated device is {state})")

    # --- CudaBackend ----------------------------------------------------------------------------------
    @property
    def xp(self):
        return self.numpy

    def check_device(self, dev_id: int) -> None:
        if not 0 <= int(dev_id) < self.devices:
            raise DeviceUnavailableError(f"there is no GPU {dev_id} (the emulation has {self.devices})",
                                         hint=f"use a dev_id from 0 to {self.devices - 1}")

    def create_stream(self, dev_id, non_blocking, priority) -> DeviceStream:
        self.check_device(dev_id)
        return _Stream(self, next(self.handles), dev_id)

    def create_event(self, dev_id, timing=False) -> DeviceEvent:
        self.check_device(dev_id)
        return _Event(self)

    def allocate(self, kind, size, dev_id=0):
        self.check_device(dev_id)
        array = self.numpy.zeros(max(int(size), 1), self.numpy.uint8)
        self.allocations[kind] += 1
        return array.__array_interface__["data"][0], array

    def copy(self, dst, src, size, stream=None, keep=None) -> None:
        if stream is None:
            ctypes.memmove(dst, src, size)
        else:
            def work(keep=keep):
                ctypes.memmove(dst, src, size)

            stream.run(work)

    def memory_pool(self, dev_id, max_size):
        self.check_device(dev_id)
        return _Pool(self, dev_id)

    def rmm_resources(self, dev_id, device_initial, device_max, host_initial, host_max):
        self.check_device(dev_id)
        return _Rmm(self, dev_id)

    def array(self, address, shape, dtype, strides, owner):
        return self.numpy.asarray(_View(address, shape, self.numpy.dtype(dtype), strides, owner))

    def to_host(self, array):
        return self.numpy.array(array, copy=True)
