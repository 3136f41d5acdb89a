"""Loading, checking and running graph files the way the ``gxf`` command does.

``gxf run`` and ``gxf validate`` are thin wrappers over ``run_graphs`` and ``validate_graphs``.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from .context import Context
from .errors import GraphFileError, InterruptedError_, Location
from .loader import ParamOverride, load_graph_file
from .registry import TypeRegistry
from .suggest import did_you_mean
from .system import System
from .yaml_source import load_file


def parse_overrides(texts: Iterable[str]) -> tuple[ParamOverride, ...]:
    """``entity/component/key=value`` strings to overrides; the value is read as YAML."""
    return tuple(ParamOverride.parse(text) for text in texts)


def load_graphs(context: Context, paths: Iterable[str | Path],
                overrides: Iterable[ParamOverride] = ()) -> None:
    """Loads graph files in order (later ones may be parameter files) and applies overrides.

    An override that names no component of the loaded graph is an error rather than silently ignored.
    """
    overrides = tuple(overrides)
    for path in paths:
        load_graph_file(context, path, overrides)
    for override in overrides:
        _check_override_target(context, override)


def _check_override_target(context: Context, override: ParamOverride) -> None:
    text = f"{override.entity}/{override.component}/{override.key}"
    entity = context.find_entity(override.entity)
    if entity is None:
        names = [e.name for e in context.entities if e.name]
        raise GraphFileError(f"--param {text}: the graph has no entity '{override.entity}'",
                             hint=did_you_mean(override.entity, names) or "write entity/component/key=value")
    if not any(override.component in (c.name, c.type_name()) for c in entity.components):
        names = [c.name for c in entity.components if c.name]
        raise GraphFileError(
            f"--param {text}: entity '{entity.name}' has no component '{override.component}'",
            hint=did_you_mean(override.component, names) or f"components there: {', '.join(names) or 'none'}")


def set_time_limit(context: Context, ms: int | None) -> int:
    """Gives every System (scheduler) of the graph the time limit ``ms``; returns how many there are.

    A System that has no time limit refuses with a GxfError that names it.
    """
    systems = list(context.components(System))
    for system in systems:
        system.set_time_limit(ms)
    return len(systems)


def check_manifest(path: str | Path) -> list:
    """Checks a GXF manifest file (as ``gxe`` takes) and returns its extension list.

    Extensions here are found through installed distributions, so the manifest is only checked.
    """
    where = Location(str(path))
    if not Path(path).is_file():
        raise GraphFileError("manifest file not found", where,
                             "the manifest is only checked: extensions are found among installed "
                             "distributions")
    documents = load_file(path)
    manifest = documents[0] if documents else None
    if not isinstance(manifest, dict) or "extensions" not in manifest:
        raise GraphFileError("a manifest must be a YAML mapping with an 'extensions' list", where,
                             "write 'extensions:' followed by '- path/to/extension.so' lines")
    extensions = manifest["extensions"]
    if not isinstance(extensions, list):
        where = manifest.key_location("extensions") if hasattr(manifest, "key_location") else where
        raise GraphFileError("'extensions' in a manifest must be a list", where)
    return extensions


def validate_graphs(paths: Iterable[str | Path], overrides: Iterable[ParamOverride] = (),
                    registry: TypeRegistry | None = None) -> Context:
    """Loads graph files and checks them (required parameters, handles) without running anything."""
    context = Context(registry)
    context.strict_schema = True
    load_graphs(context, paths, overrides)
    context.finalize()
    return context


def graph_size(context: Context) -> tuple[int, int]:
    """(entities, components) of a loaded graph."""
    return len(context.entities), sum(len(entity.components) for entity in context.entities)


def run_graphs(paths: Iterable[str | Path], overrides: Iterable[ParamOverride] = (),
               max_duration_ms: int | None = None, registry: TypeRegistry | None = None) -> Context:
    """Loads graph files, runs the graph until its schedulers finish, and deactivates it.

    SIGTERM and Ctrl-C interrupt the schedulers, wait for them to stop, and raise an interrupted
    error (exit code 130). The graph is deactivated whatever happens.
    """
    context = Context(registry)
    try:
        load_graphs(context, paths, overrides)
        if max_duration_ms is not None:
            set_time_limit(context, max_duration_ms)
        with _interrupt_on_sigterm(context) as interrupted:
            context.run_async()
            try:
                context.wait()
            except KeyboardInterrupt:
                interrupted.append("Ctrl-C")
                context.interrupt()
                context.wait()
            if interrupted:
                raise InterruptedError_(f"interrupted ({interrupted[0]})")
    except BaseException:
        with contextlib.suppress(Exception):
            context.deactivate()
        raise
    context.deactivate()
    return context


@contextlib.contextmanager
def _interrupt_on_sigterm(context: Context) -> Iterator[list]:
    """While running: SIGTERM interrupts the graph. Yields a list that names the signals received."""
    received: list[str] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def on_sigterm(signum, frame):
        received.append("SIGTERM")
        context.interrupt()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)

