"""Codelet: the base of compute components, ticked by the scheduler."""

from __future__ import annotations

from gxf.core import Component


class ExecutionData:
    """When an entity's codelets last ran and how often: kept by the executor, read by the codelet API."""

    __slots__ = ("timestamp", "previous", "count")

    def __init__(self) -> None:
        self.timestamp = 0   # ns of the last start/tick/stop
        self.previous = 0    # ns of the call before it
        self.count = 0       # ticks since start

    def started(self, timestamp: int) -> None:
        self.timestamp = self.previous = timestamp
        self.count = 0

    def stopped(self, timestamp: int) -> None:
        self.previous = self.timestamp
        self.timestamp = timestamp


class Codelet(Component, type_name="nvidia::gxf::Codelet", uuid="5c6166fa-6eed-41e7-bbf0-bd48cd6e1014",
              abstract=True):
    """A component with start / tick / stop, executed by the scheduler when its entity is ready.

    ``start()`` runs on the entity's first execution, ``tick()`` on each later one, ``stop()`` when the
    entity will never run again or the graph stops. Raise an exception to fail the graph.
    """

    # Execution data, maintained by the entity executor (times in seconds are derived on demand).
    _execution = ExecutionData()  # until an executor binds the entity's own

    def bind_execution(self, data: ExecutionData) -> None:
        """Makes the codelet report ``data`` as its execution data (the executor's call)."""
        self._execution = data

    def start(self) -> None:
        """Heavy-weight set-up before the first tick."""

    def tick(self) -> None:
        """One unit of work."""

    def stop(self) -> None:
        """Tear-down of what start() set up."""

    # --- execution data ----------------------------------------------------------------------
    def get_execution_timestamp(self) -> int:
        return self._execution.timestamp

    def get_execution_time(self) -> float:
        return self._execution.timestamp / 1e9

    def get_delta_time(self) -> float:
        data = self._execution
        return (data.timestamp - data.previous) / 1e9

    def get_execution_count(self) -> int:
        return self._execution.count

    def is_first_tick(self) -> bool:
        return self._execution.count == 1
