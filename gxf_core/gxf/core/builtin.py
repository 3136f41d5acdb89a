"""The core's own extension: the root component types every other type derives from."""

from __future__ import annotations

from .component import Component
from .extension import Extension
from .hookspecs import hookimpl
from .parameters import Any, Parameter
from .system import System

CORE_EXTENSION_UUID = "2a1b3c3e-7d74-4c40-9d0f-6b1f1c9a4e01"


class Subgraph(Component, type_name="nvidia::gxf::Subgraph", uuid="576eedd7-7c3f-4d2f-8c38-8baa79a3d231"):
    """Loads another graph file into this graph, its entities named '<this entity>.<name>'.

    The subgraph's ``interfaces`` make its components reachable from here as '<this entity>/<interface>'.
    ``prerequisites`` hands components of this graph to the subgraph's declared prerequisites, and
    ``override_params`` sets parameters of the subgraph's interface components.
    """

    # Stored as ``graph_location``: ``location`` is every component's place in its graph file.
    graph_location = Parameter(str, key="location",
                               description="Graph file(s) to load, comma-separated; relative to this file")
    prerequisites = Parameter(dict[str, str], {}, "Prerequisite name -> 'entity/component' of this graph")
    override_params = Parameter(dict[str, dict[str, Any]], {},
                                "Interface name -> parameters to set on that component of the subgraph")


CORE_EXTENSION = Extension(
    name="GxfCore",
    uuid=CORE_EXTENSION_UUID,
    version="0.1.0",
    components=[Component, System, Subgraph],
    author="gxf-core developers",
    distribution="gxf-core",
    description="Root component types and subgraph loading",
    category="Core",
)


@hookimpl
def gxf_extensions():
    return CORE_EXTENSION
