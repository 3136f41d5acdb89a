"""Behavior: the base of the behavior codelets, the nodes of a behavior tree.

A behavior's tick returns its status as a BehaviorStatus (SUCCESS, RUNNING or FAILURE), which its
entity's Controller turns into the node's behavior status. On SUCCESS the node's own term
(``s_term``) becomes NEVER; on FAILURE it stays READY, so a controller that repeats the node can tick
it again; while RUNNING a composite sleeps until a child wakes it. When its entity stops, a behavior
stops all its children (their subtrees end with it).
"""

from __future__ import annotations

from gxf.core import GxfError, Handle, Parameter
from gxf.std.bt_scheduling_term import BTSchedulingTerm
from gxf.std.codelet import Codelet
from gxf.std.controller import BehaviorStatus
from gxf.std.scheduling_condition import NEVER

SUCCESS, RUNNING, FAILURE = BehaviorStatus.SUCCESS, BehaviorStatus.RUNNING, BehaviorStatus.FAILURE


class Behavior(Codelet):
    """Base of the behaviors: ``s_term`` is the node's own BTSchedulingTerm. Subclasses implement
    ``begin()`` (the first tick after the node is started) and ``step()`` (later ticks)."""

    s_term = Parameter(Handle(BTSchedulingTerm), description="The BTSchedulingTerm of this node's own entity")

    def initialize(self) -> None:
        if self.s_term.entity is not self.entity:
            raise GxfError(f"{self.describe_self()}: s_term '{self.s_term.handle_text()}' belongs to another "
                           "entity", self.location, "s_term names the BTSchedulingTerm of this entity")

    def child_terms(self) -> list:
        """The BTSchedulingTerms of the children (none for a leaf behavior)."""
        return []

    def tick(self):
        term = self.s_term
        token = term.wakes()
        status = self.begin() if self.is_first_tick() else self.step()
        if status is RUNNING:
            term.sleep(token)          # until a child ends a run (or at once, if one did meanwhile)
        elif status is SUCCESS:
            term.set_condition(NEVER)
        return status

    def begin(self) -> BehaviorStatus:
        """The first tick after the node was started."""
        return self.step()

    def step(self) -> BehaviorStatus:
        """A later tick: usually reads the children's statuses."""
        raise NotImplementedError(f"{type(self).__name__} must implement step()")

    def stop(self) -> None:
        for child in self.child_terms():
            child.stop_node()


class CompositeBehavior(Behavior):
    """A behavior with children: ``children`` are handles to their BTSchedulingTerms."""

    children = Parameter(list[Handle(BTSchedulingTerm)], [], "The BTSchedulingTerms of the child entities, "
                         "in order; the behavior starts and stops them")

    def initialize(self) -> None:
        super().initialize()
        seen = []
        for child in self.children:
            if child in seen:
                raise GxfError(f"{self.describe_self()}: child '{child.handle_text()}' is listed twice",
                               self.location)
            seen.append(child)
            child.set_parent(self.s_term)

    def child_terms(self) -> list:
        return list(self.children)

    def status_of(self, index: int) -> BehaviorStatus:
        """The behavior status of child ``index``."""
        return self.children[index].behavior_status
