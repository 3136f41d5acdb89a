"""Controller: the interface of components that decide what happens to an entity after it executes.

A Controller in an entity is asked, after each execution, for a ``ControllerStatus``: the entity's
behavior status (for behavior-tree parents that watch their children) and an execution status telling
the executor whether to carry on, execute the entity again, deactivate it, or stop the whole graph.
The types and their numeric values follow GXF's. The executor does not consult controllers yet.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from gxf.core import Component


class ExecutionStatus(enum.IntEnum):
    """What the executor does with an entity after a controller has looked at its execution."""

    SUCCESS = 0  # carry on as usual
    FAILURE_REPEAT = 1  # the execution failed: execute the entity again
    FAILURE_DEACTIVATE = 2  # the execution failed: deactivate this entity only
    FAILURE = 3  # the execution failed: stop the whole graph


class BehaviorStatus(enum.IntEnum):
    """The state of an entity as seen by a behavior-tree parent."""

    INIT = 0
    SUCCESS = 1
    RUNNING = 2
    FAILURE = 3
    UNKNOWN = 4


@dataclass(frozen=True)
class ControllerStatus:
    """A controller's verdict on one execution: the behavior status and the execution status."""

    behavior_status: BehaviorStatus = BehaviorStatus.SUCCESS
    exec_status: ExecutionStatus = ExecutionStatus.SUCCESS


class Controller(Component, type_name="nvidia::gxf::Controller", uuid="c8e80475-3c79-43a4-9083-eaf294b0600d",
                 abstract=True):
    """Interface of the components that set an entity's termination policy and behavior status."""

    def control(self, entity, error: BaseException | None) -> ControllerStatus:
        """The verdict on an execution of ``entity``; ``error`` is what the execution raised, or None."""
        raise NotImplementedError(f"{type(self).__name__} must implement control()")
