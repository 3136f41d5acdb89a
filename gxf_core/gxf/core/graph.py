"""Graph: building a graph in Python instead of a graph file, then running or saving it.

A ``Graph`` is a thin layer over a ``Context``: its entities and components are the context's own,
so a graph built here runs exactly like one loaded from a file, and ``to_yaml()`` writes the graph
file that loads back into the same graph::

    from gxf.core import Entity, Graph

    g = Graph()
    clock = g.set_clock("nvidia::gxf::ManualClock", name="clock")
    g.set_scheduler("nvidia::gxf::GreedyScheduler", clock=clock, max_duration_ms=1000)
    tx = g.add(Entity("tx"))                  # or g.add_entity("tx")
    signal = tx.add("nvidia::gxf::DoubleBufferTransmitter", name="signal")
    tx.add("nvidia::gxf::PingTx", signal=signal)
    ...
    g.run()                                   # or g.run_async(); ...; g.wait()
    print(g.to_yaml())

Components are given as classes, instances or registered type names; parameters as keywords, with
components (or ``"entity/component"`` text) wherever a handle is expected. Entities are reachable as
attributes (``g.tx``) and their components too (``g.tx.signal``). The names follow GXF's Python
graph API (``Graph``, ``add``, ``run``, ``run_async``, ``wait``, ``interrupt``, ``destroy``, ``save``);
``gxf.std`` adds ``ComputeEntity`` and ``connect``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .builtin import Subgraph
from .component import Component
from .context import ACTIVE, CREATED, FINALIZED, RUNNING, Context
from .entity import Entity
from .errors import GxfError
from .loader import load_graph_file, load_graph_text
from .parameters import REQUIRED, HandleRef
from .system import System

SYSTEM_ENTITY = "_system"        # holds the clock, as in GXF's Python API
SCHEDULER_ENTITY = "_scheduler"  # holds the scheduler
INTERRUPTED_EXIT_CODE = 130


class Graph:
    """Entities and components built in Python, on a ``Context`` of their own."""

    def __init__(self, name: str = "", registry=None, context: Context | None = None):
        self.name = name
        self.context = context if context is not None else Context(registry)
        self._interrupt_requested = False

    # --- building ----------------------------------------------------------------------------------
    def add(self, node: Entity) -> Entity:
        """Adds an entity built on its own (``Entity("name")``, ``ComputeEntity(...)``) and returns it."""
        if not isinstance(node, Entity):
            raise TypeError(f"a Graph holds entities; got {node!r} (add components to an entity instead)")
        return self.context.add_entity(node)

    def add_entity(self, name: str = "") -> Entity:
        """A new, empty entity of this graph."""
        return self.context.create_entity(name)

    def entity(self, name: str) -> Entity:
        """The entity called ``name``."""
        entity = self.context.find_entity(name)
        if entity is None:
            names = ", ".join(e.name for e in self.context.entities if e.name) or "none"
            raise KeyError(f"the graph has no entity '{name}' (entities: {names})")
        return entity

    @property
    def entities(self) -> list[Entity]:
        return list(self.context.entities)

    def __getattr__(self, name: str) -> Entity:
        if name.startswith("__") or name in ("context", "name", "_interrupt_requested"):
            raise AttributeError(name)
        context = self.__dict__.get("context")
        entity = context.find_entity(name) if context is not None else None
        if entity is None:
            raise AttributeError(f"the graph has no attribute or entity '{name}'")
        return entity

    def _system_entity(self, name: str) -> Entity:
        return self.context.find_entity(name) or self.context.create_entity(name)

    def set_clock(self, clock: Component | type | str, name: str = "clock", **params: Any) -> Component:
        """Adds the graph's clock (a class, instance or type name) and returns it."""
        return self._system_entity(SYSTEM_ENTITY).add(clock, _name_of(clock, name), **params)

    def set_scheduler(self, scheduler: Component | type | str, name: str = "scheduler",
                      **params: Any) -> Component:
        """Adds the graph's scheduler; a graph has exactly one."""
        existing = next(iter(self.context.components(System)), None)
        if existing is not None:
            raise GxfError(f"the graph already has a scheduler: {existing.describe_self()}",
                           hint="a graph runs with exactly one scheduler")
        return self._system_entity(SCHEDULER_ENTITY).add(scheduler, _name_of(scheduler, name), **params)

    def load_extensions(self, *args, **kwargs) -> None:
        """Does nothing: extensions are found among the installed distributions (kept for GXF's API)."""

    # --- running -----------------------------------------------------------------------------------
    def run(self) -> None:
        """Runs the graph until its scheduler is done, then deactivates it; raises what failed."""
        self.run_async()
        self.wait()

    def run_async(self) -> None:
        """Starts running the graph; returns at once (``wait()`` for the end)."""
        self._interrupt_requested = False
        self.context.run_async()

    def wait(self) -> None:
        """Waits for the run to end and deactivates the graph; raises what failed.

        An end asked for with ``interrupt()`` is not a failure.
        """
        try:
            self.context.wait()
        except GxfError as exc:
            if not (self._interrupt_requested and getattr(exc, "exit_code", 1) == INTERRUPTED_EXIT_CODE):
                raise
        finally:
            self.context.deactivate()

    def interrupt(self) -> None:
        """Asks the running graph to stop soon."""
        self._interrupt_requested = True
        self.context.interrupt()

    def destroy(self) -> None:
        """Deactivates the graph (stops it first if it runs); safe to call more than once."""
        if self.context.state not in (CREATED, FINALIZED):
            self.context.deactivate()

    deactivate = destroy

    @property
    def running(self) -> bool:
        return self.context.state == RUNNING

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.context.state in (ACTIVE, RUNNING):
            self.context.deactivate()

    # --- graph files -------------------------------------------------------------------------------
    @classmethod
    def load(cls, paths: str | Path | Iterable[str | Path], registry=None) -> Graph:
        """A graph of the given graph file(s), loaded in order (later ones may set parameters)."""
        graph = cls(registry=registry)
        for path in [paths] if isinstance(paths, (str, Path)) else list(paths):
            load_graph_file(graph.context, path)
        return graph

    @classmethod
    def from_yaml(cls, text: str, base_dir: str | Path | None = None, registry=None) -> Graph:
        """A graph of graph-file text; relative paths in it are taken from ``base_dir``."""
        graph = cls(registry=registry)
        load_graph_text(graph.context, text, "<graph text>", Path(base_dir) if base_dir else None)
        return graph

    def to_yaml(self, path: str | Path | None = None) -> str:
        """The graph as a GXF graph file (written to ``path`` too when given).

        Loading the text gives the same entities, components and parameters; parameters still at
        their default are left out. Components that handles point to get names when they have none.
        """
        text = GraphWriter(self.context).text()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def save(self, path: str | Path) -> None:
        """Writes the graph file (GXF's name for ``to_yaml(path)``)."""
        self.to_yaml(path)

    def __repr__(self) -> str:
        return f"<Graph {self.name or '(unnamed)'} entities={len(self.context.entities)} " \
               f"state={self.context.state}>"


