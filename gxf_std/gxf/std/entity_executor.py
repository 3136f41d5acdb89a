"""Executes entities: starts, checks, ticks and stops the codelets of one entity at a time.

The executor is one of the scheduling wing's three roles (with the router and the schedulers): it
checks an entity's terms and executes its codelets, nothing else. One ``EntityItem`` per entity that
has codelets; ``execute(now)`` is the hot path every scheduler calls: the first call starts the
codelets, later calls check the scheduling terms and tick when READY, NEVER stops the entity. Ticking
runs the router's inbox syncs, ticks the codelets in declaration order, updates the terms and runs
the router's outbox syncs (delivering what was published).

The terms an ``OrSchedulingTermCombiner`` governs are taken out of the entity's AND; the combiner
takes their place (it has a ``check`` of its own). Every term still gets ``on_execute`` after a tick.

An entity with a ``Controller`` gets a ``ControlledEntityItem``: after each tick its controller is
handed the tick's result and decides the entity's behavior status and what happens next (carry on,
restart and execute again, stop the entity, stop the graph; see ``controller.py``). Entities without
a controller get the plain ``EntityItem`` and pay nothing for it.

``EntityItem.waits_on()`` joins what the entity's terms say can end a wait (``SchedulingTerm.waits``):
the one account of readiness every scheduler consumes. ``activate`` / ``deactivate`` let schedulers
take an entity out of the run and bring it back (its codelets are stopped, then started again).
"""

from __future__ import annotations

from typing import NamedTuple

from gxf.core import ExecutionError, GxfError

from .codelet import Codelet, ExecutionData
from .controller import BehaviorStatus, Controller, ExecutionStatus
from .queue import Receiver, Transmitter
from .router import router_of
from .scheduling_condition import NEVER, READY, WAIT_TIME, and_combine
from .scheduling_term import ARRIVAL, SchedulingTerm
from .term_combiner import SchedulingTermCombiner

NOT_STARTED, STARTED, STOPPED, INACTIVE = 0, 1, 2, 3


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


class EntityWaits(NamedTuple):
    """What can end the wait of an entity, joined from its terms' ``waits_on()``.

    ``arrivals`` / ``departures``: receivers whose message arrivals / departures may make it ready;
    ``filters``: ``(measure, need)`` pairs, each a term of the AND that certainly waits while
    ``measure() < need``; ``notifies``: a term announces changes with ``notify_change()``; ``polled``:
    a term may change without any event; ``exhaustible``: terms a tick may turn NEVER.
    """

    arrivals: tuple
    departures: tuple
    filters: tuple
    notifies: bool
    polled: bool
    exhaustible: tuple


