"""MultiThreadScheduler: a pool of worker threads, a dispatcher, and polling of waiting entities."""

from __future__ import annotations

from gxf.core import Parameter

from .greedy_scheduler import POLL_S
from .scheduling_term import bad_parameter
from .worker_scheduler import WorkerScheduler


class MultiThreadScheduler(WorkerScheduler, type_name="nvidia::gxf::MultiThreadScheduler",
                           uuid="de5e0646-7fa5-11eb-a5c4-330ebfa81bbf"):
    """A scheduler that runs ready entities on a pool of worker threads, checking waiting ones periodically.

    A dispatcher hands ready entities to ``worker_thread_number`` worker threads; entities waiting on
    an asynchronous event (WAIT_EVENT) are parked until notified; entities waiting in WAIT are
    checked again every ``check_recession_period_ms`` (as GXF does) and also, unlike GXF, as soon as a
    message arrives for them or leaves a queue they publish into, so a pipeline does not wait for the
    next poll. Only entities with a term that may change without an event (its ``waits_on()`` says
    ``polled``) are polled: a poll could not find the others ready. A recession period of 0 polls at most every millisecond of real time instead of
    spinning. Entities pinned with a CPUThread run on their own thread of their ThreadPool; with
    ``strict_job_thread_pinning`` such a thread runs nothing else.
    """

    check_recession_period_ms = Parameter(float, 5.0, "How long (ms) to wait before looking again at an "
                                          "entity that was not ready")
    strict_job_thread_pinning = Parameter(bool, False, "A thread that an entity is pinned to runs that "
                                          "entity only")

    def initialize(self) -> None:
        super().initialize()
        if self.check_recession_period_ms < 0:
            raise bad_parameter(self, "check_recession_period_ms",
                                f"must not be negative, got {self.check_recession_period_ms}")

    def strict_pinning(self) -> bool:
        return self.strict_job_thread_pinning

    def poll_period_s(self) -> float | None:
        return max(self.check_recession_period_ms / 1000.0, POLL_S)
