"""The pieces of the multi-threaded schedulers' engine: workers, jobs, timers and watches.

- ``Job``: the scheduler's record of one entity (where it is, whether an event came while it ran,
  the worker it is pinned to, its timer generation, whether its last runs were slow, its ``Watch``).
  The executor's ``EntityItem`` knows nothing of it.
- ``Worker``: one worker thread's queues and parking lock.
- ``Timers``: the heap of entities waiting for a time, with stale entries skipped.
- ``Watch``: what the scheduler knows of an entity whose terms declared filters
  (``EntityWaits.filters``): an event that leaves one of them short cannot make the entity ready, so
  it is dropped without waking anybody.

``worker_scheduler.py`` moves jobs between these, under one lock.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections import deque

from .scheduling_condition import NEVER

# Where a job is (Job.state).
IDLE, QUEUED, RUNNING, TIMED, EVENT, DONE, INACTIVE = range(7)

PROBE = 16           # a job looked at right after its ticks tries looking later again this often


class Watch:
    """What the scheduler knows of an entity whose terms declared filters (see EntityWaits).

    - Events: while the entity waits (IDLE), a message arriving in one of its receivers or leaving a
      queue it publishes into can make it ready only if none of its filters is short any more. While
      one is (it is tried first: ``at``), looking at the entity would find it waiting, so the event is
      dropped on the spot. With several queues filling or emptying one after the other (a gather, a
      broadcast) that is one or two measures per event.
    - After a tick the entity must be looked at again (it may have more to do without any new event).
      By default that is done later, after the work queued meanwhile (round robin; by then downstream
      entities have usually made room, as in a pipeline, and the next check ticks). When such a later
      check finds the entity waiting, looking again later did not pay: the entity switches to looking
      right after each tick (``eager``), measuring its filters there. Every ``PROBE`` ticks it tries the
      later check once more, and keeps to it if that tick found the entity ready.
    """

    __slots__ = ("filters", "exhaustible", "at", "eager", "again")

    def __init__(self, filters: tuple, exhaustible: tuple) -> None:
        self.filters = filters          # (measure, need) pairs
        self.exhaustible = exhaustible  # terms a tick may turn NEVER
        self.at = 0                     # index of the filter found short last time
        self.eager = 0                  # 0: look again later; n > 0: look right after a tick
        self.again = False              # queued to be looked at again after a tick (not by an event)

    def blocked(self) -> bool:
        """True when a filter is short: the entity is certainly not ready."""
        filters = self.filters
        i = self.at
        measure, need = filters[i]
        if measure() < need:
            return True
        n = len(filters)
        for j in range(i + 1, i + n):
            if j >= n:
                j -= n
            measure, need = filters[j]
            if measure() < need:
                self.at = j
                return True
        return False

    def waits_on(self) -> bool:
        """After a tick: True when the entity is certainly waiting (not NEVER, not ready)."""
        for term in self.exhaustible:
            if term.check(0)[0] is NEVER:
                return False
        return self.blocked()


class Job:
    """The multi-threaded scheduler's record of one entity."""

    __slots__ = ("item", "state", "dirty", "pin", "timer_gen", "slow", "watch", "off", "again")

    def __init__(self, item, watch: Watch | None) -> None:
        self.item = item
        self.state = QUEUED      # until the run starts (every job is delivered then)
        self.dirty = False       # an event arrived while the job was being executed
        self.pin = None          # the worker the entity is pinned to, if any
        self.timer_gen = 0       # invalidates stale timer entries
        self.slow = 0            # how many executions in a row took long
        self.watch = watch
        self.off = False         # deactivation requested: stop it when a worker next holds it
        self.again = False       # activation requested after that deactivation: start it afresh then


class Worker:
    """One worker thread: its own FIFO of jobs to run, an inbox for pinned work, a parking lock."""

    __slots__ = ("name", "gate", "local", "inbox", "pending", "parked", "takes_shared", "thread", "streak",
                 "executions")

    def __init__(self, name: str, takes_shared: bool) -> None:
        self.name = name
        self.gate = threading.Lock()
        self.gate.acquire()          # locked while nobody has work for a parked worker
        self.local: deque = deque()  # jobs this worker runs next (first in, first out)
        self.inbox: deque = deque()  # jobs pinned here, delivered by other threads
        self.pending: list = []      # jobs touched by the current execution (events)
        self.parked = False
        self.takes_shared = takes_shared
        self.thread: threading.Thread | None = None
        self.streak = 0
        self.executions = 0


class Timers:
    """Jobs waiting for a clock time: a heap with stale entries (re-timed or moved jobs) skipped."""

    __slots__ = ("heap", "seq")

    def __init__(self) -> None:
        self.heap: list = []          # (target_ns, seq, gen, job)
        self.seq = itertools.count()

    def add(self, job: Job, target: int) -> None:
        job.state = TIMED
        job.timer_gen += 1
        heapq.heappush(self.heap, (target, next(self.seq), job.timer_gen, job))

    def earliest(self) -> int | None:
        heap = self.heap
        while heap:
            target, _, gen, job = heap[0]
            if gen == job.timer_gen and job.state == TIMED:
                return target
            heapq.heappop(heap)
        return None

    def due(self, now: int):
        """Yields the jobs whose time has come, now QUEUED."""
        heap = self.heap
        while heap and heap[0][0] <= now:
            _, _, gen, job = heapq.heappop(heap)
            if gen == job.timer_gen and job.state == TIMED:
                job.state = QUEUED
                yield job
