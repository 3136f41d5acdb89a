"""Entities: light-weight named owners of an ordered list of components.

Graph nodes and messages are both entities. A message entity is not registered with the context, so
creating one per message costs a few attribute stores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .component import Component, next_uid
from .errors import Location

if TYPE_CHECKING:
    from .context import Context


class Entity:
    """An ordered list of components under one name (which may be empty)."""

    __slots__ = ("name", "eid", "context", "components", "location", "interfaces", "__weakref__",
                 "__dict__")
    _weak_owner = False  # components of a message hold it weakly (see Component.entity)
    _registers_components = True  # the context finds graph components by id; a message's are not kept

    def __init__(self, context: Context | None = None, name: str = "",
                 location: Location | None = None):
        if isinstance(context, str):  # Entity("name"): built on its own, added to a graph later
            context, name = None, context
        self.name = name
        self.eid = next_uid()
        self.context = context
        self.components: list[Component] = []
        self.location = location
        self.interfaces: dict[str, Component] | None = None

    def add(self, component: Component | type[Component] | str, name: str = "",
            **params: Any) -> Component:
        """Adds a component (an instance, a class, or a registered type name) and returns it."""
        if isinstance(component, str):
            if self.context is None:
                raise TypeError("adding a component by type name needs an entity with a context")
            component = self.context.registry.component_class(component)()
        elif isinstance(component, type):
            component = component()
        if name:
            component.name = name
        component.entity = self
        component.context = self.context
        self.components.append(component)
        if self._registers_components and self.context is not None:
            self.context.register_component(component)
        if params:
            component.set_params(**params)
        return component

    def get(self, kind: type | None = None, name: str | None = None):
        """The first component of type ``kind`` (and ``name``, if given), or None."""
        for component in self.components:
            if (kind is None or isinstance(component, kind)) and (name is None or component.name == name):
                return component
        return None

    def find(self, name: str) -> Component | None:
        """The component called ``name``, or one exported under that interface name."""
        for component in self.components:
            if component.name == name:
                return component
        if self.interfaces:
            return self.interfaces.get(name)
        return None

    def find_all(self, kind: type | None = None) -> list:
        if kind is None:
            return list(self.components)
        return [c for c in self.components if isinstance(c, kind)]

    def __getattr__(self, name: str) -> Component:
        # Reached only when normal attribute lookup fails: components by name (``entity.signal``), as
        # GXF's Python graph API allows.
        if name.startswith("__") or name in Entity.__slots__:
            raise AttributeError(name)
        component = self.find(name)
        if component is None:
            raise AttributeError(f"entity '{self.name}' has no attribute or component '{name}'")
        return component

    def __getitem__(self, name: str) -> Component:
        component = self.find(name)
        if component is None:
            raise KeyError(f"entity '{self.name}' has no component '{name}'")
        return component

    def __iter__(self):
        return iter(self.components)

    def __len__(self) -> int:
        return len(self.components)

    def __repr__(self) -> str:
        return f"<Entity {self.name or '(unnamed)'} eid={self.eid} components={len(self.components)}>"


class MessageEntity(Entity):
    """An entity used as a message: created per publish, never registered with the context.

    ``MessageEntity(context)`` as in GXF's Python API.
    """

    __slots__ = ()
    _weak_owner = True
    _registers_components = False
