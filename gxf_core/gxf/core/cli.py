"""The ``gxf`` command: run, check and explore graphs and the installed extensions.

Each command is a thin wrapper: the work is done by ``gxf.core.runner`` (run, validate) and
``gxf.core.catalog`` (list, describe, schema), which tests call directly.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from pathlib import Path

import click

from . import catalog, graph_picture, log, plugins, runner, scaffold
from .cli_plugins import PluginCommandGroup
from .errors import GxfError
from .registry import TypeRegistry
from .run_report import RunReport
from .run_statistics import RunStatistics
from .schema import graph_schema

SEVERITY_HELP = f"Log severity: {log.SEVERITY_CHOICES} [default: ${log.ENV_VAR}, else {log.DEFAULT_SEVERITY}]"
PARAM_HELP = "Set a parameter after loading: entity/component/key=value (value read as YAML); repeatable."
VERBOSE_HELP = "Print the Python traceback of an error."
DASHBOARD_PORT = 8787  # gxf run --dashboard without a port (the port Dask's dashboard made familiar)
LIVE_SAMPLE = (0.025, 0.5)  # the dashboard times ticks for 25 ms of every 500 ms


def _reports_errors(func):
    """Turns errors into one 'error: ...' line on stderr and the right exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        verbose = kwargs.get("verbose", False)
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except GxfError as exc:
            if verbose:
                traceback.print_exc()
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(exc.exit_code) from None
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            raise SystemExit(130) from None
        except Exception as exc:  # noqa: BLE001 - reported as one line, the traceback on request
            if verbose:
                traceback.print_exc()
            click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
            if not verbose:
                click.echo("(run with --verbose for the traceback)", err=True)
            raise SystemExit(1) from None

    return wrapper


_app_root_option = click.option(
    "--app-root", "app_root", type=click.Path(file_okay=False), default=None, metavar="DIR",
    help="Take relative paths inside the graph files (subgraph locations, codelet files) from DIR instead "
         "of each file's folder, as GXF's gxe -app_root does.")


def _verbose_option(func):
    return click.option("-v", "--verbose", is_flag=True, help=VERBOSE_HELP)(func)


def _registry(warn: bool = True) -> TypeRegistry:
    registry = plugins.default_registry()
    if warn:
        for line in catalog.failure_lines(registry):
            click.echo(f"warning: {line}", err=True)
    return registry


def _echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2))


def _print_versions(ctx: click.Context, _param, value: bool) -> None:
    """``gxf --version``: gxf-core's version, then each installed extension distribution's, one a line."""
    if not value or ctx.resilient_parsing:
        return
    for name, version in plugins.distribution_versions():
        click.echo(f"{name} {version}")
    ctx.exit()


@click.group(name="gxf", cls=PluginCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_versions,
              help="Show the version of gxf-core and of every installed extension distribution, and exit.")
def main() -> None:
    """Run GXF graph files and explore the installed extensions.

    Installed extensions may add commands (see the hook ``gxf_cli_commands``).
    """


@main.command()
@click.argument("graphs", nargs=-1, required=True, metavar="GRAPH...")
@click.option("--param", "params", multiple=True, metavar="ENTITY/COMPONENT/KEY=VALUE",
              help="Passed to every process's gxf run (an override naming no component there fails it).")
@click.option("--verbose", is_flag=True, help="Show the Python traceback of an error.")
@_reports_errors
def launch(graphs, params, verbose):
    """Run a multi-segment application: every GRAPH (a GraphDriver's or a GraphWorker's file) as its own
    process, output prefixed by [FILE-STEM]. When one fails the others get 5 s to end, then are stopped.

    Across hosts, run `gxf run GRAPH` on each host instead, with its addresses in the files."""
    from .launch import launch as launch_all  # only this command starts processes

    extra = [arg for param in params for arg in ("--param", param)]
    raise SystemExit(launch_all(graphs, extra))


@main.command()
@click.argument("graphs", nargs=-1, required=True, metavar="GRAPH...")
@click.option("--severity", type=click.IntRange(0, 5), default=None, help=SEVERITY_HELP)
@click.option("--max-duration-ms", type=click.IntRange(min=0), default=None,
              help="End the run after this many ms: every scheduler's time limit, in the time of its "
                   "clock; a ManualClock run (whose time moves only when the scheduler jumps it) also "
                   "ends when that clock has not moved for that many ms (at least 1 s) of real time.")
