"""The one plugin manager: loads the ``gxf.extensions`` entry points and builds the type registry."""

from __future__ import annotations

import importlib.metadata
import threading

import pluggy

from . import hookspecs
from .errors import GxfError
from .extension import Extension
from .registry import ExtensionConflict, TypeRegistry

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
    """A fresh registry from every plugin; problems are recorded, never raised.

    ``registry.failures``: plugins that failed to load or whose extensions are malformed;
    ``registry.conflicts``: extensions refused because an extension registered before them holds a name
    or UUID they claim; ``registry.warnings``: plugins that implement no gxf hook.

    Extensions register in an order that does not depend on how or when they were installed: the
    project's own distributions first, in the order ``known_distributions.toml`` gives, then every
    other distribution by name (then plugin name, then the order a plugin lists its extensions). So a
    third-party distribution that reuses a name or UUID of the project's extensions is the one refused,
    and of two third-party distributions the one whose name sorts first keeps the claim. The order is
    the plugin's own distribution's (its entry point's), not what an Extension declares about itself.
    """
    registry = TypeRegistry()
    _load_entry_points(registry.failures)
    offers: list[tuple[str, str, Extension]] = []  # (plugin, distribution, extension)
    for impl in pm.hook.gxf_extensions.get_hookimpls():
        plugin_name = pm.get_name(impl.plugin) or "?"
        try:
            result = impl.function()
        except Exception as exc:  # noqa: BLE001
            registry.failures.append((plugin_name, f"{type(exc).__name__}: {exc}"))
            continue
        extensions = [result] if isinstance(result, Extension) else list(result or [])
        distribution = _distribution_of.get(plugin_name, plugin_name)
        for ext in extensions:
            if not isinstance(ext, Extension):
                why = f"gxf_extensions() returned {type(ext).__name__} where an Extension belongs"
                registry.failures.append((plugin_name, why))
                continue
            ext.distribution = ext.distribution or distribution
            offers.append((plugin_name, distribution, ext))
    for plugin_name, _distribution, ext in _in_precedence(offers, registry.failures):
        try:
            registry.add_extension(ext)
        except ExtensionConflict as conflict:
            conflict.plugin = plugin_name
            registry.conflicts.append(conflict)
        except GxfError as exc:
            registry.failures.append((plugin_name, str(exc)))
    registry.warnings.extend(_plugins_without_hooks())
    return registry


def _in_precedence(offers: list[tuple[str, str, Extension]],
                   failures: list[tuple[str, str]]) -> list[tuple[str, str, Extension]]:
    """``offers`` in the order they register: the project's own distributions first, then by name.

    The order of the project's distributions is data (known_distributions.toml), read only when two
    offers claim the same name or UUID; without a clash the order changes nothing but the listing. A
    table that cannot be read is recorded in ``failures``, and every distribution is then ordered by name.
    """
    precedence: tuple[str, ...] = ()
    if _claims_overlap(ext for _, _, ext in offers):
        from .known_distributions import known  # kept off the start-up path: needed only on a clash

        try:
            precedence = tuple(_canonical(name) for name in known().precedence)
        except GxfError as exc:
            failures.append(("known_distributions.toml", str(exc)))

    def key(offer: tuple[str, str, Extension]) -> tuple:
        plugin_name, distribution, _ = offer
        canonical = _canonical(distribution)
        rank = precedence.index(canonical) if canonical in precedence else len(precedence)
        return (rank, canonical, plugin_name)

    return sorted(offers, key=key)  # stable: a plugin's extensions keep the order it lists them


def _claims_overlap(extensions) -> bool:
    """Whether two of ``extensions`` claim one extension name or UUID, or one component type name or UUID."""
    seen: set[tuple[str, str]] = set()
    for ext in extensions:
        claims = {("extension", ext.name), ("extension uuid", str(ext.uuid).lower().replace("-", ""))}
        for cls in ext.components:
            claims.add(("type", str(cls.__dict__.get("_gxf_type_name"))))
            claims.add(("type uuid", str(cls.__dict__.get("_gxf_uuid")).lower().replace("-", "")))
        if seen & claims:
            return True
        seen |= claims
    return False


def _plugins_without_hooks() -> list[tuple[str, str]]:
    """(plugin, why) for each registered plugin that implements none of the gxf hooks.

    A module listed as a ``gxf.extensions`` entry point whose functions lack ``@hookimpl`` loads
    without error and does nothing; this says so, naming the function that looks like a hook.
    """
    known_hooks = {name for name in dir(hookspecs) if name.startswith("gxf_")}
    found = []
    for plugin in pm.get_plugins():
        callers = pm.get_hookcallers(plugin) or []
        if any(caller.spec is not None for caller in callers):
            continue
        name = pm.get_name(plugin) or "?"
        unknown = sorted(caller.name for caller in callers)
        unmarked = sorted(attr for attr in known_hooks if callable(getattr(plugin, attr, None)))
        if unknown:
            from .suggest import close_names

            guesses = [f"{hook} (did you mean {' or '.join(close_names(hook, known_hooks))}?)"
                       if close_names(hook, known_hooks) else hook for hook in unknown]
            why = "implements no gxf hook; its @hookimpl functions name no hook: " + ", ".join(guesses)
        elif unmarked:
            why = (f"implements no gxf hook: {', '.join(f'{n}()' for n in unmarked)} lacks the @hookimpl "
                   "marker (from gxf.core import hookimpl)")
        else:
            why = ("implements no gxf hook: define gxf_extensions() marked @hookimpl "
                   "(from gxf.core import hookimpl), returning the extension")
        found.append((name, why))
    return found


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
