"""Graph files to entities and components (the GXF graph file format).

One file is a list of YAML documents. A document is an entity (``name``, ``components``), a
``dependencies`` list, a subgraph's ``interfaces`` or ``prerequisites``, ``EntityGroups`` or a
``start_order``. A component with a ``type`` is created; one with only a ``name`` sets parameters of a
component defined earlier (parameter files). Documents with one entity name make one entity.
Components of type ``nvidia::gxf::Subgraph`` load another file whose entities are named
``<entity>.<name>``.

Like GXF's loader, this one forgives: a parameter the component does not declare is a warning (an error
where asked, as ``gxf validate`` does), a handle written ``<Unspecified>`` stays unset, and document
keys it does not know are ignored.

``load_graph_file(context, path)`` and ``load_graph_text(context, text)`` load into a context through
its public methods; the context itself knows nothing of graph files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import log
from .errors import (GraphFileError, GxfError, Location, MissingExtensionError, ParameterError, cut_text,
                     shown, yaml_kind)
from .parameters import ConvertEnv, DictType, HandleRef, ListType, OptionalType, ParamType, ScalarType
from .suggest import did_you_mean
from .yaml_source import LocatedDict, load_documents, load_file, location_of

if TYPE_CHECKING:
    from .component import Component
    from .context import Context
    from .entity import Entity

DOCUMENT_KEYS = ("name", "components", "dependencies", "interfaces", "prerequisites", "EntityGroups",
                 "start_order")
COMPONENT_KEYS = ("name", "type", "parameters")
DEPENDENCY_KEYS = ("extension", "uuid", "version", "manifest")
SUBGRAPH_TYPE = "nvidia::gxf::Subgraph"
UNKNOWN_PARAM_POLICIES = ("warn", "error")
UNSPECIFIED_HANDLE = "<Unspecified>"  # a handle left blank by a graph editor: the parameter stays unset


@dataclass(frozen=True)
class ParamOverride:
    """``entity/component/key=value`` from the command line, applied while loading."""

    entity: str
    component: str
    key: str
    value: object

    @classmethod
    def parse(cls, text: str) -> ParamOverride:
        target, sep, value = text.partition("=")
        parts = target.split("/")
        if not sep or len(parts) != 3 or not all(parts):
            raise GraphFileError(f"parameter override {shown(text)} is not of the form "
                                 "entity/component/key=value")
        return cls(parts[0], parts[1], parts[2], _override_value(target, value))


def _override_value(target: str, value: str):
    """The YAML value of ``--param target=value``; a malformed one is a one-line error naming the argument."""
    if not value.strip():
        return ""
    where = f"--param {cut_text(target)}=..."
    try:
        documents = load_documents(value, where)
    except GraphFileError as exc:
        problem = exc.message.removeprefix("invalid YAML: ")
        raise GraphFileError(f"{where}: the value {shown(value)} is not valid YAML ({problem})") from None
    if len(documents) != 1:
        raise GraphFileError(f"{where}: the value {shown(value)} must be one YAML value, not "
                             f"{len(documents)} documents")
    return documents[0]


def as_overrides(items: Iterable[str | ParamOverride]) -> tuple[ParamOverride, ...]:
    """Overrides from ``entity/component/key=value`` strings (parsed) or ParamOverride objects."""
    return tuple(item if isinstance(item, ParamOverride) else ParamOverride.parse(item) for item in items)


def load_graph_file(context: Context, path: str | Path,
                    overrides: Iterable[str | ParamOverride] = (), unknown_params: str | None = None,
                    errors: list[GxfError] | None = None) -> None:
    """Adds the entities of one graph file to ``context`` (later files may set parameters of earlier ones).

    ``overrides`` (``entity/component/key=value`` or ParamOverride) replace parameters as they are read.
    ``unknown_params`` ("warn" or "error") says what a parameter the component does not declare is;
    by default a warning, and an error where ``context.strict_schema`` is set. With ``errors`` (a list),
    a component or parameter that fails is appended to it and loading goes on with the next one (as
    ``gxf validate`` reports every error in one pass); a file that cannot be read at all (missing, not
    YAML, not a graph file) still raises. Otherwise the first failure is raised.
    """
    context.check_mutable()
    GraphLoader(context, as_overrides(overrides), unknown_params, errors).load_file(path)
    context.graph_files.append(str(path))


def load_graph_text(context: Context, text: str, filename: str = "<string>", base_dir: Path | None = None,
                    overrides: Iterable[str | ParamOverride] = (), unknown_params: str | None = None) -> None:
    """Adds the entities of graph-file text to ``context``; ``filename`` is how errors name it.

    Relative paths in the text are taken from ``base_dir`` (default: the working folder);
    ``unknown_params`` as for ``load_graph_file``.
    """
    context.check_mutable()
    GraphLoader(context, as_overrides(overrides), unknown_params).load_text(text, filename, base_dir)


@dataclass
class _PendingParams:
    component: Component
    params: dict
    env: ConvertEnv


def _plain(value):
    """A value read from YAML without the types that carry its lines."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def folder_above(relative: str | Path, where: Location | None) -> Path | None:
    """The nearest folder above the graph file of ``where`` that holds ``relative``: graph files written
    for a tree's root (as GXF's own are, run with ``-app_root``) name paths from there."""
    filename = getattr(where, "file", None)
    if not filename or Path(relative).is_absolute():
        return None
    for folder in Path(filename).resolve().parents:
        if (folder / relative).exists():
            return folder
    return None