def _name_of(component, name: str) -> str:
    """An instance keeps the name it has; otherwise the given default is used."""
    if isinstance(component, Component) and component.name:
        return component.name
    return name


class GraphWriter:
    """Turns the entities of a context into graph-file documents."""

    def __init__(self, context: Context):
        self.context = context
        self.registry = context.registry
        self.entity_names: dict[int, str] = {}
        self.component_names: dict[int, str] = {}

    def text(self) -> str:
        entities = self._entities()
        self._name_handle_targets(entities)
        documents = [self._entity_doc(entity) for entity in entities]
        extensions = {}
        for entity in entities:
            for component in entity.components:
                ext = self._type_of(component).extension
                extensions.setdefault(ext.name, ext)
        head = [{"dependencies": [{"extension": e.name, "uuid": e.uuid, "version": e.version}
                                  for e in extensions.values()]}] if extensions else []
        groups = self._entity_groups()
        documents = head + documents + ([groups] if groups else [])
        body = yaml.safe_dump_all(documents, sort_keys=False, explicit_start=True, default_flow_style=False)
        return "%YAML 1.2\n" + body

    # --- which entities, under which names -----------------------------------------------------------
    def _entities(self) -> list[Entity]:
        """Every entity except those a Subgraph component loads (its component brings them back)."""
        prefixes = tuple(f"{e.name}." for e in self.context.entities
                         if e.name and any(isinstance(c, Subgraph) for c in e.components))
        return [e for e in self.context.entities if not (prefixes and e.name.startswith(prefixes))]

    def _name_handle_targets(self, entities: list[Entity]) -> None:
        taken = {e.name for e in entities if e.name}
        for entity in entities:
            for component in entity.components:
                for target in _components_in(self._values(component)):
                    owner = target.entity
                    if owner is None:
                        raise GxfError(f"{self._describe(component)} refers to {target!r}, which belongs "
                                       "to no entity of the graph", component.location)
                    if not owner.name and owner.eid not in self.entity_names:
                        name = _free(f"entity_{len(self.entity_names) + 1}", taken)
                        self.entity_names[owner.eid] = name
                    if not target.name and target.cid not in self.component_names:
                        names = {c.name for c in owner.components if c.name}
                        names.update(self.component_names.get(c.cid, "") for c in owner.components)
                        base = target.type_name().rpartition("::")[2] or "component"
                        self.component_names[target.cid] = _free(base, names)

    def _entity_name(self, entity: Entity) -> str:
        return entity.name or self.entity_names.get(entity.eid, "")

    def _component_name(self, component: Component) -> str:
        return component.name or self.component_names.get(component.cid, "")

    # --- documents -----------------------------------------------------------------------------------
    def _entity_doc(self, entity: Entity) -> dict:
        doc: dict[str, Any] = {}
        name = self._entity_name(entity)
        if name:
            doc["name"] = name
        components = []
        for component in entity.components:
            item: dict[str, Any] = {}
            cname = self._component_name(component)
            if cname:
                item["name"] = cname
            item["type"] = self._type_of(component).name
            params = self._params(component)
            if params:
                item["parameters"] = params
            components.append(item)
        doc["components"] = components
        return doc

    def _type_of(self, component: Component):
        ctype = self.registry.type_of(type(component))
        if ctype is None or ctype.cls is not type(component):
            raise GxfError(f"{self._describe(component)} cannot be written to a graph file: its class "
                           f"{type(component).__qualname__} is not registered by an installed extension",
                           component.location, "register the class in an extension (see `gxf list`)")
        return ctype

    def _values(self, component: Component) -> dict[str, Any]:
        values = component.yaml_params() if hasattr(component, "yaml_params") else component.param_values()
        declared = component.parameters()
        out = {}
        for key, value in values.items():
            param = declared.get(key)
            if param is not None:
                initial = param.initial_value()
                if initial is not REQUIRED and _same(value, initial):
                    continue
            out[key] = value
        return out

    def _params(self, component: Component) -> dict[str, Any]:
        return {key: self._plain(value) for key, value in self._values(component).items()}

    def _plain(self, value):
        if isinstance(value, Component):
            entity = value.entity
            return f"{self._entity_name(entity)}/{self._component_name(value)}" if entity is not None \
                else self._component_name(value)
        if isinstance(value, HandleRef):
            return value.text
        if isinstance(value, enum.Enum):
            return value.name
        if isinstance(value, dict):
            return {str(k): self._plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._plain(v) for v in value]
        if value is None or isinstance(value, bool):
            return value
        for kind in (int, float, str):
            if isinstance(value, kind):
                return kind(value)
        if isinstance(value, Path):
            return str(value)
        raise GxfError(f"cannot write the value {value!r} ({type(value).__name__}) to a graph file")

    def _entity_groups(self) -> dict | None:
        groups = self.context.entity_groups
        if not groups:
            return None
        return {"EntityGroups": [{"name": name, "target": [self._entity_name(e) for e in members]}
                                 for name, members in groups.items()]}

    @staticmethod
    def _describe(component: Component) -> str:
        return component.describe_self()


def _components_in(value) -> Iterable[Component]:
    if isinstance(value, Component):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _components_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _components_in(item)


def _same(value, initial) -> bool:
    try:
        return type(value) is type(initial) and bool(value == initial) or (value is None and initial is None)
    except Exception:  # noqa: BLE001 - values that cannot be compared are written
        return False


def _free(base: str, taken: set) -> str:
    name, index = base, 1
    while name in taken:
        index += 1
        name = f"{base}_{index}"
    taken.add(name)
    return name
