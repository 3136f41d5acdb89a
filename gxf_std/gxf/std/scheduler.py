"""Scheduler: the common part of every scheduler (a System component of the core).

A scheduler owns an EntityExecutor built when the graph activates, runs its loop on a thread of
its own, records the first failure, and on the way out stops every started entity. ``wait()``
re-raises the failure; ``interrupt()`` asks the loop to end soon.
"""

from __future__ import annotations

import logging
import threading

from gxf.core import ExecutionError, GxfError, Handle, Parameter, System

from .clock import Clock, RealtimeClock
from .entity_executor import EntityExecutor
from .monitor import attach_observers

log = logging.getLogger("gxf")


class SchedulerInterrupted(GxfError):
    """The run was interrupted before it finished on its own."""

    exit_code = 130


class Scheduler(System, type_name="nvidia::gxf::Scheduler", uuid="f0103b75-d2e1-4d70-9b13-3fe5b40209be",
                abstract=True):
    """Base of the schedulers: executor, run thread, failure propagation, max duration."""

    clock = Parameter(Handle(Clock), optional=True,
                      description="The clock that defines the flow of time (default: a RealtimeClock)")
    max_duration_ms = Parameter(int, optional=True,
                                description="Stop after this many milliseconds of clock time (default: run "
                                "until all work is done)")

    def initialize(self) -> None:
        self.executor: EntityExecutor | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._stop = threading.Event()      # set by interrupt() or when the run ends
        self._wake = threading.Event()      # wakes a sleeping loop (events, interrupt)
        self._interrupted = False
        self._own_clock: Clock | None = None
        self.stop_reason = ""

    # --- System ----------------------------------------------------------------------------------------
    def prepare(self, context) -> None:
        clock = self.clock
        if clock is None:
            clock = RealtimeClock()
            clock.name = "default_clock"
            clock.initialize()
            self._own_clock = clock
        self._clock = clock
        self.executor = EntityExecutor(context, clock)
        attach_observers(self.executor, context)  # the graph's Monitor and JobStatistics components
        self.prepare_executor(self.executor)

    def prepare_executor(self, executor: EntityExecutor) -> None:
        """Scheduler-specific wiring of events; the base wires term changes to waking the loop."""
        wake = self._wake.set
        for item in executor.items:
            for term in item.terms:
                term._on_change = wake

    def run_async(self) -> None:
        self._stop.clear()
        self._failure = None
        self._thread = threading.Thread(target=self._run_guarded, name=f"gxf-{type(self).__name__}",
                                        daemon=True)
        self._thread.start()

    def wait(self) -> None:
        thread = self._thread
        if thread is not None:
            while thread.is_alive():
                thread.join(0.25)
        if self._failure is not None:
            raise self._failure
        if self._interrupted:
            raise SchedulerInterrupted("the run was interrupted", hint=None)

    def interrupt(self) -> None:
        self._interrupted = True
        self._stop.set()
        self._wake.set()
        self.on_interrupt()

    def on_interrupt(self) -> None:
        """Hook for schedulers with extra threads to wake."""

    # --- running -----------------------------------------------------------------------------------------
    def _run_guarded(self) -> None:
        try:
            self.run_loop()
        except BaseException as exc:  # noqa: BLE001 - reported through wait()
            self.record_failure(exc)
        finally:
            self._finish()

    def run_loop(self) -> None:
        """The scheduling loop; returns when the run is over. Subclasses implement it."""
        raise NotImplementedError

    def record_failure(self, exc: BaseException) -> None:
        if self._failure is None:
            if not isinstance(exc, GxfError):
                wrapped = ExecutionError(f"the scheduler failed: {type(exc).__name__}: {exc}", self.location)
                wrapped.__cause__ = exc
                exc = wrapped
            self._failure = exc
            log.error("%s", exc)
        self._stop.set()
        self._wake.set()

    def _finish(self) -> None:
        executor = self.executor
        if executor is not None:
            failure = executor.stop_all(self._clock.timestamp())
            if failure is not None and self._failure is None:
                self._failure = failure
        self._stop.set()

    def deinitialize(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self.interrupt()
            self._thread.join()
        self._thread = None

    # --- helpers for loops -------------------------------------------------------------------------------
    def deadline(self, start: int) -> int | None:
        if self.max_duration_ms is None:
            return None
        return start + int(self.max_duration_ms) * 1_000_000

    def stopping(self) -> bool:
        return self._stop.is_set()
