"""Scheduler: the common part of every scheduler (a System component of the core).

A scheduler owns an EntityExecutor built when the graph activates, runs its loop on a thread of its
own, records the first failure, and on the way out stops every started entity (then the context
deinitializes every component). ``wait()`` re-raises the failure that ended the run;
``interrupt()`` (from any thread) ends it soon, after which ``wait()`` raises SchedulerInterrupted
(exit code 130).

Events: a scheduler hears of what can end an entity's wait through public contracts only: the
router's queue listeners and the terms' change listeners (``EntityExecutor.listen``), as the terms'
``waits_on()`` declare. No scheduler knows a concrete term.

Run-time activation: ``activate_entity(entity)`` / ``deactivate_entity(entity)`` bring an entity into
the run or take it out while the graph runs (from a codelet's tick or any thread); a deactivated
entity's codelets are stopped and start again when it is activated. Every scheduler supports them.
"""

from __future__ import annotations

import logging
import threading
import time as _time

from gxf.core import ExecutionError, GxfError, Handle, Parameter, System
from gxf.core.errors import InterruptedError_

from .clock import Clock, RealtimeClock
from .entity_executor import EntityExecutor
from .monitor import attach_observers
from .router import Router, router_of
from .scheduling_term import bad_parameter

log = logging.getLogger("gxf")


class SchedulerInterrupted(InterruptedError_):
    """The run was interrupted (``interrupt()``) before it finished on its own; exit code 130."""

    exit_code = 130


