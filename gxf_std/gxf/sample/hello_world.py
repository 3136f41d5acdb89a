"""HelloWorld: the smallest codelet there is."""

from __future__ import annotations

from gxf.std.codelet import Codelet


class HelloWorld(Codelet, type_name="nvidia::gxf::HelloWorld", uuid="3d1e58fc-74fa-11ed-a7ee-f7e728cd4c11"):
    """Logs a greeting each time it ticks.

    Logs ``Hello world`` at INFO on every tick (run with ``--severity 3`` to see it).
    """

    def tick(self) -> None:
        self.logger.info("Hello world")
