"""PyData: a component that carries any Python object in a message."""

from __future__ import annotations

from typing import Any

from gxf.core import Component


class PyData(Component, type_name="nvidia::gxf::PyData", uuid="890b6e9c-5bd3-11ee-8c99-0242ac120002"):
    """Carries any Python object in a message, by reference.

    ``PyData.add_to_entity(message, obj, name)`` puts ``obj`` in a message; the receiving codelet gets
    it back with ``PyData.get_from_entity(message, name)``. The object is not copied: receivers share
    it with the publisher.
    """

    def __init__(self, data: Any = None) -> None:
        super().__init__()
        self.data = data

    def set_data(self, data: Any) -> None:
        self.data = data

    def get_data(self) -> Any:
        return self.data

    @staticmethod
    def add_to_entity(entity, data: Any, name: str | None = None) -> None:
        """Adds a PyData holding ``data`` to ``entity`` (a message)."""
        entity.add(PyData(data), name or "")

    @staticmethod
    def get_from_entity(entity, name: str | None = None) -> Any:
        """The object of the PyData called ``name`` (the first PyData when None) of ``entity``."""
        for component in entity.components:
            if isinstance(component, PyData) and (name is None or component.name == name):
                return component.data
        what = f"called '{name}'" if name else "at all"
        raise ValueError(f"the message has no PyData {what}")
