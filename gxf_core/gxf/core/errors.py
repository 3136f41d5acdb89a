"""Errors that reach users: each carries where it happened and what to do about it."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass

#: Longest quoted value an error message shows; longer ones are cut and say how long they were.
MAX_SHOWN_CHARS = 200


def yaml_kind(value) -> str:
    """What a value read from YAML is, in YAML's words (mapping, list, string, number, ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, (bytes, bytearray)):
        return "binary value"
    return type(value).__name__


class _BoundedRepr(reprlib.Repr):
    """repr() that looks at a bounded part of a value, whatever its size (subclasses of dict/list too)."""

    def __init__(self):
        super().__init__()
        self.maxlevel, self.maxlist, self.maxdict, self.maxtuple = 4, 12, 12, 12
        self.maxstring = self.maxother = MAX_SHOWN_CHARS + 2

    def repr1(self, x, level):
        if isinstance(x, dict):
            return self.repr_dict(x, level)
        if isinstance(x, list):
            return self.repr_list(x, level)
        if isinstance(x, str):
            return self.repr_str(x, level)
        return super().repr1(x, level)

    def repr_str(self, x, level):
        return repr(x[:self.maxstring])[:-1] + "…" + repr(x)[-1] if len(x) > self.maxstring else repr(x)


_bounded_repr = _BoundedRepr()


#: Longest message an error keeps: whatever a message quotes, it cannot grow past this.
MAX_MESSAGE_CHARS = 2000


def cut_text(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, ending with how long it was."""
    if not isinstance(text, str) or len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text)} characters)"


def shown(value, limit: int = MAX_SHOWN_CHARS) -> str:
    """``value`` quoted for an error message: cut to about ``limit`` characters, saying how long it was.

    Takes bounded time on any value, so a huge value from a graph file cannot flood the message.
    """
    if isinstance(value, str):
        text = repr(value[:limit + 1])
        if len(value) > limit:
            return f"{text[:limit]}…({len(value)} characters)"
        return text
    text = _bounded_repr.repr(value)
    if len(text) > limit:
        size = len(value) if isinstance(value, (dict, list, tuple)) else None
        return text[:limit] + (f"…({yaml_kind(value)} of {size} items)" if size is not None else "…")
    return text



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
        message = cut_text(message, MAX_MESSAGE_CHARS)
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class GraphErrors(GxfError):
    """Several errors found in one pass over the graph files (``gxf validate``), in the order found.

    ``errors`` holds each one. ``str()`` gives each on its own line (with its file:line and hint), the
    lines after the first starting with "error: " as the command line prints the first.
    """

    def __init__(self, errors: list[GxfError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\nerror: ".join(str(error) for error in self.errors) + f"\n({len(self.errors)} errors)"


def raise_collected(errors: list[GxfError]) -> None:
    """Raises the one error collected, or GraphErrors for several; returns when there are none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise GraphErrors(errors)


class GraphFileError(GxfError):
    """A graph file is unreadable, not YAML, or not shaped like a GXF graph."""


class ParameterError(GxfError):
    """A parameter is unknown, missing, or has a value of the wrong type."""


class HandleError(ParameterError):
    """A handle names no component, or one of the wrong type."""


class ExtensionError(GxfError):
    """An extension is missing, incompatible, or broken."""


class MissingExtensionError(ExtensionError):
    """A graph's ``dependencies`` name an extension that is not installed."""


class UnknownComponentTypeError(GxfError):
    """A graph names a component type no installed extension registers."""


class ExecutionError(GxfError):
    """A component failed while the graph ran."""


class InterruptedError_(GxfError):
    """The run was interrupted (Ctrl-C, SIGTERM or ``interrupt()``)."""

    exit_code = 130
