"""Codelet: the base of compute components, ticked by the scheduler."""

from __future__ import annotations

from gxf.core import Component


class Codelet(Component, type_name="nvidia::gxf::Codelet", uuid="5c6166fa-6eed-41e7-bbf0-bd48cd6e1014",
              abstract=True):
    """A component with start / tick / stop, executed by the scheduler when its entity is ready.

    ``start()`` runs on the entity's first execution, ``tick()`` on each later one, ``stop()`` when the
    entity will never run again or the graph stops. Raise an exception to fail the graph.
    """

    # Execution data, maintained by the entity executor (times in seconds are derived on demand).
    _exec_timestamp = 0      # ns of the last start/tick/stop
    _prev_timestamp = 0      # ns of the call before it
    _exec_count = 0          # ticks since start

    def start(self) -> None:
        """Heavy-weight set-up before the first tick."""

    def tick(self) -> None:
        """One unit of work."""

    def stop(self) -> None:
        """Tear-down of what start() set up."""

    # --- execution data ----------------------------------------------------------------------
    def get_execution_timestamp(self) -> int:
        return self._exec_timestamp

    def get_execution_time(self) -> float:
        return self._exec_timestamp / 1e9

    def get_delta_time(self) -> float:
        return (self._exec_timestamp - self._prev_timestamp) / 1e9

    def get_execution_count(self) -> int:
        return self._exec_count

    def is_first_tick(self) -> bool:
        return self._exec_count == 1

    def _before_start(self, timestamp: int) -> None:
        self._exec_timestamp = timestamp
        self._prev_timestamp = timestamp
        self._exec_count = 0

    def _before_stop(self, timestamp: int) -> None:
        self._prev_timestamp = self._exec_timestamp
        self._exec_timestamp = timestamp
