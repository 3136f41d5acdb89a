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

# Shared condition tuples for terms whose target timestamp does not matter (no allocation per check).
READY_NOW = (READY, 0)
WAIT_NOW = (WAIT, 0)
NEVER_NOW = (NEVER, 0)
WAIT_EVENT_NOW = (WAIT_EVENT, 0)

# Which condition wins when terms are AND-combined: NEVER > WAIT_EVENT > WAIT > WAIT_TIME > READY.
RANK = {NEVER: 4, WAIT_EVENT: 3, WAIT: 2, WAIT_TIME: 1, READY: 0}
_RANK_BY_VALUE = (4, 0, 2, 1, 3)  # indexed by the enum value, for the hot path


def and_combine(a: tuple, b: tuple) -> tuple:
    """AND of two (type, target_ns) conditions: the stronger type; for two WAIT_TIMEs the later target."""
    ta, tb = a[0], b[0]
    if ta == tb:
        if ta == WAIT_TIME:
            return a if a[1] >= b[1] else b
        return a
    return a if _RANK_BY_VALUE[ta] > _RANK_BY_VALUE[tb] else b


# Which condition wins when terms are OR-combined. As in GXF's OrSchedulingTermCombiner, NEVER wins over
# everything (an entity that is done stays done), then READY. Where GXF prefers WAIT_EVENT to WAIT_TIME
# and keeps the later of two target times, an OR here is due at the earliest time it could be ready:
# WAIT_TIME (earliest target) > WAIT_EVENT > WAIT.
_OR_RANK_BY_VALUE = (4, 3, 0, 2, 1)  # indexed by the enum value


def or_combine(a: tuple, b: tuple) -> tuple:
    """OR of two conditions (see the ranking above); for two WAIT_TIMEs the earlier target."""
    ta, tb = a[0], b[0]
    if ta == tb:
        if ta == WAIT_TIME:
            return a if a[1] <= b[1] else b
        return a
    return a if _OR_RANK_BY_VALUE[ta] > _OR_RANK_BY_VALUE[tb] else b
