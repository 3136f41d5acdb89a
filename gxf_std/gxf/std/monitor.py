"""Monitor: components told about every entity execution, and how the scheduler wires them in.

A graph may hold any number of Monitor components (and JobStatistics). When the scheduler prepares,
``attach_observers`` finds them and registers them with the entity executor; a graph without any
costs nothing extra per tick.
"""

from __future__ import annotations

from gxf.core import Component


class Monitor(Component, type_name="nvidia::gxf::Monitor", uuid="9ccf9421-b35b-8c79-e1f0-97dc23bd38ea",
              abstract=True):
    """Base of the components that are told about every entity execution while the graph runs.

    ``on_execute(eid, timestamp, ok)`` is called after each execution (tick) of every entity that has
    codelets, on the scheduler's thread: ``timestamp`` is the scheduler's time of the execution (ns),
    ``ok`` False when a codelet failed (the run then stops).
    """

    def on_execute(self, eid: int, timestamp: int, ok: bool) -> None:
        raise NotImplementedError


def _no_pre(item, timestamp: int) -> None:
    pass


def attach_observers(executor, context) -> None:
    """Registers the graph's Monitor and JobStatistics components with ``executor``."""
    from .job_statistics import JobStatistics

    for component in context.components():
        if isinstance(component, Monitor):
            on_execute = component.on_execute

            def post(item, timestamp, on_execute=on_execute):
                on_execute(item.eid, timestamp, True)

            def failed(item, timestamp, error, on_execute=on_execute):
                on_execute(item.eid, timestamp, False)

            executor.add_observer(_no_pre, post, failed)
        elif isinstance(component, JobStatistics):
            component.attach(executor)