class EntityItem:
    """The executor's view of one entity: its codelets, terms and queues, and its lifecycle state."""

    __slots__ = ("entity", "codelets", "terms", "receivers", "transmitters", "status", "name", "eid",
                 "observers", "failure_observers", "combiners", "executed_terms", "inbox", "outbox",
                 "execution", "earlier_ticks", "__weakref__")

    def __init__(self, entity, router=None) -> None:
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
        if router is None:
            self.inbox = tuple(r.sync for r in self.receivers)
            self.outbox = tuple(t.sync_outbox for t in self.transmitters)
        else:
            self.inbox = router.inbox_syncs(entity)
            self.outbox = router.outbox_syncs(entity)
        self.status = NOT_STARTED
        self.execution = ExecutionData()  # shared by the entity's codelets (they tick together)
        self.earlier_ticks = 0    # ticks before the entity last started (a restarted entity counts anew)
        for codelet in self.codelets:
            codelet.bind_execution(self.execution)
        self.observers = ()       # (pre_tick, post_tick) callables of monitors and statistics
        self.failure_observers = ()  # failed(item, ts, error) callables, told when a tick fails

    @property
    def tick_count(self) -> int:
        """How many times the entity ticked in the run, over all its starts (a behavior tree restarts
        its nodes; the codelets' execution count is since the last start)."""
        return self.earlier_ticks + self.execution.count

    @property
    def last_timestamp(self) -> int:
        """When the entity last started, ticked or stopped (ns)."""
        return self.execution.timestamp

    # --- conditions ----------------------------------------------------------------------------------
    def check(self, timestamp: int) -> tuple:
        """AND-combination of every term's condition at ``timestamp``."""
        combined = (READY, timestamp)
        for term in self.terms:
            condition = term.check(timestamp)
            if condition[0] is not READY:
                combined = and_combine(combined, condition)
        return combined

    def waits_on(self) -> EntityWaits:
        """What can end this entity's wait, from its terms' ``waits_on()`` (see EntityWaits)."""
        arrivals: list = []
        departures: list = []
        filters: list = []
        notifies = polled = False
        exhaustible = []
        for term in self.terms:
            waits = term.waits_on()
            for wait in waits.queues:
                target = arrivals if wait.event == ARRIVAL else departures
                if wait.receiver not in target:
                    target.append(wait.receiver)
                if wait.measure is not None:
                    filters.append((wait.measure, wait.need))
            notifies = notifies or waits.notifies
            polled = polled or waits.polled
            if waits.exhausted_by_tick:
                exhaustible.append(term)
        return EntityWaits(tuple(arrivals), tuple(departures), tuple(filters), notifies, polled,
                           tuple(exhaustible))

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
        for sync in self.inbox:
            sync()
        observers = self.observers
        if observers:
            for pre, _ in observers:
                pre(self, timestamp)
        data = self.execution
        data.previous = data.timestamp
        data.timestamp = timestamp
        data.count += 1
        codelet = None
        try:
            for codelet in self.codelets:
                codelet.tick()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise  # an interrupt, not a failure; sys.exit() in a tick fails the codelet like any error
            failure = CodeletFailure(codelet, "tick", exc)
            for failed in self.failure_observers:
                failed(self, timestamp, failure)
            raise failure from exc
        for term in self.executed_terms:
            term.on_execute(timestamp)
        for sync in self.outbox:
            sync()
        if observers:
            for _, post in observers:
                post(self, timestamp)

    def start(self, timestamp: int) -> None:
        self.status = STARTED
        self.earlier_ticks += self.execution.count
        self.execution.started(timestamp)
        started = []
        for codelet in self.codelets:
            try:
                codelet.start()
            except Exception as exc:
                # Stop those that started, so every started codelet gets stop().
                self.status = STOPPED
                for other in reversed(started):
                    _quiet_stop(other)
                raise CodeletFailure(codelet, "start", exc) from exc
            started.append(codelet)

    def stop(self, timestamp: int) -> None:
        """Stops every codelet once; raises the first failure after all had their stop()."""
        if self.status != STARTED:
            return
        self.status = STOPPED
        self.execution.stopped(timestamp)
        failure = None
        for codelet in self.codelets:
            try:
                codelet.stop()
            except Exception as exc:  # noqa: BLE001 - every codelet must get its stop()
                failure = failure or CodeletFailure(codelet, "stop", exc)
        if failure is not None:
            raise failure

    # --- run-time activation -------------------------------------------------------------------------
    def deactivate(self, timestamp: int) -> None:
        """Takes the entity out of the run: stops its codelets if they started (raises a stop failure).

        A later ``activate`` makes it start afresh on its next execution.
        """
        try:
            self.stop(timestamp)
        finally:
            self.status = INACTIVE

    def activate(self) -> None:
        """Brings a deactivated entity back: its codelets start again on its next execution."""
        if self.status == INACTIVE:
            self.status = NOT_STARTED

    @property
    def active(self) -> bool:
        return self.status != INACTIVE


_SUCCESS, _RUNNING, _FAILURE = BehaviorStatus.SUCCESS, BehaviorStatus.RUNNING, BehaviorStatus.FAILURE