@click.option("--stop-timeout", "stop_timeout", type=click.FloatRange(min=0), default=runner.STOP_TIMEOUT_S,
              show_default=True, metavar="SECONDS",
              help="After SIGINT or SIGTERM (or a ManualClock run's time limit), how long the graph may "
                   "take to stop before "
                   "the process exits anyway, naming the codelets still in tick(); a second signal exits "
                   "at once.")
@click.option("--manifest", metavar="FILE", default=None,
              help="A GXF manifest (YAML with an 'extensions' list). Only checked: extensions are "
                   "found among installed Python distributions.")
@click.option("--param", "params", multiple=True, metavar="ENTITY/COMPONENT/KEY=VALUE", help=PARAM_HELP)
@_app_root_option
@click.option("--stats", is_flag=True, help="Print a table per entity and its codelets at the end: ticks, "
              "mean and p99 tick time, messages in and out, drops.")
@click.option("--stats-json", "stats_json", type=click.Path(dir_okay=False, writable=True), default=None,
              metavar="FILE", help="Write those statistics (and how the run ended) as JSON to FILE.")
@click.option("--dashboard", "dashboard_port", type=click.IntRange(0, 65535), is_flag=False,
              flag_value=DASHBOARD_PORT, default=None, metavar="[PORT]",
              help=f"Serve a live page of the run on http://127.0.0.1:PORT/ (default {DASHBOARD_PORT}; 0: any "
                   "free port): the graph's picture, ticks/s, tick times, queues, the scheduler's state. "
                   "Needs gxf-core[dashboard]. Give it after the graph files.")
@_verbose_option
@_reports_errors
def run(graphs, severity, max_duration_ms, stop_timeout, manifest, params, app_root, stats, stats_json,
        dashboard_port, verbose) -> None:
    """Load GRAPH files in order (later ones may be parameter files) and run the graph.

    At the end one line says how the run ended (finished, stalled, interrupted, failed), its wall
    time, ticks and messages, after a warning per queue that dropped messages (hidden below
    --severity 2). On a terminal a run longer than a second shows a progress line meanwhile.

    Exits 0 when the graph finishes (or stalls), 1 on an error, 130 when interrupted by SIGINT
    (Ctrl-C), 143 by SIGTERM.
    """
    effective = log.configure(severity)
    if manifest is not None:
        runner.check_manifest(manifest)
    registry = _registry()
    statistics = None
    if stats or stats_json:
        statistics = RunStatistics()                        # every tick timed
    elif dashboard_port is not None:
        statistics = RunStatistics(sample=LIVE_SAMPLE)      # a live view times a sample of them
    watches = []
    if dashboard_port is not None:
        from .dashboard import Dashboard  # aiohttp is imported only for a dashboard

        watches.append(Dashboard(dashboard_port, statistics))
        click.echo(f"dashboard: {watches[0].start()}", err=True)
    report = RunReport(statistics=statistics, watches=watches)
    try:
        runner.run_graphs(graphs, runner.parse_overrides(params), max_duration_ms, registry, stop_timeout,
                          watch=report, app_root=app_root)
    finally:
        for watch in watches:
            watch.stop()
        if effective >= log.DEFAULT_SEVERITY:
            report.write()
        if statistics is not None and report.how is not None:
            if stats:
                click.echo(statistics.table(), nl=False)
            if stats_json:
                statistics.write_json(stats_json, {"outcome": report.how, "wall_s": round(report.wall_s, 3)})


@main.command()
@click.argument("graphs", nargs=-1, required=True, metavar="GRAPH...")
@click.option("--param", "params", multiple=True, metavar="ENTITY/COMPONENT/KEY=VALUE", help=PARAM_HELP)
@click.option("--severity", type=click.IntRange(0, 5), default=None, help=SEVERITY_HELP)
@click.option("--lenient", is_flag=True,
              help="A parameter the component does not declare is a warning (as `gxf run` treats it), "
                   "not an error.")
@click.option("--manifest", metavar="FILE", default=None,
              help="A GXF manifest (YAML with an 'extensions' list), checked as `gxf run` checks it.")
