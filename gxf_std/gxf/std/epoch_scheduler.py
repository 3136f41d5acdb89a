"""EpochScheduler: runs the graph from threads the application manages, one epoch at a time."""

from __future__ import annotations

import logging
import threading

from .scheduler import Scheduler
from .sweep import Sweep


class EpochScheduler(Scheduler, type_name="nvidia::gxf::EpochScheduler",
                     uuid="3d175ab4-2e0d-11ec-8d3d-0242ac130003"):
    """A scheduler without threads of its own: the caller runs work in slices with ``run_epoch``.

    It has no thread of its own. ``run_async()`` (``Context.run_async``) only makes it ready; each
    call of ``run_epoch(budget_ms)`` from the caller's thread goes over the active entities and
    executes those that are ready: with a positive budget it keeps going until the budget (clock
    time) is used up or nothing is ready any more (it may overrun, as it finishes a round); with a
    budget of 0 or less it goes over every entity exactly once. It never sleeps nor moves the clock:
    ``next_target_timestamp()`` says when a waiting entity will be due, so a caller driving a
    ManualClock can advance it.

    ``wait()`` blocks until the run is over: every entity is done (NEVER), ``max_duration_ms`` of
    clock time has passed (noticed at the next epoch), ``stop()`` (ends normally) or ``interrupt()``
    (``wait()`` then raises SchedulerInterrupted) was called, or an entity failed (``run_epoch``
    raises the failure and ``wait()`` raises it again). Then every started entity is stopped. GXF's
    ``wait`` returns only after a stop; ending when all work is done as well spares a hang.
    Entities waiting for an event are set aside until it happens (the sweep it shares with the
    GreedyScheduler, ``sweep.py``).
    """

    def initialize(self) -> None:
        super().initialize()
        self._exec_lock = threading.Lock()
        self._sweep: Sweep | None = None
        self._running = False
        self._over = threading.Event()
        self._ended_run = False
        self._deadline = None
        self._next_target = None
        self.epochs = 0

    def prepare_executor(self, executor) -> None:
        self._sweep = Sweep(executor)

    def _request_activation(self, item, active: bool) -> None:
        self._sweep.request(item, active)  # carried out by the next epoch

    # --- System ----------------------------------------------------------------------------------------
    def run_async(self) -> None:
        """Makes the scheduler ready for ``run_epoch``; starts no thread."""
        with self._exec_lock:
            if self._running:
                return
            self._running = True
            self._ended_run = False
            self._over.clear()
            self._stop.clear()
            self._failure = None
            self._interrupted = False
            self._deadline = self.deadline(self._clock.timestamp())
        if self.logger.isEnabledFor(logging.INFO):
            self.logger.info("ready: entities execute when run_epoch() is called "
                             "(the scheduler has no thread)")

    def wait(self) -> None:
        if self._running:
            while not self._over.wait(0.25):  # short waits keep Ctrl-C working in the main thread
                pass
        self._raise_outcome()

    def stop(self) -> None:
        """Ends the run (GXF's stop): ``wait()`` returns, every started entity is stopped."""
        self.end_state = self.end_state or "finished"
        self._stop.set()
        self._end_if_idle()

    def interrupt(self) -> None:
        super().interrupt()
        self._end_if_idle()

    def _end_if_idle(self) -> None:
        # From inside an epoch (a codelet interrupting) the epoch itself ends the run when it returns.
        if self._exec_lock.acquire(blocking=False):
            try:
                self._end()
            finally:
                self._exec_lock.release()

    def _end(self) -> None:
        """Ends the run once: stops every started entity. Call with the execution lock held."""
        if self._ended_run or not self._running:
            return
        self._ended_run = True
        self._finish()
        self._running = False
        self._over.set()

    # --- epochs ------------------------------------------------------------------------------------------
    def run_epoch(self, budget_ms: float = 0.0) -> int:
        """Executes ready entities from the calling thread; returns how many executions ran.

        ``budget_ms`` > 0: keeps going until that much clock time has passed or nothing is ready;
        otherwise every entity once. Raises the failure of an entity (which ends the run).
        """
        with self._exec_lock:
            if not self._running:
                return 0
            try:
                executed = self._epoch(float(budget_ms))
            except BaseException as exc:  # noqa: BLE001 - ends the run, then reported to the caller
                self.record_failure(exc)
                self._end()
                raise self._failure from None
            if self._stop.is_set():
                self._end()
            self.epochs += 1
            return executed

    runEpoch = run_epoch  # noqa: N815 - GXF's C++ name

    def _epoch(self, budget_ms: float) -> int:
        clock = self._clock
        sweep = self._sweep
        start = clock.timestamp()
        budget_ns = int(budget_ms * 1_000_000)
        executed = 0
        covered = False
        while not self._stop.is_set():
            now = clock.timestamp()
            if self._deadline is not None and now > self._deadline:
                self._time_is_up()
                self._end()
                return executed
            if budget_ns > 0:
                if now > start + budget_ns:
                    return executed
            elif covered:
                return executed
            covered = True
            ready, earliest = sweep.round(now)
            executed += ready
            # Entities this round woke (behind it, or from other threads) are due now, not at a later timer.
            self._next_target = now if sweep.has_work() else earliest
            if sweep.finished():
                self._ended("no more entities to schedule")
                self._end()
                return executed
            if ready == 0 and not sweep.has_work():
                return executed
        return executed

    def waiting_for_events(self) -> bool:
        """True when an entity waits for an event (an asynchronous notification, a message from another
        thread) or one has come for the next epoch: a caller driving epochs should wait, not stop."""
        sweep = self._sweep
        return bool(sweep.waiting_event or sweep.has_work())

    def next_target_timestamp(self) -> int | None:
        """The earliest time (ns) a waiting entity was due at, as the last epoch saw; None if none."""
        return self._next_target

    def is_running(self) -> bool:
        """True between ``run_async`` and the end of the run."""
        return self._running
