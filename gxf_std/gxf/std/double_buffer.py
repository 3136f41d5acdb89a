"""Double-buffer queues: messages land in a back stage and become visible on ``sync``.

Capacity bounds each stage. When a stage overflows the policy decides: 0 pops the oldest message,
1 rejects the newest, 2 (the default) fails the run naming the queue. A dropped message is counted
(``dropped``) and the first drop of each queue is logged as a warning.
"""

from __future__ import annotations

from collections import deque

from gxf.core import MessageEntity, Parameter

from .queue import QueueFull, Receiver, Transmitter
from .timestamp import Timestamp

POLICY_POP, POLICY_REJECT, POLICY_FAULT = 0, 1, 2
_POLICY_NAMES = {0: "pop", 1: "reject", 2: "fault"}


class _StagedQueue:
    """The staging logic both double-buffer ends share (a mix-in over Transmitter/Receiver)."""

    capacity_ = Parameter(int, 1, "Maximum number of messages in each stage", key="capacity")
    policy = Parameter(int, 2, "What happens when a stage is full: 0 = pop the oldest, 1 = reject "
                       "the newest, 2 = fail the run")

    dropped = 0

    def initialize(self) -> None:
        if self.capacity_ < 1:
            raise ValueError(f"capacity must be at least 1, got {self.capacity_}")
        if self.policy not in _POLICY_NAMES:
            raise ValueError(f"policy must be 0 (pop), 1 (reject) or 2 (fault), got {self.policy}")
        self._main: deque = deque()
        self._back: deque = deque()
        self.dropped = 0

    def capacity(self) -> int:
        return self.capacity_

    def size(self) -> int:
        return len(self._main)

    def back_size(self) -> int:
        return len(self._back)

    def _push_back(self, message: MessageEntity) -> None:
        back = self._back
        if len(back) < self.capacity_:
            back.append(message)
            return
        if self.policy == POLICY_POP:
            back.popleft()
            back.append(message)
            self._drop(1, "the oldest staged message was dropped")
        elif self.policy == POLICY_REJECT:
            self._drop(1, "the new message was rejected")
        else:
            self._overflow("stage area")

    def _sync(self) -> None:
        main, back = self._main, self._back
        if not back:
            return
        main.extend(back)
        back.clear()
        excess = len(main) - self.capacity_
        if excess > 0:
            if self.policy == POLICY_POP:
                for _ in range(excess):
                    main.popleft()
                self._drop(excess, "the oldest messages were dropped")
            elif self.policy == POLICY_REJECT:
                for _ in range(excess):
                    main.pop()
                self._drop(excess, "the newest messages were rejected")
            else:
                self._overflow("main stage")

    def _drop(self, count: int, what: str) -> None:
        if not self.dropped:
            self.logger.warning("queue full (capacity %d, policy %s): %s", self.capacity_,
                                _POLICY_NAMES[self.policy], what)
        self.dropped += count

    def _overflow(self, where: str) -> None:
        raise QueueFull(
            f"queue '{self.handle_text()}' is full ({where}, capacity {self.capacity_}) and its policy is "
            "2 (fault)", self.location,
            "raise 'capacity', choose policy 0 (pop oldest) or 1 (reject newest), or add a "
            "DownstreamReceptiveSchedulingTerm to the publishing entity")

    def peek(self, index: int = 0) -> MessageEntity | None:
        main = self._main
        return main[index] if 0 <= index < len(main) else None

    def peek_back(self, index: int = 0) -> MessageEntity | None:
        back = self._back
        return back[index] if 0 <= index < len(back) else None


class DoubleBufferTransmitter(_StagedQueue, Transmitter, type_name="nvidia::gxf::DoubleBufferTransmitter",
                              uuid="0c3c0ec7-77f1-4389-aef1-6bae85bddc13"):
    """A transmitter whose published messages leave on the next sync of its entity."""

    # Set by the scheduler: where pubtime comes from.
    _clock = None

    def publish(self, message: MessageEntity, acqtime: int | None = None) -> None:
        """Stages ``message``; stamps it with a Timestamp (acqtime given here, pubtime from the clock)."""
        clock = self._clock
        now = clock.timestamp() if clock is not None else 0
        stamp = None
        for component in message.components:
            if component.__class__ is Timestamp:
                stamp = component
                break
        if stamp is None:
            stamp = Timestamp(now if acqtime is None else acqtime, now)
            stamp.name = "timestamp"
            stamp.entity = message
            message.components.append(stamp)
        else:
            stamp.pubtime = now
            if acqtime is not None:
                stamp.acqtime = acqtime
        self._push_back(message)

    sync = _StagedQueue._sync

    def sync_outbox(self) -> None:
        """Delivers staged messages straight to the receivers (the main stage would be drained at once)."""
        back = self._back
        if not back:
            if self._main:
                self.sync_io()
            return
        if self._main:
            self._sync()
            self.sync_io()
            return
        targets = self._targets
        for message in back:
            for receiver in targets:
                receiver.push_io(message)
        back.clear()

    def pop_io(self) -> MessageEntity | None:
        main = self._main
        return main.popleft() if main else None

    def sync_io(self) -> None:
        main = self._main
        targets = self._targets
        while main:
            message = main.popleft()
            for receiver in targets:
                receiver.push_io(message)


class DoubleBufferReceiver(_StagedQueue, Receiver, type_name="nvidia::gxf::DoubleBufferReceiver",
                           uuid="ee45883d-bf84-4f99-8419-7c5e9deac6a5"):
    """A receiver whose arrived messages become receivable on the next sync of its entity."""

    # Set by the scheduler for event-driven scheduling: called when a message arrives / is consumed.
    _on_push = None
    _on_pop = None

    def receive(self) -> MessageEntity | None:
        main = self._main
        if not main:
            return None
        message = main.popleft()
        on_pop = self._on_pop
        if on_pop is not None:
            on_pop()
        return message

    sync = _StagedQueue._sync

    def push_io(self, message: MessageEntity) -> None:
        self._push_back(message)
        on_push = self._on_push
        if on_push is not None:
            on_push()