class Scheduler(System, type_name="nvidia::gxf::Scheduler", uuid="f0103b75-d2e1-4d70-9b13-3fe5b40209be",
                abstract=True):
    """Base of the schedulers: decides when the graph's entities execute, on which clock, and for how long."""

    clock = Parameter(Handle(Clock), optional=True, description="The clock the scheduler keeps time with, "
                      "usually a RealtimeClock or a ManualClock (default: a RealtimeClock)")
    max_duration_ms = Parameter(int, optional=True, description="Stop the run after this many ms of clock "
                                "time; unset, it goes on until no entity has work left (never, with a "
                                "periodic term)")

    def initialize(self) -> None:
        if self.max_duration_ms is not None and self.max_duration_ms < 0:
            raise bad_parameter(self, "max_duration_ms", f"must not be negative, got {self.max_duration_ms}")
        self.executor: EntityExecutor | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._stop = threading.Event()      # set by interrupt() or when the run ends
        self._wake = threading.Event()      # wakes a sleeping loop (events, interrupt)
        self._interrupted = False
        self._own_clock: Clock | None = None
        self._clock: Clock | None = None
        self.stop_reason = ""
        # How the run ended: "" while it runs, then "finished", "stalled", "time limit", "interrupted"
        # or "failed"; for a stalled run ``stalled_waits`` says which entities wait on what.
        self.end_state = ""
        self.stalled_waits: tuple = ()

    # --- System ----------------------------------------------------------------------------------------
    def prepare(self, context) -> None:
        clock = self.clock
        if clock is None:
            clock = self._default_clock()
            clock.name = "default_clock"
            clock.entity = self.entity
            clock.context = self.context
            clock.initialize()
            self._own_clock = clock
        self._clock = clock
        routers = router_of(context)
        for router in context.components(Router):  # routers the graph declares (network transports)
            routers.add_router(router)
        self.executor = EntityExecutor(context, clock, routers)
        attach_observers(self.executor, context)  # the graph's Monitor and JobStatistics components
        self.prepare_executor(self.executor)

    def active_clock(self) -> Clock | None:
        """The clock the run keeps time with: the ``clock`` parameter, or the default one made for it."""
        return self._clock

    def _default_clock(self) -> Clock:
        """The clock used when the ``clock`` parameter is not set."""
        return RealtimeClock()

    def prepare_executor(self, executor: EntityExecutor) -> None:
        """Scheduler-specific wiring (listening to the entities' events); called once by ``prepare``."""

    def set_time_limit(self, ms: int | None) -> None:
        """Ends the run after ``ms`` of clock time (None: no limit); the max_duration_ms parameter."""
        self.set_param("max_duration_ms", ms)

    def time_limit_ms(self) -> int | None:
        """The run's limit in clock milliseconds, or None."""
        return self.max_duration_ms

    # --- run-time activation ------------------------------------------------------------------------
    def activate_entity(self, entity) -> None:
        """Brings ``entity`` (back) into the run: it is scheduled again, its codelets start anew."""
        self._request_activation(self._item(entity), True)

    def deactivate_entity(self, entity) -> None:
        """Takes ``entity`` out of the run: its codelets are stopped and it is not scheduled any more."""
        self._request_activation(self._item(entity), False)

    def is_entity_active(self, entity) -> bool:
        """False once a deactivation has been carried out (requests take effect at the scheduler's next
        look at the entity), True again after an activation."""
        return self._item(entity).active

    def _item(self, entity):
        executor = self.executor
        item = executor.item_of(entity) if executor is not None else None
        if item is None:
            name = getattr(entity, "name", entity)
            raise GxfError(f"{self.describe_self()}: entity '{name}' is not scheduled (it has no codelet, "
                           "or the graph is not activated)", self.location)
        return item

    def _request_activation(self, item, active: bool) -> None:
        """Queues or carries out an activation request; each scheduler implements it for its own records."""
        raise GxfError(f"{self.describe_self()} does not support run-time activation", self.location)

    def run_async(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise GxfError(f"{self.describe_self()} is already running", self.location)
        self._stop.clear()
        self._failure = None
        self._interrupted = False
        self._thread = threading.Thread(target=self._run_guarded, name=f"gxf-{type(self).__name__}",
                                        daemon=True)
        self._thread.start()

    def wait(self) -> None:
        thread = self._thread
        if thread is not None:
            while thread.is_alive():
                thread.join(0.25)  # short joins keep Ctrl-C working in the main thread
        self._raise_outcome()

    def _raise_outcome(self) -> None:
        if self._failure is not None:
            raise self._failure
        if self._interrupted:
            raise SchedulerInterrupted(f"{self.describe_self()}: the run was interrupted")

    def interrupt(self) -> None:
        if not self._stop.is_set():
            self._interrupted = True
            self.stop_reason = self.stop_reason or "interrupted"
            self.end_state = self.end_state or "interrupted"
        self._stop.set()
        self._wake.set()
        self.on_interrupt()

    def on_interrupt(self) -> None:
        """Hook for schedulers with threads of their own to wake."""

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
        """Keeps the first failure (wait() raises it) and ends the run."""
        if self._failure is None:
            if not isinstance(exc, GxfError):
                wrapped = ExecutionError(f"{self.describe_self()} failed: {type(exc).__name__}: {exc}",
                                         self.location)
                wrapped.__cause__ = exc
                exc = wrapped
            self._failure = exc
            self.stop_reason = "failure"
            self.end_state = "failed"
            # wait() raises it, and whoever runs the graph reports it: logging it here too would print
            # the same failure twice (an ERROR line, then the command's error line)
            log.debug("%s ends the run: %s", self.describe_self(), exc)
        self._stop.set()
        self._wake.set()
        self.on_interrupt()

    def _finish(self) -> None:
        """Stops every started entity (each codelet gets stop() once)."""
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
        """The clock time after which the run stops (max_duration_ms), or None."""
        if self.max_duration_ms is None:
            return None
        return start + int(self.max_duration_ms) * 1_000_000

    def stopping(self) -> bool:
        return self._stop.is_set()

    def _ended(self, reason: str, state: str = "finished") -> None:
        self.stop_reason = reason
        self.end_state = self.end_state or state
        if self.logger.isEnabledFor(logging.INFO):
            self.logger.info("scheduler stopped: %s", reason)

    def _time_is_up(self) -> None:
        self._ended(f"maximum duration of {self.max_duration_ms} ms reached", "time limit")

    def judge_idle_end(self) -> None:
        """Ends the run's bookkeeping when nothing is ready and nothing timed or asynchronous is pending:
        judges whether the graph's work is done (every consumer waits for messages from finished
        entities) or it stalled (``run_end.judge``); a stall is logged as a warning naming which entity
        waits on what. The loop (or, for epochs, the driver) returns afterwards."""
        from .run_end import FINISHED, judge  # the end of a run only: kept off the import of schedulers

        verdict = judge(self.executor, self._clock.timestamp())
        if verdict.state == FINISHED:
            return self._ended("no more entities to schedule: the ones left wait for messages from "
                               "entities that are done")
        self.stalled_waits = verdict.waits
        self.logger.warning("the run stalled: every entity waits and no periodic or asynchronous entity "
                            "can end the wait (deadlock):\n  %s", "\n  ".join(verdict.waits))
        self._ended("every entity waits and no periodic or asynchronous entity can end the wait (deadlock)",
                    "stalled")


class DeadlockPolicy:
    """The deadlock parameters of the schedulers that stop on a deadlock (a mix-in of Scheduler)."""

    stop_on_deadlock = Parameter(bool, True, "End the run when every entity is waiting and no time-based "
                                 "term can wake any of them. Turn it off when something outside the graph "
                                 "may still make entities ready (for example by emptying queues).")
    stop_on_deadlock_timeout = Parameter(int, 0, "How long (ms) a deadlock must last before "
                                         "stop_on_deadlock ends the run; work arriving meanwhile restarts the "
                                         "wait. A negative value never ends the run on a deadlock.")


class DeadlockTimer:
    """Tracks how long a deadlock has lasted, in real time (a ManualClock does not move while idle).

    ``timeout_ms``: 0 stops at once, > 0 waits that long for new work, < 0 never stops.
    """

    __slots__ = ("timeout_s", "since")

    def __init__(self, timeout_ms: int) -> None:
        self.timeout_s = timeout_ms / 1000.0
        self.since = None

    def reset(self) -> None:
        self.since = None

    def remaining(self) -> float | None:
        """Seconds until the deadlock counts (0: stop now); None when deadlocks never stop the run."""
        if self.timeout_s < 0:
            return None
        now = _time.monotonic()
        if self.since is None:
            self.since = now
        return max(0.0, self.since + self.timeout_s - now)
