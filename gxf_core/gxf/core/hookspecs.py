"""The plugin API: every hook an extension distribution may implement."""

import pluggy

hookspec = pluggy.HookspecMarker("gxf")
hookimpl = pluggy.HookimplMarker("gxf")


@hookspec
def gxf_extensions():
    """Return the Extension objects (one, or a list) this plugin provides."""


@hookspec
def gxf_graph_loaded(context):
    """Called once all graph files are loaded, before validation; may add missing components."""


@hookspec
def gxf_compute_entity_adapters():
    """Return adapters (one or a list) making foreign codelets components for ComputeEntity.add_codelet."""


@hookspec
def gxf_cli_commands():
    """Return click commands or groups (one, or a list) to add to the ``gxf`` command line."""


@hookspec
def gxf_component_serializers():
    """Return TypeSerializers (one, or a list) writing and reading this plugin's message component types."""