def app_root_hint(relative: str, where: Location | None, app_root: Path | None, what: str) -> str:
    """The hint for a relative path of a graph file that was not found: where it is taken from, and the
    --app-root that finds it where a folder above the graph file holds it."""
    if app_root is not None:
        return f"{what} is taken relative to the app root {app_root}"
    hint = f"{what} is taken relative to the file that names it (or to --app-root when given)"
    found = folder_above(relative, where)
    return f"{hint}; it is found under {found}: run with --app-root {found}" if found else hint


class GraphLoader:
    """Loads graph files into a context. One loader serves one ``load`` call and its subgraphs."""

    def __init__(self, context: Context, overrides: tuple[ParamOverride, ...] = (),
                 unknown_params: str | None = None, errors: list[GxfError] | None = None):
        self.context = context
        self.errors = errors  # where failures are collected, or None to raise the first
        self.overrides = overrides
        # A parameter the component does not declare: "warn" (ignored, as GXF's loader does) or
        # "error"; by default an error only where the context checks schemas strictly (gxf validate).
        if unknown_params is None:
            unknown_params = "error" if context.strict_schema else "warn"
        if unknown_params not in UNKNOWN_PARAM_POLICIES:
            raise ValueError(f"unknown_params must be one of {UNKNOWN_PARAM_POLICIES}, "
                             f"not {unknown_params!r}")
        self.unknown_params = unknown_params
        # The files being loaded, outermost first, each with the Subgraph component that named it.
        self._chain: list[tuple[Path, Location | None]] = []

    @contextlib.contextmanager
    def _collecting(self) -> Iterator[None]:
        """Where errors are collected, a GxfError inside the block is noted and the block left."""
        if self.errors is None:
            yield
            return
        try:
            yield
        except GxfError as exc:
            self.errors.append(exc)

    # --- entry points ------------------------------------------------------------------------------
    def load_file(self, path: str | Path) -> None:
        path = Path(path)
        root = self.context.app_root
        if root is not None and not path.is_absolute() and not path.exists() and (root / path).exists():
            path = root / path  # as GXF takes an application's file from its app root
        self._chain = [(path.resolve(), None)]
        self._load(_graph_documents(path), str(path), self._base_of(path), prefix="", parent=None,
                   prerequisites=None)

    def _base_of(self, path: Path) -> Path:
        """Where relative paths inside the graph file ``path`` are taken from: the app root if the
        context has one (GXF's ``-app_root``), else the file's own folder."""
        return self.context.app_root or path.resolve().parent

    def load_text(self, text: str, filename: str = "<string>", base_dir: Path | None = None) -> None:
        self._load(load_documents(text, filename), filename, base_dir or Path.cwd(), prefix="",
                   parent=None, prerequisites=None)

    # --- one file ----------------------------------------------------------------------------------
    def _load(self, documents: list, filename: str, base_dir: Path, prefix: str, parent: Entity | None,
              prerequisites: dict | None) -> None:
        scope = f"{prefix}." if prefix else ""
        pending: list[_PendingParams] = []
        subgraphs: list[tuple[Entity, dict, ConvertEnv]] = []
        late: list[tuple[Entity, dict, ConvertEnv]] = []
        docs = []
        for index, doc in enumerate(documents):
            if doc is None:
                continue
            if not isinstance(doc, dict):
                raise GraphFileError(
                    f"not a graph file: document {index + 1} is a {yaml_kind(doc)}, not a mapping",
                    location_of(doc, Location(filename)),
                    "each '---' document is a mapping with 'name' and 'components' (or 'dependencies')")
            self._check_document_keys(doc)
            docs.append(doc)

        for doc in docs:
            if "dependencies" in doc:
                self._check_dependencies(doc["dependencies"], doc.key_location("dependencies"))

        ordered = self._apply_start_order(docs, scope)
        # Documents naming one entity, in this file or an earlier one, add to it (as GXF's loader
        # finds or creates the entity of each document).
        for doc in ordered:
            if "components" not in doc:
                continue
            name = doc.get("name")
            if name is not None and not isinstance(name, str):
                raise GraphFileError(f"entity name must be a string, got {shown(name)}",
                                     doc.key_location("name"))
            entity = self._find_or_create_entity(scope + name if name else "", doc.location)
            components = doc["components"]
            if components is None:
                continue
            if not isinstance(components, list):
                raise GraphFileError("'components' must be a list of components",
                                     doc.key_location("components"),
                                     "start each component with '- name: ...' or '- type: ...'")
            for item_index, comp in enumerate(components):
                with self._collecting():
                    where = components.item_location(item_index)
                    if not isinstance(comp, dict):
                        raise GraphFileError("a component must be a mapping with 'type', 'name' and "
                                             "'parameters'", where)
                    self._check_keys(comp, COMPONENT_KEYS, "a component")
                    env = ConvertEnv(location=comp.location, base_dir=base_dir, scope=scope)
                    if self._names_a_later_interface(entity, comp):
                        # A parameter of a subgraph's interface: found once the subgraph is loaded.
                        late.append((entity, comp, env))
                        continue
                    component = self._component_for(entity, comp)
                    params = self._params_of(entity, comp, component)
                    if component.type_name() == SUBGRAPH_TYPE:
                        subgraphs.append((component, params, env))
                    else:
                        pending.append(_PendingParams(component, params, env))

        for doc in docs:
            if "prerequisites" in doc:
                self._add_prerequisites(doc, scope, parent, prerequisites)

        for component, params, env in subgraphs:
            with self._collecting():
                self._set_params(component, params, env)
                self._load_subgraph(component, env)

        for doc in docs:
            if "interfaces" in doc:
                with self._collecting():
                    self._add_interfaces(doc, scope, parent)

        for entity, comp, env in late:
            with self._collecting():
                component = self._component_for(entity, comp)
                pending.append(_PendingParams(component, self._params_of(entity, comp, component), env))

        for item in pending:
            with self._collecting():
                self._set_params(item.component, item.params, item.env)

        for doc in docs:
            if "EntityGroups" in doc:
                self._add_entity_groups(doc, scope)

    # --- pieces ------------------------------------------------------------------------------------
    def _params_of(self, entity: Entity, comp: dict, component: Component) -> dict:
        """The ``parameters`` mapping of a component item (an empty located one when absent)."""
        params = comp.get("parameters")
        if params is None:
            params = LocatedDict()
            params.location, params.key_lines = comp.location, {}
        if not isinstance(params, dict):
            raise GraphFileError("'parameters' must be a mapping of parameter names to values",
                                 comp.key_location("parameters"))
        return self._with_overrides(entity, comp, params, component)

    @staticmethod
    def _names_a_later_interface(entity: Entity, comp: dict) -> bool:
        """True for ``- name: x`` (no type) that names nothing of ``entity`` yet while the entity holds a
        Subgraph: ``x`` may be an interface the subgraph exports once loaded (as in GXF, a parent sets
        parameters of a subgraph's components through its interface names)."""
        name = comp.get("name")
        if comp.get("type") is not None or not isinstance(name, str) or not name:
            return False
        if entity.find(name) is not None:
            return False
        return any(c.type_name() == SUBGRAPH_TYPE for c in entity.components)

    @staticmethod
    def _check_keys(mapping: dict, allowed: tuple[str, ...], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed) or f"allowed keys: {', '.join(allowed)}"
                raise GraphFileError(f"unknown key '{key}' in {what}", mapping.key_location(key), hint)

    @staticmethod
    def _check_document_keys(doc: dict) -> None:
        """Other keys of a document (tools write some, e.g. ``ui_property``) are ignored, as GXF does.

        A key that is a near miss of a known one ('component') is an error: ignoring it would drop
        what it holds.
        """
        for key in doc:
            if key in DOCUMENT_KEYS:
                continue
            hint = did_you_mean(str(key), DOCUMENT_KEYS)
            if hint:
                raise GraphFileError(f"unknown key '{key}' in a graph document", doc.key_location(key), hint)
            log.logger.debug("%s: key '%s' of a graph document is not a GXF key; ignored",
                             doc.key_location(key), cut_text(str(key)))

    def _check_dependencies(self, deps, where: Location) -> None:
        if deps is None:
            return
        if not isinstance(deps, list):
            raise GraphFileError("'dependencies' must be a list of {extension, uuid, version}", where)
        for index, dep in enumerate(deps):
            dep_where = deps.item_location(index)
            if not isinstance(dep, dict) or "extension" not in dep:
                raise GraphFileError("a dependency needs at least 'extension' (and 'uuid', 'version')",
                                     dep_where)
            self._check_keys(dep, DEPENDENCY_KEYS, "a dependency")
            try:
                self.context.registry.check_dependency(
                    str(dep["extension"]), str(dep["uuid"]) if dep.get("uuid") else None,
                    str(dep["version"]) if dep.get("version") is not None else None)
            except MissingExtensionError as exc:
                exc.location = exc.location or dep_where
                if self.unknown_params == "error":
                    raise
                # GXF's loader does not read 'dependencies': a graph naming an extension it never uses
                # still runs there. Here it runs too, warned; a component of that extension is then an
                # unknown type, an error with the same hint.
                log.logger.warning("%s (the graph goes on: only its components would be missing)\n  hint: %s",
                                   f"{exc.location}: {exc.message}", exc.hint)
            except GxfError as exc:
                exc.location = exc.location or dep_where
                raise

    def _apply_start_order(self, docs: list, scope: str) -> list:
        orders = [doc for doc in docs if "start_order" in doc]
        if not orders:
            return docs
        if len(orders) > 1:
            raise GraphFileError("'start_order' is given more than once",
                                 orders[1].key_location("start_order"))
        order = orders[0]["start_order"]
        if not isinstance(order, list):
            raise GraphFileError("'start_order' must be a list of entity names",
                                 orders[0].key_location("start_order"))
        by_name: dict = {}
        for doc in docs:
            if doc.get("name"):
                by_name.setdefault(doc.get("name"), []).append(doc)
        first = []
        for name in order:
            if name not in by_name:
                raise GraphFileError(f"'start_order' names entity '{name}', which this file does not define",
                                     orders[0].key_location("start_order"))
            first.extend(doc for doc in by_name[name] if doc not in first)
        return first + [doc for doc in docs if doc not in first]

    def _find_or_create_entity(self, name: str, where: Location) -> Entity:
        if name:
            entity = self.context.find_entity(name)
            if entity is not None:
                return entity
        return self.context.create_entity(name, location=where)

    def _component_for(self, entity: Entity, comp: dict) -> Component:
        type_name = comp.get("type")
        name = comp.get("name")
        if name is not None and not isinstance(name, str):
            name = str(name)
        if type_name is not None:
            if not isinstance(type_name, str):
                raise GraphFileError(f"component type must be a string, got {shown(type_name)}",
                                     comp.key_location("type"))
            first = next((c for c in entity.components if name and c.name == name), None)
            if first is not None:
                at = f" (defined at {first.location})" if first.location else ""
                raise GraphFileError(
                    f"entity '{entity.name}' already has a component named '{name}'{at}",
                    comp.key_location("name"),
                    "give the component another name, or drop 'type' to set parameters of the existing one")
            try:
                cls = self.context.registry.component_class(type_name)
            except GxfError as exc:
                exc.location = comp.key_location("type")
                raise
            if cls.__dict__.get("_gxf_abstract"):
                raise GraphFileError(f"'{type_name}' is an abstract base type and cannot be created",
                                     comp.key_location("type"),
                                     f"use a concrete type: `gxf describe {type_name}` lists derived types")
            component = entity.add(cls, name or "")
            component.location = comp.location
            return component
        if not name:
            raise GraphFileError("a component needs a 'type' (to create it) or a 'name' (to set "
                                 "parameters of an existing one)", comp.location)
        existing = entity.find(name)  # a component of the entity, or an interface its subgraph exports
        if existing is None:
            raise GraphFileError(
                f"entity '{entity.name}' has no component '{name}' to set parameters on",
                comp.key_location("name"),
                "add 'type' to create the component, or load the file that defines it first")
        return existing

    def _with_overrides(self, entity: Entity, comp: dict, params: dict, component: Component) -> dict:
        if not self.overrides:
            return params
        for ov in self.overrides:
            if ov.entity == entity.name and ov.component in (comp.get("name"), comp.get("type")):
                declared = type(component).parameters()
                if ov.key not in declared:  # typed on the command line: always an error
                    raise ParameterError(
                        f"--param {ov.entity}/{ov.component}/{ov.key}: {component.describe_self()} has "
                        f"no parameter '{ov.key}'",
                        hint=did_you_mean(ov.key, declared) or f"`gxf describe {component.type_name()}` "
                                                              "lists its parameters")
                params[ov.key] = ov.value
        return params

    def _set_params(self, component: Component, params: dict, env: ConvertEnv) -> None:
        from .schema import check_known_keys, validate_params  # not needed by `import gxf.core`

        params = self._drop_unknown(component, params, check_known_keys)
        params = _drop_unspecified_handles(component, params)
        if self.errors is not None:  # every parameter checked on its own, each failure collected
            for key in params:
                try:
                    self.errors, collected = None, self.errors
                    self._set_params(component, _only(params, key) if isinstance(params, LocatedDict)
                                     else {key: params[key]}, env)
                except GxfError as exc:
                    # Marked, so that the parameter is not reported missing as well.
                    exc.component, exc.param_key = component, key
                    collected.append(exc)
                finally:
                    self.errors = collected
            return
        if self.context.strict_schema:
            validate_params(component, _quoted_scalars_read(component, params, env))
        else:
            check_known_keys(component, params)
        for key, value in params.items():
            key_env = ConvertEnv(location=params.key_location(key) if isinstance(params, LocatedDict)
                                 else env.location, base_dir=env.base_dir, scope=env.scope)
            try:
                component.set_param(key, value, key_env)
            except ParameterError:
                # The schema's account of the error, when it has one.
                validate_params(component, _quoted_scalars_read(component, params, env))
                raise

    def _drop_unknown(self, component: Component, params: dict, check_known_keys) -> dict:
        """``params`` less the keys ``component`` does not declare, each warned about (as GXF does).

        Where unknown parameters are errors (``gxf validate`` without ``--lenient``), the first one
        is raised instead.
        """
        declared = type(component).parameters()
        unknown = [key for key in params if key not in declared]
        if not unknown:
            return params
        if self.unknown_params == "error":
            if self.errors is not None:
                for key in unknown:
                    with self._collecting():
                        check_known_keys(component, _only(params, key) if isinstance(params, LocatedDict)
                                         else {key: None})
                return _without(params, unknown, component)
            check_known_keys(component, params)
        for key in unknown:
            try:
                check_known_keys(component, {key: None} if not isinstance(params, LocatedDict)
                                 else _only(params, key))
            except ParameterError as exc:
                exc.message = f"Using unregistered parameter '{key}' of {component.describe_self()} " \
                              "(kept unchecked; the component does not use it)"
                log.logger.warning("%s", exc)
            component.keep_unregistered(key, _plain(params[key]))
        return _without(params, unknown, component)

    def _resolve_in_scope(self, text: str, scope: str, where: Location, what: str) -> Component:
        if not isinstance(text, str) or "/" not in text:
            raise GraphFileError(f"{what} '{text}' must be written 'entity/component'", where)
        return self.context.resolve_handle(text, scope, None, where, what)

    def _add_prerequisites(self, doc: dict, scope: str, parent: Entity | None,
                           provided: dict | None) -> None:
        names = doc["prerequisites"] or []
        if not isinstance(names, list):
            raise GraphFileError("'prerequisites' must be a list of names", doc.key_location("prerequisites"))
        holder = self._find_or_create_entity(scope + "prerequisites", doc.location)
        holder.interfaces = holder.interfaces or {}
        provided = provided or {}
        for name in names:
            if name not in provided:
                raise GraphFileError(
                    f"subgraph prerequisite '{name}' is not provided", doc.key_location("prerequisites"),
                    f"set prerequisites: {{{name}: entity/component}} on the Subgraph component that loads "
                    "this file")
            ref: HandleRef = provided[name]
            holder.interfaces[name] = self._resolve_in_scope(
                ref.text, ref.scope, ref.location or doc.location, f"prerequisite '{name}'")

    def _load_subgraph(self, component: Component, env: ConvertEnv) -> None:
        """Loads the file(s) a Subgraph names, once it has a ``location``.

        Without one yet, a later parameter file may give it (``- name: <the Subgraph>`` with
        ``location``), as GXF loads the subgraph when its location is set; a Subgraph that never gets
        one is reported with the missing parameters. A Subgraph is loaded once: a second location is
        ignored with a warning, as in GXF.
        """
        entity = component.entity
        if not component.is_param_set("location"):
            return
        if getattr(component, "loaded", False):
            log.logger.warning("%s: %s is loaded already; its new location is ignored",
                               env.location, component.describe_self())
            return
        component.loaded = True
        locations = str(component.get_param("location"))
        provided = {name: HandleRef(text, env.scope, env.location)
                    for name, text in (component.get_param("prerequisites") or {}).items()}
        base = env.base_dir or Path.cwd()
        for part in [p.strip() for p in locations.split(",") if p.strip()]:
            path = Path(part) if Path(part).is_absolute() else base / part
            if not path.exists() and Path(part).exists():
                path = Path(part)
            resolved = path.resolve()
            if any(resolved == loading for loading, _ in self._chain):
                raise GraphFileError(
                    f"subgraph '{part}' includes itself: {self._chain_text(resolved, env.location)}",
                    env.location, "a subgraph cannot load a file that is loading it; break the loop")
            try:
                documents = _graph_documents(path)
            except GraphFileError as exc:
                inner = f"{exc.location}: {exc.message}" if exc.location else exc.message
                raise GraphFileError(f"cannot load subgraph '{part}': {inner}", env.location,
                                     app_root_hint(part, env.location, self.context.app_root,
                                                   "'location'")) from None
            self._chain.append((resolved, env.location))
            try:
                self._load(documents, str(path), self._base_of(path), prefix=entity.name, parent=entity,
                           prerequisites=provided)
            finally:
                self._chain.pop()
        for iname, values in (component.get_param("override_params") or {}).items():
            target = entity.find(iname)
            if target is None:
                raise ParameterError(f"override_params names '{iname}', which the subgraph does not "
                                     "export as an interface", env.location)
            self._set_params(target, values if isinstance(values, LocatedDict) else _located(values, env),
                             ConvertEnv(env.location, env.base_dir, f"{entity.name}."))

    def _chain_text(self, again: Path, where: Location | None) -> str:
        """The loop of files, as 'a.yaml -> (a.yaml:7) b.yaml -> (b.yaml:3) a.yaml'."""
        start = next(index for index, (path, _) in enumerate(self._chain) if path == again)
        steps = [str(path) if named_at is None or index == start else f"({named_at}) {path}"
                 for index, (path, named_at) in enumerate(self._chain) if index >= start]
        return " -> ".join(steps + [f"({where}) {again}"])

    def _add_interfaces(self, doc: dict, scope: str, parent: Entity | None) -> None:
        items = doc["interfaces"] or []
        if not isinstance(items, list):
            raise GraphFileError("'interfaces' must be a list of {name, target}",
                                 doc.key_location("interfaces"))
        if parent is None:
            return  # a subgraph file loaded on its own: its interfaces have no parent to attach to
        parent.interfaces = parent.interfaces or {}
        for index, item in enumerate(items):
            where = items.item_location(index)
            if not isinstance(item, dict) or "name" not in item or "target" not in item:
                raise GraphFileError("an interface needs 'name' and 'target' (entity/component)", where)
            parent.interfaces[str(item["name"])] = self._resolve_in_scope(
                item["target"], scope, where, f"interface '{item['name']}'")

    def _add_entity_groups(self, doc: dict, scope: str) -> None:
        groups = doc["EntityGroups"] or []
        if not isinstance(groups, list):
            raise GraphFileError("'EntityGroups' must be a list of {name, target}",
                                 doc.key_location("EntityGroups"))
        for index, group in enumerate(groups):
            where = groups.item_location(index)
            if not (isinstance(group, dict) and "name" in group and isinstance(group.get("target"), list)):
                raise GraphFileError("an entity group needs 'name' and 'target' (a list of entity names)",
                                     where)
            members = []
            for name in group["target"]:
                entity = self.context.find_entity(scope + str(name))
                if entity is None:
                    raise GraphFileError(f"entity group '{group['name']}' names unknown entity '{name}'",
                                         where)
                members.append(entity)
            self.context.entity_groups.setdefault(str(group["name"]), []).extend(members)


