"""Subcommands that extensions add to ``gxf`` through the ``gxf_cli_commands`` hook.

The plugins are asked only when needed: a built-in command (``gxf run``) is found without asking any
plugin; they are asked when a command name is not built in, or when the commands are listed
(``gxf --help``). A plugin's command whose name a built-in command or another plugin's command already
has is refused with a warning naming both; of two plugins, the one whose name sorts first keeps it.
"""

from __future__ import annotations

import click

from . import plugins

_META_KEY = "gxf.plugin_commands"


def plugin_commands(builtin: dict[str, click.Command]) -> tuple[dict[str, click.Command], list[str]]:
    """``(commands by name, warnings)`` from every plugin's ``gxf_cli_commands`` hook."""
    plugins.hooks()  # loads the installed plugins' entry points
    commands: dict[str, click.Command] = {}
    owners: dict[str, str] = {}
    warnings: list[str] = []
    impls = sorted(plugins.pm.hook.gxf_cli_commands.get_hookimpls(),
                   key=lambda impl: plugins.pm.get_name(impl.plugin) or "")
    for impl in impls:
        plugin_name = plugins.pm.get_name(impl.plugin) or "?"
        try:
            result = impl.function()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break the command line
            warnings.append(f"plugin '{plugin_name}' failed to give its commands: {type(exc).__name__}: {exc}")
            continue
        offered = [result] if isinstance(result, click.Command) else list(result or [])
        for command in offered:
            if not isinstance(command, click.Command):
                warnings.append(f"plugin '{plugin_name}' gave {type(command).__name__} where a click "
                                "command belongs; ignored")
                continue
            name = command.name
            if name in builtin:
                warnings.append(f"the command '{name}' of plugin '{plugin_name}' is refused: the built-in "
                                f"command 'gxf {name}' has that name")
            elif name in commands:
                warnings.append(f"the command '{name}' of plugin '{plugin_name}' is refused: plugin "
                                f"'{owners[name]}' already adds a command '{name}'")
            else:
                commands[name] = command
                owners[name] = plugin_name
    return commands, warnings


class PluginCommandGroup(click.Group):
    """A click group whose commands are its own plus those the plugins add, asked for on first need."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        found = ctx.meta.get(_META_KEY)
        if found is None:
            found, warnings = plugin_commands(self.commands)
            for line in warnings:
                click.echo(f"warning: {line}", err=True)
            ctx.meta[_META_KEY] = found
        return found

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self._plugin_commands(ctx)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is not None:
            return command
        return self._plugin_commands(ctx).get(cmd_name)
