"""Executes entities: starts, checks, ticks and stops the codelets of one entity at a time.

One ``EntityItem`` per entity that has codelets. ``execute(now)`` is the hot path every scheduler
calls: the first call starts the codelets, later calls check the scheduling terms and tick when
READY, NEVER stops the entity. Ticking syncs the inbox, ticks the codelets in declaration order,
updates the terms and flushes the outbox to connected receivers.

The terms an ``OrSchedulingTermCombiner`` governs are taken out of the entity's AND; the combiner
takes their place (it has a ``check`` of its own). Every term still gets ``on_execute`` after a tick.
"""

from __future__ import annotations

import threading

from gxf.core import ExecutionError, GxfError

from .codelet import Codelet
from .queue import Receiver, Transmitter
from .scheduling_condition import NEVER, READY, WAIT_TIME, and_combine
from .scheduling_term import SchedulingTerm
from .term_combiner import SchedulingTermCombiner

NOT_STARTED, STARTED, STOPPED = 0, 1, 2


class CodeletFailure(ExecutionError):
    """A codelet raised (or failed) in start, tick or stop; names the codelet and where it is declared."""

    def __init__(self, codelet, stage: str, exc: BaseException):
        if isinstance(exc, GxfError) and not isinstance(exc, ExecutionError):
            detail = str(exc)
        else:
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        describe = getattr(codelet, "describe_failure", None)  # codelets running user code add where
        if describe is not None:
            detail = describe(stage, exc) or detail
        super().__init__(f"codelet '{codelet.handle_text()}' ({codelet.type_name()}) failed in {stage}(): "
                         f"{detail}", codelet.location)
        self.codelet = codelet
        self.stage = stage
        self.original = exc


class EntityItem:
    """The executor's view of one entity: its codelets, terms and queues, and its lifecycle state."""

    __slots__ = ("entity", "codelets", "terms", "receivers", "transmitters", "status", "last_timestamp",
                 "lock", "data", "name", "eid", "observers", "tick_count", "executed_terms",
                 "failure_observers", "combiners",
                 # scheduler bookkeeping (multi-threaded schedulers)
                 "state", "dirty", "pin", "timer_gen", "slow",
                 # the greedy scheduler's parking of entities that wait on events
                 "events", "parked_at", "parkable")

    def __init__(self, entity) -> None:
        self.entity = entity
        self.name = entity.name
        self.eid = entity.eid
        self.codelets = tuple(c for c in entity.components if isinstance(c, Codelet))
        all_terms = tuple(c for c in entity.components if isinstance(c, SchedulingTerm))
        self.combiners = tuple(c for c in entity.components if isinstance(c, SchedulingTermCombiner))
        combined: list = []
        for combiner in self.combiners:
            for term in combiner.term_list():
                if term in combined:
                    raise GxfError(f"scheduling term '{term.handle_text()}' is governed by two combiners",
                                   combiner.location, "a term may belong to one combiner at most")
                combined.append(term)
        # What the entity's condition is the AND of: the free terms, then the combiners.
        self.terms = tuple(t for t in all_terms if t not in combined) + self.combiners
        # Only terms that do something after a tick are called then.
        self.executed_terms = tuple(t for t in all_terms
                                    if type(t).on_execute is not SchedulingTerm.on_execute)
        self.receivers = tuple(c for c in entity.components if isinstance(c, Receiver))
        self.transmitters = tuple(c for c in entity.components if isinstance(c, Transmitter))
        self.status = NOT_STARTED
        self.last_timestamp = 0
        self.tick_count = 0
        self.lock = threading.Lock()
        self.data = None          # free for the scheduler's own bookkeeping
        self.observers = ()       # (pre_tick, post_tick) callables of monitors and statistics
        self.failure_observers = ()  # failed(item, ts, error) callables, told when a tick fails
        self.state = 0            # where a multi-threaded scheduler keeps the entity
        self.dirty = False        # an event arrived while the entity was being executed
        self.pin = None           # the worker the entity is pinned to, if any
        self.timer_gen = 0        # invalidates stale timer entries
        self.slow = 0             # how many executions in a row took long (worth handing other work away)
        self.events = 0           # events seen on the entity's queues and terms (greedy parking)
        self.parked_at = -1       # ``events`` when the entity was parked waiting; -1: not parked
        self.parkable = False     # every term is event-driven, so a WAIT may be parked

    # --- conditions ----------------------------------------------------------------------------------
    def check(self, timestamp: int) -> tuple:
        """AND-combination of every term's condition at ``timestamp``."""
        combined = (READY, timestamp)
        for term in self.terms:
            condition = term.check(timestamp)
            if condition[0] is not READY:
                combined = and_combine(combined, condition)
        return combined

    # --- the hot path ----------------------------------------------------------------------------------
    def execute(self, timestamp: int) -> tuple:
        """Starts, ticks or stops the entity as its state and terms say; returns the condition it was in."""
        status = self.status
        if status != STARTED:
            if status == NOT_STARTED:
                self.start(timestamp)
                return (READY, timestamp)
            return (NEVER, 0)
        condition = (READY, timestamp)
        for term in self.terms:  # inlined check(): this runs for every entity on every round
            other = term.check(timestamp)
            if other[0] is not READY:
                condition = and_combine(condition, other)
        kind = condition[0]
        if kind is WAIT_TIME:
            if condition[1] > timestamp:
                return condition
            kind = READY  # the wait is over: the entity ticks, and reports READY like any ready one
            condition = (READY, condition[1])
        if kind is READY:
            self.tick(timestamp)
            return condition
        if kind is NEVER:
            self.stop(timestamp)
        return condition

    def tick(self, timestamp: int) -> None:
        for receiver in self.receivers:
            receiver.sync()
        observers = self.observers
        if observers:
            for pre, _ in observers:
                pre(self, timestamp)
        codelet = None
        try:
            for codelet in self.codelets:
                # Execution data for the codelet API (Codelet.get_execution_timestamp and friends).
                codelet._prev_timestamp = codelet._exec_timestamp
                codelet._exec_timestamp = timestamp
                codelet._exec_count += 1
                codelet.tick()
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            failure = CodeletFailure(codelet, "tick", exc)
            for failed in self.failure_observers:
                failed(self, timestamp, failure)
            raise failure from exc
        self.tick_count += 1
        for term in self.executed_terms:
            term.on_execute(timestamp)
        for transmitter in self.transmitters:
            transmitter.sync_outbox()
        self.last_timestamp = timestamp
        if observers:
            for _, post in observers:
                post(self, timestamp)

    def start(self, timestamp: int) -> None:
        self.status = STARTED
        self.last_timestamp = timestamp
        for codelet in self.codelets:
            codelet._before_start(timestamp)
        started = []
        for codelet in self.codelets:
            try:
                codelet.start()
            except Exception as exc:
                # Stop those that started, so every started codelet gets stop().
                self.status = STOPPED
                for other in reversed(started):
                    _quiet_stop(other, timestamp)
                raise CodeletFailure(codelet, "start", exc) from exc
            started.append(codelet)

    def stop(self, timestamp: int) -> None:
        """Stops every codelet once; raises the first failure after all had their stop()."""
        if self.status != STARTED:
            return
        self.status = STOPPED
        failure = None
        for codelet in self.codelets:
            codelet._before_stop(timestamp)
            try:
                codelet.stop()
            except Exception as exc:  # noqa: BLE001 - every codelet must get its stop()
                failure = failure or CodeletFailure(codelet, "stop", exc)
        if failure is not None:
            raise failure


