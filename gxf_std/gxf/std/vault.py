"""Vault: hands the messages of a graph to code outside it (a test, an application thread).

The codelet moves messages from ``source`` into a waiting list each tick. Outside code takes them with
``store`` / ``store_blocking`` / ``store_blocking_for`` (which move them into the vault proper and
return them) and releases them with ``free`` when done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from gxf.core import Handle, MessageEntity, Parameter, ParameterError

from .codelet import Codelet
from .queue import Receiver


class Vault(Codelet, type_name="nvidia::gxf::Vault", uuid="1108cb8d-85e4-4303-ba02-d27406ee9e65"):
    """Keeps the messages it receives until code outside the graph takes them out.

    Python API (GXF returns message ids; here the store calls return the message entities themselves,
    and ``free`` takes entities or their ``eid``s).
    """

    source = Parameter(Handle(Receiver), description="Where the messages to keep come from")
    max_waiting_count = Parameter(int, description="How many messages the vault keeps at most; when "
                                  "full it stops taking messages from source")
    drop_waiting = Parameter(bool, description="When full, drop the oldest kept messages instead of "
                             "leaving new ones in source")
    callback_address = Parameter(int, 0, "Unused here: set a Python callback with set_callback()")
    enable_callback = Parameter(bool, False, "Call the callback set with set_callback() after each tick "
                                "that left messages waiting")

    def __init__(self) -> None:
        super().__init__()
        # Ready before initialize(): outside code may start waiting before the graph is activated.
        self._cond = threading.Condition()
        self._waiting: list[MessageEntity] = []
        self._vault: list[MessageEntity] = []
        self._alive = True
        self._callback: Callable[[], None] | None = None
        self.dropped = 0

    def preflight(self) -> None:
        if self.max_waiting_count < 1:
            raise ParameterError(f"{self.describe_self()}: max_waiting_count must be at least 1, got "
                                 f"{self.max_waiting_count}", self.location, "set 'max_waiting_count'")

    def initialize(self) -> None:
        self._alive = True

    def tick(self) -> None:
        source = self.source
        limit = self.max_waiting_count
        with self._cond:
            waiting = self._waiting
            if self.drop_waiting:
                excess = len(waiting) + source.size() - limit
                if excess > 0:
                    removed = min(excess, len(waiting))
                    del waiting[:removed]
                    self._count_drop(removed)
            while len(waiting) < limit:
                message = source.receive()
                if message is None:
                    break
                waiting.append(message)
            has_waiting = bool(waiting)
            self._cond.notify_all()
        if self.enable_callback and has_waiting and self._callback is not None:
            self._callback()

    def _count_drop(self, count: int) -> None:
        if count and not self.dropped:
            self.logger.warning("too many messages waiting (max_waiting_count %d): dropping the oldest; "
                                "further drops are only counted", self.max_waiting_count)
        self.dropped += count

    def deinitialize(self) -> None:
        with self._cond:
            self._alive = False
            self._cond.notify_all()

    # --- the outside API ----------------------------------------------------------------------------------
    def set_callback(self, callback: Callable[[], None]) -> None:
        """With enable_callback: called on the scheduler's thread after each tick leaving messages waiting."""
        if self._callback is not None:
            self.logger.warning("replacing the vault's callback")
        self._callback = callback

    def store_blocking(self, count: int) -> list[MessageEntity]:
        """Waits until ``count`` messages wait, then moves them into the vault and returns them.

        Returns fewer (possibly none) only when the vault is shutting down.
        """
        with self._cond:
            self._cond.wait_for(lambda: not self._alive or len(self._waiting) >= count)
            return self._store(count)

    def store_blocking_for(self, count: int, duration_ns: int) -> list[MessageEntity]:
        """Like store_blocking, but waits at most ``duration_ns``, then stores what is there (up to count)."""
        if duration_ns < 0:
            return []
        with self._cond:
            self._cond.wait_for(lambda: not self._alive or len(self._waiting) >= count, duration_ns / 1e9)
            return self._store(count)

    def store(self, max_count: int) -> list[MessageEntity]:
        """Moves up to ``max_count`` waiting messages into the vault at once and returns them."""
        with self._cond:
            return self._store(max_count)

    def _store(self, max_count: int) -> list[MessageEntity]:
        if not self._alive:
            return []
        taken = self._waiting[:max_count]
        del self._waiting[:len(taken)]
        self._vault.extend(taken)
        return taken

    def free(self, entities: Iterable) -> None:
        """Releases stored messages (entities or their eids)."""
        eids = {e if isinstance(e, int) else e.eid for e in entities}
        with self._cond:
            self._vault = [m for m in self._vault if m.eid not in eids]

    def waiting_count(self) -> int:
        return len(self._waiting)

    def stored_count(self) -> int:
        return len(self._vault)
