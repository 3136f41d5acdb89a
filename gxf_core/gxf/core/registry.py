"""The type registry: every installed extension and component type, queried by name or UUID.

Its "pip install" hints name the distribution an installed extension declares, or, for what is not
installed, the one ``known_distributions`` gives (data shipped with gxf-core, not code).
"""

from __future__ import annotations

import logging
import uuid as uuid_mod
from collections.abc import Iterable

from .component import Component
from .errors import ExtensionError, MissingExtensionError, UnknownComponentTypeError
from .extension import ComponentType, Extension
from .suggest import close_names

_LOGGER = logging.getLogger("gxf.registry")


class TypeRegistry:
    """Extensions and component types, with the lookups the loader and the CLI need."""

    def __init__(self) -> None:
        self.extensions: dict[str, Extension] = {}
        self._ext_by_uuid: dict[str, Extension] = {}
        self.types: dict[str, ComponentType] = {}
        self._types_by_uuid: dict[str, ComponentType] = {}
        self._by_class: dict[type, ComponentType] = {}
        self.failures: list[tuple[str, str]] = []  # (what, why) for plugins that failed to load
        # Extensions refused because an extension registered before them holds a name or UUID they claim
        self.conflicts: list[ExtensionConflict] = []
        self.warnings: list[tuple[str, str]] = []  # (plugin, why) for plugins that load but do nothing

    # --- registration ----------------------------------------------------------------------------
    def add_extension(self, ext: Extension) -> None:
        """Registers ``ext`` and its component types, all or nothing.

        An extension that claims a name or UUID already registered (its own, or one of its types') is
        refused as a whole, as GXF's extension loader refuses an extension with a duplicate type: the
        ExtensionConflict raised names every such claim and who holds it. Nothing registered earlier
        changes.
        """
        key = _norm_uuid(ext.uuid, f"extension {ext.name}")
        claims: list[tuple[str, Extension]] = []
        for other in _distinct(self.extensions.get(ext.name), self._ext_by_uuid.get(key)):
            claims.append((f"extension '{other.name}' ({other.uuid})" if other.name == ext.name else
                           f"extension UUID {ext.uuid} (as '{other.name}')", other))
        pending: list[ComponentType] = []
        for cls in ext.components:
            name = cls.__dict__.get("_gxf_type_name")
            uid = cls.__dict__.get("_gxf_uuid")
            if not name or not uid:
                raise ExtensionError(
                    f"extension '{ext.name}' from {_dist(ext)} lists {cls.__qualname__}, which has no "
                    "type_name and uuid", hint="declare them as class keywords: "
                    "class X(Codelet, type_name='my::X', uuid='...')")
            tkey = _norm_uuid(uid, name)
            mine = next((p for p in pending if p.name == name or _norm_uuid(p.uuid, "") == tkey), None)
            if mine is not None:
                raise ExtensionError(
                    f"extension '{ext.name}' from {_dist(ext)} lists component type '{name}' ({uid}) and "
                    f"'{mine.name}' ({mine.uuid}): a type name and a UUID may be used once",
                    hint="give each component type its own type_name and uuid")
            for clash in _distinct(self.types.get(name), self._types_by_uuid.get(tkey)):
                what = (f"component type '{name}' ({uid})" if clash.name == name else
                        f"component type UUID {uid} (of '{name}', registered as '{clash.name}')")
                claims.append((what, clash.extension))
            pending.append(ComponentType(name, uid, self._base_name(cls), cls.description(), cls, ext,
                                         cls.__dict__.get("_gxf_abstract", False)))
        if claims:
            raise ExtensionConflict(ext, claims)
        self.extensions[ext.name] = ext
        self._ext_by_uuid[key] = ext
        for ctype in pending:
            self.types[ctype.name] = ctype
            self._types_by_uuid[_norm_uuid(ctype.uuid, "")] = ctype
            self._by_class[ctype.cls] = ctype

    @staticmethod
    def _base_name(cls: type) -> str | None:
        for base in cls.__mro__[1:]:
            name = base.__dict__.get("_gxf_type_name")
            if name:
                return name
        return None

    # --- queries -----------------------------------------------------------------------------------
    def component_type(self, name: str) -> ComponentType:
        ctype = self.types.get(name)
        if ctype is None:
            raise self.unknown_type(name)
        return ctype

    def component_class(self, name: str) -> type[Component]:
        return self.component_type(name).cls

    def by_uuid(self, uid: str) -> ComponentType | None:
        return self._types_by_uuid.get(_norm_uuid(uid, ""))

    def extension(self, name_or_uuid: str) -> Extension | None:
        ext = self.extensions.get(name_or_uuid)
        if ext is None:
            try:
                ext = self._ext_by_uuid.get(_norm_uuid(name_or_uuid, ""))
            except ExtensionError:
                ext = None
        return ext

    def derived_from(self, base: str) -> list[ComponentType]:
        """Every registered type that is, or derives from, the type called ``base``."""
        base_cls = self.component_class(base)
        return [t for t in self.types.values() if issubclass(t.cls, base_cls)]

    def is_a(self, cls: type, base: str) -> bool:
        ctype = self.types.get(base)
        return ctype is not None and issubclass(cls, ctype.cls)

    def type_of(self, cls: type) -> ComponentType | None:
        for klass in cls.__mro__:
            ctype = self._by_class.get(klass)
            if ctype is not None:
                return ctype
        return None

    def unknown_type(self, name: str) -> UnknownComponentTypeError:
        hint_parts = []
        close = close_names(name, self.types)
        if close:
            hint_parts.append("did you mean " + " or ".join(f"'{c}'" for c in close) + "?")
        from .known_distributions import known  # only for hints: kept off the start-up path

        dist = known().for_type(name)
        if dist and not any(ext.distribution == dist for ext in self.extensions.values()):
            hint_parts.append(f"it may come from a distribution that is not installed: pip install {dist}")
        if not hint_parts:
            hint_parts.append("run `gxf list` to see the installed component types")
        return UnknownComponentTypeError(f"unknown component type '{name}'", hint=" ".join(hint_parts))

    def check_dependency(self, extension: str, uid: str | None, version: str | None) -> Extension:
        """The installed extension a graph's ``dependencies`` entry names; raises if missing or too old."""
        ext = self.extensions.get(extension) if extension else None
        if ext is None and uid:
            ext = self.extension(uid)
        if ext is None:
            from .known_distributions import known  # only for hints: kept off the start-up path

            dist = known().for_extension(extension)
            hint = (f"pip install {dist}" if dist else
                    f"install the Python distribution that provides extension '{extension}'"
                    + (f" ({uid})" if uid else ""))
            raise MissingExtensionError(f"the graph needs extension '{extension}', which is not installed",
                                        hint=hint)
        if uid and _norm_uuid(uid, extension) != _norm_uuid(ext.uuid, ext.name):
            raise ExtensionError(
                f"the graph needs extension '{extension}' with UUID {uid}, but the installed one "
                f"(from {_dist(ext)}) has UUID {ext.uuid}", hint="check the graph's dependencies list")
        if version:
            self._check_version(ext, extension, str(version))
        return ext

    @staticmethod
    def _check_version(ext: Extension, extension: str, version: str) -> None:
        """A dependency's version is the oldest it accepts: an installed one as new or newer satisfies it."""
        if _version_tuple(version) is None:
            raise ExtensionError(
                f"the graph's dependency on extension '{extension}' gives version '{version}', which is not "
                "a version number", hint="write the oldest version the graph needs as numbers, "
                f"MAJOR.MINOR.PATCH (the installed one is {ext.version}), or leave 'version' out")
        if _version_tuple(ext.version) is None:
            _LOGGER.warning("extension '%s' (from %s) declares version '%s', which is not a version number: "
                            "the graph's required version %s is not checked", ext.name, _dist(ext),
                            ext.version, version)
            return
        if not version_compatible(ext.version, version):
            from .known_distributions import known

            dist = ext.distribution or known().for_extension(ext.name)
            raise ExtensionError(
                f"the graph needs extension '{extension}' version {version} or later, but {ext.version} is "
                "installed", hint=f"pip install --upgrade {dist}" if dist else "install a newer version")

    def all_types(self) -> Iterable[ComponentType]:
        return self.types.values()


