"""EntityMonitor: a Monitor that logs every entity execution."""

from __future__ import annotations

import logging

from gxf.std.monitor import Monitor


class EntityMonitor(Monitor, type_name="nvidia::gxf::test::EntityMonitor",
                    uuid="d3f52056-b8a0-974d-f8d3-c321bdf247ee"):
    """Logs the outcome of every entity execution and counts executions per entity.

    After every execution of every entity it logs ``[t = <ms>ms] <entity>: GXF_SUCCESS`` (or
    ``GXF_FAILURE``) at INFO, with the scheduler's time of the execution, and counts executions per
    entity name in ``executions``.
    """

    def initialize(self) -> None:
        self.executions: dict[str, int] = {}
        self._names: dict[int, str] | None = None
        self._log = self.logger.isEnabledFor(logging.INFO)

    def on_execute(self, eid: int, timestamp: int, ok: bool) -> None:
        names = self._names
        if names is None:
            names = self._names = {entity.eid: entity.name for entity in self.context.entities}
        name = names.get(eid, f"E{eid}")
        self.executions[name] = self.executions.get(name, 0) + 1
        if self._log:
            self.logger.info("[t = %0.1fms] %s: %s", timestamp * 1e-6, name,
                             "GXF_SUCCESS" if ok else "GXF_FAILURE")
