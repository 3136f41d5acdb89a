"""Queue, Transmitter and Receiver: the interfaces of the message channels between entities.

A transmitter belongs to the publishing entity, a receiver to the consuming one; connections (and
topics) join them. Delivery works in two steps, as in GXF: a codelet ``publish``es into the
transmitter during its tick, and after the tick the executor calls ``sync_outbox``, which hands every
published message to each connected receiver (``push_io``). The same message object goes to every
receiver: messages are shared, not copied. A receiver makes arrived messages receivable on ``sync``,
which the executor calls before its entity ticks.

Receivers tell the scheduler about traffic through two optional callbacks an event-driven scheduler
sets: ``_on_push()`` when a message arrives (the downstream entity may have become ready) and
``_on_pop()`` when one is consumed (the upstream entity may have room again).
"""

from __future__ import annotations

from gxf.core import Component, ExecutionError, MessageEntity


class Queue(Component, type_name="nvidia::gxf::Queue", uuid="792151bf-3138-4603-a912-5ca91828dea8",
            abstract=True):
    """Base of the message queues that connect entities."""

    def capacity(self) -> int:
        """How many messages each stage holds."""
        raise NotImplementedError

    def size(self) -> int:
        """How many messages the main stage holds."""
        raise NotImplementedError

    def back_size(self) -> int:
        """How many messages wait in the back stage for the next ``sync``."""
        raise NotImplementedError

    def sync(self) -> None:
        """Moves staged messages to the main stage."""
        raise NotImplementedError


class QueueFull(ExecutionError):
    """A message went into a full queue whose policy is 2 (fault)."""


class Transmitter(Queue, type_name="nvidia::gxf::Transmitter", uuid="c30cc60f-0db2-409d-92b6-b2db92e02cce",
                  abstract=True):
    """Base of the transmitters: ``publish`` stages a message, ``sync`` makes it leave."""

    # Set by connections and topics: the receivers this transmitter delivers to.
    _targets: tuple = ()
    # Set by the scheduler: the clock that stamps pubtime.
    _clock = None

    def publish(self, message: MessageEntity, acqtime: int | None = None) -> None:
        """Sends ``message``; it carries a Timestamp "timestamp" afterwards (see DoubleBufferTransmitter)."""
        raise NotImplementedError

    def pop_io(self) -> MessageEntity | None:
        """Takes the oldest message of the main stage (the router's side)."""
        raise NotImplementedError

    def sync_outbox(self) -> None:
        """After a tick: ``sync`` then ``sync_io`` (queues may fuse the two)."""
        self.sync()
        self.sync_io()

    def sync_io(self) -> None:
        """Delivers every message of the main stage to the connected receivers."""
        targets = self._targets
        while self.size():
            message = self.pop_io()
            for receiver in targets:
                receiver.push_io(message)


class Receiver(Queue, type_name="nvidia::gxf::Receiver", uuid="a47d2f62-245f-40fc-90b7-5dc78ff2437e",
               abstract=True):
    """Base of the receivers: messages arrive in a back stage and can be received after ``sync``."""

    # Set by connections and topics: the transmitters delivering here.
    _sources: tuple = ()
    # Set by event-driven schedulers: called when a message arrives / is consumed.
    _on_push = None
    _on_pop = None
    _clock = None

    def receive(self) -> MessageEntity | None:
        """The oldest message of the main stage, removed from the queue; None when there is none."""
        raise NotImplementedError

    def peek(self, index: int = 0) -> MessageEntity | None:
        """The message at ``index`` of the main stage (0 = oldest) without removing it; None if absent."""
        raise NotImplementedError

    def peek_back(self, index: int = 0) -> MessageEntity | None:
        """The message at ``index`` of the back stage (0 = oldest); None if absent."""
        raise NotImplementedError

    def push_io(self, message: MessageEntity) -> None:
        """Delivers a message into the back stage (the router's side)."""
        raise NotImplementedError

    def available(self) -> int:
        """Messages arrived or receivable: ``size() + back_size()`` (scheduling terms ask this)."""
        return self.size() + self.back_size()

    def room(self) -> int:
        """Free slots: ``capacity() - size() - back_size()`` (scheduling terms ask this)."""
        return self.capacity() - self.size() - self.back_size()
