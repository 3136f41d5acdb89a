"""StdEntitySerializer: a message as GXF 5.7's StdEntitySerializer writes it.

``| EntityHeader | ComponentHeader | name | component bytes | ComponentHeader | ... |`` (see
``file_format``). Components are written in the order of the message; each one's serializer is the
first of ``component_serializers`` that supports its type, then the TypeSerializers extensions register
through the ``gxf_component_serializers`` hook.

Unlike GXF, which leaves out a component it has no serializer for with a warning, a component of a type
nobody can serialize is an error naming the type and its extension: a recording silently missing data
is worse than none. Types left out on purpose are declared so (``TypeSerializer.left_out``).
"""

from __future__ import annotations

import struct

from gxf.core import Handle, MessageEntity, Parameter, plugins

from .component_serializer import ComponentSerializer, TruncatedError, type_uuid
from .entity_serializer import EntitySerializer
from .file_format import (COMPONENT_HEADER, ENTITY_HEADER, MAX_COMPONENTS, MAX_NAME_SIZE, TID,
                          CorruptEntityError, SerializationError, UnknownTypeError, uuid_of_tid)
from .registered_serializers import registered_type_serializers

_ENTITY_HEADER_SIZE = ENTITY_HEADER.size
_COMPONENT_HEADER_SIZE = COMPONENT_HEADER.size
_pack_entity_header = ENTITY_HEADER.pack
_unpack_entity_header = ENTITY_HEADER.unpack
_unpack_component_header = COMPONENT_HEADER.unpack
_LEFT_OUT = object()


def _truncated(what: str, size: int, data: bytes) -> TruncatedError:
    return TruncatedError(f"the data ends inside {what}: {size} bytes needed, {len(data)} left")


def _component_header(headers: dict, name: str, tid: bytes) -> bytes:
    """The component header (and name) of ``name``, made once and kept in ``headers``."""
    encoded = name.encode("utf-8")
    header = headers[name] = b"\0" * 8 + tid + len(encoded).to_bytes(8, "little") + encoded
    return header


