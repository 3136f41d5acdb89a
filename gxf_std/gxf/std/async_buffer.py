"""Async-buffer queues: a single slot where the latest message wins.

For producers and consumers running at unrelated rates, possibly on different threads: the producer
never waits and never fails on a full queue, the consumer always reads the freshest message. The slot
is one attribute, replaced in a single atomic store, so no lock is needed.

As in GXF, ``AsyncBufferReceiver.receive()`` does not consume: after the first message has arrived
every receive returns the freshest one, again and again until a newer one arrives. Its ``size()`` is 1
and ``back_size()`` 0; ``capacity()`` is ``size() + 1``, so DownstreamReceptiveSchedulingTerm always
lets the producer publish. One deviation: before the first message ``size()`` is 0 (GXF says 1 and
hands out an empty message), so a MessageAvailableSchedulingTerm waits for the first real message.
"""

from __future__ import annotations

from gxf.core import MessageEntity

from .queue import Receiver, Transmitter
from .timestamp import stamp_published


class AsyncBufferTransmitter(Transmitter, type_name="nvidia::gxf::AsyncBufferTransmitter",
                             uuid="784f5837-ffc9-4605-86ff-c448875673e4"):
    """A transmitter holding one message: a newer publish replaces an unsent older one.

    The message leaves for the connected receivers when the entity's tick ends.
    """

    def initialize(self) -> None:
        self._slot: MessageEntity | None = None
        self.replaced = 0  # messages replaced by a newer one before they were sent

    def deinitialize(self) -> None:
        self._slot = None

    def publish(self, message: MessageEntity, acqtime: int | None = None) -> None:
        """Puts ``message`` in the slot, stamped like DoubleBufferTransmitter.publish stamps it."""
        clock = self._clock
        now = clock.timestamp() if clock is not None else 0
        stamp_published(message, acqtime, now)
        if self._slot is not None:
            self.replaced += 1
        self._slot = message

    def capacity(self) -> int:
        return self.size() + 1

    def size(self) -> int:
        return 0 if self._slot is None else 1

    def back_size(self) -> int:
        return 0

    def sync(self) -> None:
        pass

    def peek(self, index: int = 0) -> MessageEntity | None:
        return self._slot if index == 0 else None

    def pop_io(self) -> MessageEntity | None:
        message, self._slot = self._slot, None
        return message

    def sync_outbox(self) -> None:
        message = self._slot
        if message is None:
            return
        self._slot = None
        self.sent += 1
        for receiver in self.routes:
            receiver.push_io(message)


class AsyncBufferReceiver(Receiver, type_name="nvidia::gxf::AsyncBufferReceiver",
                          uuid="f518ff98-c360-4223-b93f-5d485d7eb17c"):
    """A receiver holding the freshest message; receiving does not remove it."""

    def initialize(self) -> None:
        self._latest: MessageEntity | None = None
        self.received_count = 0  # messages that arrived (including ones overwritten unread)

    def deinitialize(self) -> None:
        self._latest = None

    def receive(self) -> MessageEntity | None:
        """The freshest message (None before the first one); it stays for the next receive."""
        message = self._latest
        if message is not None:
            on_pop = self._on_pop
            if on_pop is not None:
                on_pop()
        return message

    def peek(self, index: int = 0) -> MessageEntity | None:
        return self._latest if index == 0 else None

    def peek_back(self, index: int = 0) -> MessageEntity | None:
        return None

    def capacity(self) -> int:
        return self.size() + 1

    def size(self) -> int:
        return 0 if self._latest is None else 1

    def back_size(self) -> int:
        return 0

    def sync(self) -> None:
        pass

    def push_io(self, message: MessageEntity) -> None:
        self._latest = message
        self.received_count += 1
        on_push = self._on_push
        if on_push is not None:
            on_push()
