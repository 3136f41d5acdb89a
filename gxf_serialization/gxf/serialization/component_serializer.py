"""ComponentSerializer: writes and reads the message components of the types it knows.

A component serializer holds one ``TypeSerializer`` per component type: the pair of functions that
write a component of that type to an endpoint and fill a fresh one from an endpoint. Entity serializers
ask each of their component serializers in turn which types they support (``is_supported``).

Third-party extensions give TypeSerializers for their own message types through the plugin hook
``gxf_component_serializers``; entity serializers use them after the serializers a graph lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from gxf.core import Component

from .file_format import SerializationError, tid_of_uuid


def type_uuid(cls: type) -> str | None:
    """The GXF UUID a component class is registered with (its nearest registered base's)."""
    for klass in cls.__mro__:
        uid = klass.__dict__.get("_gxf_uuid")
        if uid:
            return uid
    return None


class TruncatedError(SerializationError):
    """Fewer bytes were left than a component needs; the entity serializer says where."""


def read_exact(endpoint, size: int, what: str) -> bytes:
    """Exactly ``size`` bytes from ``endpoint``; TruncatedError naming ``what`` when fewer are left."""
    data = endpoint.read(size)
    if len(data) != size:
        raise TruncatedError(f"the data ends inside {what}: {size} bytes needed, {len(data)} left")
    return data


def readinto_exact(endpoint, buffer, what: str) -> None:
    """Fills ``buffer`` from ``endpoint``; TruncatedError naming ``what`` when fewer bytes are left."""
    view = memoryview(buffer).cast("B")
    size = view.nbytes
    done = 0
    while done < size:
        count = endpoint.readinto(view[done:])
        if not count:
            raise TruncatedError(f"the data ends inside {what}: {size} bytes needed, {done} left")
        done += count


class TypeSerializer:
    """How components of one type are written and read.

    ``serialize(component, endpoint) -> int`` writes the component and returns the bytes written;
    ``deserialize(component, endpoint)`` fills ``component``, a fresh instance of ``component_type``
    (made by ``factory()``, by default the type called with no arguments), from the endpoint (use ``read_exact`` so truncated data is reported).
    Types of a fixed size may also give ``pack``, ``unpack_from`` and ``size`` (a faster path for
    small messages; serialize and deserialize must do the same). ``TypeSerializer.left_out(cls)`` says that components of ``cls`` are left out of serialized
    messages on purpose (data that means nothing outside this process), as GXF leaves out every type
    it has no serializer for.
    """

    __slots__ = ("component_type", "serialize", "deserialize", "uuid", "tid", "factory", "pack", "unpack_from",
                 "size", "make")

    def __init__(self, component_type: type, serialize: Callable | None, deserialize: Callable | None,
                 factory: Callable | None = None, *, pack: Callable | None = None,
                 unpack_from: Callable | None = None, size: int | None = None, make: Callable | None = None):
        uid = component_type.__dict__.get("_gxf_uuid")
        if not uid:
            raise TypeError(f"{component_type.__qualname__} has no GXF UUID of its own: a serialized "
                            "component is found again by its type's UUID")
        self.component_type = component_type
        self.serialize = serialize
        self.deserialize = deserialize
        self.uuid = uid
        self.tid = tid_of_uuid(uid)
        self.factory = factory or component_type  # makes the fresh component deserialize fills
        # Optional fast path of a fixed-size type: pack(component) -> its ``size`` bytes, and
        # unpack_from(component, data, offset) filling it from data[offset:offset + size].
        self.pack = pack
        self.unpack_from = unpack_from
        self.size = size if pack is not None and unpack_from is not None else None
        # make(name, owner): a fresh component already named and owned (faster than factory() + setting)
        self.make = make

    @classmethod
    def left_out(cls, component_type: type) -> TypeSerializer:
        """A TypeSerializer saying components of ``component_type`` are not serialized."""
        return cls(component_type, None, None)

    def __repr__(self) -> str:
        return f"<TypeSerializer {self.component_type.type_name()} {self.uuid}>"


class ComponentSerializer(Component, type_name="nvidia::gxf::ComponentSerializer",
                          uuid="8c76a828-2177-1484-f841-d39c3fa47613", abstract=True):
    """Interface for serializing components: a table of TypeSerializers, by class and by type id."""

    _by_class: ClassVar[dict] = {}   # empty until initialize() makes the instance's own tables
    _by_tid: ClassVar[dict] = {}

    def type_serializers(self) -> list[TypeSerializer]:
        """The TypeSerializers this serializer starts with (subclasses list theirs here)."""
        return []

    def initialize(self) -> None:
        self._by_class = {}
        self._by_tid = {}
        for type_serializer in self.type_serializers():
            self.set_serializer(type_serializer)

    def set_serializer(self, type_serializer: TypeSerializer) -> None:
        """Adds (or replaces) the TypeSerializer of its component type."""
        self._by_class = {**self._by_class, type_serializer.component_type: type_serializer}
        self._by_tid = {**self._by_tid, type_serializer.tid: type_serializer}

    def clear_serializer(self, component_type: type) -> None:
        """Forgets the TypeSerializer of ``component_type``."""
        found = self._by_class.get(component_type)
        if found is not None:
            self._by_class = {k: v for k, v in self._by_class.items() if k is not component_type}
            self._by_tid = {k: v for k, v in self._by_tid.items() if v is not found}

    def tables(self) -> tuple[dict, dict]:
        """``(TypeSerializers by class, by type id)``; initializes a serializer used outside a graph."""
        if "_by_class" not in self.__dict__:
            self.initialize()
        return self._by_class, self._by_tid

    def serializer_for(self, component_type: type) -> TypeSerializer | None:
        return self._by_class.get(component_type)

    def serializer_for_tid(self, tid: tuple[int, int]) -> TypeSerializer | None:
        return self._by_tid.get(tid)

    def is_supported(self, component_type) -> bool:
        """True if components of ``component_type`` (a class, or a type id ``(hash1, hash2)``) are known."""
        if isinstance(component_type, tuple):
            return component_type in self._by_tid
        return component_type in self._by_class

    def serialize_component(self, component, endpoint) -> int:
        """Writes ``component`` to ``endpoint``; returns the bytes written."""
        found = self._by_class.get(component.__class__)
        if found is None:
            raise SerializationError(f"{self.describe_self()} cannot serialize {component.type_name()}")
        return found.serialize(component, endpoint)

    def deserialize_component(self, component, endpoint) -> None:
        """Fills ``component`` from ``endpoint``."""
        found = self._by_class.get(component.__class__)
        if found is None:
            raise SerializationError(f"{self.describe_self()} cannot deserialize {component.type_name()}")
        found.deserialize(component, endpoint)
