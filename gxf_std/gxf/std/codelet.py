"""Codelet: the base of compute components, ticked by the scheduler."""

from __future__ import annotations

from gxf.core import Component


class Codelet(Component, type_name="nvidia::gxf::Codelet", uuid="5c6166fa-6eed-41e7-bbf0-bd48cd6e1014",
              abstract=True):
    """A component with start / tick / stop, executed by the scheduler when its entity is ready.

    ``start()`` runs on the entity's first execution, ``tick()`` on each later one, ``stop()`` when the
    entity will never run again or the graph stops. Raise an exception to fail the graph.
    """

    # Execution data, maintained by the entity executor.
    _exec_timestamp = 0      # ns of the last start/tick/stop
    _exec_time = 0.0         # the same in seconds
    _delta_time = 0.0        # seconds between the last two calls
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
        return self._exec_time

    def get_delta_time(self) -> float:
        return self._delta_time

    def get_execution_count(self) -> int:
        return self._exec_count

    def is_first_tick(self) -> bool:
        return self._exec_count == 1

    def _before_start(self, timestamp: int) -> None:
        self._exec_timestamp = timestamp
        self._exec_time = timestamp / 1e9
        self._delta_time = 0.0
        self._exec_count = 0

    def _before_tick(self, timestamp: int) -> None:
        time = timestamp / 1e9
        self._delta_time = time - self._exec_time
        self._exec_timestamp = timestamp
        self._exec_time = time
        self._exec_count += 1

    def _before_stop(self, timestamp: int) -> None:
        time = timestamp / 1e9
        self._delta_time = time - self._exec_time
        self._exec_timestamp = timestamp
        self._exec_time = time
