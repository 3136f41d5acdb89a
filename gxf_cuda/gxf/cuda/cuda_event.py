"""CudaEvent: a CUDA event (a CuPy event, created on first use) to order and time GPU work."""

from __future__ import annotations

from gxf.core import Component

from .cupy_support import cupy, device


class CudaEvent(Component, type_name="nvidia::gxf::CudaEvent", uuid="f5388d5c-a709-47e7-86c4-171779bc64f3"):
    """Holds a CUDA event, for marking and waiting on points in a stream."""

    def __init__(self) -> None:
        super().__init__()
        self._event = None
        self._dev_id = 0
        self._timing = False

    def init(self, dev_id: int = 0, timing: bool = False) -> None:
        """Sets the device the event is made on (GXF's ``CudaEvent::init``); the event is made on use."""
        self._event, self._dev_id, self._timing = None, int(dev_id), bool(timing)

    def event(self):
        """The CuPy event (``cupy.cuda.Event``)."""
        event = self._event
        if event is None:
            with device(self._dev_id):
                event = cupy().cuda.Event(disable_timing=not self._timing)
            self._event = event
        return event

    def record(self, stream) -> None:
        """Records the event on ``stream``: a CudaStream component or a CuPy stream."""
        stream = stream.stream() if hasattr(stream, "configure") else stream
        self.event().record(stream)

    def synchronize(self) -> None:
        """Waits until the work recorded before the event is done."""
        if self._event is not None:
            self._event.synchronize()

    def query(self) -> bool:
        """True if the work recorded before the event is done (or nothing was recorded)."""
        return True if self._event is None else bool(self._event.done)

    def deinit(self) -> None:
        self._event = None
