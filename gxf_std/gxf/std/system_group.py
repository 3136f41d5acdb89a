"""SystemGroup: a System that stands for several systems run together.

GXF registers SystemGroup as a System holding other systems. Here it is a placeholder System with
GXF's name and UUID: the context runs every System of a graph itself, so a group has nothing of its
own to do. ``systems`` lists the systems it holds; ``run_async``, ``wait`` and ``interrupt`` pass on
to them (and do nothing when it holds none, which is how a graph file's SystemGroup behaves).
"""

from __future__ import annotations

from gxf.core import System


class SystemGroup(System, type_name="nvidia::gxf::SystemGroup", uuid="3d23d470-0aed-41c6-ac92-685c1b5469a0"):
    """A group of systems; with no systems added it runs, waits for and interrupts nothing."""

    def initialize(self) -> None:
        self.systems: list[System] = []

    def add_system(self, system: System) -> None:
        """Adds ``system`` to the group (it is then run, waited for and interrupted with the group)."""
        if system is self:
            raise ValueError(f"{self.describe_self()} cannot hold itself")
        self.__dict__.setdefault("systems", []).append(system)

    def _members(self) -> list[System]:
        return list(getattr(self, "systems", ()))

    def prepare(self, context) -> None:
        for system in self._members():
            system.prepare(context)

    def run_async(self) -> None:
        for system in self._members():
            system.run_async()

    def wait(self) -> None:
        failure = None
        for system in self._members():
            try:
                system.wait()
            except BaseException as exc:  # noqa: BLE001 - every system is waited for
                failure = failure or exc
        if failure is not None:
            raise failure

    def interrupt(self) -> None:
        for system in self._members():
            system.interrupt()
