"""Extensions add subcommands to `gxf` through the gxf_cli_commands hook: found when asked for, listed in
--help, never asked for by built-in commands; a name clash is refused with a warning naming both."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from gxf.core import hookimpl, plugins
from gxf.core.cli import main


@click.group("greet")
def greet():
    """Say hello (a test plugin's group)."""


@greet.command("hello")
@click.argument("name")
def hello(name):
    """Greets NAME."""
    click.echo(f"hello, {name}")


@click.command("list")
def clashing_list():
    """A plugin command whose name a built-in command has."""
    click.echo("plugin list")


@click.command("greet")
def clashing_greet():
    """A second plugin's command of the same name as the first plugin's."""
    click.echo("second greet")


class CommandPlugin:
    """A test plugin giving ``commands`` and counting how often it was asked."""

    def __init__(self, *commands):
        self.commands = list(commands)
        self.asked = 0

    @hookimpl
    def gxf_cli_commands(self):
        self.asked += 1
        return self.commands


@pytest.fixture
def plugin():
    """Registers CommandPlugin objects for one test: ``plugin(name, *commands)``."""
    names = []

    def add(name, *commands):
        made = CommandPlugin(*commands)
        plugins.register(made, name=name)
        names.append(name)
        return made

    yield add
    for name in names:
        plugins.unregister(name)


def gxf(*args):
    return CliRunner().invoke(main, list(args))


def test_a_plugin_command_runs_and_is_listed(plugin):
    made = plugin("a-greeter", greet)
    result = gxf("greet", "hello", "world")
    assert result.exit_code == 0, result.output
    assert result.stdout == "hello, world\n"
    listing = gxf("--help")
    assert "greet" in listing.stdout and "Say hello" in listing.stdout
    assert made.asked == 2  # once per invocation


def test_built_in_commands_never_ask_the_plugins(plugin, tmp_path):
    made = plugin("a-greeter", greet)
    graph = tmp_path / "g.yaml"
    graph.write_text("name: e\ncomponents: []\n")
    assert gxf("validate", str(graph)).exit_code == 0
    assert gxf("list").exit_code == 0
    assert made.asked == 0


def test_a_command_named_like_a_built_in_is_refused_with_a_warning(plugin):
    plugin("a-clasher", clashing_list)
    result = gxf("--help")
    assert "warning: the command 'list' of plugin 'a-clasher' is refused: the built-in command 'gxf list' " \
           "has that name" in result.stderr
    assert "List installed extensions" in gxf("list", "--help").stdout


def test_of_two_plugins_with_one_name_the_first_keeps_it(plugin):
    plugin("a-greeter", greet)
    plugin("b-greeter", clashing_greet)
    result = gxf("greet", "hello", "you")
    assert result.stdout.endswith("hello, you\n")
    assert "warning: the command 'greet' of plugin 'b-greeter' is refused: plugin 'a-greeter' already adds " \
           "a command 'greet'" in result.stderr


class Broken:
    @hookimpl
    def gxf_cli_commands(self):
        raise RuntimeError("no commands today")


def test_a_broken_plugin_is_a_warning_not_a_failure():
    plugins.register(Broken(), name="a-broken")
    try:
        result = gxf("--help")
    finally:
        plugins.unregister("a-broken")
    assert result.exit_code == 0
    assert "plugin 'a-broken' failed to give its commands: RuntimeError: no commands today" in result.stderr


def test_an_unknown_command_is_still_a_usage_error(plugin):
    result = gxf("no-such-command")
    assert result.exit_code == 2 and "No such command 'no-such-command'" in result.stderr


def test_the_installed_serialization_extension_adds_gxf_recording():
    """From outside: a fresh `gxf` process finds `recording` through the installed entry point."""
    pytest.importorskip("gxf.serialization")
    result = subprocess.run([sys.executable, "-m", "gxf.core.cli", "--help"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "recording" in result.stdout


def test_listing_the_commands_imports_no_extension():
    """`gxf --help` finds `recording` through gxf-serialization's light gxf.cli module: no component
    types are imported to list the commands."""
    pytest.importorskip("gxf.serialization")
    code = ("import sys\nfrom gxf.core.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n"
            "    pass\nprint([m for m in ('gxf.serialization.extension', 'gxf.std.extension') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "recording" in result.stdout
    assert result.stdout.rstrip().endswith("[]")

