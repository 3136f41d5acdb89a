"""TestLogger: writes one log line at each severity every tick."""

from __future__ import annotations

from gxf.std.codelet import Codelet


class TestLogger(Codelet, type_name="nvidia::gxf::test::TestLogger",
                 uuid="121178a5-ee02-4251-b2d3-0663306bf3c3"):
    """Logs one line at each severity every tick, to show which severities get through.

    Each tick logs one message at ERROR, WARNING, INFO and DEBUG; run with ``--severity`` to see which
    severities get through.
    """

    __test__ = False  # not a pytest test class

    def tick(self) -> None:
        logger = self.logger
        logger.error("This is test error message")
        logger.warning("This is a test warning message")
        logger.info("This is a test info message")
        logger.debug("This is a test debug message")