class ControlledEntityItem(EntityItem):
    """The executor's view of an entity with a Controller: each tick's result goes to the controller,
    whose verdict sets the entity's behavior status and says what the executor does next.

    The verdict's execution status: SUCCESS carries on (a RUNNING entity executes again, any other is
    done: stopped, NEVER); FAILURE_REPEAT executes it again with its codelets still started (as in
    GXF's executor, a repeat is one more tick, not a restart); FAILURE_DEACTIVATE stops the entity
    (NEVER); FAILURE stops the graph (the codelet's error, or one naming the controller, is raised).
    Terms of the entity that define ``on_behavior_status(status)`` hear the status after every verdict
    (a behavior-tree node's term tells its parent).
    """

    __slots__ = ("controller", "status_hooks")

    def __init__(self, entity, router=None, controller=None) -> None:
        super().__init__(entity, router)
        self.controller = controller
        self.status_hooks = tuple(
            term.on_behavior_status for term in entity.components
            if isinstance(term, SchedulingTerm) and callable(getattr(term, "on_behavior_status", None)))

    def execute(self, timestamp: int) -> tuple:
        """As ``EntityItem.execute``, with the controller deciding the outcome of each tick."""
        status = self.status
        if status != STARTED:
            if status == NOT_STARTED:
                self.start(timestamp)
                return (READY, timestamp)
            return (NEVER, 0)
        condition = self.check(timestamp)
        kind = condition[0]
        if kind is WAIT_TIME:
            if condition[1] > timestamp:
                return condition
            kind = READY
            condition = (READY, condition[1])
        if kind is NEVER:
            self.stop(timestamp)
            return condition
        if kind is not READY:
            return condition
        result, error = self.tick_result(timestamp)
        controller = self.controller
        verdict = controller.control(self.entity, result, error)
        behavior = verdict.behavior_status
        controller.record_status(behavior)
        exec_status = verdict.exec_status
        if exec_status == ExecutionStatus.SUCCESS:
            if behavior == _RUNNING:
                outcome = condition
            else:
                self.stop(timestamp)
                outcome = (NEVER, 0)
        elif exec_status == ExecutionStatus.FAILURE_REPEAT:
            outcome = (READY, timestamp)   # ticked again; its codelets are not stopped and started
        elif exec_status == ExecutionStatus.FAILURE_DEACTIVATE:
            self.stop(timestamp)
            outcome = (NEVER, 0)
        else:
            if error is not None:
                raise error
            raise ExecutionError(f"entity '{self.name}': its controller '{controller.handle_text()}' "
                                 f"({controller.type_name()}) stopped the graph after a failed execution",
                                 controller.location)
        for hook in self.status_hooks:
            hook(behavior)
        return outcome

    def tick_result(self, timestamp: int) -> tuple:
        """Ticks like ``tick`` and returns (result, error): FAILURE with the CodeletFailure when a codelet
        raised, else FAILURE or RUNNING when a codelet's tick returned that BehaviorStatus, else SUCCESS."""
        for sync in self.inbox:
            sync()
        observers = self.observers
        if observers:
            for pre, _ in observers:
                pre(self, timestamp)
        data = self.execution
        data.previous = data.timestamp
        data.timestamp = timestamp
        data.count += 1
        result = _SUCCESS
        error = None
        codelet = None
        try:
            for codelet in self.codelets:
                returned = codelet.tick()
                if returned is _FAILURE:
                    result = _FAILURE
                elif returned is _RUNNING and result is _SUCCESS:
                    result = _RUNNING
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = CodeletFailure(codelet, "tick", exc)
            error.__cause__ = exc
            result = _FAILURE
            for failed in self.failure_observers:
                failed(self, timestamp, error)
        for term in self.executed_terms:
            term.on_execute(timestamp)
        for sync in self.outbox:
            sync()
        if observers and error is None:
            for _, post in observers:
                post(self, timestamp)
        return result, error


