"""MockTransmitter and MockReceiver: single-stage queues that count what passes through them.

They can stand in for the double-buffer queues anywhere: connections, scheduling terms and
schedulers see the same Transmitter/Receiver interface. A published message is held by the
transmitter until its entity's tick ends, then delivered to every connected receiver, where it can be
received at once (there is no back stage). Each end counts messages, syncs and its peak fill, logs
them at INFO when the graph is torn down, and fails the run then if messages were left behind (unless
told to ignore them). ``fail_on_*`` parameters make an operation fail, to test error handling.
"""

from __future__ import annotations

import sys
from collections import deque

from gxf.core import ExecutionError, MessageEntity, Parameter
from gxf.std.queue import QueueFull, Receiver, Transmitter
from gxf.std.timestamp import stamp_published

from .checks import CheckFailed

UNBOUNDED = sys.maxsize


class MockQueueFailure(ExecutionError):
    """A mock queue operation failed because its ``fail_on_*`` parameter says so."""


class _MockQueue:
    """What both mock ends share: the buffer, its bound and the counters."""

    max_capacity = Parameter(int, optional=True, description="Most messages held at one time "
                             "(default: no limit)")
    fail_on_sync = Parameter(bool, False, "Make every sync() fail")

    def initialize(self) -> None:
        if self.max_capacity is not None and self.max_capacity < 1:
            raise ValueError(f"max_capacity must be at least 1, got {self.max_capacity}")
        self._bound = UNBOUNDED if self.max_capacity is None else self.max_capacity
        self._entities: deque = deque()
        self.syncs = 0
        self.peak = 0

    def capacity(self) -> int:
        return self._bound

    def size(self) -> int:
        return len(self._entities)

    def back_size(self) -> int:
        return 0

    def peek(self, index: int = 0) -> MessageEntity | None:
        entities = self._entities
        return entities[index] if 0 <= index < len(entities) else None

    def peek_back(self, index: int = 0) -> MessageEntity | None:
        return None

    def _push(self, message: MessageEntity) -> None:
        entities = self._entities
        if len(entities) >= self._bound:
            raise QueueFull(f"queue '{self.handle_text()}' is full (max_capacity {self._bound})",
                            self.location, "raise 'max_capacity' or add a DownstreamReceptiveSchedulingTerm")
        entities.append(message)
        if len(entities) > self.peak:
            self.peak = len(entities)

    def _fail(self, operation: str) -> None:
        raise MockQueueFailure(f"{operation}() of '{self.handle_text()}' fails (fail_on_{operation} is set)",
                               self.location, f"set fail_on_{operation}: false to let it succeed")

    def sync(self) -> None:
        if self.fail_on_sync:
            self._fail("sync")
        self.syncs += 1


class MockTransmitter(_MockQueue, Transmitter, type_name="nvidia::gxf::test::MockTransmitter",
                      uuid="9fa09605-8485-81ab-92c2-3096508cc4a1"):
    """A transmitter for tests: it counts what passes through and can be made to fail.

    ``publish`` stamps the message (a Timestamp with acqtime and pubtime, as the double-buffer
    transmitter does) and holds it; after the tick the messages go to every connected receiver. At
    teardown it logs ``Entities Published: n { Syncs: s | Peak: p }`` and fails if messages were never
    delivered (no connection), unless ``ignore_unpublished_entities``. Unlike GXF's mock, which only
    stores what is published for a unit test to pop, this one delivers, so it works in whole graphs.
    """

    ignore_unpublished_entities = Parameter(bool, False, "Let the run end normally even when messages "
                                            "were never delivered")
    fail_on_publish = Parameter(bool, False, "Make every publish() fail")

    def initialize(self) -> None:
        _MockQueue.initialize(self)
        self.published = 0

    def publish(self, message: MessageEntity, acqtime: int | None = None) -> None:
        if self.fail_on_publish:
            self._fail("publish")
        clock = self._clock
        stamp_published(message, acqtime, clock.timestamp() if clock is not None else 0)
        self._push(message)
        self.published += 1

    def pop_io(self) -> MessageEntity | None:
        entities = self._entities
        return entities.popleft() if entities else None

    def sync_io(self) -> None:
        entities = self._entities
        targets = self.routes
        if not targets:
            return  # kept: reported as unpublished at teardown
        while entities:
            message = entities.popleft()
            for receiver in targets:
                receiver.push_io(message)

    def sync_outbox(self) -> None:
        self.sync()
        self.sync_io()

    def deinitialize(self) -> None:
        self.logger.info("Entities Published: %d { Syncs: %d | Peak: %d }", self.published, self.syncs,
                         self.peak)
        if self._entities and not self.ignore_unpublished_entities:
            raise CheckFailed(f"Unpublished Entities: {len(self._entities)} (the transmitter is not "
                              "connected; set ignore_unpublished_entities: true to allow this)")


class MockReceiver(_MockQueue, Receiver, type_name="nvidia::gxf::test::MockReceiver",
                   uuid="e9c70ddb-f223-5546-bb7b-118048380c21"):
    """A receiver for tests: it counts what passes through and can be made to fail.

    Delivered messages can be received at once (single stage). Delivery beyond ``max_capacity`` fails
    the run naming the receiver. At teardown it logs ``Entities Received: n { Syncs: s | Peak: p }`` and
    fails if messages were never received, unless ``ignore_unreceived_entities``.
    """

    ignore_unreceived_entities = Parameter(bool, False, "Let the run end normally even when messages "
                                           "were never received")
    fail_on_receive = Parameter(bool, False, "Make every receive() fail")


    def initialize(self) -> None:
        _MockQueue.initialize(self)
        self.received = 0

    def receive(self) -> MessageEntity | None:
        if self.fail_on_receive:
            self._fail("receive")
        entities = self._entities
        if not entities:
            return None
        message = entities.popleft()
        self.received += 1
        on_pop = self._on_pop
        if on_pop is not None:
            on_pop()
        return message

    def push_io(self, message: MessageEntity) -> None:
        self._push(message)
        on_push = self._on_push
        if on_push is not None:
            on_push()

    def deinitialize(self) -> None:
        self.logger.info("Entities Received: %d { Syncs: %d | Peak: %d }", self.received, self.syncs,
                         self.peak)
        if self._entities and not self.ignore_unreceived_entities:
            raise CheckFailed(f"Unreceived Entities: {len(self._entities)} (set ignore_unreceived_entities: "
                              "true to allow this)")
