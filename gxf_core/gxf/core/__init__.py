"""gxf.core: entities, components, parameters, the type registry, graph loading and the runtime context.

Graph files are loaded into a context with ``load_graph_file(context, path)`` or
``load_graph_text(context, text)``.
"""

from .component import Component
from .context import Context
from .entity import Entity, MessageEntity
from .errors import (ExecutionError, ExtensionError, GraphErrors, GraphFileError, GxfError, HandleError,
                     Location, MissingExtensionError, ParameterError, UnknownComponentTypeError)
from .extension import ComponentType, Extension
from .hookspecs import hookimpl
from .loader import load_graph_file, load_graph_text
from .parameters import REQUIRED, Duration, FilePath, Frequency, GraphRelativePath, Handle, Parameter, Size
from .system import System

__all__ = [
    "Component", "ComponentType", "Context", "Duration", "Entity", "ExecutionError", "Extension",
    "ExtensionError", "FilePath", "Frequency", "Graph", "GraphErrors", "GraphFileError", "GraphRelativePath",
    "GxfError", "Handle", "HandleError",
    "Location", "MessageEntity", "MissingExtensionError", "Parameter", "ParameterError", "REQUIRED", "Size", "System",
    "UnknownComponentTypeError", "hookimpl", "load_graph_file", "load_graph_text",
]


def __getattr__(name: str):
    # The Python graph API is imported on first use: `gxf run` does not need it.
    if name == "Graph":
        from .graph import Graph

        return Graph
    raise AttributeError(f"module 'gxf.core' has no attribute '{name}'")
