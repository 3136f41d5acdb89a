"""gxf.behavior_tree: GXF's BehaviorTreeExtension, behavior trees of entities.

A behavior tree is made of entities, one per node. Each node has a ``BTSchedulingTerm`` (gxf.std),
a Controller (usually ``EntityCountFailureRepeatController``) and a codelet: one of the behaviors
here, whose ``children`` are handles to the children's BTSchedulingTerms, or any ordinary codelet
(a leaf). Parents start their children, read their behavior status and stop them; the root's final
status is the tree's result (``gxf run`` reports it).
"""

from __future__ import annotations

from .behavior import Behavior, CompositeBehavior
from .behaviors import (ConstantBehavior, ParallelBehavior, RepeatBehavior, SelectorBehavior, SequenceBehavior,
                        SwitchBehavior, TimerBehavior)
from .repeat_controller import EntityCountFailureRepeatController

__all__ = ["Behavior", "CompositeBehavior", "ConstantBehavior", "EntityCountFailureRepeatController",
           "ParallelBehavior", "RepeatBehavior", "SelectorBehavior", "SequenceBehavior", "SwitchBehavior",
           "TimerBehavior"]
