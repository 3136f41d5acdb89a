"""SchedulingTerm: the base of every component that decides when its entity may execute.

A term owns its readiness. Besides ``check`` (its condition now) it tells schedulers, through
``waits_on()``, what can end a wait, so that they look at a waiting entity only when that happens:

- ``QueueWait(receiver, ARRIVAL)``: a message arriving in ``receiver`` may make the term ready;
  ``QueueWait(receiver, DEPARTURE)``: a message leaving it (room freed). With ``measure`` and
  ``need`` the term also says it certainly waits while ``measure() < need``, so a scheduler can drop
  an event that cannot end the wait without checking the entity.
- ``notifies``: changes from outside a tick (another thread, another component) come with
  ``notify_change()``; schedulers subscribe with ``add_change_listener``.
- time: a term waiting for a time says WAIT_TIME with the target; every scheduler keeps timers.
- ``polled``: the term may change without any of these events, so its entity must be looked at
  again now and then. It is the default, so a term that declares nothing works as in GXF.
- ``exhausted_by_tick``: a tick of the entity may turn the term NEVER (a count running out).

No scheduler knows a concrete term: a third-party term is scheduled by events by declaring its waits.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from gxf.core import Component, HandleError, ParameterError

from .listeners import fan_out
from .scheduling_condition import READY

ARRIVAL, DEPARTURE = "arrival", "departure"


class QueueWait(NamedTuple):
    """A queue event that may end a term's wait: a message arriving in or departing from ``receiver``."""

    receiver: object
    event: str = ARRIVAL
    measure: Callable[[], int] | None = None   # with need: the term waits while measure() < need
    need: int = 0


class Waits(NamedTuple):
    """What can end a term's wait (see the module docstring)."""

    queues: tuple = ()
    notifies: bool = False
    polled: bool = False
    exhausted_by_tick: bool = False

    def union(self, other: Waits) -> Waits:
        """What can end the wait of either (measures dropped: a combination may be ready without them)."""
        queues = tuple(QueueWait(q.receiver, q.event) for q in self.queues + other.queues)
        return Waits(queues, self.notifies or other.notifies, self.polled or other.polled,
                     self.exhausted_by_tick or other.exhausted_by_tick)


POLLED = Waits(polled=True)
NOTHING = Waits()            # never says WAIT: READY, WAIT_TIME or NEVER
NOTIFIES = Waits(notifies=True)


class SchedulingTerm(Component, type_name="nvidia::gxf::SchedulingTerm",
                     uuid="184d8e4e-086c-475a-903a-69d723f95d19", abstract=True):
    """Base of the scheduling terms: conditions that together decide when an entity may execute.

    ``check(timestamp)`` returns ``(SchedulingConditionType, target_timestamp_ns)``; all terms of an
    entity are AND-combined (unless an OrSchedulingTermCombiner groups some of them). ``on_execute``
    runs after every tick of the entity. A term whose state changes outside a tick (an API called by
    another component or thread) calls ``notify_change()`` so that event-driven schedulers look at
    the entity again instead of polling it.
    """

    # What notify_change() calls: None, or the listeners added with add_change_listener.
    _on_change = None
    _change_listeners: tuple = ()

    def waits_on(self) -> Waits:
        """What can end this term's wait (called when the scheduler prepares); by default: poll me."""
        return POLLED

    def add_change_listener(self, listener) -> None:
        """Calls ``listener()`` whenever the term announces a change with ``notify_change()``."""
        self._change_listeners = self._change_listeners + (listener,)
        self._on_change = fan_out(self._change_listeners)

    def remove_change_listener(self, listener) -> None:
        self._change_listeners = tuple(f for f in self._change_listeners if f is not listener)
        self._on_change = fan_out(self._change_listeners)

    def check(self, timestamp: int) -> tuple:
        """The current condition ``(SchedulingConditionType, target_timestamp_ns)`` at ``timestamp``."""
        return (READY, timestamp)

    def on_execute(self, timestamp: int) -> None:
        """Called after the entity's codelets ticked at ``timestamp``."""

    def notify_change(self) -> None:
        """Tells the scheduler this term's state changed; call it from APIs used outside a tick."""
        callback = self._on_change
        if callback is not None:
            callback()

    @classmethod
    def get(cls, context, cid: int, name: str | None = None):
        """GXF's Python accessor: the term ``name`` in the entity of component ``cid``.

        ``name`` may also be ``entity/component`` to reach a term of another entity.
        """
        if name is not None and "/" in name:
            component = context.find_component(name)
            if component is None or not isinstance(component, cls):
                raise HandleError(f"no {cls.type_name()} named '{name}'",
                                  hint="write 'component' for this entity or 'entity/component'")
            return component
        return super().get(context, cid, name)


def bad_parameter(component: Component, key: str, message: str, hint: str | None = None) -> ParameterError:
    """The error for a parameter value a component cannot work with, naming the component and where."""
    return ParameterError(f"parameter '{key}' of {component.describe_self()}: {message}", component.location,
                          hint or f"see `gxf describe {component.type_name()}`")

