"""The bytes of GXF's recordings and serialized entities, as GXF 5.7 writes them.

A recording is two files, ``<basename>.gxf_index`` and ``<basename>.gxf_entities``, without any file
header. Every integer is little-endian and every structure packed:

- the index holds one 24-byte ``EntityIndex`` per entity: log time (ns since the Unix epoch), the
  entity's size in bytes and its offset in the entities file;
- an entity is a 40-byte ``EntityHeader`` (serialized size and checksum, both written as 0, a sequence
  number, flags, the number of components and a reserved word), then per component a 32-byte
  ``ComponentHeader`` (serialized size, always 0; the type id as two u64; the name's length), the name
  (no terminator) and the component's own bytes.

A type id is a UUID ``aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`` as GXF's two halves:
``hash1 = 0xaaaaaaaabbbbcccc``, ``hash2 = 0xddddeeeeeeeeeeee``, each written as a little-endian u64.
"""

from __future__ import annotations

import struct

from gxf.core import GxfError

INDEX_EXTENSION = ".gxf_index"
ENTITIES_EXTENSION = ".gxf_entities"

ENTITY_INDEX = struct.Struct("<QQQ")        # log_time, data_size, data_offset
ENTITY_HEADER = struct.Struct("<QIQIQQ")    # serialized_size, checksum, sequence_number, flags, count, reserved
COMPONENT_HEADER = struct.Struct("<QQQQ")   # serialized_size, tid.hash1, tid.hash2, name_size
COMPONENT_HEADER_PREFIX = struct.Struct("<Q")
TID = struct.Struct("<QQ")

# GXF's limit of components per entity (kMaxComponents); more in a header means the bytes are corrupt.
MAX_COMPONENTS = 1024
# Longest component name believed: a longer one means the bytes are corrupt.
MAX_NAME_SIZE = 1 << 16


class SerializationError(GxfError):
    """A message could not be written or read: a type without serializer, a bad endpoint, bad bytes."""


class CorruptEntityError(SerializationError):
    """The bytes of an entity are truncated or make no sense; says where (entity number, byte offset)."""

    def __init__(self, message: str, entity: int | None = None, offset: int | None = None,
                 hint: str | None = None):
        self.entity = entity
        self.offset = offset
        where = []
        if entity is not None:
            where.append(f"entity {entity}")
        if offset is not None:
            where.append(f"byte offset {offset}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message, hint=hint)


class UnknownTypeError(CorruptEntityError):
    """A component header names a type id that no serializer reads."""


def tid_of_uuid(uuid: str) -> tuple[int, int]:
    """``(hash1, hash2)`` of a UUID string, as GXF's ``gxf_tid_t``."""
    digits = uuid.replace("-", "")
    if len(digits) != 32:
        raise ValueError(f"{uuid!r} is not a UUID")
    return int(digits[:16], 16), int(digits[16:], 16)


def uuid_of_tid(hash1: int, hash2: int) -> str:
    """The UUID string of a type id ``(hash1, hash2)``."""
    text = f"{hash1:016x}{hash2:016x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def tid_bytes(uuid: str) -> bytes:
    """The 16 bytes a component header holds for the type of ``uuid``."""
    return TID.pack(*tid_of_uuid(uuid))


def component_header(uuid: str, name: str) -> bytes:
    """A component header for a component of type ``uuid`` called ``name``, followed by the name."""
    encoded = name.encode("utf-8")
    hash1, hash2 = tid_of_uuid(uuid)
    return COMPONENT_HEADER.pack(0, hash1, hash2, len(encoded)) + encoded


def entity_header(sequence_number: int, component_count: int) -> bytes:
    """An entity header as GXF's StdEntitySerializer writes it (size, checksum and flags 0)."""
    return ENTITY_HEADER.pack(0, 0, sequence_number, 0, component_count, 0)


def index_path(directory: str, basename: str) -> str:
    return f"{directory}/{basename}{INDEX_EXTENSION}"


def entities_path(directory: str, basename: str) -> str:
    return f"{directory}/{basename}{ENTITIES_EXTENSION}"


def split_recording_path(path: str) -> tuple[str, str]:
    """``(directory, basename)`` of ``DIR/BASENAME``, also when given with either file extension."""
    for extension in (INDEX_EXTENSION, ENTITIES_EXTENSION):
        path = path.removesuffix(extension)
    directory, _, basename = path.rpartition("/")
    return directory or ".", basename
