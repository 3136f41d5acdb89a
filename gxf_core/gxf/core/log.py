"""GXF severities on top of Python's logging.

PANIC 0, ERROR 1, WARNING 2, INFO 3, DEBUG 4, VERBOSE 5. ``set_severity`` (or the environment variable
``GXF_LOG_LEVEL``, a number or a name) sets the ``gxf`` logger's level; records below it are never
formatted.
"""

from __future__ import annotations

import logging
import os
import sys

VERBOSE = 5
logging.addLevelName(VERBOSE, "VERBOSE")

SEVERITY_LEVELS = {0: logging.CRITICAL, 1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO,
                   4: logging.DEBUG, 5: VERBOSE}
SEVERITY_NAMES = {"PANIC": 0, "NONE": 0, "ERROR": 1, "WARNING": 2, "WARN": 2, "INFO": 3,
                  "DEBUG": 4, "VERBOSE": 5}
ENV_VAR = "GXF_LOG_LEVEL"
DEFAULT_SEVERITY = 2

logger = logging.getLogger("gxf")
_handler: logging.Handler | None = None


def parse_severity(value: int | str) -> int:
    if isinstance(value, str):
        text = value.strip().upper()
        if text in SEVERITY_NAMES:
            return SEVERITY_NAMES[text]
        value = int(text)
    if not 0 <= int(value) <= 5:
        raise ValueError(f"severity {value} is not in 0..5 (PANIC, ERROR, WARNING, INFO, DEBUG, VERBOSE)")
    return int(value)


def severity_from_env(default: int = DEFAULT_SEVERITY) -> int:
    text = os.environ.get(ENV_VAR)
    if not text:
        return default
    try:
        return parse_severity(text)
    except ValueError:
        return default


def set_severity(severity: int | str | None = None) -> int:
    """Sets the ``gxf`` logger's level from a GXF severity (default: the environment, else WARNING)."""
    severity = severity_from_env() if severity is None else parse_severity(severity)
    logger.setLevel(SEVERITY_LEVELS[severity])
    return severity


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is emitted (it may be replaced after set-up)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure(severity: int | str | None = None) -> int:
    """For command-line runs: sets the severity and sends records to stderr."""
    global _handler
    severity = set_severity(severity)
    if _handler is None:
        _handler = _StderrHandler()
        _handler.setFormatter(logging.Formatter("%(asctime)s.%(msecs)03d %(levelname)s %(message)s",
                                                "%H:%M:%S"))
        logger.addHandler(_handler)
    return severity
