"""CudaEvent: a CUDA event of the active backend (a CuPy event on a GPU) to order and time GPU work."""

from __future__ import annotations

from gxf.core import Component

from .backend import DeviceEvent, DeviceStream, backend


class CudaEvent(Component, type_name="nvidia::gxf::CudaEvent", uuid="f5388d5c-a709-47e7-86c4-171779bc64f3"):
    """Holds a CUDA event, for marking and waiting on points in a stream.

    A message may carry one (by name) to say when its data is ready: ``record`` it on the stream after
    the work, and a CudaEventSchedulingTerm downstream lets its entity run once the event completes.
    """

    def __init__(self) -> None:
        super().__init__()
        self._event: DeviceEvent | None = None
        self._dev_id = 0
        self._timing = False

    def init(self, dev_id: int = 0, timing: bool = False) -> None:
        """Sets the device the event is made on (GXF's ``CudaEvent::init``); the event is made on use."""
        self._event, self._dev_id, self._timing = None, int(dev_id), bool(timing)

    def init_with_event(self, other: CudaEvent) -> None:
        """Makes this component hold the same event as ``other`` (GXF's ``initWithEvent``)."""
        self._event, self._dev_id, self._timing = other.device_event(), other.dev_id(), other._timing

    initWithEvent = init_with_event

    def dev_id(self) -> int:
        return self._dev_id

    def device_event(self) -> DeviceEvent:
        """The backend's event (see ``gxf.cuda.backend.DeviceEvent``); created on the first call."""
        event = self._event
        if event is None:
            event = backend().create_event(self._dev_id, self._timing)
            self._event = event
        return event

    def event(self):
        """The native event: a ``cupy.cuda.Event`` on a GPU (the backend's event otherwise)."""
        event = self.device_event()
        return getattr(event, "event", event)

    def record(self, stream) -> None:
        """Records the event on ``stream``: a CudaStream component, a backend stream or a CuPy stream."""
        if hasattr(stream, "device_stream"):
            stream = stream.device_stream()
        elif not isinstance(stream, DeviceStream):
            from .backend import wrap_native_stream

            stream = wrap_native_stream(stream)
        self.device_event().record(stream)

    def synchronize(self) -> None:
        """Waits until the work recorded before the event is done."""
        if self._event is not None:
            self._event.synchronize()

    def query(self) -> bool:
        """True if the work recorded before the event is done (or nothing was recorded)."""
        return True if self._event is None else bool(self._event.query())

    def when_done(self, fn) -> None:
        """Calls ``fn()`` (from any thread) once the recorded work is done; at once if it is."""
        if self._event is None:
            fn()
        else:
            self._event.when_done(fn)

    def deinit(self) -> None:
        self._event = None
