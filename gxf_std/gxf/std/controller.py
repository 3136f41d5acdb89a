"""Controller: the interface of components that decide what happens to an entity after it executes.

An entity with a Controller component is executed by the executor's controlled path
(``entity_executor.ControlledEntityItem``): after each tick the executor hands the controller the
tick's result (``TickResult``: SUCCESS, RUNNING or FAILURE, and the error a codelet raised) and the
controller answers with a ``ControllerStatus``: the entity's behavior status (what a behavior-tree
parent reads) and an execution status telling the executor whether to carry on, execute the entity
again, deactivate it, or stop the whole graph. An entity without a controller is executed as before
and pays nothing for this.

A codelet reports RUNNING or FAILURE without raising by returning ``BehaviorStatus.RUNNING`` or
``BehaviorStatus.FAILURE`` from ``tick()`` (GXF's GXF_NOT_FINISHED and GXF_FAILURE); returning None
or ``BehaviorStatus.SUCCESS`` is a success. Only the controlled path reads these return values.

The types and their numeric values are GXF's (gxf/std/controller.hpp, entity_state_t in gxf.h).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from gxf.core import Component


class ExecutionStatus(enum.IntEnum):
    """What the executor does with an entity after a controller has looked at its execution."""

    SUCCESS = 0  # carry on: a RUNNING entity executes again, any other is done
    FAILURE_REPEAT = 1  # the execution failed: execute the entity again (its codelets stay started)
    FAILURE_DEACTIVATE = 2  # the execution failed: stop this entity only
    FAILURE = 3  # the execution failed: stop the whole graph


class BehaviorStatus(enum.IntEnum):
    """The state of an entity as seen by a behavior-tree parent (GXF's entity_state_t)."""

    INIT = 0       # not ticked since its parent started it
    SUCCESS = 1
    RUNNING = 2    # needs more ticks
    FAILURE = 3
    UNKNOWN = 4    # not known (an entity without a controller)


TickResult = BehaviorStatus
"""The result of one tick handed to a controller: SUCCESS, RUNNING or FAILURE (a BehaviorStatus)."""


@dataclass(frozen=True)
class ControllerStatus:
    """A controller's verdict on one execution: the behavior status and the execution status."""

    behavior_status: BehaviorStatus = BehaviorStatus.SUCCESS
    exec_status: ExecutionStatus = ExecutionStatus.SUCCESS


class Controller(Component, type_name="nvidia::gxf::Controller", uuid="c8e80475-3c79-43a4-9083-eaf294b0600d",
                 abstract=True):
    """Interface of the components that set an entity's termination policy and behavior status.

    ``control`` is called by the executor after each tick of the entity; ``behavior_status`` is the
    status of its last verdict (INIT before the first), kept by ``record_status``.
    """

    behavior_status = BehaviorStatus.INIT

    def control(self, entity, result: BehaviorStatus, error: BaseException | None = None) -> ControllerStatus:
        """The verdict on an execution of ``entity`` whose tick gave ``result`` (SUCCESS, RUNNING or
        FAILURE); ``error`` is the failure a codelet raised, or None."""
        raise NotImplementedError(f"{type(self).__name__} must implement control()")

    def record_status(self, status: BehaviorStatus) -> None:
        """Keeps the behavior status of the last verdict (the executor's call; also reset on a restart)."""
        self.behavior_status = status


def entity_behavior_status(entity) -> BehaviorStatus:
    """The behavior status of ``entity`` (GXF's GxfEntityGetState): its Controller's last verdict, or
    UNKNOWN for an entity without a controller."""
    for component in entity.components:
        if isinstance(component, Controller):
            return component.behavior_status
    return BehaviorStatus.UNKNOWN
