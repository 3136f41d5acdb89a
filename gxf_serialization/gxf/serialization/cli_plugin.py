"""The ``gxf recording`` command as a plugin: a light module (entry-point group ``gxf.cli``), so that
``gxf --help`` lists the command without importing the extension's component types."""

from gxf.core import hookimpl


@hookimpl
def gxf_cli_commands():
    from .cli import recording

    return recording
