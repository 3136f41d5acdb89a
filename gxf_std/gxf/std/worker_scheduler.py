"""The engine of the MultiThreadScheduler and the EventBasedScheduler: worker threads driven by events.

Roles, as in GXF: worker threads execute entities; a dispatcher (the scheduler's own thread) keeps
time (WAIT_TIME entities, jumps of a ManualClock, ``max_duration_ms``), detects deadlocks and ends the
run; asynchronous notifications (``notify_change()`` from any thread) move an entity back to work
without a poll. Entities move between queues only on events:

- a message arriving in a receiver re-checks the entities whose terms wait on its arrivals;
- a message taken from a receiver re-checks the entities whose terms wait on room in it (they may
  publish again);
- an execution re-checks the executed entity;
- a timer that expires releases its WAIT_TIME entity;
- a term changed from outside a tick (``notify_change``) re-checks its entity.

Which events concern which entity comes from the terms' own ``waits_on()`` (``EntityWaits``), heard
through the router's queue listeners and the terms' change listeners: no term is named here.

An entity nobody sends anything to is therefore never looked at, whatever the others do. Wake-ups
are coalesced per entity: an event for an entity already queued costs nothing (it will be looked at
after the event anyway), one for an entity being executed marks it to be looked at once more when the
execution ends, and, for an entity whose terms declared filters (``Watch`` in ``workers.py``), one that
leaves a queue the entity waits on still short is dropped without waking anybody. A gather entity is
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
executed by two threads at once. The per-entity records (``Job``), workers and timers live in
``workers.py``.

Deactivating an entity marks its job; the next worker to hold it stops its codelets (outside the
lock) and sets it aside; activating it delivers it again.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from gxf.core import Parameter

from .scheduler import DeadlockPolicy, DeadlockTimer, Scheduler
from .scheduling_condition import NEVER, READY, WAIT, WAIT_EVENT, WAIT_NOW, WAIT_TIME
from .scheduling_term import bad_parameter
from .thread_pool import pinned_pool
from .workers import (DONE, EVENT, IDLE, INACTIVE, PROBE, QUEUED, RUNNING, TIMED, Job, Timers, Watch,
                      Worker)

SLOW_NS = 300_000    # executions this long (ns), SLOW_RUNS times in a row, make a worker share its queued
SLOW_RUNS = 2        # work with idle workers before running that entity (one long run may be preemption)
LOCAL_STREAK = 32    # after this many executions of its own chain a worker takes queued shared work
POLL_SHARE = 20      # a poll of waiting entities waits at least this many times its own duration
OFF = "switched off"
SWITCHED_OFF = (OFF, 0)   # the condition _settle is given for a job just deactivated


class WorkerScheduler(DeadlockPolicy, Scheduler, abstract=True):
    """Common part of the multi-threaded schedulers: workers, events, timers, deadlock, pinning."""

    worker_thread_number = Parameter(int, 1, "How many worker threads run unpinned entities")
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
        self._jobs: dict = {}          # EntityItem -> Job
        self._timers = Timers()
        self._busy = 0                 # workers not parked
        self._active = 0               # jobs not done nor deactivated
        self._waiting_event = 0        # jobs in WAIT_EVENT
        self._stopping = False
        self._tls = threading.local()
        self._disp_gate = threading.Lock()
        self._disp_gate.acquire()
        self._disp_parked = False
        self._disp_target = None
        self._jumps = False
        self._polled: list = []        # jobs re-checked by polling (MultiThreadScheduler)

    def prepare_executor(self, executor) -> None:
        strict = self.strict_pinning()
        self._workers = [Worker(f"gxf-worker-{i}", True) for i in range(self.worker_thread_number)]
        pools: list = []
        for item in executor.items:
            waits = item.waits_on()
            watch = Watch(waits.filters, waits.exhaustible) if waits.filters and not waits.polled else None
            job = self._jobs[item] = Job(item, watch)
            if waits.polled:
                # A term may change without an event: the MultiThreadScheduler polls such entities.
                self._polled.append(job)
            executor.listen(item, self._queue_event(job), self._term_change(job))
            pool = pinned_pool(item.entity)
            if pool is None:
                continue
            worker = Worker(f"gxf-{pool.name or 'pool'}-{item.name or item.eid}", not strict)
            job.pin = worker
            self._workers.append(worker)
            pool.pinned.append(item.entity)
            if pool not in pools:
                pools.append(pool)
        if not strict:
            for pool in pools:
                self._workers.extend(Worker(f"gxf-{pool.name or 'pool'}-{i}", True)
                                     for i in range(pool.initial_size))

    def _queue_event(self, job):
        """The job's queue event: re-check it unless it is queued or certainly still waits.

        Reading ``state`` without the lock is safe: the message moved before the read, so a job seen
        QUEUED is looked at after it moved, and one seen IDLE is measured here, after it moved.
        """
        watch, tls, external = job.watch, self._tls, self._external_event

        def on_event() -> None:
            state = job.state
            if state == QUEUED or (state == IDLE and watch is not None and watch.blocked()):
                return
            worker = getattr(tls, "worker", None)
            if worker is not None:
                worker.pending.append(job)  # handled when the worker's current execution ends
            else:
                external(job)
        return on_event

    def _term_change(self, job):
        """A term of the job's entity changed outside a tick (from any thread): re-check it."""
        tls, external = self._tls, self._external_event

        def on_change() -> None:
            worker = getattr(tls, "worker", None)
            if worker is not None:
                worker.pending.append(job)
            else:
                external(job)
        return on_change

    def _external_event(self, job) -> None:
        with self._lock:
            self._route(None, job)

    # --- run-time activation -------------------------------------------------------------------------
    def _request_activation(self, item, active: bool) -> None:
        job = self._jobs[item]
        with self._lock:
            state = job.state
            if active:
                if job.off:
                    # Deactivated, then activated before the deactivation was carried out: it is
                    # carried out (the codelets stop), then the entity starts afresh, as on the sweep.
                    job.again = True
                elif state == INACTIVE:
                    item.activate()
                    job.state = QUEUED
                    self._active += 1
                    self._deliver(None, job)
                return
            if state == INACTIVE or job.off:
                job.again = False
                return
            if state == DONE:
                item.deactivate(0)             # already stopped: it only becomes inactive
                job.state = INACTIVE
                return
            job.off = True                     # the worker that next holds it stops it
            self._route(None, job)             # wherever it waits, it is queued for a worker

    def _switch_off(self, worker, job):
        """Carries out a deactivation on the worker holding ``job``; returns the worker's next job."""
        try:
            job.item.deactivate(self._clock.timestamp())
        except BaseException as exc:  # noqa: BLE001 - a failing stop() ends the run like a failing tick
            self.record_failure(exc)
        with self._lock:
            self._settle(worker, job, SWITCHED_OFF)
            return self._next(worker)

    # --- moving jobs (all under self._lock) ---------------------------------------------------------
    def _route(self, worker, job) -> None:
        """An event for ``job``: look at it again soon."""
        state = job.state
        if state == RUNNING:
            job.dirty = True
        elif state != QUEUED and state != DONE and state != INACTIVE:
            if state == TIMED:
                job.timer_gen += 1
            elif state == EVENT:
                self._waiting_event -= 1
            job.state = QUEUED
            self._deliver(worker, job)

    def _deliver(self, worker, job) -> None:
        pin = job.pin
        if pin is None:
            if worker is not None and worker.takes_shared:
                worker.local.append(job)
                return
            self._shared.append(job)
            if self._idle:
                self._unpark(self._idle.pop())
        elif pin is worker:
            worker.local.append(job)
        else:
            pin.inbox.append(job)
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
        """The next job for ``worker`` (now RUNNING), or None: parked, or the run is stopping."""
        if self._stopping:
            return None
        local = worker.local
        job = None
        if local and (worker.streak < LOCAL_STREAK
                      or not (worker.inbox or (worker.takes_shared and self._shared))):
            job = local.popleft()
            worker.streak = worker.streak + 1 if worker.streak < LOCAL_STREAK else 0
            if local and job.slow >= SLOW_RUNS and self._idle:
                self._share_local(worker)
        else:
            worker.streak = 0
            if worker.inbox:
                job = worker.inbox.popleft()
            elif worker.takes_shared and self._shared:
                job = self._shared.popleft()
            elif local:
                job = local.popleft()
        if job is None:
            worker.parked = True
            self._busy -= 1
            if worker.takes_shared:
                self._idle.append(worker)
            if self._busy == 0:
                self._wake_dispatcher()
            return None
        job.state = RUNNING
        job.dirty = False
        return job

    def _share_local(self, worker) -> None:
        keep = []
        shared = self._shared
        for job in worker.local:
            if job.pin is None:
                shared.append(job)
            else:
                keep.append(job)
        worker.local.clear()
        worker.local.extend(keep)
        idle = self._idle
        for _ in range(min(len(shared), len(idle))):
            self._unpark(idle.pop())

    def _settle(self, worker, job, condition) -> None:
        """Routes the events of an execution, then puts ``job`` where its condition says (``SWITCHED_OFF``:
        its entity was just deactivated)."""
        pending = worker.pending
        if pending:
            local = worker.local
            takes_shared = worker.takes_shared
            for other in pending:
                if other.state == IDLE and other.pin is None and takes_shared:
                    other.state = QUEUED   # the common case of _route
                    local.append(other)
                else:
                    self._route(worker, other)
            pending.clear()
        kind = condition[0]
        if kind is NEVER or kind is OFF:
            self._active -= 1
            if kind is NEVER and not job.off:
                job.state = DONE
            else:
                job.off = False
                job.state = INACTIVE
                if kind is NEVER:
                    job.item.deactivate(0)   # stopped already: it only becomes inactive
                if job.again:                # activated again meanwhile: it starts afresh
                    job.again = False
                    job.item.activate()
                    job.state = QUEUED
                    self._active += 1
                    self._deliver(worker, job)
                elif kind is not NEVER and self._active == 0:
                    self._wake_dispatcher()
        elif kind is READY or job.dirty or job.off:
            # Looked at again after everything queued here (round robin, like the greedy scheduler): by
            # then its downstream entities have usually made room.
            job.state = QUEUED
            worker.local.append(job)
        elif kind is WAIT:
            job.state = IDLE
        elif kind is WAIT_TIME:
            self._add_timer(job, condition[1])
        elif kind is WAIT_EVENT:
            job.state = EVENT
            self._waiting_event += 1

    def _add_timer(self, job, target: int) -> None:
        self._timers.add(job, target)
        if not self._jumps and self._disp_parked and (self._disp_target is None
                                                      or target < self._disp_target):
            self._wake_dispatcher()

    def _release_timers(self, now: int) -> None:
        for job in self._timers.due(now):
            self._deliver(None, job)

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
        settle, take = self._settle, self._next
        pending = worker.pending
        while True:
            with lock:
                job = take(worker)
            while job is not None:
                if job.off:
                    job = self._switch_off(worker, job)
                    continue
                start = perf()
                try:
                    condition = job.item.execute(clock.timestamp())
                except BaseException as exc:  # noqa: BLE001 - ends the run, reported by wait()
                    pending.clear()
                    self.record_failure(exc)
                    return
                job.slow = job.slow + 1 if perf() - start > SLOW_NS else 0
                worker.executions += 1
                watch = job.watch
                if watch is not None:
                    # See Watch: learn whether looking again later pays, or looking right away.
                    if watch.again:
                        watch.again = False
                        watch.eager = PROBE if condition[0] is WAIT else 0
                    if condition[0] is READY:
                        eager = watch.eager
                        if eager > 1:
                            watch.eager = eager - 1
                            if watch.waits_on():
                                condition = WAIT_NOW
                        else:
                            watch.again = True
                with lock:
                    settle(worker, job, condition)
                    job = take(worker)
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
            jobs = [self._jobs[item] for item in items]
            for job in jobs:
                if job.off:                    # deactivated before the run started
                    job.off = False
                    if job.again:              # and activated again: nothing started, nothing to do
                        job.again = False
                        continue
                    job.item.deactivate(0)
                    job.state = INACTIVE
            self._active = sum(1 for job in jobs if job.state != INACTIVE)
            self._busy = len(self._workers)
            for job in jobs:
                if job.state == QUEUED:
                    self._deliver(None, job)
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
                    return self._time_is_up()
                self._release_timers(now)
                if self._active == 0:
                    return self._ended("no more entities to schedule")
                idle = self._busy == 0 and not self._has_queued_work()
                timeout = None     # real seconds to wait; None: until woken
                target = None      # clock time to wake up at
                earliest = self._timers.earliest()
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
                        return self.judge_idle_end()
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
                        polled = [job for job in self._polled if job.state == IDLE]
                        for job in polled:
                            job.state = RUNNING
                            job.dirty = False
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

    def _poll(self, jobs, clock) -> None:
        """Re-checks entities in WAIT (MultiThreadScheduler's check_recession_period_ms)."""
        now = clock.timestamp()
        results = []
        for job in jobs:
            try:
                results.append(job.item.check(now))
            except BaseException as exc:  # noqa: BLE001
                self.record_failure(exc)
                results.append((WAIT, 0))
        with self._lock:
            for job, condition in zip(jobs, results, strict=True):
                kind = condition[0]
                due = kind is WAIT_TIME and condition[1] <= now
                if job.dirty or job.off or kind is READY or kind is NEVER or due:
                    job.state = QUEUED
                    self._deliver(None, job)
                elif kind is WAIT_TIME:
                    self._add_timer(job, condition[1])
                elif kind is WAIT_EVENT:
                    job.state = EVENT
                    self._waiting_event += 1
                else:
                    job.state = IDLE

    def worker_threads(self) -> list[str]:
        """The names of the worker threads (pinned ones are named after their pool and entity)."""
        return [worker.name for worker in self._workers]
