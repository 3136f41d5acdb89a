"""Scheduling terms that let an entity run once the GPU work behind its next message is done.

- ``CudaStreamSchedulingTerm``: the work queued on the stream the message names (CudaStreamId);
- ``CudaEventSchedulingTerm``: the message's CUDA event called ``event_name``;
- ``CudaBufferAvailableSchedulingTerm``: the asynchronous filling of the message's CudaBuffer.

None of them is polled. Each looks at the front message of its receiver when a message arrives,
registers a host callback on the stream (or event) behind it and says WAIT_EVENT; the callback, run
by the driver once the work is done, marks the data available and wakes the scheduler through
``notify_change()``. Once the entity has taken the message, the term looks at the next one.
"""

from __future__ import annotations

import enum
import threading

from gxf.core import Handle, Parameter
from gxf.std.queue import Receiver
from gxf.std.scheduling_condition import READY_NOW, WAIT_EVENT_NOW, WAIT_NOW
from gxf.std.scheduling_term import ARRIVAL, QueueWait, SchedulingTerm, Waits

from .cuda_buffer import CudaBuffer, CudaBufferState
from .cuda_event import CudaEvent
from .cuda_stream import stream_of_message


class TermState(enum.IntEnum):
    """Where a callback-driven term is with its front message (GXF's values)."""

    UNSET = 0                # not watching a message
    CALLBACK_REGISTERED = 1  # a host callback will say when the message's data is ready
    DATA_AVAILABLE = 2       # the message's data is ready: the entity may run


class _CallbackTerm(SchedulingTerm, abstract=True):
    """The state machine the callback-driven terms share; subclasses say how to wait for a message."""

    receiver = Parameter(Handle(Receiver), description="The receiver whose front message's GPU work is "
                         "waited for")

    def initialize(self) -> None:
        self._lock = threading.Lock()
        self._state = TermState.UNSET
        self._message_eid = None
        self._callbacks = 0  # host callbacks registered (for tests and statistics)

    def waits_on(self) -> Waits:
        # A message arriving may start a wait (without one the term certainly waits); the host callback
        # ends it with notify_change().
        receiver = self.receiver
        return Waits((QueueWait(receiver, ARRIVAL, receiver.available, 1),), notifies=True)

    def state(self) -> TermState:
        return self._state

    def callbacks_registered(self) -> int:
        """How many host callbacks the term has registered so far."""
        return self._callbacks

    def _front(self):
        receiver = self.receiver
        return receiver.peek(0) if receiver.size() else receiver.peek_back(0)

    def check(self, timestamp: int) -> tuple:
        state = self._state
        if state is TermState.DATA_AVAILABLE:
            return READY_NOW
        if state is TermState.CALLBACK_REGISTERED:
            return WAIT_EVENT_NOW
        message = self._front()
        if message is None:
            return WAIT_NOW
        with self._lock:
            self._message_eid = message.eid
            self._state = TermState.CALLBACK_REGISTERED
        self._callbacks += 1
        try:
            armed = self._arm(message)
        except BaseException:
            self._state, self._message_eid = TermState.UNSET, None
            self._callbacks -= 1
            raise
        if not armed:
            self._state = TermState.DATA_AVAILABLE
            self._callbacks -= 1
        # The callback may already have run (the work was done): then the data is available now.
        return READY_NOW if self._state is TermState.DATA_AVAILABLE else WAIT_EVENT_NOW

    def _arm(self, message) -> bool:
        """Registers ``self._data_ready`` to be called once the message's data is ready; False if it is."""
        raise NotImplementedError

    def _data_ready(self) -> None:
        """The host callback: marks the data available and wakes the scheduler (any thread, no GPU calls)."""
        with self._lock:
            if self._state is not TermState.CALLBACK_REGISTERED:
                return
            self._state = TermState.DATA_AVAILABLE
        self.notify_change()

    def on_execute(self, timestamp: int) -> None:
        if self._state is TermState.DATA_AVAILABLE:
            front = self._front()
            if front is None or front.eid != self._message_eid:  # the message was taken
                with self._lock:
                    self._state = TermState.UNSET
                    self._message_eid = None


