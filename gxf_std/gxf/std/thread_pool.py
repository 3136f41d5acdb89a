"""Thread pools, and CPUThread to pin an entity to a thread of one.

An entity with a ``CPUThread`` whose ``pin_entity`` is true is executed by a thread of its own, taken
from a ``ThreadPool`` resource. The pool is looked up as GXF does through entity groups: in the
entity itself, then in the entities of the groups (``EntityGroups`` in graph files) it belongs to; an
entity in no group shares the pools of every other ungrouped entity (GXF's default group).
The multi-thread and event-based schedulers honour pinning; single-threaded schedulers ignore it.
"""

from __future__ import annotations

from gxf.core import Component, GxfError, Parameter

from .resources import ResourceBase
from .scheduling_term import bad_parameter


class ThreadPool(ResourceBase, type_name="nvidia::gxf::ThreadPool",
                 uuid="4025b68b-206b-4b3d-a088-f4805fdf8703"):
    """A resource providing threads, with a priority, for the entities assigned to it.

    Every entity pinned to the pool gets a thread of its own; ``initial_size`` adds that many
    threads for unpinned work (with a scheduler that lets pinned threads share work). ``priority``
    (0 low, 1 medium, 2 high) is recorded; Python threads have no portable priority, so it is not
    applied.
    """

    initial_size = Parameter(int, 0, "Threads the pool starts with for work not pinned to a thread")
    priority = Parameter(int, 0, "Priority of the pool's threads: 0 (low, the default), 1 (medium) or "
                         "2 (high)")

    def preflight(self) -> None:
        if self.initial_size < 0:
            raise bad_parameter(self, "initial_size", f"must not be negative, got {self.initial_size}")
        if self.priority not in (0, 1, 2):
            raise bad_parameter(self, "priority",
                                f"must be 0 (low), 1 (medium) or 2 (high), got {self.priority}")

    def initialize(self) -> None:
        self.pinned: list = []   # entities pinned to this pool, filled by the scheduler

    def size(self) -> int:
        """Threads in the pool: one per pinned entity plus ``initial_size``."""
        return len(self.pinned) + self.initial_size


class CPUThread(Component, type_name="nvidia::gxf::CPUThread", uuid="34f46728-496d-4d8b-b9c9-c5a54de5d3a0"):
    """A resource saying whether an entity runs on a thread reserved for it."""

    pin_entity = Parameter(bool, False, "Run the entity on a thread of its own")

    def pinned(self) -> bool:
        return self.pin_entity


def entity_resources(entity, kind: type) -> list:
    """Resource components of type ``kind`` visible to ``entity``, nearest first (see the module doc)."""
    context = entity.context
    found = [c for c in entity.components if isinstance(c, kind)]
    groups = [members for members in getattr(context, "entity_groups", {}).values() if entity in members]
    if groups:
        scope = [member for members in groups for member in members]
    else:
        grouped = {id(m) for members in getattr(context, "entity_groups", {}).values() for m in members}
        scope = [other for other in context.entities if id(other) not in grouped]
    for other in scope:
        if other is entity:
            continue
        found.extend(c for c in other.components if isinstance(c, kind) and c not in found)
    return found


def pinned_pool(entity) -> ThreadPool | None:
    """The ThreadPool ``entity`` is pinned to, or None when it is not pinned."""
    threads = [c for c in entity.components if isinstance(c, CPUThread)]
    if not threads:
        return None
    if len(threads) > 1:
        raise GxfError(f"entity '{entity.name}' has {len(threads)} CPUThread components", threads[1].location,
                       "an entity takes at most one CPUThread")
    if not threads[0].pin_entity:
        return None
    pools = entity_resources(entity, ThreadPool)
    if not pools:
        raise GxfError(f"entity '{entity.name}' is pinned (CPUThread pin_entity: true) but no ThreadPool is "
                       "visible to it", threads[0].location,
                       "add a nvidia::gxf::ThreadPool to the entity or to an entity of its EntityGroup")
    return pools[0]