def _quiet_stop(codelet) -> None:
    try:
        codelet.stop()
    except Exception as exc:  # noqa: BLE001
        codelet.logger.error("stop() failed while unwinding a failed start: %s", exc)


class EntityExecutor:
    """Every schedulable entity of a graph, plus the monitors and statistics observing executions.

    Messages move through ``router`` (the graph's RouterGroup unless given), whose clock is set to
    ``clock``.
    """

    def __init__(self, context, clock, router=None) -> None:
        self.context = context
        self.clock = clock
        self.router = router = router if router is not None else router_of(context)
        router.set_clock(clock, context.entities)
        self.items: list[EntityItem] = []
        self.by_eid: dict[int, EntityItem] = {}
        for entity in context.entities:
            if not any(isinstance(c, Codelet) for c in entity.components):
                continue  # entities without codelets are never scheduled, as in GXF
            controller = next((c for c in entity.components if isinstance(c, Controller)), None)
            if controller is None:
                item = EntityItem(entity, router)
            else:
                item = ControlledEntityItem(entity, router, controller)
            self.items.append(item)
            self.by_eid[entity.eid] = item

    def add_observer(self, pre, post, failed=None) -> None:
        """Registers callables run before and after every tick: ``pre(item, ts)``, ``post(item, ts)``;
        ``failed(item, ts, error)`` instead of ``post`` when a codelet fails in tick."""
        for item in self.items:
            item.observers = item.observers + ((pre, post),)
            if failed is not None:
                item.failure_observers = item.failure_observers + (failed,)

    def remove_observer(self, pre, post, failed=None) -> None:
        """Stops calling what ``add_observer(pre, post, failed)`` registered; unknown ones are ignored.

        Safe while the graph runs: a tick reads its observers once, so it gets both or neither."""
        for item in self.items:
            item.observers = tuple(pair for pair in item.observers if pair != (pre, post))
            if failed is not None:
                item.failure_observers = tuple(f for f in item.failure_observers if f is not failed)

    def item_of(self, component) -> EntityItem | None:
        """The item of the entity that ``component`` (or an entity) belongs to, or None."""
        entity = getattr(component, "entity", component)
        return self.by_eid.get(entity.eid) if entity is not None else None

    def upstream_items(self, receiver) -> list[EntityItem]:
        """Entities whose transmitters deliver into ``receiver`` (they wait on its free space)."""
        return self._items_of(receiver.transmitters())

    def downstream_items(self, transmitter) -> list[EntityItem]:
        """Entities whose receivers ``transmitter`` delivers into."""
        return self._items_of(transmitter.receivers())

    def _items_of(self, queues) -> list[EntityItem]:
        """The scheduled entities owning ``queues``, each once, in order."""
        out = []
        for queue in queues:
            item = self.item_of(queue)
            if item is not None and item not in out:
                out.append(item)
        return out

    def listen(self, item: EntityItem, on_event, on_change=None) -> None:
        """Calls ``on_event()`` on every queue event that may end ``item``'s wait (see EntityWaits), and
        ``on_change()`` (default: ``on_event``) when one of its terms announces a change.

        Arrivals are heard on the receivers its terms wait on, departures on the receivers downstream
        of it, through the router; term changes through the terms' change listeners. The callbacks take
        no argument (they know their entity) and run on the thread that raised the event.
        """
        waits = item.waits_on()
        router = self.router
        for receiver in waits.arrivals:
            router.add_queue_listener(receiver, arrived=on_event)
        for receiver in waits.departures:
            router.add_queue_listener(receiver, freed=on_event)
        changed = on_event if on_change is None else on_change
        for term in item.entity.components:
            if isinstance(term, SchedulingTerm):
                term.add_change_listener(changed)

    def stop_all(self, timestamp: int) -> BaseException | None:
        """Stops every started entity; returns the first stop() failure, if any."""
        failure = None
        for item in self.items:
            try:
                item.stop(timestamp)
            except Exception as exc:  # noqa: BLE001 - everyone gets stop()
                failure = failure or exc
        return failure
