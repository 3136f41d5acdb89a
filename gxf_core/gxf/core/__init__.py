"""gxf.core: entities, components, parameters, the type registry, graph loading and the runtime context."""

from .component import Component
from .context import Context
from .entity import Entity, MessageEntity
from .errors import (ExecutionError, ExtensionError, GraphFileError, GxfError, HandleError, Location,
                     ParameterError, UnknownComponentTypeError)
from .extension import ComponentType, Extension
from .graph import Graph
from .hookspecs import hookimpl
from .parameters import REQUIRED, Duration, FilePath, Frequency, Handle, Parameter, Size
from .system import System

__all__ = [
    "Component", "ComponentType", "Context", "Duration", "Entity", "ExecutionError", "Extension",
    "ExtensionError", "FilePath", "Frequency", "Graph", "GraphFileError", "GxfError", "Handle", "HandleError",
    "Location", "MessageEntity", "Parameter", "ParameterError", "REQUIRED", "Size", "System",
    "UnknownComponentTypeError", "hookimpl",
]