class CudaStreamSchedulingTerm(_CallbackTerm, type_name="nvidia::gxf::CudaStreamSchedulingTerm",
                               uuid="7397a4aa-a4e9-4b6c-8506-64d7c18c17ae"):
    """Lets an entity run once the work queued on its next message's CUDA stream is done.

    The stream is the one the message's CudaStreamId names; a host callback queued on it behind the
    producer's work wakes the scheduler, which never polls the term. A message without a CudaStreamId
    is available at once.
    """

    def _arm(self, message) -> bool:
        stream = stream_of_message(message, self.context)
        if stream is None:
            return False
        stream.launch_host_func(self._data_ready)
        return True


class CudaBufferAvailableSchedulingTerm(_CallbackTerm,
                                        type_name="nvidia::gxf::CudaBufferAvailableSchedulingTerm",
                                        uuid="edab61b6-5f76-11ef-ba73-cfbc18c46142"):
    """Lets an entity run once the CudaBuffer of its next message has been filled.

    A buffer whose stream has nothing pending makes the entity ready at once; otherwise a host callback
    on the buffer's stream, queued behind the producer's work, wakes the scheduler. A message without
    a CudaBuffer is reported and let through.
    """

    def _arm(self, message) -> bool:
        buffer = message.get(CudaBuffer)
        if buffer is None:
            self.logger.error("the message at '%s' holds no CudaBuffer: letting it through",
                              self.receiver.handle_text())
            return False
        stream = buffer.stream()
        if buffer.state() is CudaBufferState.DATA_AVAILABLE and (stream is None or stream.query()):
            return False  # filled, and nothing queued since (the producer's filling work) is pending
        buffer.register_callback_on_stream(self._data_ready)
        return True


class CudaEventSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::CudaEventSchedulingTerm",
                              uuid="c2122c2d-0745-4260-b110-514c3f4e82f9"):
    """Lets an entity run once the CUDA event ``event_name`` of its next message has completed.

    WAIT while the receiver is empty or the front message has no such event; while the event is
    pending the term says WAIT_EVENT and is woken by the event's completion (a host callback behind
    it), never polled. An empty ``event_name`` takes the message's first CudaEvent.
    """

    receiver = Parameter(Handle(Receiver), description="The receiver whose front message's event is "
                         "waited for")
    event_name = Parameter(str, "", "Name of the CudaEvent component of the message to wait for (empty: "
                           "its first CudaEvent)")

    def initialize(self) -> None:
        self._armed_for = None  # eid of the message whose event will call back
        self._last_change = 0
        self._ready = False
        self._warned = False

    def waits_on(self) -> Waits:
        receiver = self.receiver
        return Waits((QueueWait(receiver, ARRIVAL, receiver.available, 1),), notifies=True)

    def _event_of(self, message):
        name = self.event_name or None
        for component in message.components:
            if isinstance(component, CudaEvent) and (name is None or component.name == name):
                return component
        return None

    def check(self, timestamp: int) -> tuple:
        receiver = self.receiver
        message = receiver.peek(0) if receiver.size() else receiver.peek_back(0)
        if message is None:
            return self._condition(False, timestamp, WAIT_NOW)
        event = self._event_of(message)
        if event is None:
            if not self._warned:
                self._warned = True
                self.logger.warning("the message at '%s' has no CudaEvent named '%s': the entity waits",
                                    receiver.handle_text(), self.event_name)
            return self._condition(False, timestamp, WAIT_NOW)
        if event.query():
            return self._condition(True, timestamp, None)
        if self._armed_for != message.eid:
            self._armed_for = message.eid
            event.when_done(self.notify_change)
            if event.query():
                return self._condition(True, timestamp, None)
        return self._condition(False, timestamp, WAIT_EVENT_NOW)

    def _condition(self, ready: bool, timestamp: int, waiting):
        if ready != self._ready:
            self._ready = ready
            self._last_change = timestamp
        return (READY_NOW[0], self._last_change) if ready else waiting

    def on_execute(self, timestamp: int) -> None:
        self._armed_for = None
