"""Scheduling terms for tests: one that always waits, one that jitters a periodic schedule."""

from __future__ import annotations

import random

from gxf.std.scheduling_condition import READY, WAIT, WAIT_TIME
from gxf.std.scheduling_term import SchedulingTerm
from gxf.std.scheduling_terms import PeriodicSchedulingTerm


class WaitSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::test::WaitSchedulingTerm",
                         uuid="a055fbf8-7588-11ed-a423-331e2d38b116"):
    """Scheduling term that is always in WAIT state.

    Its entity is started and stopped but never ticks; a graph whose entities all wait ends in a
    deadlock, which stops a scheduler that has ``stop_on_deadlock`` set.
    """

    def check(self, timestamp: int) -> tuple:
        return (WAIT, timestamp)


class PeriodicSchedulingTermWithDelay(PeriodicSchedulingTerm,
                                      type_name="nvidia::gxf::test::PeriodicSchedulingTermWithDelay",
                                      uuid="bb138e69-066a-ba28-d392-c98a9b0849b4"):
    """Adds a random delay to the periodic scheduling term.

    After the first tick, the next one is due ``recess_period`` plus 0..99 ns after the last, and it is
    READY only once the time, less another 0..9 ns, is past that target. The jitter is a deterministic
    function of the time checked, so runs on a ManualClock repeat exactly.
    """

    def check(self, timestamp: int) -> tuple:
        last = self.last_run_timestamp()
        if last is None:
            return (READY, timestamp)
        jitter = random.Random(timestamp)
        target = last + self.recess_period_ns() + jitter.randrange(100)
        if timestamp - jitter.randrange(10) > target:
            return (READY, target)
        return (WAIT_TIME, target)
