"""SchedulingTerm: the base of every component that decides when its entity may execute."""

from __future__ import annotations

from gxf.core import Component, HandleError, ParameterError

from .scheduling_condition import READY


class SchedulingTerm(Component, type_name="nvidia::gxf::SchedulingTerm",
                     uuid="184d8e4e-086c-475a-903a-69d723f95d19", abstract=True):
    """Base of the scheduling terms: conditions that together decide when an entity may execute.

    ``check(timestamp)`` returns ``(SchedulingConditionType, target_timestamp_ns)``; all terms of an
    entity are AND-combined (unless an OrSchedulingTermCombiner groups some of them). ``on_execute``
    runs after every tick of the entity. A term whose state changes outside a tick (an API called by
    another component or thread) calls ``notify_change()`` so that event-driven schedulers look at
    the entity again instead of polling it.
    """

    # Set by the scheduler: called with no argument when the term changed outside a tick.
    _on_change = None

    # True for a term whose WAIT can only end through an event the scheduler hears of: a message
    # arriving in or leaving a queue of the entity, or the term's own notify_change(). A scheduler
    # may then set a waiting entity aside until such an event instead of checking it every round.
    # A term that waits on anything else (a file, a flag it polls, another thread's state without
    # notify_change) keeps the default, False.
    event_driven = False

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
