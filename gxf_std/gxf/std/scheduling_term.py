"""SchedulingTerm: the base of every component that decides when its entity may execute."""

from __future__ import annotations

from gxf.core import Component

from .scheduling_condition import READY


class SchedulingTerm(Component, type_name="nvidia::gxf::SchedulingTerm",
                     uuid="184d8e4e-086c-475a-903a-69d723f95d19", abstract=True):
    """Decides whether its entity may execute; all terms of an entity are AND-combined."""

    # Set by the scheduler: called with no argument when the term's state changes outside a tick
    # (another thread, another component's API call), so that event-driven schedulers re-check it.
    _on_change = None

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
