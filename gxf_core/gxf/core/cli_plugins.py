"""Subcommands that extensions add to ``gxf`` through the ``gxf_cli_commands`` hook.

The plugins are asked only when needed: a built-in command (``gxf run``) is found without asking any
plugin. Listing the commands (``gxf --help``) asks the plugins registered so far and the light modules
distributions advertise under the entry-point group ``gxf.cli`` (a module holding just the hook, so
that ``gxf --help`` imports no component types); a command name found nowhere else then asks every
installed plugin (the ``gxf.extensions`` entry points). A plugin's command whose name a built-in
command or another plugin's command already has is refused with a warning naming both; of two
plugins, the one whose name sorts first keeps it.
"""

from __future__ import annotations

import importlib.metadata

import click

from . import plugins

CLI_ENTRY_POINT_GROUP = "gxf.cli"
_META_KEY = "gxf.plugin_commands"


def load_cli_entry_points(warnings: list[str]) -> None:
    """Registers the modules of the ``gxf.cli`` entry points (once each) with the plugin manager."""
    for ep in importlib.metadata.entry_points(group=CLI_ENTRY_POINT_GROUP):
        name = f"{ep.dist.name if ep.dist is not None else '?'}:cli:{ep.name}"
        if plugins.pm.has_plugin(name) or plugins.pm.is_blocked(name):
            continue
        try:
            plugins.pm.register(ep.load(), name=name)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break the command line
            warnings.append(f"plugin '{name}' failed to load: {type(exc).__name__}: {exc}")


def plugin_commands(builtin: dict[str, click.Command], everything: bool = True
                    ) -> tuple[dict[str, click.Command], list[str]]:
    """``(commands by name, warnings)`` from the plugins' ``gxf_cli_commands`` hooks.

    ``everything``: load every installed plugin first; otherwise only the ``gxf.cli`` modules and the
    plugins registered so far are asked.
    """
    warnings: list[str] = []
    load_cli_entry_points(warnings)
    if everything:
        plugins.hooks()  # loads the installed plugins' gxf.extensions entry points
    commands: dict[str, click.Command] = {}
    owners: dict[str, str] = {}
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

    def _plugin_commands(self, ctx: click.Context, everything: bool) -> dict[str, click.Command]:
        cached = ctx.meta.get(_META_KEY)
        if cached is None or (everything and not cached[0]):
            found, warnings = plugin_commands(self.commands, everything)
            shown = ctx.meta.setdefault(_META_KEY + ".warned", set())
            for line in warnings:
                if line not in shown:
                    shown.add(line)
                    click.echo(f"warning: {line}", err=True)
            cached = ctx.meta[_META_KEY] = (everything, found)
        return cached[1]

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self._plugin_commands(ctx, everything=False)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is not None:
            return command
        command = self._plugin_commands(ctx, everything=False).get(cmd_name)
        if command is None:
            command = self._plugin_commands(ctx, everything=True).get(cmd_name)
        return command
