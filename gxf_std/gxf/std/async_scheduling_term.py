"""AsynchronousSchedulingTerm: an entity that waits on events happening outside its ticks."""

from __future__ import annotations

import enum
import logging

from .scheduling_condition import NEVER_NOW, READY_NOW, WAIT_EVENT_NOW, WAIT_NOW
from .scheduling_term import NOTIFIES, SchedulingTerm, Waits


class AsynchronousEventState(enum.IntEnum):
    """The state of the asynchronous event an entity waits on (GXF's values)."""

    READY = 0          # init state, first tick is pending
    WAIT = 1           # request to async service yet to be sent, nothing to do but wait
    EVENT_WAITING = 2  # request sent to an async service, pending event done notification
    EVENT_DONE = 3     # event done notification received, entity ready to be ticked
    EVENT_NEVER = 4    # entity does not want to be ticked again, end of execution


# The condition each state reports.
_CONDITIONS = (READY_NOW, WAIT_NOW, WAIT_EVENT_NOW, READY_NOW, NEVER_NOW)
# States that can let a waiting entity go on; setting them wakes the scheduler.
_WAKING = frozenset({AsynchronousEventState.READY, AsynchronousEventState.EVENT_DONE,
                     AsynchronousEventState.EVENT_NEVER})


class AsynchronousSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::AsynchronousSchedulingTerm",
                                 uuid="56be1662-ff63-4179-9200-3fcd8dc38673"):
    """Lets an entity run only when an asynchronous event, signalled from any thread, allows it.

    The condition follows the event state, which any thread may set with ``set_event_state`` (or the
    ``event_state`` property): READY and EVENT_DONE are READY, WAIT is WAIT (the entity is looked at
    again when one of its queues changes), EVENT_WAITING is WAIT_EVENT (schedulers park the entity and
    never poll it), EVENT_NEVER is NEVER. Setting EVENT_DONE (or READY, EVENT_NEVER) notifies the
    scheduler, which then executes the entity without having polled it.

    As in GXF, executing the entity does not change the state: a codelet that starts an asynchronous
    request sets EVENT_WAITING in its tick, and the thread completing it sets EVENT_DONE. An entity
    left in READY or EVENT_DONE keeps ticking.
    """

    def initialize(self) -> None:
        self._state = AsynchronousEventState.READY

    def waits_on(self) -> Waits:
        return NOTIFIES  # set_event_state() announces the states that can end a wait

    def check(self, timestamp: int) -> tuple:
        return _CONDITIONS[self._state]

    def set_event_state(self, state: AsynchronousEventState | int | str) -> None:
        """Sets the event state (from any thread); EVENT_DONE wakes the scheduler."""
        if isinstance(state, str):
            state = AsynchronousEventState[state.upper()]
        state = AsynchronousEventState(state)
        self._state = state
        if state in _WAKING:
            if state is AsynchronousEventState.EVENT_DONE and self.logger.isEnabledFor(logging.DEBUG):
                self.logger.debug("sending event notification for entity '%s'", self.entity.name)
            self.notify_change()

    def get_event_state(self) -> AsynchronousEventState:
        return self._state

    event_state = property(get_event_state, set_event_state)

    # GXF's C++ names.
    setEventState = set_event_state  # noqa: N815
    getEventState = get_event_state  # noqa: N815
