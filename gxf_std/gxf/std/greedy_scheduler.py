"""GreedyScheduler: one thread that executes every ready entity in turn."""

from __future__ import annotations

import logging
import time

from gxf.core import Parameter

from .scheduler import Scheduler
from .scheduling_condition import NEVER, READY, WAIT_EVENT, WAIT_TIME

log = logging.getLogger("gxf")


class GreedyScheduler(Scheduler, type_name="nvidia::gxf::GreedyScheduler",
                      uuid="869d30ca-a443-4619-b988-7a52e657f39b"):
    """Single-threaded: checks every entity each round and executes those that are ready.

    With a ManualClock the run is time-compressed (the clock jumps to the next due entity); with a
    RealtimeClock the scheduler sleeps until then.
    """

    stop_on_deadlock = Parameter(bool, True, "Stop when every entity waits and no periodic or "
                                 "asynchronous entity can end the wait")
    check_recession_period_ms = Parameter(float, 0.0, "How long to sleep (ms) before checking again when "
                                          "no entity is ready")
    stop_on_deadlock_timeout = Parameter(int, 0, "How long (ms) a deadlock must last before the scheduler "
                                         "stops; a negative value never stops on deadlock")
    realtime = Parameter(bool, optional=True, description="Deprecated: give a clock instead")

    def prepare_executor(self, executor) -> None:
        super().prepare_executor(executor)
        self._notified = []  # items whose asynchronous event finished
        for item in executor.items:
            for term in item.terms:
                if hasattr(term, "_scheduler_notify"):
                    term._scheduler_notify = self._make_notify(item)

    def _make_notify(self, item):
        def notify() -> None:
            self._notified.append(item)
            self._wake.set()
        return notify

    def run_loop(self) -> None:
        clock = self._clock
        items = list(self.executor.items)
        if not items:
            log.warning("nothing to schedule: no entity has a codelet")
            return
        waiting_event: list = []
        deadline = self.deadline(clock.timestamp())
        stop, wake, notified = self._stop, self._wake, self._notified
        recess_ns = int(self.check_recession_period_ms * 1_000_000)
        deadlock_since = None  # real time (s) when the current deadlock began
        while not stop.is_set():
            now = clock.timestamp()
            if deadline is not None and now > deadline:
                self.stop_reason = "max duration reached"
                log.info("scheduler stopped: maximum duration of %s ms reached", self.max_duration_ms)
                return
            ready = 0
            earliest = None
            parked = None
            for item in items:
                condition = item.execute(now)
                kind = condition[0]
                if kind is READY:
                    ready += 1
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
                item = notified.pop()
                if item in waiting_event:
                    waiting_event.remove(item)
                    items.append(item)
                    ready += 1
            if not items and not waiting_event:
                self.stop_reason = "all entities done"
                log.info("scheduler stopped: no more entities to schedule")
                return
            if ready:
                deadlock_since = None
                continue
            if earliest is not None and earliest > now:
                deadlock_since = None
                clock.sleep_until(earliest, wake)
                wake.clear()
                continue
            if waiting_event:
                deadlock_since = None
                wake.wait(recess_ns / 1e9 if recess_ns > 0 else 0.1)
                wake.clear()
                continue
            # Every entity waits and nothing known can end the wait: a deadlock.
            if recess_ns > 0:
                clock.sleep_until(now + recess_ns, wake)
                wake.clear()
            if self.stop_on_deadlock and self.stop_on_deadlock_timeout >= 0:
                if deadlock_since is None:
                    deadlock_since = time.monotonic()
                if (time.monotonic() - deadlock_since) * 1000 >= self.stop_on_deadlock_timeout:
                    self.stop_reason = "deadlock"
                    log.info("scheduler stopped: every entity waits and nothing can end the wait")
                    return
            if recess_ns <= 0:
                wake.wait(0.001)
                wake.clear()