def _graph_documents(path: Path) -> list:
    """The documents of a graph file; a file without any (empty, or only comments) is an error."""
    documents = load_file(path)
    if all(doc is None for doc in documents):
        raise GraphFileError("the graph file is empty: it holds no YAML document (only blank lines or "
                             "comments)", Location(str(path)),
                             "a graph file holds documents separated by '---', each an entity with "
                             "'name' and 'components'")
    return documents


def _drop_unspecified_handles(component: Component, params: dict) -> dict:
    """``params`` less the handle parameters written ``<Unspecified>`` (a graph editor's placeholder).

    Such a handle stays unset, as if not written: a required one is then reported as missing.
    """
    declared = type(component).parameters()
    blank = [key for key, value in params.items()
             if value == UNSPECIFIED_HANDLE and declared[key].ptype.has_handles]
    if not blank:
        return params
    for key in blank:
        log.logger.debug("%s: handle '%s' of %s is %s; left unset", _key_location(params, key, component),
                         key, component.describe_self(), UNSPECIFIED_HANDLE)
    return _without(params, blank, component)


def _key_location(params: dict, key, component: Component) -> Location | None:
    return params.key_location(key) if isinstance(params, LocatedDict) else component.location


def _without(params: dict, keys: list, component: Component) -> LocatedDict:
    """A located copy of ``params`` without ``keys``."""
    kept = LocatedDict((key, value) for key, value in params.items() if key not in keys)
    kept.location = getattr(params, "location", component.location)
    kept.key_lines = {k: line for k, line in getattr(params, "key_lines", {}).items() if k in kept}
    return kept


