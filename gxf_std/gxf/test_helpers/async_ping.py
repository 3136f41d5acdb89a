"""AsyncPingTx and AsyncPingRx: codelets whose entity is woken by a thread of their own, through an
AsynchronousSchedulingTerm.

Each tick sets the term to EVENT_WAITING (the entity is parked); a helper thread, every ``delay`` ms,
turns EVENT_WAITING into EVENT_DONE (the scheduler is notified and ticks the entity again). The thread
starts in start() and is stopped and joined in stop() (and, should stop() never come, in
deinitialize()), so no thread outlives the graph.
"""

from __future__ import annotations

import logging
import threading

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std.async_scheduling_term import AsynchronousEventState, AsynchronousSchedulingTerm
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter

from .fixed_types import INT64, UINT64

_WAITING, _DONE, _NEVER = (AsynchronousEventState.EVENT_WAITING, AsynchronousEventState.EVENT_DONE,
                           AsynchronousEventState.EVENT_NEVER)


class _AsyncPinger(Codelet):
    """The helper thread both async codelets share."""

    delay = Parameter(INT64, 10, "Milliseconds the helper thread waits before waking the entity")
    scheduling_term = Parameter(Handle(AsynchronousSchedulingTerm), description="The term the thread sets "
                                "to EVENT_DONE")

    _thread: threading.Thread | None = None

    def initialize(self) -> None:
        if self.delay < 0:
            raise ValueError(f"delay must not be negative, got {self.delay}")
        self._stop_event = threading.Event()
        self.events_done = 0

    def start(self) -> None:
        self._stop_event.clear()
        self._thread = threading.Thread(target=self._ping, name=f"gxf-async-ping-{self.handle_text()}",
                                        daemon=True)
        self._thread.start()

    def _ping(self) -> None:
        self.logger.info("Async ping thread entering.")
        term, stop, delay = self.scheduling_term, self._stop_event, self.delay / 1000.0
        while not stop.wait(delay):
            if term.get_event_state() == _WAITING:
                self.events_done += 1
                term.set_event_state(_DONE)
        self.logger.info("Async ping thread exiting.")

    def stop(self) -> None:
        self._join()

    def deinitialize(self) -> None:
        self._join()

    def _join(self) -> None:
        self._stop_event.set()
        thread = self._thread
        if thread is not None:
            thread.join()
            self._thread = None


class AsyncPingTx(_AsyncPinger, type_name="nvidia::gxf::test::AsyncPingTx",
                  uuid="1c211f15-5e5a-4efc-8daa-19f351d19ad6"):
    """Publishes a message, then sleeps until a helper thread wakes it through an asynchronous term.

    Each tick publishes an empty message on ``signal`` and parks the entity until the helper thread
    wakes it ``delay`` ms later; after ``count`` messages it sets the term to EVENT_NEVER and the
    entity ends (``count`` 0: never).
    """

    signal = Parameter(Handle(Transmitter), description="Where the pings go")
    count = Parameter(UINT64, 0, "Messages to send before stopping (0: no limit)")

    def initialize(self) -> None:
        super().initialize()
        self.tick_count = 0

    def tick(self) -> None:
        message = MessageEntity(self.context)
        self.tick_count += 1
        self.scheduling_term.set_event_state(_NEVER if self.tick_count == self.count else _WAITING)
        self.signal.publish(message)


class AsyncPingRx(_AsyncPinger, type_name="nvidia::gxf::test::AsyncPingRx",
                  uuid="a4f26a81-a7dc-4cdb-8ad9-c638c2de48f8"):
    """Takes a message, then sleeps until a helper thread wakes it through an asynchronous term.

    Each tick receives a message from ``signal`` if there is one, and then parks the entity until the
    helper thread wakes it ``delay`` ms later; a tick without a message is not an error.
    """

    signal = Parameter(Handle(Receiver), description="Where the pings come from")

    def initialize(self) -> None:
        super().initialize()
        self.received = 0

    def start(self) -> None:
        super().start()
        self._debug = self.logger.isEnabledFor(logging.DEBUG)

    def tick(self) -> None:
        if self.signal.size() > 0:
            if self.signal.receive() is None:
                raise RuntimeError(f"'{self.signal.handle_text()}' reported a message but none was received")
            self.received += 1
            self.scheduling_term.set_event_state(_WAITING)
        elif self._debug:
            self.logger.debug("No messages to read from receiver queue!")
