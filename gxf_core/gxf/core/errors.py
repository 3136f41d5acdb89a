"""Errors that reach users: each carries where it happened and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a graph file (1-based line), or in Python code that built a graph."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class GxfError(Exception):
    """Base of every error the framework raises on purpose.

    ``location`` names the graph file and line, ``hint`` says what to do. ``str()`` of the error is
    the one message the command line prints.
    """

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class GraphFileError(GxfError):
    """A graph file is unreadable, not YAML, or not shaped like a GXF graph."""


class ParameterError(GxfError):
    """A parameter is unknown, missing, or has a value of the wrong type."""


class HandleError(ParameterError):
    """A handle names no component, or one of the wrong type."""


class ExtensionError(GxfError):
    """An extension is missing, incompatible, or broken."""


class UnknownComponentTypeError(GxfError):
    """A graph names a component type no installed extension registers."""


class ExecutionError(GxfError):
    """A component failed while the graph ran."""


class InterruptedError_(GxfError):
    """The run was interrupted (Ctrl-C, SIGTERM or ``interrupt()``)."""

    exit_code = 130
