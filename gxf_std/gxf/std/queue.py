"""Queue, Transmitter and Receiver: the interfaces of the message channels between entities."""

from __future__ import annotations

from gxf.core import Component, ExecutionError, MessageEntity


class Queue(Component, type_name="nvidia::gxf::Queue", uuid="792151bf-3138-4603-a912-5ca91828dea8",
            abstract=True):
    """A bounded sequence of message entities."""

    def capacity(self) -> int:
        raise NotImplementedError

    def size(self) -> int:
        raise NotImplementedError


class QueueFull(ExecutionError):
    """A message was published into a full queue whose policy is 'fault'."""


class Transmitter(Queue, type_name="nvidia::gxf::Transmitter", uuid="c30cc60f-0db2-409d-92b6-b2db92e02cce",
                  abstract=True):
    """The sending end of a channel: ``publish`` stages a message, ``sync`` makes it leave."""

    # Set by the router: the receivers this transmitter delivers to.
    _targets: tuple = ()

    def publish(self, message: MessageEntity, acqtime: int | None = None) -> None:
        raise NotImplementedError

    def back_size(self) -> int:
        raise NotImplementedError

    def sync(self) -> None:
        """Moves staged messages to the main stage."""
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


class Receiver(Queue, type_name="nvidia::gxf::Receiver", uuid="a47d2f62-2474-4d4d-9ec8-9e2ad9d8b0a4",
               abstract=True):
    """The receiving end of a channel: messages arrive in a back stage and are received after ``sync``."""

    def receive(self) -> MessageEntity | None:
        """The oldest message of the main stage, removed from the queue; None when empty."""
        raise NotImplementedError

    def peek(self, index: int = 0) -> MessageEntity | None:
        raise NotImplementedError

    def peek_back(self, index: int = 0) -> MessageEntity | None:
        raise NotImplementedError

    def back_size(self) -> int:
        raise NotImplementedError

    def sync(self) -> None:
        """Moves arrived messages into the main stage."""
        raise NotImplementedError

    def push_io(self, message: MessageEntity) -> None:
        """Delivers a message into the back stage (the router's side)."""
        raise NotImplementedError