class StdEntitySerializer(EntitySerializer, type_name="nvidia::gxf::StdEntitySerializer",
                          uuid="be82d2fa-52f5-3687-84d3-e4999125a09b"):
    """Serializes entities for sharing data between GXF applications (GXF's byte layout)."""

    component_serializers = Parameter(list[Handle(ComponentSerializer)],
                                      description="Serializers for the components, asked in this order")
    verbose_warning = Parameter(bool, True, "Warn when a message's sequence number is not the one "
                                "expected (messages were lost or reordered)")

    def initialize(self) -> None:
        self.outgoing_sequence_number = 0
        self.incoming_sequence_number = 0
        self._writers: dict = {}   # class -> (serialize, {name: header bytes}, tid bytes) or _LEFT_OUT
        self._readers: dict = {}   # (hash1, hash2) -> TypeSerializer
        self._registered = None

    # --- finding serializers ----------------------------------------------------------------------
    def _candidates(self):
        yield from self.component_serializers or ()
        if self._registered is None:
            self._registered = registered_type_serializers()
        yield from self._registered

    @staticmethod
    def _table_of(serializer):
        """``(by class, by tid)`` of a ComponentSerializer, initializing one used outside a graph."""
        if isinstance(serializer, ComponentSerializer):
            return serializer.tables()
        return {serializer.component_type: serializer}, {serializer.tid: serializer}

    def _writer_for(self, component):
        cls = component.__class__
        for candidate in self._candidates():
            by_class, _ = self._table_of(candidate)
            found = by_class.get(cls)
            if found is not None:
                if found.serialize is None:
                    entry = _LEFT_OUT
                else:
                    entry = (found.serialize, {}, TID.pack(*found.tid), found.pack)
                self._writers[cls] = entry
                return entry
        raise self._no_serializer(component)

    def _no_serializer(self, component) -> SerializationError:
        cls = component.__class__
        ctype = self._registry().type_of(cls)
        if ctype is not None and ctype.cls is cls:
            ext = ctype.extension
            origin = f"of extension {ext.name}" + (f" (distribution {ext.distribution})"
                                                   if ext.distribution else "")
        else:
            origin = "registered by no extension"
        name = f"'{component.name}'" if component.name else "(unnamed)"
        return SerializationError(
            f"{self.describe_self()}: component {name} of the message has type {cls.type_name()} "
            f"({type_uuid(cls) or 'no UUID'}), {origin}, and no serializer can write it",
            self.location,
            "add a ComponentSerializer for that type to component_serializers, or have its extension "
            "register a TypeSerializer through the gxf_component_serializers hook "
            "(TypeSerializer.left_out(type) to leave it out of serialized messages)")

    def _reader_for(self, tid):
        for candidate in self._candidates():
            _, by_tid = self._table_of(candidate)
            found = by_tid.get(tid)
            if found is not None and found.deserialize is not None:
                self._readers[tid] = found
                return found
        return None

    # --- writing ----------------------------------------------------------------------------------
    def serialize_entity(self, entity, endpoint) -> int:
        # Fast path: every component of a fixed-size type; the entity is written in one piece.
        writers = self._writers
        parts = [b""]
        append = parts.append
        count = 0
        for component in entity.components:
            entry = writers.get(component.__class__)
            if entry is None:
                entry = self._writer_for(component)
            if entry is _LEFT_OUT:
                continue
            pack = entry[3]
            if pack is None:
                return self._serialize_pieces(entity, endpoint)
            name = component.name
            header = entry[1].get(name)
            if header is None:
                header = _component_header(entry[1], name, entry[2])
            append(header)
            append(pack(component))
            count += 1
        sequence = self.outgoing_sequence_number
        self.outgoing_sequence_number = sequence + 1
        parts[0] = _pack_entity_header(0, 0, sequence, 0, count, 0)
        data = b"".join(parts)
        endpoint.write(data)
        return len(data)

    def _serialize_pieces(self, entity, endpoint) -> int:
        """The general path: each component's serializer writes to the endpoint itself."""
        writers = self._writers
        entries = []
        for component in entity.components:
            entry = writers.get(component.__class__)
            if entry is None:
                entry = self._writer_for(component)
            if entry is not _LEFT_OUT:
                entries.append((component, entry))
        sequence = self.outgoing_sequence_number
        self.outgoing_sequence_number = sequence + 1
        write = endpoint.write
        write(_pack_entity_header(0, 0, sequence, 0, len(entries), 0))
        size = _ENTITY_HEADER_SIZE
        for component, (serialize, headers, tid, _) in entries:
            name = component.name
            header = headers.get(name)
            if header is None:
                header = _component_header(headers, name, tid)
            write(header)
            size += len(header) + serialize(component, endpoint)
        return size

    # --- reading ----------------------------------------------------------------------------------
    def deserialize_entity(self, endpoint, context=None, entity_number: int | None = None) -> MessageEntity:
        message = MessageEntity(context if context is not None else self.context)
        self.deserialize_entity_into(message, endpoint, entity_number)
        return message

    def deserialize_entity_into(self, entity, endpoint, entity_number: int | None = None,
                                spans: list | None = None) -> None:
        """Reads one entity into ``entity``; ``spans``, when given, gets ``(component, start, end)`` byte
        positions of each component (header and name included)."""
        start = endpoint.tell()
        try:
            self._read_entity(entity, endpoint, spans)
        except TruncatedError as exc:
            raise CorruptEntityError(f"truncated: {exc.message} (stopped at byte {endpoint.tell()})",
                                     entity_number, start,
                                     "the file was cut short (a recording stopped mid-write?); "
                                     "`gxf recording check` finds the last good entity") from None
        except (struct.error, ValueError, TypeError, OverflowError) as exc:
            raise CorruptEntityError(f"unreadable: {type(exc).__name__}: {exc} (at byte {endpoint.tell()})",
                                     entity_number, start) from None
        except CorruptEntityError as exc:
            if exc.entity is None and exc.offset is None:
                raise type(exc)(f"{exc.message} (at byte {endpoint.tell()})", entity_number, start,
                                exc.hint) from None
            raise

    def _read_entity(self, entity, endpoint, spans) -> None:
        reader = getattr(endpoint, "reader", None)   # any object with read() will do as an endpoint
        read = reader() if reader is not None else endpoint.read
        data = read(_ENTITY_HEADER_SIZE)
        if len(data) != _ENTITY_HEADER_SIZE:
            raise _truncated("an entity header", _ENTITY_HEADER_SIZE, data)
        fields = _unpack_entity_header(data)
        sequence, count = fields[2], fields[4]
        if count > MAX_COMPONENTS:
            raise CorruptEntityError(f"the entity header claims {count} components (at most "
                                     f"{MAX_COMPONENTS}): these bytes are no entity header")
        expected = self.incoming_sequence_number
        if sequence != expected and self.verbose_warning:
            self.logger.warning("Got message %d but expected message %d", sequence, expected)
        self.incoming_sequence_number = sequence + 1
        readers = self._readers
        components = entity.components
        context = entity.context
        for index in range(count):
            if spans is not None:
                first = endpoint.tell()
            data = read(_COMPONENT_HEADER_SIZE)
            if len(data) != _COMPONENT_HEADER_SIZE:
                raise _truncated(f"the header of component {index}", _COMPONENT_HEADER_SIZE, data)
            _, hash1, hash2, name_size = _unpack_component_header(data)
            if name_size > MAX_NAME_SIZE:
                raise CorruptEntityError(f"component {index} claims a name of {name_size} bytes: these "
                                         "bytes are no component header")
            tid = (hash1, hash2)
            reader = readers.get(tid)
            if reader is None:
                reader = self._reader_for(tid)
                if reader is None:
                    raise self._unknown_type(index, tid)
            size = reader.size
            if size is not None:   # name and value in one read
                wanted = name_size + size
                data = read(wanted)
                if len(data) != wanted:
                    raise _truncated(f"the name and {reader.component_type.type_name()} value of component "
                                     f"{index}", wanted, data)
                raw = data[:name_size]
            elif name_size:
                raw = read(name_size)
                if len(raw) != name_size:
                    raise _truncated(f"the name of component {index}", name_size, raw)
            else:
                raw = b""
            try:
                name = raw.decode("utf-8")
            except UnicodeDecodeError:
                name = raw.decode("utf-8", "replace")
            make = reader.make
            if make is not None:
                component = make(name, entity)
            else:
                component = reader.factory()
                component.name = name
                component.entity = entity
            component.context = context
            components.append(component)
            if size is not None:
                reader.unpack_from(component, data, name_size)
            else:
                reader.deserialize(component, endpoint)
            if spans is not None:
                spans.append((component, first, endpoint.tell()))

    def _registry(self):
        registry = getattr(self.context, "registry", None)
        return registry if registry is not None else plugins.default_registry()

    def _unknown_type(self, index: int, tid) -> UnknownTypeError:
        uid = uuid_of_tid(*tid)
        ctype = self._registry().by_uuid(uid)
        if ctype is not None:
            known = (f"it is {ctype.name} of extension {ctype.extension.name}, but no serializer here "
                     "reads it")
            hint = ("add a ComponentSerializer for that type to component_serializers (or set "
                    "ignore_corrupted_entities to skip such entities)")
        else:
            known = "no installed extension registers a type with this id"
            hint = ("install the extension that recorded it, or the bytes are corrupt; set "
                    "ignore_corrupted_entities to skip such entities")
        return UnknownTypeError(f"component {index} has the unknown type id {uid}: {known}", hint=hint)
