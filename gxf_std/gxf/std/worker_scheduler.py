"""The engine of the MultiThreadScheduler and the EventBasedScheduler: worker threads driven by events.

Roles, as in GXF: worker threads execute entities; a dispatcher (the scheduler's own thread) keeps
time (WAIT_TIME entities, jumps of a ManualClock, ``max_duration_ms``), detects deadlocks and ends the
run; asynchronous notifications (``notify_change()`` from any thread) move an entity back to work
without a poll. Entities move between queues only on events:

- a message pushed into a receiver re-checks the receiver's entity;
- a message taken from a receiver re-checks the entities whose transmitters feed it (they may have
  room again);
- an execution re-checks the executed entity;
- a timer that expires releases its WAIT_TIME entity;
- a term changed from outside a tick (``notify_change``) re-checks its entity.

An entity nobody sends anything to is therefore never looked at, whatever the others do. Wake-ups
are coalesced per entity: an event for an entity already queued costs nothing (it will be looked at
after the event anyway), one for an entity being executed marks it to be looked at once more when the
execution ends, and, for an entity whose terms the scheduler understands (``Watch``), one that leaves
a queue the entity waits on still short is dropped without waking anybody. A gather entity is
therefore looked at once when its last input arrives, not once per input, and a broadcast entity once
when its last output queue has room again.

The hand-off between threads is what costs most in Python, so events produced by an execution stay
with the worker that executed it: it runs the entities that became ready downstream itself, in the
order their events came (a chain of entities runs like the greedy scheduler, on one thread; the
branches of a fan-out all run before the entity gathering them) and only hands work to idle
workers when it has more than it can start at once: a new item from outside, a timer, or queued work
while it is about to run an entity whose last executions took long (``SLOW_NS``, ``SLOW_RUNS`` times
in a row), for example one that blocks on I/O or releases the GIL. An entity ticked READY is looked
at again after the work already queued on its worker (round robin), so a pipeline costs one check
per tick, as with the greedy scheduler. No condition variables are used per message: idle threads
sleep on a lock of their own that the thread giving them work releases once.

An entity pinned to a thread (CPUThread ``pin_entity: true`` + a ThreadPool) runs only on a thread
of its own; work for it from other threads is delivered to that thread's inbox. Each entity is in
exactly one place at any time (a queue, a timer, a waiting set, or one worker), so no entity is ever
executed by two threads at once.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque

from gxf.core import Parameter

from .scheduler import DeadlockTimer, Scheduler
from .scheduling_condition import NEVER, READY, WAIT, WAIT_EVENT, WAIT_NOW, WAIT_TIME
from .scheduling_term import bad_parameter
from .scheduling_terms import (BooleanSchedulingTerm, CountSchedulingTerm, DownstreamReceptiveSchedulingTerm,
                               MessageAvailableSchedulingTerm, PeriodicSchedulingTerm)
from .thread_pool import pinned_pool

# Where an entity is (EntityItem.state).
IDLE, QUEUED, RUNNING, TIMED, EVENT, DONE = range(6)

SLOW_NS = 300_000    # executions this long (ns), SLOW_RUNS times in a row, make a worker share its queued
SLOW_RUNS = 2        # work with idle workers before running that entity (one long run may be preemption)
LOCAL_STREAK = 32    # after this many executions of its own chain a worker takes queued shared work
POLL_SHARE = 20      # a poll of waiting entities waits at least this many times its own duration
PROBE = 16           # an entity looked at right after its ticks tries looking later again this often


class Worker:
    """One worker thread: its own LIFO of entities to run, an inbox for pinned work, a parking lock."""

    __slots__ = ("name", "gate", "local", "inbox", "pending", "parked", "takes_shared", "thread", "streak",
                 "executions")

    def __init__(self, name: str, takes_shared: bool) -> None:
        self.name = name
        self.gate = threading.Lock()
        self.gate.acquire()          # locked while nobody has work for a parked worker
        self.local: deque = deque()  # entities this worker runs next (first in, first out)
        self.inbox: deque = deque()  # entities pinned here, delivered by other threads
        self.pending: list = []      # entities touched by the current execution (events)
        self.parked = False
        self.takes_shared = takes_shared
        self.thread: threading.Thread | None = None
        self.streak = 0
        self.executions = 0


class WorkerScheduler(Scheduler, abstract=True):
    """Common part of the multi-threaded schedulers: workers, events, timers, deadlock, pinning."""

    worker_thread_number = Parameter(int, 1, "How many worker threads run unpinned entities")
    stop_on_deadlock = Parameter(bool, True, "End the run when every entity is waiting and no time-based "
                                 "term can wake any of them. Turn it off when something outside the graph "
                                 "may still make entities ready (for example by emptying queues).")
    stop_on_deadlock_timeout = Parameter(int, 0, "How long (ms) a deadlock must last before "
                                         "stop_on_deadlock ends the run; work arriving meanwhile restarts "
                                         "the wait. A negative value never ends the run on a deadlock.")
    thread_pool_allocation_auto = Parameter(bool, True, "Kept for compatibility with GXF graph files; "
                                            "pools always come from the entities' ThreadPool resources "
                                            "here")

    def strict_pinning(self) -> bool:
        """True when pinned threads run nothing but their pinned entities."""
        return True

    def poll_period_s(self) -> float | None:
        """How often entities in WAIT are re-checked without an event (None: never)."""
        return None

    # --- set-up ------------------------------------------------------------------------------------------
    def initialize(self) -> None:
        super().initialize()
        if self.worker_thread_number < 1:
            raise bad_parameter(self, "worker_thread_number",
                                f"must be at least 1, got {self.worker_thread_number}")
        self._lock = threading.Lock()
        self._shared: deque = deque()
        self._idle: list = []          # parked workers that take shared work
        self._workers: list = []
        self._timers: list = []        # heap of (target_ns, seq, gen, item)
        self._seq = itertools.count()
        self._busy = 0                 # workers not parked
        self._active = 0               # entities not done
        self._waiting_event = 0        # entities in WAIT_EVENT
        self._stopping = False
        self._tls = threading.local()
        self._disp_gate = threading.Lock()
        self._disp_gate.acquire()
        self._disp_parked = False
        self._disp_target = None
        self._jumps = False
        self._polled: list = []        # entities re-checked by polling (MultiThreadScheduler)

    def prepare_executor(self, executor) -> None:
        super().prepare_executor(executor)
        strict = self.strict_pinning()
        self._workers = [Worker(f"gxf-worker-{i}", True) for i in range(self.worker_thread_number)]
        pools: list = []
        for item in executor.items:
            # QUEUED until the run starts (every entity is delivered then): earlier events change nothing.
            item.state, item.dirty, item.pin, item.timer_gen, item.slow = QUEUED, False, None, 0, 0
            pool = pinned_pool(item.entity)
            if pool is None:
                continue
            worker = Worker(f"gxf-{pool.name or 'pool'}-{item.name or item.eid}", not strict)
            item.pin = worker
            self._workers.append(worker)
            pool.pinned.append(item.entity)
            if pool not in pools:
                pools.append(pool)
        if not strict:
            for pool in pools:
                self._workers.extend(Worker(f"gxf-{pool.name or 'pool'}-{i}", True)
                                     for i in range(pool.initial_size))
        tls, external = self._tls, self._external_event
        for item in executor.items:
            waiters = queue_waiters(item)
            item.data = Watch(waiters, _never_terms(item)) if waiters is not None else None
        for item in executor.items:
            for receiver in item.receivers:
                receiver._on_push = _push_callback(item, tls, external)
                receiver._on_pop = _pop_callback(tuple(executor.upstream_items(receiver)), tls, external)
        # Only entities with a term whose WAIT may end without an event are polled (MultiThreadScheduler).
        self._polled = [item for item in executor.items
                        if not (item.terms and all(getattr(term, "event_driven", False)
                                                   for term in item.terms))]

    def on_entity_event(self, item) -> None:
        worker = getattr(self._tls, "worker", None)
        if worker is not None:
            worker.pending.append(item)  # handled when the worker's current execution ends
        else:
            self._external_event((item,))

    def _external_event(self, items) -> None:
        with self._lock:
            for item in items:
                self._route(None, item)

    # --- moving entities (all under self._lock) -------------------------------------------------------
    def _route(self, worker, item) -> None:
        """An event for ``item``: look at it again soon."""
        state = item.state
        if state == RUNNING:
            item.dirty = True
        elif state != QUEUED and state != DONE:
            if state == TIMED:
                item.timer_gen += 1
            elif state == EVENT:
                self._waiting_event -= 1
            item.state = QUEUED
            self._deliver(worker, item)

    def _deliver(self, worker, item) -> None:
        pin = item.pin
        if pin is None:
            if worker is not None and worker.takes_shared:
                worker.local.append(item)
                return
            self._shared.append(item)
            if self._idle:
                self._unpark(self._idle.pop())
        elif pin is worker:
            worker.local.append(item)
        else:
            pin.inbox.append(item)
            if pin.parked:
                if pin.takes_shared:
                    self._idle.remove(pin)
                self._unpark(pin)

    def _unpark(self, worker) -> None:
        worker.parked = False
        self._busy += 1
        worker.gate.release()

    def _wake_dispatcher(self) -> None:
        if self._disp_parked:
            self._disp_parked = False
            self._disp_gate.release()

    def _next(self, worker):
        """The next entity for ``worker`` (now RUNNING), or None: parked, or the run is stopping."""
        if self._stopping:
            return None
        local = worker.local
        item = None
        if local and (worker.streak < LOCAL_STREAK
                      or not (worker.inbox or (worker.takes_shared and self._shared))):
            item = local.popleft()
            worker.streak = worker.streak + 1 if worker.streak < LOCAL_STREAK else 0
            if local and item.slow >= SLOW_RUNS and self._idle:
                self._share_local(worker)
        else:
            worker.streak = 0
            if worker.inbox:
                item = worker.inbox.popleft()
            elif worker.takes_shared and self._shared:
                item = self._shared.popleft()
            elif local:
                item = local.popleft()
        if item is None:
            worker.parked = True
            self._busy -= 1
            if worker.takes_shared:
                self._idle.append(worker)
            if self._busy == 0:
                self._wake_dispatcher()
            return None
        item.state = RUNNING
        item.dirty = False
        return item

    def _share_local(self, worker) -> None:
        keep = []
        shared = self._shared
        for item in worker.local:
            if item.pin is None:
                shared.append(item)
            else:
                keep.append(item)
        worker.local.clear()
        worker.local.extend(keep)
        idle = self._idle
        for _ in range(min(len(shared), len(idle))):
            self._unpark(idle.pop())

    def _settle(self, worker, item, condition) -> None:
        """Handles the events of an execution, then puts ``item`` where its condition says."""
        pending = worker.pending
        if pending:
            route = self._route
            for other in pending:
                route(worker, other)
            pending.clear()
        kind = condition[0]
        if kind is NEVER:
            item.state = DONE
            self._active -= 1
        elif kind is READY or item.dirty:
            item.state = QUEUED
            worker.local.append(item)
        elif kind is WAIT:
            item.state = IDLE
        elif kind is WAIT_TIME:
            self._add_timer(item, condition[1])
        elif kind is WAIT_EVENT:
            item.state = EVENT
            self._waiting_event += 1

    def _add_timer(self, item, target: int) -> None:
        item.state = TIMED
        item.timer_gen += 1
        heapq.heappush(self._timers, (target, next(self._seq), item.timer_gen, item))
        if not self._jumps and self._disp_parked and (self._disp_target is None
                                                      or target < self._disp_target):
            self._wake_dispatcher()

    def _earliest_timer(self):
        timers = self._timers
        while timers:
            target, _, gen, item = timers[0]
            if gen == item.timer_gen and item.state == TIMED:
                return target
            heapq.heappop(timers)
        return None

    def _release_timers(self, now: int) -> None:
        timers = self._timers
        while timers and timers[0][0] <= now:
            _, _, gen, item = heapq.heappop(timers)
            if gen == item.timer_gen and item.state == TIMED:
                item.state = QUEUED
                self._deliver(None, item)

    def _has_queued_work(self) -> bool:
        if self._shared:
            return True
        return any(worker.inbox for worker in self._workers)

    # --- threads -----------------------------------------------------------------------------------------
    def _worker_main(self, worker) -> None:
        try:
            self._work(worker)
        except BaseException as exc:  # noqa: BLE001 - a broken worker must end the run, not hang it
            self.record_failure(exc)

    def _work(self, worker) -> None:
        self._tls.worker = worker
        lock, clock, perf = self._lock, self._clock, time.perf_counter_ns
        settle, take, route = self._settle, self._next, self._route
        local, pending = worker.local, worker.pending
        takes_shared = worker.takes_shared
        while True:
            with lock:
                item = take(worker)
            while item is not None:
                start = perf()
                try:
                    condition = item.execute(clock.timestamp())
                except BaseException as exc:  # noqa: BLE001 - ends the run, reported by wait()
                    pending.clear()
                    self.record_failure(exc)
                    return
                item.slow = item.slow + 1 if perf() - start > SLOW_NS else 0
                worker.executions += 1
                watch = item.data
                if watch is not None:
                    # See Watch: learn whether looking again later pays, or looking right away.
                    if watch.again:
                        watch.again = False
                        watch.eager = PROBE if condition[0] is WAIT else 0
                    if condition[0] is READY:
                        eager = watch.eager
                        if eager > 1:
                            watch.eager = eager - 1
                            if watch.waits():
                                condition = WAIT_NOW
                        else:
                            watch.again = True
                with lock:
                    # The common cases inline (this runs once per execution): see _settle and _next.
                    if pending:
                        for other in pending:
                            if other.state == IDLE and other.pin is None and takes_shared:
                                other.state = QUEUED   # _route's common case
                                local.append(other)
                            else:
                                route(worker, other)
                        pending.clear()
                    kind = condition[0]
                    if kind is READY or item.dirty:
                        # Looked at again after everything queued here (round robin, like the greedy
                        # scheduler): by then its downstream entities have usually made room.
                        item.state = QUEUED
                        local.append(item)
                    elif kind is WAIT:
                        item.state = IDLE
                    else:
                        settle(worker, item, condition)
                    if local and not self._stopping and (worker.streak < LOCAL_STREAK or not (
                            worker.inbox or (worker.takes_shared and self._shared))):
                        item = local.popleft()
                        worker.streak = worker.streak + 1 if worker.streak < LOCAL_STREAK else 0
                        if local and item.slow >= SLOW_RUNS and self._idle:
                            self._share_local(worker)
                        item.state = RUNNING
                        item.dirty = False
                    else:
                        item = take(worker)
            if self._stopping:
                return
            worker.gate.acquire()  # parked until someone has work for this worker

    def on_interrupt(self) -> None:
        with self._lock:
            self._stopping = True
            for worker in self._workers:
                if worker.parked:
                    if worker.takes_shared and worker in self._idle:
                        self._idle.remove(worker)
                    self._unpark(worker)
            self._wake_dispatcher()

    def _clock_moved(self) -> None:
        with self._lock:
            self._wake_dispatcher()

    def run_loop(self) -> None:
        clock = self._clock
        items = self.executor.items
        if not items:
            self.logger.warning("nothing to schedule: no entity has a codelet")
            return
        self._jumps = clock.jumps
        deadline = self.deadline(clock.timestamp())
        with self._lock:
            self._active = len(items)
            self._busy = len(self._workers)
            for item in items:
                self._deliver(None, item)
        for worker in self._workers:
            worker.thread = threading.Thread(target=self._worker_main, args=(worker,), name=worker.name,
                                             daemon=True)
            worker.thread.start()
        clock.add_listener(self._clock_moved)
        try:
            self._dispatch(clock, deadline)
        finally:
            clock.remove_listener(self._clock_moved)
            self.on_interrupt()
            for worker in self._workers:
                worker.thread.join()

    def _dispatch(self, clock, deadline) -> None:
        """The dispatcher: releases timers, moves a ManualClock, polls, and ends the run."""
        lock, gate = self._lock, self._disp_gate
        deadlock = DeadlockTimer(self.stop_on_deadlock_timeout)
        deadlock_executions = -1
        poll_s = self.poll_period_s() if self._polled else None
        next_poll = time.monotonic() + poll_s if poll_s is not None else None
        while True:
            with lock:
                if self._stopping:
                    return
                now = clock.timestamp()
                if deadline is not None and now > deadline:
                    return self._ended(f"maximum duration of {self.max_duration_ms} ms reached")
                self._release_timers(now)
                if self._active == 0:
                    return self._ended("no more entities to schedule")
                idle = self._busy == 0 and not self._has_queued_work()
                timeout = None     # real seconds to wait; None: until woken
                target = None      # clock time to wake up at
                earliest = self._earliest_timer()
                if not idle:
                    deadlock.reset()
                    if not self._jumps:
                        target = earliest
                elif earliest is not None:
                    deadlock.reset()
                    if self._jumps:
                        clock.sleep_until(earliest if deadline is None else min(earliest, deadline + 1))
                        continue
                    target = earliest
                elif self._waiting_event:
                    deadlock.reset()   # an asynchronous event will come: wait for it
                elif self.stop_on_deadlock:
                    executions = sum(worker.executions for worker in self._workers)
                    if deadlock_executions != executions:
                        deadlock.reset()   # new work came in since the deadlock began
                        deadlock_executions = executions
                    remaining = deadlock.remaining()
                    if remaining == 0:
                        return self._ended("every entity waits and no periodic or asynchronous entity can "
                                           "end the wait (deadlock)")
                    timeout = remaining
                if deadline is not None and not self._jumps:
                    target = deadline + 1 if target is None else min(target, deadline + 1)
                if target is not None:
                    delay = clock.real_delay(target)
                    if delay is not None:
                        timeout = delay if timeout is None else min(timeout, delay)
                if next_poll is not None:
                    until_poll = next_poll - time.monotonic()
                    if until_poll <= 0:
                        polled = [item for item in self._polled if item.state == IDLE]
                        for item in polled:
                            item.state = RUNNING
                            item.dirty = False
                    else:
                        polled = None
                        timeout = until_poll if timeout is None else min(timeout, until_poll)
                else:
                    polled = None
                if polled is None:
                    self._disp_target = target
                    self._disp_parked = True
            if polled is not None:
                started = time.monotonic()
                self._poll(polled, clock)
                # Polling many waiting entities must not eat the workers' time: at most 1/POLL_SHARE of it.
                next_poll = time.monotonic() + max(poll_s, POLL_SHARE * (time.monotonic() - started))
                continue
            if timeout is None:
                gate.acquire()
            elif not gate.acquire(timeout=max(0.0, timeout)):
                with lock:
                    if self._disp_parked:
                        self._disp_parked = False   # nobody woke us: the gate stays locked
                    else:
                        gate.acquire()              # woken just after the timeout: re-lock the gate

    def _poll(self, items, clock) -> None:
        """Re-checks entities in WAIT (MultiThreadScheduler's check_recession_period_ms)."""
        now = clock.timestamp()
        results = []
        for item in items:
            try:
                results.append(item.check(now))
            except BaseException as exc:  # noqa: BLE001
                self.record_failure(exc)
                results.append((WAIT, 0))
        with self._lock:
            for item, condition in zip(items, results, strict=True):
                kind = condition[0]
                due = kind is WAIT_TIME and condition[1] <= now
                if item.dirty or kind is READY or kind is NEVER or due:
                    item.state = QUEUED
                    self._deliver(None, item)
                elif kind is WAIT_TIME:
                    self._add_timer(item, condition[1])
                elif kind is WAIT_EVENT:
                    item.state = EVENT
                    self._waiting_event += 1
                else:
                    item.state = IDLE

    def worker_threads(self) -> list[str]:
        """The names of the worker threads (pinned ones are named after their pool and entity)."""
        return [worker.name for worker in self._workers]


# Terms whose conditions the scheduler understands well enough to skip pointless checks: only
# MessageAvailable and DownstreamReceptive terms ever say WAIT, and a queue event cannot make any of these
# terms say NEVER (Count changes in a tick, Boolean through notify_change, Periodic with time).
_UNDERSTOOD = (MessageAvailableSchedulingTerm, DownstreamReceptiveSchedulingTerm, CountSchedulingTerm,
               PeriodicSchedulingTerm, BooleanSchedulingTerm)


def queue_waiters(item) -> tuple | None:
    """What may hold ``item`` in WAIT, when its condition is an AND of understood terms; None otherwise.

    One ``(measure, need)`` pair per queue a term watches: the term says WAIT while ``measure()`` (a
    receiver's ``available`` for a MessageAvailable term, a downstream receiver's ``room`` for a
    DownstreamReceptive term) is below ``need``, and READY otherwise.
    """
    if item.combiners or not item.terms:
        return None
    waiters = []
    for term in item.terms:
        kind = type(term)
        if kind not in _UNDERSTOOD:
            return None
        if kind is MessageAvailableSchedulingTerm:
            if term.front_stage_max_size is not None:
                return None
            waiters.append((term.receiver.available, term.min_size))
        elif kind is DownstreamReceptiveSchedulingTerm:
            targets = term.transmitter._targets
            if not targets:
                return None  # NEVER: nothing to watch
            waiters.extend((receiver.room, term.min_size) for receiver in targets)
    return tuple(waiters) or None


def _never_terms(item) -> tuple:
    """The terms of a watched entity that a tick may turn to NEVER (CountSchedulingTerm)."""
    return tuple(term for term in item.terms if type(term) is CountSchedulingTerm)


class Watch:
    """What the scheduler knows of an entity whose terms it understands (``queue_waiters``).

    - Events: while the entity waits (IDLE), a message arriving in one of its receivers or leaving a
      queue it publishes into can make it ready only if none of its waiters is short any more. While
      one is (it is tried first: ``at``), looking at the entity would find it waiting, so the event is
      dropped on the spot, without waking anybody. With several queues filling or emptying one after
      the other (a gather, a broadcast) that is one or two measures per event.
    - After a tick the entity must be looked at again (it may have more to do without any new event).
      By default that is done later, after the work queued meanwhile (round robin; by then downstream
      entities have usually made room, as in a pipeline, and the next check ticks). When such a later
      check finds the entity waiting, looking again later did not pay: the entity switches to looking
      right after each tick (``eager``), measuring its waiters there - an entity found waiting then
      waits for the events that end its wait, and costs nothing meanwhile. Every ``PROBE`` ticks it
      tries the later check once more, and keeps to it if that tick found the entity ready.
    """

    __slots__ = ("waiters", "nevers", "at", "eager", "again")

    def __init__(self, waiters: tuple, nevers: tuple) -> None:
        self.waiters = waiters   # (measure, need) pairs
        self.nevers = nevers     # terms a tick may exhaust
        self.at = 0              # index of the waiter found short last time
        self.eager = 0           # 0: look again later; n > 0: look right after a tick, n - 1 more times
        self.again = False       # queued to be looked at again after a tick (not by an event)

    def blocked(self) -> bool:
        """True when a waiter is short: the entity is certainly not ready."""
        waiters = self.waiters
        i = self.at
        measure, need = waiters[i]
        if measure() < need:
            return True
        n = len(waiters)
        for j in range(i + 1, i + n):
            if j >= n:
                j -= n
            measure, need = waiters[j]
            if measure() < need:
                self.at = j
                return True
        return False

    def waits(self) -> bool:
        """After a tick: True when the entity is certainly waiting (not NEVER, not ready)."""
        for term in self.nevers:
            if term.check(0)[0] is NEVER:
                return False
        return self.blocked()


def _push_callback(item, tls, external):
    """The receiver's arrival event: re-checks its entity unless it is queued or certainly still waits.

    Reading ``state`` without the lock is safe: the message is in the queue before the read, so an entity
    seen QUEUED is looked at after it arrived, and one seen IDLE is measured here, after it arrived.
    """
    watch = item.data

    def on_push() -> None:
        state = item.state
        if state == QUEUED or (state == IDLE and watch is not None and watch.blocked()):
            return
        worker = getattr(tls, "worker", None)
        if worker is not None:
            worker.pending.append(item)
        else:
            external((item,))
    return on_push


def _pop_callback(upstream: tuple, tls, external):
    """The receiver's departure event: re-checks the entities feeding it (as ``_push_callback``)."""
    if not upstream:
        return None
    if len(upstream) == 1:
        return _push_callback(upstream[0], tls, external)
    watched = tuple((item, item.data) for item in upstream)

    def on_pop() -> None:
        woken = [item for item, watch in watched
                 if not (item.state == QUEUED
                         or (item.state == IDLE and watch is not None and watch.blocked()))]
        if woken:
            worker = getattr(tls, "worker", None)
            if worker is not None:
                worker.pending.extend(woken)
            else:
                external(woken)
    return on_pop
