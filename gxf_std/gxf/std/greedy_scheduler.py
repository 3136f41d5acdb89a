"""GreedyScheduler: one thread that executes every ready entity in turn."""

from __future__ import annotations

from gxf.core import Parameter

from .clock import Clock, ManualClock, RealtimeClock
from .scheduler import DeadlockPolicy, DeadlockTimer, Scheduler
from .scheduling_term import bad_parameter
from .sweep import Sweep

# How often (real seconds) a scheduler that must keep polling looks at waiting entities again when
# check_recession_period_ms is 0: GXF would spin; this keeps the CPU for other threads.
POLL_S = 0.001


class GreedyScheduler(DeadlockPolicy, Scheduler, type_name="nvidia::gxf::GreedyScheduler",
                      uuid="869d30ca-a443-4619-b988-7a52e657f39b"):
    """A single-threaded scheduler that goes over the entities in turn and executes each one that is ready.

    Each round it checks every entity and executes those that are ready, in graph order. With a
    ManualClock the run is time-compressed (the clock jumps to the next due entity); with a
    RealtimeClock the scheduler sleeps until then. Entities waiting for an event (a message, a term's
    notification; see ``sweep.py``) are set aside until it happens and cost nothing meanwhile. When
    every entity waits and nothing
    timed or asynchronous can end the wait, that is a deadlock: with ``stop_on_deadlock`` the run
    ends (after ``stop_on_deadlock_timeout`` ms of real time without new work), otherwise the
    scheduler keeps polling every ``check_recession_period_ms``.
    """

    check_recession_period_ms = Parameter(float, 0.0, "Longest wait (ms) before looking at the entities "
                                          "again when none is ready")
    realtime = Parameter(bool, optional=True, description="Deprecated: set clock instead (true: a "
                         "RealtimeClock, false: a ManualClock).")

    def initialize(self) -> None:
        super().initialize()
        if self.check_recession_period_ms < 0:
            raise bad_parameter(self, "check_recession_period_ms",
                                f"must not be negative, got {self.check_recession_period_ms}")
        self._sweep: Sweep | None = None

    def _default_clock(self) -> Clock:
        if self.realtime is None:
            return RealtimeClock()
        self.logger.warning("the parameter 'realtime' is deprecated: set 'clock' instead")
        return RealtimeClock() if self.realtime else ManualClock()

    def prepare_executor(self, executor) -> None:
        self._sweep = Sweep(executor, self._wake)

    def _request_activation(self, item, active: bool) -> None:
        self._sweep.request(item, active)

    def _sleep(self, fn, *args) -> None:
        """Sleeps through ``fn(*args)`` (a clock sleep or an event wait) unless work is already queued."""
        sweep = self._sweep
        sweep.sleeping = True    # events from other threads now set the wake event
        try:
            if not sweep.has_work():
                fn(*args)
        finally:
            sweep.sleeping = False
            self._wake.clear()

    def run_loop(self) -> None:
        clock = self._clock
        sweep = self._sweep
        if not sweep.entries:
            self.logger.warning("nothing to schedule: no entity has a codelet")
            return
        deadline = self.deadline(clock.timestamp())
        stop, wake = self._stop, self._wake
        recess_ns = int(self.check_recession_period_ms * 1_000_000)
        deadlock = DeadlockTimer(self.stop_on_deadlock_timeout)
        run_round = sweep.round
        while not stop.is_set():
            now = clock.timestamp()
            if deadline is not None and now > deadline:
                return self._time_is_up()
            ready, earliest = run_round(now)
            if ready or sweep.has_work():
                deadlock.reset()
                continue
            if sweep.finished():
                return self._ended("no more entities to schedule")
            if earliest is not None:
                deadlock.reset()
                target = earliest if deadline is None else min(earliest, deadline + 1)
                self._sleep(clock.sleep_until, target, wake)
                continue
            if sweep.waiting_event:
                # Sleep until an asynchronous event is notified; nothing is polled meanwhile.
                deadlock.reset()
                self._sleep(self._wait_event, clock, deadline)
                continue
            # Every entity waits and nothing timed or asynchronous can end the wait: a deadlock.
            if recess_ns > 0:
                self._sleep(clock.sleep_for, recess_ns, wake)
            if self.stop_on_deadlock:
                remaining = deadlock.remaining()
                if remaining == 0:
                    return self.judge_idle_end()
                if recess_ns <= 0:
                    self._sleep(wake.wait, POLL_S if remaining is None else min(POLL_S, remaining))
            elif recess_ns <= 0:
                self._sleep(wake.wait, POLL_S)

    def _wait_event(self, clock, deadline) -> None:
        wake = self._wake
        if deadline is None or clock.jumps:
            wake.wait()
        else:
            clock.sleep_until(deadline + 1, wake)
