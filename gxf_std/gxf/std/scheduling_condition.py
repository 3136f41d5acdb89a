"""Scheduling conditions: what a scheduling term says about its entity, and how terms combine."""

from __future__ import annotations

import enum


class SchedulingConditionType(enum.IntEnum):
    """GXF's condition types (values as in GXF)."""

    NEVER = 0       # the entity will never execute again
    READY = 1       # the entity may execute now
    WAIT = 2        # the entity may execute in the future; nobody knows when
    WAIT_TIME = 3   # the entity will be ready at a known time
    WAIT_EVENT = 4  # the entity waits on an asynchronous event


NEVER = SchedulingConditionType.NEVER
READY = SchedulingConditionType.READY
WAIT = SchedulingConditionType.WAIT
WAIT_TIME = SchedulingConditionType.WAIT_TIME
WAIT_EVENT = SchedulingConditionType.WAIT_EVENT

# Which condition wins when terms are AND-combined: NEVER > WAIT_EVENT > WAIT > WAIT_TIME > READY.
RANK = {NEVER: 4, WAIT_EVENT: 3, WAIT: 2, WAIT_TIME: 1, READY: 0}
_RANK_BY_VALUE = (4, 0, 2, 1, 3)  # indexed by the enum value, for the hot path


def and_combine(a: tuple, b: tuple) -> tuple:
    """AND of two (type, target_ns) conditions: the higher-priority type; for two WAIT_TIMEs the later target."""
    ta, tb = a[0], b[0]
    if ta == tb:
        if ta == WAIT_TIME:
            return a if a[1] >= b[1] else b
        return a
    return a if _RANK_BY_VALUE[ta] > _RANK_BY_VALUE[tb] else b


def or_combine(a: tuple, b: tuple) -> tuple:
    """OR of two conditions: the lower-priority type; for two WAIT_TIMEs the earlier target."""
    ta, tb = a[0], b[0]
    if ta == tb:
        if ta == WAIT_TIME:
            return a if a[1] <= b[1] else b
        return a
    return a if _RANK_BY_VALUE[ta] < _RANK_BY_VALUE[tb] else b
