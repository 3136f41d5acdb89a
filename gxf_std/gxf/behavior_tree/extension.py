"""The BehaviorTreeExtension: GXF's behavior-tree components (GXF's UUID and names).

It ships in gxf-std (see gxf_std/README.md): its components need nothing but gxf.std, and the pieces
GXF keeps in the StandardExtension (BTSchedulingTerm, Controller) live there.
"""

from __future__ import annotations

from gxf.core import Extension, hookimpl

from .behaviors import (ConstantBehavior, ParallelBehavior, RepeatBehavior, SelectorBehavior, SequenceBehavior,
                        SwitchBehavior, TimerBehavior)
from .repeat_controller import EntityCountFailureRepeatController

COMPONENTS: list = [EntityCountFailureRepeatController, ConstantBehavior, SelectorBehavior, SequenceBehavior,
                    SwitchBehavior, RepeatBehavior, ParallelBehavior, TimerBehavior]

BEHAVIOR_TREE_EXTENSION = Extension(
    name="BehaviorTreeExtension",
    uuid="9e6e55d4-1bc9-11ec-9621-0242ac130002",
    version="0.6.0",
    components=COMPONENTS,
    author="gxf-std developers",
    distribution="gxf-std",
    description="Behavior trees of entities: sequence, selector, parallel, repeat, switch, timer and "
                "constant behaviors, and a controller that repeats failing entities",
    display_name="Behavior Tree Extension",
    category="Behavior Tree",
    brief="Behavior-tree nodes and the repeat controller",
)


@hookimpl
def gxf_extensions():
    return BEHAVIOR_TREE_EXTENSION
