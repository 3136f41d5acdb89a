"""GXF severities on top of Python's logging.

PANIC 0, ERROR 1, WARNING 2, INFO 3, DEBUG 4, VERBOSE 5 (GXF's logger levels; NONE is taken for 0, as
GXF's gxe names it). ``set_severity`` (or the environment variable ``GXF_LOG_LEVEL``, a number or a
name) sets the ``gxf`` logger's level; records below it are never formatted. Log lines name the
severity as GXF does (PANIC, not Python's CRITICAL), and ``gxf`` and ``gxe`` describe the levels with
the same words (``SEVERITY_CHOICES``).
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
SEVERITY_CHOICES = "0 PANIC, 1 ERROR, 2 WARNING, 3 INFO, 4 DEBUG, 5 VERBOSE"
ENV_VAR = "GXF_LOG_LEVEL"
DEFAULT_SEVERITY = 2
_LEVEL_NAMES = {logging.CRITICAL: "PANIC", VERBOSE: "VERBOSE"}

logger = logging.getLogger("gxf")
_handler: logging.Handler | None = None


def parse_severity(value: int | str) -> int:
    """A GXF severity (0..5) from a number or a name; ValueError saying what is accepted otherwise."""
    if isinstance(value, str):
        text = value.strip().upper()
        if text in SEVERITY_NAMES:
            return SEVERITY_NAMES[text]
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a severity: use {SEVERITY_CHOICES} (a number or a name)") \
                from None
    if not 0 <= int(value) <= 5:
        raise ValueError(f"severity {value} is not in 0..5 ({SEVERITY_CHOICES})")
    return int(value)


def severity_from_env(default: int = DEFAULT_SEVERITY) -> int:
    """The severity ``$GXF_LOG_LEVEL`` names, else ``default``; a value that names none is warned about."""
    text = os.environ.get(ENV_VAR)
    if not text:
        return default
    try:
        return parse_severity(text)
    except ValueError as exc:
        logger.warning("ignoring %s=%s: %s; using %d (%s)", ENV_VAR, text, exc, default, _name_of(default))
        return default


def _name_of(severity: int) -> str:
    return next(name for name, number in SEVERITY_NAMES.items() if number == severity)


def set_severity(severity: int | str | None = None) -> int:
    """Sets the ``gxf`` logger's level from a GXF severity (default: the environment, else WARNING)."""
    severity = severity_from_env() if severity is None else parse_severity(severity)
    logger.setLevel(SEVERITY_LEVELS[severity])
    return severity


class Formatter(logging.Formatter):
    """Log lines as ``gxf`` writes them, with GXF's severity names (PANIC where Python says CRITICAL)."""

    def __init__(self, fmt: str = "%(asctime)s.%(msecs)03d %(severity)s %(message)s",
                 datefmt: str | None = "%H:%M:%S") -> None:
        super().__init__(fmt, datefmt)

    def format(self, record: logging.LogRecord) -> str:
        record.severity = _LEVEL_NAMES.get(record.levelno, record.levelname)
        return super().format(record)


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
    if _handler is None:  # first, so that a warning about $GXF_LOG_LEVEL is written like any other
        _handler = _StderrHandler()
        _handler.setFormatter(Formatter())
    if _handler not in logger.handlers:  # also when someone removed it since
        logger.addHandler(_handler)
    return set_severity(severity)
