"""The runtime context: owns a graph's entities and drives finalize -> activate -> run -> deactivate.

The context knows nothing of graph files: ``gxf.core.loader`` loads them into a context through its
public methods (``create_entity``, ``find_entity``, ``resolve_handle``...).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .component import Component
from .entity import Entity
from .errors import ExecutionError, GraphFileError, GxfError, HandleError, Location, ParameterError
from .suggest import did_you_mean
from .system import System

if TYPE_CHECKING:
    from .registry import TypeRegistry

_LOGGER = logging.getLogger("gxf")

# Lifecycle states of a context, in order.
CREATED, FINALIZED, ACTIVE, RUNNING, DEACTIVATED = "created", "finalized", "active", "running", "deactivated"


class Context:
    """Holds entities and components, finds them by name or id, and runs the graph they form."""

    def __init__(self, registry: TypeRegistry | None = None):
        if registry is None:
            from .plugins import default_registry

            registry = default_registry()
        self.registry = registry
        self.entities: list[Entity] = []
        self._entities_by_name: dict[str, Entity] = {}
        self._components: dict[int, Component] = {}
        self.entity_groups: dict[str, list[Entity]] = {}
        self.graph_files: list[str] = []  # the graph files loaded into it, in order (the loader adds them)
        # GXF's app root (gxe -app_root): where relative paths inside graph files (subgraph locations,
        # codelet files, file parameters) are taken from; None: from the folder of the file naming them.
        self.app_root: Path | None = None
        self.state = CREATED
        self._initialized: list[Component] = []
        self._systems: list[System] = []
        self._lock = threading.Lock()
        # Check every component's parameters with jsonschema while loading (``gxf validate`` does);
        # otherwise the parameter types' conversion checks them and jsonschema explains refusals.
        self.strict_schema = False

    # --- entities and components -----------------------------------------------------------------
    def create_entity(self, name: str = "", location: Location | None = None) -> Entity:
        """A new graph entity; names are unique within the context."""
        if name and name in self._entities_by_name:
            other = self._entities_by_name[name]
            raise GraphFileError(f"entity '{name}' is defined twice", location,
                                 f"the first definition is at {other.location}" if other.location else None)
        self.check_mutable()
        entity = Entity(self, name, location)
        self.entities.append(entity)
        if name:
            self._entities_by_name[name] = entity
        return entity

    def add_entity(self, entity: Entity) -> Entity:
        """Adopts an entity built on its own (``Entity("name")``), with the components it has so far."""
        if entity.context is self and entity in self.entities:
            return entity
        if entity.context is not None and entity.context is not self:
            raise GxfError(f"entity '{entity.name}' already belongs to another graph")
        if entity.name and entity.name in self._entities_by_name:
            raise GxfError(f"entity '{entity.name}' is defined twice", entity.location,
                           "give each entity of a graph its own name")
        self.check_mutable()
        entity.context = self
        self.entities.append(entity)
        if entity.name:
            self._entities_by_name[entity.name] = entity
        for component in entity.components:
            component.context = self
            self.register_component(component)
        return entity

    def register_component(self, component: Component) -> None:
        """Makes a graph component findable by its id (``component(cid)``, GXF's ``X.get(context, cid)``).

        ``Entity.add`` calls it for each component added to an entity of this context; message
        entities' components are not registered.
        """
        self._components[component.cid] = component

    def find_entity(self, name: str) -> Entity | None:
        return self._entities_by_name.get(name)

    def entity(self, name: str) -> Entity:
        entity = self._entities_by_name.get(name)
        if entity is None:
            raise KeyError(f"no entity named '{name}'")
        return entity

    def component(self, cid: int) -> Component:
        """The graph component with id ``cid``."""
        try:
            return self._components[cid]
        except KeyError:
            raise HandleError(f"no component with id {cid} in this context") from None

    def find_component(self, path: str) -> Component | None:
        """The component called ``entity/component``, or None."""
        entity_name, _, name = path.partition("/")
        entity = self._entities_by_name.get(entity_name)
        return entity.find(name) if entity is not None else None

    def components(self, kind: type | None = None) -> Iterator[Component]:
        """Every graph component in entity order (of type ``kind`` if given)."""
        for entity in self.entities:
            for component in entity.components:
                if kind is None or isinstance(component, kind):
                    yield component

    def resolve_handle(self, text: str, scope: str, entity: Entity | None, location: Location | None,
                       what: str) -> Component:
        """The component a handle names: ``name`` in ``entity`` or ``entity/name`` in ``scope``."""
        entity_name, sep, name = text.partition("/")
        if not sep:
            if entity is None:
                raise HandleError(f"{what}: '{text}' must be written 'entity/component'", location)
            target = entity.find(text)
            if target is None:
                raise HandleError(f"{what}: entity '{entity.name}' has no component '{text}'", location,
                                  did_you_mean(text, [c.name for c in entity.components if c.name])
                                  or "name a component of this entity, or write 'entity/component'")
            return target
        owner = self._entities_by_name.get(scope + entity_name)
        if owner is None and scope:
            # As GXF's parameter parser: a handle in a subgraph that names no entity of the subgraph is
            # looked up without the subgraph's prefix (deprecated there: prerequisites are the way).
            owner = self._entities_by_name.get(entity_name)
            if owner is not None:
                _LOGGER.warning("%s: %s: '%s' names no entity of the subgraph ('%s'); the graph's entity "
                                "'%s' is used (pass it as a prerequisite instead)", location, what, text,
                                scope + entity_name, entity_name)
        if owner is None:
            raise HandleError(f"{what}: no entity named '{scope + entity_name}' (from '{text}')", location,
                              did_you_mean(scope + entity_name, self._entities_by_name)
                              or "check the entity name in the handle")
        target = owner.find(name)
        if target is None:
            names = [c.name for c in owner.components if c.name] + list(owner.interfaces or ())
            raise HandleError(f"{what}: entity '{owner.name}' has no component '{name}'", location,
                              did_you_mean(name, names) or f"components there: {', '.join(names) or 'none'}")
        return target

    # --- changing the graph ------------------------------------------------------------------------
    def check_mutable(self) -> None:
        """Raises GxfError unless entities may still be added (the graph is not finalized yet)."""
        if self.state not in (CREATED,):
            raise GxfError(f"the graph can no longer be changed (it is {self.state})")

    # --- lifecycle -----------------------------------------------------------------------------------
    def finalize(self, errors: list[GxfError] | None = None) -> None:
        """Lets plugins complete the graph, checks required parameters and resolves every handle.

        With ``errors`` (a list), every component is checked and each failure appended to it instead of
        the first one raised; the graph is finalized only when none was found.
        """
        if self.state != CREATED:
            return
        from .plugins import pm

        pm.hook.gxf_graph_loaded(context=self)
        found: list[GxfError] = []
        # Parameters whose value was refused already (errors the loader collected) are not missing too.
        refused = {(id(getattr(e, "component", None)), getattr(e, "param_key", None)) for e in errors or ()}
        for component in list(self.components()):
            missing = [key for key in component.missing_params() if (id(component), key) not in refused]
            if missing:
                error = ParameterError(
                    f"{component.describe_self()} is missing required parameter"
                    f"{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}",
                    component.location, f"set {missing[0]!r} under the component's 'parameters'")
                if errors is None:
                    raise error
                error.component = component
                found.append(error)
        for component in list(self.components()):
            if errors is None:
                component.resolve_handles()
                continue
            try:
                component.resolve_handles()
            except GxfError as exc:
                exc.component = component
                found.append(exc)
        if found:
            errors.extend(found)
            return
        self.state = FINALIZED

    def preflight(self, errors: list[GxfError] | None = None) -> None:
        """Calls every component's ``preflight()`` (the checks that need no resources), finalizing first.

        Raises the first failure; with ``errors`` (a list), appends every failure to it instead; a
        component with an error collected already (a refused value, a missing parameter, a handle that
        does not resolve) is not asked. ``activate()`` runs it before any component is initialized.
        """
        if self.state == CREATED:
            self.finalize(errors)
        failed = {id(getattr(error, "component", None)) for error in errors or ()}
        for component in list(self.components()):
            if id(component) in failed:
                continue
            try:
                _call(component, "preflight")
            except GxfError as exc:
                if errors is None:
                    raise
                errors.append(exc)

    def activate(self) -> None:
        """Finalizes, then initializes every component in graph order."""
        if self.state == CREATED:
            self.finalize()
        if self.state != FINALIZED:
            return
        self.preflight()
        try:
            for component in list(self.components()):
                _call(component, "initialize")
                self._initialized.append(component)
            self._systems = list(self.components(System))
            if not self._systems:
                raise GxfError("the graph has no scheduler", hint=self._no_scheduler_hint())
            for system in self._systems:
                system.prepare(self)
        except BaseException as first:
            try:
                self._deinitialize()
            except GxfError as secondary:
                # The first failure is the cause and is the one raised; the rollback's is only logged.
                _LOGGER.error("while undoing a failed activation (%s): %s", first, secondary)
            self.state = DEACTIVATED
            raise
        self.state = ACTIVE

    def _no_scheduler_hint(self) -> str:
        from .known_distributions import known  # only for this hint: kept off the start-up path

        example = "nvidia::gxf::GreedyScheduler"
        hint = f"add a scheduler component, e.g. {example}"
        dist = None if example in self.registry.types else known().for_type(example)
        return hint + (f" (not installed: pip install {dist})" if dist else "")

    def run_async(self) -> None:
        """Starts every scheduler; returns at once."""
        self.activate()
        if self.state != ACTIVE:
            raise GxfError(f"cannot run a graph that is {self.state}")
        self.state = RUNNING
        for system in self._systems:
            system.run_async()

    def wait(self) -> None:
        """Blocks until every scheduler has finished; raises the first failure."""
        failure = None
        for system in self._systems:
            try:
                system.wait()
            except BaseException as exc:  # noqa: BLE001 - every system is waited for
                failure = failure or exc
        if self.state == RUNNING:
            self.state = ACTIVE
        if failure is not None:
            raise failure

    def activate_entity(self, entity: Entity | str) -> None:
        """Brings an entity (or the entity of that name) back into the run: every System schedules it
        again and its codelets start anew. Callable from a codelet's tick or any thread."""
        entity = self._entity_arg(entity)
        for system in self._systems:
            system.activate_entity(entity)

    def deactivate_entity(self, entity: Entity | str) -> None:
        """Takes an entity out of the run: its codelets are stopped and no System schedules it until it
        is activated again."""
        entity = self._entity_arg(entity)
        for system in self._systems:
            system.deactivate_entity(entity)

    def _entity_arg(self, entity: Entity | str) -> Entity:
        if not self._systems:
            raise GxfError("entities can be activated and deactivated only once the graph is activated",
                           hint="call activate() (or run_async()) first")
        if isinstance(entity, str):
            return self.entity(entity)
        return entity

    def interrupt(self) -> None:
        """Asks every scheduler to stop soon."""
        for system in self._systems:
            system.interrupt()

    def run(self) -> None:
        """Activates (if needed), runs until done, and waits."""
        self.run_async()
        self.wait()

    def deactivate(self, after_failure: bool = False) -> None:
        """Deinitializes every initialized component, in reverse order.

        The first failure of a ``deinitialize()`` is raised and later ones are logged as errors. With
        ``after_failure`` (the run already failed, and that failure is being reported) none is raised:
        each is a consequence to mention, logged as a warning, so the cause stays the one error.
        """
        if self.state == RUNNING:
            self.interrupt()
            try:
                self.wait()
            except BaseException:  # noqa: BLE001 - tearing down regardless
                pass
        self._deinitialize(after_failure)
        self.state = DEACTIVATED

    def _deinitialize(self, after_failure: bool = False) -> None:
        failure = None
        while self._initialized:
            component = self._initialized.pop()
            try:
                _call(component, "deinitialize")
            except GxfError as exc:
                if after_failure:
                    _LOGGER.warning("while stopping after the failure: %s", exc)
                elif failure is None:
                    failure = exc
                else:
                    _LOGGER.error("%s", exc)
        if failure is not None:
            raise failure

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.state not in (CREATED, FINALIZED, DEACTIVATED):
            self.deactivate()


def _call(component: Component, method: str) -> None:
    try:
        getattr(component, method)()
    except GxfError:
        raise
    except Exception as exc:
        raise ExecutionError(f"{component.describe_self()} failed in {method}(): {type(exc).__name__}: {exc}",
                             component.location) from exc
