"""BTSchedulingTerm: the term through which a behavior tree starts and stops its nodes' entities.

Every entity of a behavior tree (a node: a behavior codelet, or a leaf with an ordinary codelet) has
one BTSchedulingTerm and one Controller. The root's term starts READY; any other node's term starts
WAIT, so the node's entity does not tick until its parent starts it. A parent holds handles to its
children's terms (the behaviors' ``children`` parameter) and

- starts a child with ``start_node()``: the child's status becomes INIT and its term READY; a child
  that ran before (it finished, failed or was stopped) is restarted through the run-time activation
  API (``Context.deactivate_entity`` then ``activate_entity``), so its codelets start afresh;
- stops a child with ``stop_node()``: its term becomes NEVER and its entity is deactivated.

A node hears its behavior status after each controlled execution (``on_behavior_status``, called by
the executor's ``ControlledEntityItem``) and, once it is no longer RUNNING, wakes its parent. A
behavior that waits for its children therefore does not tick in the meantime (``sleep``/``wake``),
and one that waits for a time says so (``wait_until``): no node is polled, on any scheduler, and a
ManualClock can jump to the next due time. GXF's parents tick over and over instead; the order of
ticks that matter, and every outcome, are the same. The root's term reports the tree's final status
at the end of a run (``run_outcome``, which ``gxf run`` writes).
"""

from __future__ import annotations

import threading

from gxf.core import GxfError, Parameter

from .controller import BehaviorStatus, Controller
from .scheduling_condition import NEVER, READY, WAIT, WAIT_TIME, SchedulingConditionType
from .scheduling_term import NOTIFIES, SchedulingTerm, Waits

_WAIT_NOW = (WAIT, 0)


class BTSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::BTSchedulingTerm",
                       uuid="0161ca51-2fed-4a8c-8f24-67cf1b5e330a"):
    """Lets a behavior-tree node's entity tick only while its parent has started it (the root: from the
    start). Parents call ``start_node()`` / ``stop_node()`` on their children's terms."""

    is_root = Parameter(bool, description="True for the root of the tree, which ticks from the start; "
                        "every other node waits until its parent starts it")

    _parent = None   # the parent's term, set by the parent behavior (which may initialize first)

    def initialize(self) -> None:
        self._lock = threading.Lock()
        self._kind = READY if self.is_root else WAIT
        self._target = 0
        self._wakes = 0           # wake() calls, so that a sleep() does not miss one
        self._ran = False         # started by its parent (or stopped) since the graph began
        entity = self.entity
        controllers = [c for c in entity.components if isinstance(c, Controller)] if entity else []
        if not controllers:
            raise GxfError(f"{self.describe_self()}: the entity '{entity.name if entity else '?'}' is a "
                           "behavior-tree node without a Controller, so its parent could never learn "
                           "how it ended", self.location,
                           "add a controller to the entity, e.g. nvidia::gxf::EntityCountFailureRepeatController "
                           "with max_repeat_count: 0")
        self.controller = controllers[0]

    def waits_on(self) -> Waits:
        return NOTIFIES   # every change comes with notify_change()

    def check(self, timestamp: int) -> tuple:
        kind = self._kind
        if kind is READY:
            return (READY, timestamp)
        if kind is WAIT_TIME:
            return (WAIT_TIME, self._target)
        if kind is NEVER:
            return (NEVER, timestamp)
        return _WAIT_NOW

    # --- GXF's call ----------------------------------------------------------------------------------
    def set_condition(self, kind) -> None:
        """Sets the term's condition to READY, WAIT or NEVER (GXF's ``set_condition``)."""
        kind = SchedulingConditionType(kind)
        if kind not in (READY, WAIT, NEVER):
            raise GxfError(f"{self.describe_self()}: set_condition takes READY, WAIT or NEVER, not {kind.name}",
                           self.location)
        with self._lock:
            self._kind = kind
        self.notify_change()

    @property
    def condition(self) -> SchedulingConditionType:
        """The term's condition now: READY, WAIT, WAIT_TIME or NEVER."""
        return self._kind

    # --- parents ---------------------------------------------------------------------------------------
    def set_parent(self, parent: BTSchedulingTerm) -> None:
        """Makes ``parent`` (the parent node's own term) the one woken when this node ends a run."""
        if self._parent is not None and self._parent is not parent:
            raise GxfError(f"{self.describe_self()} is the child of two behaviors ('{self._parent.entity.name}' "
                           f"and '{parent.entity.name}')", self.location, "a tree node has one parent")
        if self is parent:
            raise GxfError(f"{self.describe_self()} is listed as a child of its own entity", self.location)
        self._parent = parent

    @property
    def behavior_status(self) -> BehaviorStatus:
        """The node's behavior status: its controller's last verdict (INIT since it was last started)."""
        return self.controller.behavior_status

    def start_node(self) -> None:
        """Starts this node's entity (a parent's call): status INIT, term READY; a node that ran before is
        restarted through the activation API, so its codelets start afresh."""
        context = self.context
        with self._lock:
            restart = self._ran
            self._ran = True
            self._kind = READY
        self.controller.record_status(BehaviorStatus.INIT)
        if restart:
            context.deactivate_entity(self.entity)
            context.activate_entity(self.entity)
        self.notify_change()

    def stop_node(self) -> None:
        """Stops this node's entity (a parent's call): term NEVER, the entity deactivated."""
        with self._lock:
            self._ran = True
            self._kind = NEVER
        self.notify_change()
        try:
            self.context.deactivate_entity(self.entity)
        except GxfError:
            pass  # the graph is not (or no longer) active: the NEVER is enough

    def on_behavior_status(self, status: BehaviorStatus) -> None:
        """Told by the executor after each controlled execution: a node no longer RUNNING wakes its parent."""
        if status != BehaviorStatus.RUNNING and self._parent is not None:
            self._parent.wake()

    def run_outcome(self) -> str | None:
        """The line ``gxf run`` writes at the end of a run: the root's final status (the tree's result)."""
        if not self.is_root:
            return None
        entity = self.entity
        return f"behavior tree '{entity.name if entity else '?'}': {self.behavior_status.name}"

    # --- a node's own waits -------------------------------------------------------------------------
    def wakes(self) -> int:
        """A token for ``sleep``: how many times this term was woken so far."""
        return self._wakes

    def sleep(self, token: int) -> None:
        """Makes the node wait until woken (a behavior waiting for its children), unless it was woken
        since ``token`` was taken."""
        with self._lock:
            if self._wakes == token and self._kind is READY:
                self._kind = WAIT

    def wait_until(self, target_ns: int) -> None:
        """Makes the node wait until clock time ``target_ns`` (a timer), unless stopped meanwhile."""
        with self._lock:
            if self._kind is not NEVER:
                self._kind = WAIT_TIME
                self._target = int(target_ns)

    def wake(self) -> None:
        """Ends a ``sleep``: a child of this node ended a run."""
        with self._lock:
            self._wakes += 1
            woken = self._kind is WAIT or self._kind is WAIT_TIME
            if woken:
                self._kind = READY
        if woken:
            self.notify_change()