class ExtensionConflict(ExtensionError):
    """An extension refused because names or UUIDs it claims are held by extensions registered before it.

    ``claims`` lists (what was claimed, the extension that holds it); the message names both
    distributions of each.
    """

    def __init__(self, extension: Extension, claims: list[tuple[str, Extension]]) -> None:
        self.extension = extension
        self.claims = claims
        self.plugin = ""  # the plugin that offered the extension, once build_registry knows it
        parts = [f"{what} is already registered by extension '{holder.name}' from {_dist(holder)}"
                 for what, holder in claims]
        super().__init__(f"extension '{extension.name}' from {_dist(extension)} was not loaded: "
                         + "; ".join(parts), hint="uninstall one of the two distributions")

    def as_dict(self) -> dict:
        """The conflict as data (``gxf list --json``)."""
        ext = self.extension
        return {"extension": ext.name, "uuid": ext.uuid, "version": ext.version,
                "distribution": ext.distribution, "plugin": self.plugin,
                "claims": [{"claim": what, "held_by": {"extension": holder.name, "uuid": holder.uuid,
                                                       "distribution": holder.distribution}}
                           for what, holder in self.claims],
                "message": self.message, "hint": self.hint}


def version_compatible(installed: str, required: str) -> bool:
    """Whether the installed version satisfies a graph's required one: it is the same or newer.

    A graph's ``dependencies`` name the version it was written for; GXF's runtime does not refuse a
    newer extension, and neither does this (a newer major version included). Where either is not a
    version number, only the same text satisfies.
    """
    have, want = _version_tuple(installed), _version_tuple(required)
    if have is None or want is None:
        return installed.strip() == required.strip()
    return have >= want


def _version_tuple(text: str) -> tuple[int, ...] | None:
    parts = text.strip().split("-")[0].split("+")[0].split(".")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return None
    return tuple((numbers + [0, 0, 0])[:3])


def _distinct(*items):
    """The items that are not None, each object once (by identity), in order."""
    seen: list = []
    for item in items:
        if item is not None and not any(item is other for other in seen):
            seen.append(item)
    return seen


def _norm_uuid(value: str, what: str) -> str:
    try:
        return str(uuid_mod.UUID(str(value)))
    except ValueError:
        raise ExtensionError(f"'{value}' is not a valid UUID ({what})") from None


def _dist(ext: Extension) -> str:
    return f"distribution '{ext.distribution}'" if ext.distribution else "an unnamed source"