@_app_root_option
@_verbose_option
@_reports_errors
def validate(graphs, params, severity, lenient, manifest, app_root, verbose) -> None:
    """Load GRAPH files and check them (types, parameters, handles) without running."""
    log.configure(severity)
    if manifest is not None:
        runner.check_manifest(manifest)
    registry = _registry()
    context = runner.validate_graphs(graphs, runner.parse_overrides(params), registry, lenient=lenient,
                                     app_root=app_root)
    entities, components = runner.graph_size(context)
    click.echo(f"ok: {entities} entities, {components} components")


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_verbose_option
@_reports_errors
def list_command(as_json, verbose) -> None:
    """List installed extensions and their component types (and plugins that failed to load)."""
    data = catalog.installed(_registry(warn=False))
    if as_json:
        _echo_json(data)
    else:
        click.echo(catalog.format_installed(data), nl=False)


@main.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the component type's JSON Schema.")
@_verbose_option
@_reports_errors
def describe(name, as_json, verbose) -> None:
    """Describe a component type (e.g. nvidia::gxf::GreedyScheduler) or an extension (name or UUID)."""
    registry = _registry()
    info = catalog.describe(registry, name)
    if as_json:
        _echo_json(catalog.type_schema(registry, name) if info["kind"] == "component type" else info)
    else:
        click.echo(catalog.format_description(info), nl=False)


@main.command()
@click.argument("name", required=False)
@click.option("--graph", "whole_graph", is_flag=True, help="The schema of a whole graph file's documents.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@_verbose_option
@_reports_errors
def schema(name, whole_graph, output, verbose) -> None:
    """Print the JSON Schema of component type NAME, or with --graph of a graph file's documents."""
    if bool(name) == whole_graph:
        raise click.UsageError("give a component type NAME or --graph (not both)")
    registry = _registry()
    data = graph_schema(registry) if whole_graph else catalog.type_schema(registry, name)
    text = json.dumps(data, indent=2) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command("graph")
@click.argument("graphs", nargs=-1, required=True, metavar="GRAPH [PARAMS]...")
@click.option("-f", "--format", "fmt", type=click.Choice(graph_picture.FORMATS), default=None,
              help="svg, png (both laid out by Graphviz's dot), dot or mermaid (text; nothing needed) "
                   "[default: from the -o file's suffix, else svg]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--param", "params", multiple=True, metavar="ENTITY/COMPONENT/KEY=VALUE", help=PARAM_HELP)
@_app_root_option
@_verbose_option
@_reports_errors
def graph_command(graphs, fmt, output, params, app_root, verbose) -> None:
    """Draw a graph as SVG, PNG, DOT or Mermaid.

    Entities are boxes listing their codelets and scheduling terms, with their queues as ports;
    connections are edges labelled with the receiver's capacity and policy; subgraphs are clusters and
    behavior trees are trees. GRAPH and later parameter files load as for `gxf run`; nothing runs.
    """
    fmt = fmt or graph_picture.format_for(output)
    registry = _registry()
    context = runner.validate_graphs(graphs, runner.parse_overrides(params), registry, lenient=True,
                                     app_root=app_root)
    drawn = graph_picture.render(context, fmt, title=Path(graphs[0]).name)
    if output:
        if isinstance(drawn, bytes):
            Path(output).write_bytes(drawn)
        else:
            Path(output).write_text(drawn, encoding="utf-8")
    elif isinstance(drawn, bytes):
        stream = click.get_binary_stream("stdout")
        if stream.isatty():
            raise click.UsageError("a PNG is not for a terminal: give -o FILE.png (or redirect the output)")
        stream.write(drawn)
        stream.flush()
    else:
        click.echo(drawn, nl=False)


@main.group("new")
def new_group() -> None:
    """Start something new: an extension distribution or a Python codelet."""


@new_group.command("extension")
@click.argument("name")
@click.option("-d", "--directory", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Where the distribution's folder (named for NAME) goes.")
@_verbose_option
@_reports_errors
def new_extension_command(name, directory, verbose) -> None:
    """Create a third-party extension distribution NAME (e.g. acme-vision): a pyproject with the entry
    point, one codelet with parameters, one graph and one test, ready for `pip install -e .`."""
    written = scaffold.new_extension(name, directory)
    root = written[0].parent
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: cd {root} && pip install -e '.[test]' && pytest")


@new_group.command("codelet")
@click.argument("name")
@click.option("-d", "--directory", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Where the codelet file and its graph go.")
@_verbose_option
@_reports_errors
def new_codelet_command(name, directory, verbose) -> None:
    """Create a Python codelet NAME.py (GXF's Python codelet API) and a graph that runs it."""
    written = scaffold.new_codelet(name, directory)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: gxf run {written[1]}")


if __name__ == "__main__":  # python -m gxf.core.cli
    sys.exit(main())
