"""Scheduling terms for tests: one that always waits, one that jitters a periodic schedule."""

from __future__ import annotations

import random

from gxf.std.scheduling_condition import READY, WAIT, WAIT_TIME
from gxf.std.scheduling_term import SchedulingTerm
from gxf.std.scheduling_terms import PeriodicSchedulingTerm


class WaitSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::test::WaitSchedulingTerm",
                         uuid="a055fbf8-7588-11ed-a423-331e2d38b116"):
    """A term that never lets its entity tick: it always answers WAIT.

    Its entity is started and stopped but never ticks; a graph whose entities all wait ends in a
    deadlock, which stops a scheduler that has ``stop_on_deadlock`` set.
    """

    def check(self, timestamp: int) -> tuple:
        return (WAIT, timestamp)


class PeriodicSchedulingTermWithDelay(PeriodicSchedulingTerm,
                                      type_name="nvidia::gxf::test::PeriodicSchedulingTermWithDelay",
                                      uuid="bb138e69-066a-ba28-d392-c98a9b0849b4"):
    """A PeriodicSchedulingTerm whose ticks come a little late, by a pseudo-random amount.

    After the first tick, the next one is due ``recess_period`` plus a delay of 0..99 ns after the last,
    and becomes READY 1..10 ns after that. The delays are pseudo-random but fixed by the time of the last
    tick, so a run on a ManualClock repeats exactly and a scheduler can sleep until the known time (GXF
    draws them anew on every check, seeded with the checked time).
    """

    def check(self, timestamp: int) -> tuple:
        last = self.last_run_timestamp()
        if last is None:
            return (READY, timestamp)
        jitter = random.Random(last)
        ready_at = last + self.recess_period_ns() + jitter.randrange(100) + jitter.randrange(10) + 1
        if timestamp >= ready_at:
            return (READY, timestamp)
        return (WAIT_TIME, ready_at)
