"""System: the interface of components that run a graph (schedulers).

The core knows only this interface; concrete schedulers live in extensions. The context starts every
System component on ``run_async`` and waits for all of them on ``wait``; ``gxf run --max-duration-ms``
gives each of them a time limit with ``set_time_limit``.
"""

from __future__ import annotations

from .component import Component
from .errors import GxfError


class System(Component, type_name="nvidia::gxf::System", uuid="d1febca1-80df-454e-a3f2-715f2b3c6e69",
             abstract=True):
    """A component that drives the execution of the graph's entities."""

    def prepare(self, context) -> None:
        """Called after all components are initialized, before ``run_async``."""

    def run_async(self) -> None:
        """Starts running the graph; returns at once."""
        raise NotImplementedError

    def wait(self) -> None:
        """Blocks until the run ends; raises the failure that ended it, if any."""
        raise NotImplementedError

    def interrupt(self) -> None:
        """Asks the run to end soon; ``wait`` then returns."""
        raise NotImplementedError

    def activate_entity(self, entity) -> None:
        """Brings ``entity`` (back) into the running graph; the default refuses."""
        raise GxfError(f"{self.describe_self()} cannot activate entities at run time", self.location)

    def deactivate_entity(self, entity) -> None:
        """Takes ``entity`` out of the running graph (its codelets stop); the default refuses."""
        raise GxfError(f"{self.describe_self()} cannot deactivate entities at run time", self.location)

    def set_time_limit(self, ms: int | None) -> None:
        """Ends the run after ``ms`` of clock time (None: no limit); called before the run starts.

        A System that cannot limit its run keeps this default, which refuses.
        """
        raise GxfError(f"{self.describe_self()} has no time limit to set", self.location,
                       "run the graph without a time limit (--max-duration-ms), or use a scheduler that "
                       "implements set_time_limit")
