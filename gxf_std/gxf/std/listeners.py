"""Listener lists: what queues and terms call when they raise an event, cheap for the usual one listener."""

from __future__ import annotations


def fan_out(listeners: tuple):
    """One callable for ``listeners``: None for none, the listener itself for one (the usual case)."""
    if not listeners:
        return None
    if len(listeners) == 1:
        return listeners[0]

    def call_all() -> None:
        for listener in listeners:
            listener()
    return call_all
