"""The one plugin manager: loads the ``gxf.extensions`` entry points and builds the type registry."""

from __future__ import annotations

import importlib.metadata
import threading

import pluggy

from . import hookspecs
from .errors import GxfError
from .extension import Extension
from .registry import TypeRegistry

ENTRY_POINT_GROUP = "gxf.extensions"

pm = pluggy.PluginManager("gxf")
pm.add_hookspecs(hookspecs)

_lock = threading.Lock()
_registry: TypeRegistry | None = None
_distribution_of: dict[str, str] = {}  # plugin name -> distribution


def _load_entry_points(failures: list[tuple[str, str]]) -> None:
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else "?"
        plugin_name = f"{dist}:{ep.name}"
        if pm.has_plugin(plugin_name) or pm.is_blocked(plugin_name):
            continue
        try:
            plugin = ep.load()
            pm.register(plugin, name=plugin_name)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break the others
            failures.append((plugin_name, f"{type(exc).__name__}: {exc}"))
            continue
        _distribution_of[plugin_name] = dist


def distribution_versions() -> list[tuple[str, str]]:
    """(name, version) of gxf-core and of every installed distribution with ``gxf.extensions`` entry points.

    gxf-core comes first, the others follow by name. Only metadata is read: no plugin is imported. A
    distribution found twice on the path is reported once, as the first one found (the one imported).
    """
    found: dict[str, tuple[str, str]] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.dist is None:
            continue
        name = ep.dist.metadata["Name"] or ep.dist.name
        found.setdefault(_canonical(name), (name, ep.dist.version))
    try:
        core = ("gxf-core", importlib.metadata.version("gxf-core"))
    except importlib.metadata.PackageNotFoundError:
        core = ("gxf-core", "(not installed as a distribution)")
    found.pop("gxf-core", None)
    return [core] + sorted(found.values(), key=lambda item: _canonical(item[0]))


def _canonical(name: str) -> str:
    """A distribution name as pip compares them: case and runs of -, _ and . do not matter."""
    return "-".join(name.replace("_", "-").replace(".", "-").lower().split("-"))


def register(plugin, name: str | None = None, distribution: str = "") -> None:
    """Registers a plugin object or module directly (tests, scripts); rebuilds the registry."""
    global _registry
    with _lock:
        registered = pm.register(plugin, name=name)
        _distribution_of[registered] = distribution or registered
        _registry = None


def unregister(name: str) -> None:
    global _registry
    with _lock:
        pm.unregister(name=name)
        _distribution_of.pop(name, None)
        _registry = None


def build_registry() -> TypeRegistry:
    """A fresh registry from every plugin; failures are recorded in ``registry.failures``."""
    registry = TypeRegistry()
    _load_entry_points(registry.failures)
    for impl in pm.hook.gxf_extensions.get_hookimpls():
        plugin_name = pm.get_name(impl.plugin) or "?"
        try:
            result = impl.function()
        except Exception as exc:  # noqa: BLE001
            registry.failures.append((plugin_name, f"{type(exc).__name__}: {exc}"))
            continue
        extensions = [result] if isinstance(result, Extension) else list(result or [])
        for ext in extensions:
            ext.distribution = ext.distribution or _distribution_of.get(plugin_name, plugin_name)
            try:
                registry.add_extension(ext)
            except GxfError as exc:
                registry.failures.append((plugin_name, str(exc)))
    return registry


def default_registry() -> TypeRegistry:
    """The process-wide registry, built on first use."""
    global _registry
    with _lock:
        if _registry is None:
            _registry = build_registry()
        return _registry


def hooks():
    """The hooks of every plugin, the installed ones' included (their entry points load on first use)."""
    default_registry()
    return pm.hook


def reset() -> None:
    """Forgets the registry so the next use re-reads installed plugins."""
    global _registry
    with _lock:
        _registry = None
