"""CUDA streams: CudaStream, the CudaStreamPool that hands them out, and CudaStreamId for messages.

A stream component exists without a GPU; the CUDA stream behind it is created (with CuPy) the
first time it is used, so a graph with a CudaStreamPool activates anywhere.
"""

from __future__ import annotations

import threading

from gxf.core import Component, Entity, GxfError, HandleError, Parameter
from gxf.std.allocator import AllocationError, Allocator, AllocatorStage
from gxf.std.memory_storage import MemoryStorageType, register_stream_finder

from .backend import DeviceStream, backend

_STREAM_NAME = "CudaStream"


class CudaStream(Component, type_name="nvidia::gxf::CudaStream", uuid="5683d692-7884-11eb-9338-c3be62d576be"):
    """Holds one CUDA stream of the active backend (a CuPy stream on a GPU), made when first used.

    Work is queued on it with ``run(work)`` (host code launching device work, e.g. CuPy calls),
    ``launch_host_func(fn)`` calls ``fn`` once the work queued before is done, ``sync_stream()`` waits
    for all of it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._flags = 0
        self._dev_id = 0
        self._priority = 0
        self._stream = None

    def configure(self, stream_flags: int = 0, dev_id: int = 0, stream_priority: int = 0) -> None:
        """Sets how the CUDA stream will be created (GXF's ``CudaStream::initialize``)."""
        self._flags, self._dev_id, self._priority = int(stream_flags), int(dev_id), int(stream_priority)

    def device_stream(self) -> DeviceStream:
        """The backend's stream (see ``gxf.cuda.backend.DeviceStream``); created on the first call."""
        stream = self._stream
        if stream is None:
            non_blocking = bool(self._flags & 1)  # cudaStreamNonBlocking
            stream = backend().create_stream(self._dev_id, non_blocking, self._priority)
            self._stream = stream
        return stream

    def stream(self):
        """The native stream: a ``cupy.cuda.Stream`` on a GPU (the backend's stream otherwise)."""
        stream = self.device_stream()
        return getattr(stream, "stream", stream)

    def handle(self) -> int:
        """The ``cudaStream_t`` as an integer."""
        return int(self.device_stream().handle)

    def dev_id(self) -> int:
        return self._dev_id

    def run(self, work) -> None:
        """Queues ``work`` (host code launching device work) in the order of this stream."""
        self.device_stream().run(work)

    def launch_host_func(self, fn) -> None:
        """Calls ``fn()`` from a driver thread once the work queued so far is done (``fn`` must not use
        the GPU)."""
        self.device_stream().launch_host_func(fn)

    def sync_stream(self) -> None:
        """Waits until all work queued on the stream is done."""
        if self._stream is not None:
            self._stream.synchronize()

    syncStream = sync_stream

    def query(self) -> bool:
        """True if all work queued on the stream is done."""
        return self._stream is None or self._stream.query()

    def record(self, event) -> None:
        """Records ``event`` (a CudaEvent) on this stream."""
        event.record(self)

    def wait_event(self, event) -> None:
        """Makes work queued later on this stream wait for ``event`` (a CudaEvent)."""
        self.device_stream().wait_event(event.device_event())

    def reset_events(self) -> None:
        """Forgets recorded events (nothing to do: events are owned by their CudaEvent components)."""


class CudaStreamId(Component, type_name="nvidia::gxf::CudaStreamId",
                   uuid="7982aeac-37f1-41be-ade8-6f00b4b5d47c"):
    """Names, by component id, the CUDA stream a message's data was produced on."""

    def __init__(self, stream_cid: int = 0) -> None:
        Component.__init__(self)
        self.stream_cid = stream_cid

    @staticmethod
    def add_to_entity(entity, name: str | None = None) -> CudaStreamId:
        """Adds a CudaStreamId to a message and returns it (set ``stream_cid`` on it)."""
        stream_id = CudaStreamId()
        entity.add(stream_id, name or "")
        return stream_id

    @staticmethod
    def get_from_entity(entity, name: str | None = None) -> CudaStreamId:
        """The CudaStreamId called ``name`` in a message (the first one without a name)."""
        for component in entity.components:
            if isinstance(component, CudaStreamId) and (name is None or component.name == name):
                return component
        what = f"no CudaStreamId named '{name}'" if name is not None else "no CudaStreamId"
        raise GxfError(f"the message has {what}", hint="add one with CudaStreamId.add_to_entity(message)")

    def __repr__(self) -> str:
        return f"<CudaStreamId {self.name or '(unnamed)'} stream_cid={self.stream_cid}>"


class CudaStreamPool(Allocator, type_name="nvidia::gxf::CudaStreamPool",
                     uuid="6733bf8b-ba5e-4fae-b596-af2d1269d0e7"):
    """Hands out CUDA streams to codelets and takes them back for reuse.

    ``allocate_stream()`` returns ``(cid, stream)``: a CudaStream component (found again with
    ``context.component(cid)``, e.g. from a message's CudaStreamId) that goes back to the pool with
    ``release_stream``. ``reserved_size`` streams are made ready when the graph is initialized; at
    most ``max_size`` are out at once (0: no limit).
    """

    dev_id = Parameter(int, 0, "Index of the CUDA device the streams belong to")
    stream_flags = Parameter(int, 0, "Flags the streams are made with (1: cudaStreamNonBlocking)")
    stream_priority = Parameter(int, 0, "Priority the streams are made with")
    reserved_size = Parameter(int, 1, "Streams made in advance, when the graph is initialized")
    max_size = Parameter(int, 0, "Most streams handed out at once (0: no limit)")

    def initialize(self) -> None:
        for key in ("reserved_size", "max_size"):
            if self.get_param(key) < 0:
                raise AllocationError(f"parameter '{key}' of {self.describe_self()} must not be negative",
                                      self.location)
        self._max = self.max_size
        if self._max and self._max < self.reserved_size:
            self.logger.warning("stream pool max_size %d < reserved_size %d: using max_size %d",
                                self._max, self.reserved_size, self.reserved_size)
            self._max = self.reserved_size
        self._lock = threading.Lock()
        self._streams: dict[int, CudaStream] = {}
        self._made = 0
        self._reserved = [self._new_stream() for _ in range(self.reserved_size)]
        self._stage = AllocatorStage.kInitialized

    def deinitialize(self) -> None:
        self._streams = {}
        self._reserved = []
        self._stage = AllocatorStage.kUninitialized

    def allocate_stream(self) -> tuple[int, CudaStream]:
        """``(cid, stream)`` of a stream from the pool."""
        if self._stage != AllocatorStage.kInitialized:
            raise AllocationError(f"{self.describe_self()} cannot allocate a stream: it is "
                                  f"{self.allocator_stage_str()}", self.location,
                                  "allocate streams in start() or tick(), once the graph is activated")
        with self._lock:
            if self._max and len(self._streams) >= self._max:
                raise AllocationError(
                    f"{self.describe_self()} reached its capacity of {self._max} streams", self.location,
                    "raise max_size (0 means no limit), or release streams with release_stream()")
            stream = self._reserved.pop() if self._reserved else self._new_stream()
            self._streams[stream.cid] = stream
        return stream.cid, stream

    def release_stream(self, stream) -> None:
        """Gives a stream (the component or its cid) back to the pool."""
        cid = stream if isinstance(stream, int) else getattr(stream, "cid", None)
        with self._lock:
            taken = self._streams.pop(cid, None)
            if taken is None:
                raise AllocationError(f"{self.describe_self()} did not hand out stream {stream!r}",
                                      self.location, "release streams to the pool that allocated them")
            taken.reset_events()
            self._reserved.append(taken)

    # --- Allocator: a stream per request ---------------------------------------------------------------
    def is_available(self, size: int) -> bool:
        if self._stage != AllocatorStage.kInitialized:
            return False
        return not self._max or len(self._streams) + size <= self._max

    def allocate(self, size: int = 1, storage_type=MemoryStorageType.kDevice) -> CudaStream:
        if size != 1:
            raise AllocationError(f"{self.describe_self()} allocates one stream per call, not {size}",
                                  self.location)
        return self.allocate_stream()[1]

    def free(self, stream) -> None:
        self.release_stream(stream)

    def handed_out(self, stream) -> bool:
        """True if ``stream`` (the component or its cid) is out of this pool now."""
        cid = stream if isinstance(stream, int) else getattr(stream, "cid", None)
        with self._lock:
            return cid in self._streams

    def num_allocated(self) -> int:
        """How many streams are out of the pool now."""
        return len(self._streams)

    def _new_stream(self) -> CudaStream:
        self._made += 1
        owner = Entity(self.context, f"{self.handle_text()}/stream{self._made}")
        stream = owner.add(CudaStream, _STREAM_NAME)
        stream.configure(self.stream_flags, self.dev_id, self.stream_priority)
        return stream


def stream_of_message(message, context=None, name: str | None = None) -> CudaStream | None:
    """The CudaStream named by the first CudaStreamId (called ``name``, if given) of ``message``, or None.

    Raises HandleError when the id names no stream of ``context`` (or of the message's context).
    """
    context = context if context is not None else message.context
    for component in message.components:
        if isinstance(component, CudaStreamId) and (name is None or component.name == name):
            if not component.stream_cid or context is None:
                return None
            stream = context.component(component.stream_cid)
            if not isinstance(stream, CudaStream):
                raise HandleError(f"CudaStreamId '{component.name}' names component {component.stream_cid}, "
                                  f"which is a {type(stream).__name__}, not a CudaStream",
                                  hint="set stream_cid to the cid a CudaStreamPool's allocate_stream() gave")
            return stream
    return None


register_stream_finder(stream_of_message)
