"""EntityCountFailureRepeatController: GXF's controller that repeats a failing entity up to N times."""

from __future__ import annotations

from gxf.core import Parameter
from gxf.std.controller import BehaviorStatus, Controller, ControllerStatus, ExecutionStatus
from gxf.std.scheduling_term import bad_parameter


class EntityCountFailureRepeatController(Controller, type_name="nvidia::gxf::EntityCountFailureRepeatController",
                                         uuid="1f68ff76-e5b8-414f-ab5c-8cef935d81c7"):
    """Executes its entity again after a failed execution, at most ``max_repeat_count`` times in the whole
    run; after that the entity is stopped with status FAILURE (the run goes on: the failure is absorbed).
    A repeat is one more tick: the entity's codelets are not stopped and started again, as in GXF.

    A tick's result becomes the behavior status (SUCCESS, RUNNING, FAILURE). While repeating, the
    parent sees FAILURE, or RUNNING with ``return_behavior_running_if_failure_repeat``.
    """

    max_repeat_count = Parameter(int, description="How many times a failed entity is executed again "
                                 "(0: never)")
    return_behavior_running_if_failure_repeat = Parameter(
        bool, False, "Report RUNNING instead of FAILURE while the entity is being repeated")

    def initialize(self) -> None:
        if self.max_repeat_count < 0:
            raise bad_parameter(self, "max_repeat_count", f"must not be negative, got {self.max_repeat_count}")
        self.repeat_count = 0
        self.behavior_status = BehaviorStatus.INIT

    def control(self, entity, result, error=None) -> ControllerStatus:
        if result is not BehaviorStatus.FAILURE:
            return ControllerStatus(result, ExecutionStatus.SUCCESS)
        self.repeat_count += 1
        name = entity.name if entity is not None else "?"
        why = f": {error}" if error is not None else ""
        # What happens comes before the error, which may run over several lines (a Python traceback).
        if self.repeat_count <= self.max_repeat_count:
            self.logger.info("entity '%s' failed, repeating it (%d of %d)%s", name, self.repeat_count,
                             self.max_repeat_count, why)
            status = (BehaviorStatus.RUNNING if self.return_behavior_running_if_failure_repeat
                      else BehaviorStatus.FAILURE)
            return ControllerStatus(status, ExecutionStatus.FAILURE_REPEAT)
        if error is not None or self.max_repeat_count:
            self.logger.warning("entity '%s' failed, stopping it after %d repeats%s", name,
                                self.max_repeat_count, why)
        return ControllerStatus(BehaviorStatus.FAILURE, ExecutionStatus.FAILURE_DEACTIVATE)
