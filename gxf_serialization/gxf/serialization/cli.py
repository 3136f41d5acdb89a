"""``gxf recording``: look into recordings (``info``) and check them entity by entity (``check``).

Added to the ``gxf`` command by the ``gxf_cli_commands`` hook of this extension. Thin wrappers over
``gxf.serialization.recording``.
"""

from __future__ import annotations

import json
import time

import click


def _when(ns: int | None) -> str:
    if ns is None:
        return "-"
    seconds = ns / 1e9
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + f".{ns % 1_000_000_000:09d} UTC"


def _span(first: int | None, last: int | None) -> str:
    if first is None or last is None:
        return "-"
    return f"{(last - first) / 1e9:.6f} s"


def _fail(exc) -> None:
    text = str(exc) if hasattr(exc, "hint") else f"{type(exc).__name__}: {exc}"
    click.echo(f"error: {text}", err=True)
    raise SystemExit(1)


@click.group("recording")
def recording() -> None:
    """Look into recordings of EntityRecorder (DIR/BASENAME.gxf_index and .gxf_entities)."""


@recording.command("info")
@click.argument("path", metavar="DIR/BASENAME")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(path, as_json) -> None:
    """Entity count, time span, and the component types with their count and bytes."""
    from gxf.core import GxfError

    from .recording import summarize

    try:
        summary = summarize(path)
    except (GxfError, OSError) as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(summary.__dict__, indent=2))
    else:
        acq_first = summary.first_acqtime if summary.first_acqtime is not None else "-"
        acq_last = summary.last_acqtime if summary.last_acqtime is not None else "-"
        lines = [f"recording: {summary.path}",
                 (f"entities: {summary.entities} ({summary.index_records} index records, "
                  f"{summary.entities_bytes} bytes)"),
                 (f"logged: {_when(summary.first_log_time)} .. {_when(summary.last_log_time)} "
                  f"({_span(summary.first_log_time, summary.last_log_time)})"),
                 f"acqtime: {acq_first} .. {acq_last} ns ({_span(summary.first_acqtime, summary.last_acqtime)})",
                 "components:"]
        width = max([len(name) for name in summary.components] + [4])
        for name, (count, size) in sorted(summary.components.items()):
            lines.append(f"  {name:<{width}}  {count:>8} x  {size:>12} bytes")
        if summary.problem:
            lines.append(f"stopped early: {summary.problem} (run `gxf recording check`)")
        click.echo("\n".join(lines))
    if summary.problem:
        raise SystemExit(1)


@recording.command("check")
@click.argument("path", metavar="DIR/BASENAME")
def check(path) -> None:
    """Read every entity; report the first corrupt one with its number and byte offset (exit 1)."""
    from gxf.core import GxfError

    from .recording import check as check_recording

    try:
        result = check_recording(path)
    except (GxfError, OSError) as exc:
        _fail(exc)
    if result.ok:
        click.echo(f"ok: {result.entities} entities")
        return
    for line in result.problems:
        click.echo(f"corrupt: {line}", err=True)
    if result.entity is not None:
        click.echo(f"{result.entity} entities before it are good (bytes 0 .. {result.offset})", err=True)
    raise SystemExit(1)