def _quiet_stop(codelet, timestamp: int) -> None:
    try:
        codelet._before_stop(timestamp)
        codelet.stop()
    except Exception as exc:  # noqa: BLE001
        codelet.logger.error("stop() failed while unwinding a failed start: %s", exc)


class EntityExecutor:
    """Every schedulable entity of a graph, plus the monitors and statistics observing executions."""

    def __init__(self, context, clock) -> None:
        self.context = context
        self.clock = clock
        self.items: list[EntityItem] = []
        self.by_eid: dict[int, EntityItem] = {}
        for entity in context.entities:
            item = EntityItem(entity)
            for queue in item.transmitters + item.receivers:
                queue._clock = clock
            if not item.codelets:
                continue  # entities without codelets are never scheduled, as in GXF
            self.items.append(item)
            self.by_eid[entity.eid] = item

    def add_observer(self, pre, post, failed=None) -> None:
        """Registers callables run before and after every tick: ``pre(item, ts)``, ``post(item, ts)``;
        ``failed(item, ts, error)`` instead of ``post`` when a codelet fails in tick."""
        for item in self.items:
            item.observers = item.observers + ((pre, post),)
            if failed is not None:
                item.failure_observers = item.failure_observers + (failed,)

    def item_of(self, component) -> EntityItem | None:
        entity = getattr(component, "entity", None)
        return self.by_eid.get(entity.eid) if entity is not None else None

    def upstream_items(self, receiver) -> list[EntityItem]:
        """Entities whose transmitters deliver into ``receiver`` (they wait on its free space)."""
        return self._items_of(getattr(receiver, "_sources", ()))

    def downstream_items(self, transmitter) -> list[EntityItem]:
        """Entities whose receivers ``transmitter`` delivers into."""
        return self._items_of(getattr(transmitter, "_targets", ()))

    def _items_of(self, queues) -> list[EntityItem]:
        """The scheduled entities owning ``queues``, each once, in order."""
        out = []
        for queue in queues:
            item = self.item_of(queue)
            if item is not None and item not in out:
                out.append(item)
        return out

    def stop_all(self, timestamp: int) -> BaseException | None:
        """Stops every started entity; returns the first stop() failure, if any."""
        failure = None
        for item in self.items:
            try:
                item.stop(timestamp)
            except Exception as exc:  # noqa: BLE001 - everyone gets stop()
                failure = failure or exc
        return failure