def _quoted_scalars_read(component: Component, params: dict, env: ConvertEnv) -> dict:
    """``params`` with a quoted 'True' or '1' of a bool, int or float parameter read as that type.

    The parameter conversion accepts them (as GXF's YAML reader does); the JSON Schema, which says what
    a graph should write, would not.
    """
    declared = type(component).parameters()
    view = None
    for key, value in params.items():
        converted = _read_quoted(declared[key].ptype, value, env)
        if converted is value:
            continue
        if view is None:
            view = LocatedDict(params)
            view.location = getattr(params, "location", component.location)
            view.key_lines = getattr(params, "key_lines", {})
        view[key] = converted
    return params if view is None else view


def _read_quoted(ptype: ParamType, value, env: ConvertEnv):
    """``value`` with each quoted bool/int/float scalar (at any depth: '1' in a list of ints, 'True' in a
    mapping of bools) read as that type, as the conversion reads it; ``value`` itself when none is."""
    if isinstance(ptype, OptionalType):
        return value if value is None else _read_quoted(ptype.inner, value, env)
    if isinstance(ptype, ScalarType):
        if not isinstance(value, str) or ptype.py_type is str:
            return value
        try:
            return ptype.convert(value, env)
        except ValueError:
            return value
    if isinstance(ptype, ListType) and isinstance(value, list):
        items = [_read_quoted(ptype.item, item, env) for item in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    if isinstance(ptype, DictType) and isinstance(value, dict):
        items = {k: _read_quoted(ptype.value_type, v, env) for k, v in value.items()}
        return value if all(items[k] is v for k, v in value.items()) else items
    return value


def _only(params: LocatedDict, key) -> LocatedDict:
    """The one-key part of ``params``, still located."""
    part = LocatedDict({key: params[key]})
    part.location, part.key_lines = params.location, {key: params.key_lines.get(key, params.location.line)}
    return part


def _located(values, env: ConvertEnv) -> LocatedDict:
    out = LocatedDict(values or {})
    out.location = env.location or Location("<override>")
    out.key_lines = {}
    return out
