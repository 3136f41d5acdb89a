"""GreedyScheduler: one thread that executes every ready entity in turn."""

from __future__ import annotations

from collections import deque

from gxf.core import Parameter

from .clock import Clock, ManualClock, RealtimeClock
from .scheduler import DeadlockTimer, Scheduler
from .scheduling_condition import NEVER, READY, WAIT, WAIT_EVENT, WAIT_TIME
from .scheduling_term import bad_parameter

# How often (real seconds) a scheduler that must keep polling looks at waiting entities again when
# check_recession_period_ms is 0: GXF would spin; this keeps the CPU for other threads.
POLL_S = 0.001


class GreedyScheduler(Scheduler, type_name="nvidia::gxf::GreedyScheduler",
                      uuid="869d30ca-a443-4619-b988-7a52e657f39b"):
    """A single-threaded scheduler that goes over the entities in turn and executes each one that is ready.

    Each round it checks every entity and executes those that are ready, in graph order. With a
    ManualClock the run is time-compressed (the clock jumps to the next due entity); with a
    RealtimeClock the scheduler sleeps until then. Entities waiting on an asynchronous event
    (WAIT_EVENT) are set aside until their event is notified. When every entity waits and nothing
    timed or asynchronous can end the wait, that is a deadlock: with ``stop_on_deadlock`` the run
    ends (after ``stop_on_deadlock_timeout`` ms of real time without new work), otherwise the
    scheduler keeps polling every ``check_recession_period_ms``.
    """

    stop_on_deadlock = Parameter(bool, True, "End the run when every entity is waiting and no time-based "
                                 "term can wake any of them. Turn it off when something outside the graph "
                                 "may still make entities ready (for example by emptying queues).")
    check_recession_period_ms = Parameter(float, 0.0, "Longest wait (ms) before looking at the entities "
                                          "again when none is ready")
    stop_on_deadlock_timeout = Parameter(int, 0, "How long (ms) a deadlock must last before "
                                         "stop_on_deadlock ends the run; work arriving meanwhile restarts the "
                                         "wait. A negative value never ends the run on a deadlock.")
    realtime = Parameter(bool, optional=True, description="Deprecated: set clock instead (true: a "
                         "RealtimeClock, false: a ManualClock).")

    def initialize(self) -> None:
        super().initialize()
        if self.check_recession_period_ms < 0:
            raise bad_parameter(self, "check_recession_period_ms",
                                f"must not be negative, got {self.check_recession_period_ms}")
        self._notified: deque = deque()

    def _default_clock(self) -> Clock:
        if self.realtime is None:
            return RealtimeClock()
        self.logger.warning("the parameter 'realtime' is deprecated: set 'clock' instead")
        return RealtimeClock() if self.realtime else ManualClock()

    def on_entity_event(self, item) -> None:
        item.events += 1
        self._notified.append(item)
        self._wake.set()

    def prepare_executor(self, executor) -> None:
        super().prepare_executor(executor)
        # An entity whose WAIT can only end through an event (every term event-driven: messages
        # arriving or leaving its queues, a term's notify_change) is parked instead of being checked
        # each round, until such an event counts up its ``events``. Graphs with many waiting entities
        # then cost nothing per round for them.
        for item in executor.items:
            item.events = 0
            item.parked_at = -1
            item.parkable = bool(item.terms) and all(getattr(t, "event_driven", False) for t in item.terms)
        for item in executor.items:
            for receiver in item.receivers:
                receiver._on_push = _counter(item)
                upstream = executor.upstream_items(receiver)
                if upstream:
                    receiver._on_pop = _counter(*upstream)

    def run_loop(self) -> None:
        clock = self._clock
        items = list(self.executor.items)
        if not items:
            self.logger.warning("nothing to schedule: no entity has a codelet")
            return
        waiting_event: list = []
        deadline = self.deadline(clock.timestamp())
        stop, wake, notified = self._stop, self._wake, self._notified
        recess_ns = int(self.check_recession_period_ms * 1_000_000)
        deadlock = DeadlockTimer(self.stop_on_deadlock_timeout)
        while not stop.is_set():
            now = clock.timestamp()
            if deadline is not None and now > deadline:
                return self._ended(f"maximum duration of {self.max_duration_ms} ms reached")
            ready = 0
            earliest = None
            parked = None
            for item in items:
                events = item.events
                if item.parked_at == events:
                    continue  # waiting, and nothing it waits on has happened since
                condition = item.execute(now)
                kind = condition[0]
                if kind is READY:
                    ready += 1
                elif kind is WAIT:
                    if item.parkable:
                        item.parked_at = events
                elif kind is WAIT_TIME:
                    if earliest is None or condition[1] < earliest:
                        earliest = condition[1]
                elif kind is NEVER or kind is WAIT_EVENT:
                    if parked is None:
                        parked = []
                    parked.append((item, kind))
            if parked is not None:
                for item, kind in parked:
                    items.remove(item)
                    if kind is WAIT_EVENT:
                        waiting_event.append(item)
            while notified:
                item = notified.popleft()
                if item in waiting_event:
                    waiting_event.remove(item)
                    items.append(item)
                    ready += 1
            if not items and not waiting_event:
                return self._ended("no more entities to schedule")
            if ready:
                deadlock.reset()
                continue
            if earliest is not None:
                deadlock.reset()
                target = earliest if deadline is None else min(earliest, deadline + 1)
                clock.sleep_until(target, wake)
                wake.clear()
                continue
            if waiting_event:
                # Sleep until an asynchronous event is notified; nothing is polled meanwhile.
                deadlock.reset()
                self._wait_event(clock, deadline)
                continue
            # Every entity waits and nothing timed or asynchronous can end the wait: a deadlock.
            if recess_ns > 0:
                clock.sleep_for(recess_ns, wake)
                wake.clear()
            if self.stop_on_deadlock:
                remaining = deadlock.remaining()
                if remaining == 0:
                    return self._ended("every entity waits and no periodic or asynchronous entity can end "
                                       "the wait (deadlock)")
                if recess_ns <= 0:
                    wake.wait(POLL_S if remaining is None else min(POLL_S, remaining))
                    wake.clear()
            elif recess_ns <= 0:
                wake.wait(POLL_S)
                wake.clear()

    def _wait_event(self, clock, deadline) -> None:
        wake = self._wake
        if deadline is None or clock.jumps:
            wake.wait()
        else:
            clock.sleep_until(deadline + 1, wake)
        wake.clear()


def _counter(*items):
    """A queue event callback: counts an event on each of ``items`` (unparking them)."""
    if len(items) == 1:
        item = items[0]

        def count() -> None:
            item.events += 1
        return count

    def count_all() -> None:
        for each in items:
            each.events += 1
    return count_all
