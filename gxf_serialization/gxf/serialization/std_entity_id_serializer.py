"""StdEntityIdSerializer: passes messages within one process by id instead of by their bytes.

Serializing writes 16 bytes, the message's entity id and a sequence number (u64 each), and keeps the
message alive; deserializing reads them and hands back that same message object. Both ends must be in
the same process (GXF's same context), as for GXF's StdEntityIdSerializer.
"""

from __future__ import annotations

import struct
import threading

from .component_serializer import TruncatedError, read_exact
from .entity_serializer import EntitySerializer
from .file_format import CorruptEntityError, SerializationError

ENTITY_ID_HEADER = struct.Struct("<QQ")  # entity_id, sequence_number

_lock = threading.Lock()
_held: dict[int, object] = {}  # entity id -> message, from serialize until deserialize


class StdEntityIdSerializer(EntitySerializer, type_name="nvidia::gxf::StdEntityIdSerializer",
                            uuid="0d0fa475-c532-4a45-8900-28acd3adf8c7"):
    """Serializes the entity id of a message, for sharing messages between graphs of one process."""

    def initialize(self) -> None:
        self.outgoing_sequence_number = 0
        self.incoming_sequence_number = 0

    def serialize_entity(self, entity, endpoint) -> int:
        with _lock:
            _held[entity.eid] = entity
        sequence = self.outgoing_sequence_number
        self.outgoing_sequence_number = sequence + 1
        endpoint.write(ENTITY_ID_HEADER.pack(entity.eid, sequence))
        return ENTITY_ID_HEADER.size

    def deserialize_entity(self, endpoint, context=None, entity_number: int | None = None):
        start = endpoint.tell()
        try:
            eid, sequence = ENTITY_ID_HEADER.unpack(read_exact(endpoint, 16, "an entity id header"))
        except TruncatedError as exc:
            raise CorruptEntityError(f"truncated: {exc.message}", entity_number, start) from None
        if sequence != self.incoming_sequence_number:
            self.logger.error("Sequence number does not match: got %d, expected %d", sequence,
                              self.incoming_sequence_number)
        self.incoming_sequence_number += 1
        with _lock:
            message = _held.pop(eid, None)
        if message is None:
            raise SerializationError(f"{self.describe_self()}: entity id {eid} names no message serialized "
                                     "in this process", self.location,
                                     "StdEntityIdSerializer only passes messages within one process; "
                                     "use StdEntitySerializer to send their bytes")
        return message

    def deserialize_entity_into(self, entity, endpoint, entity_number: int | None = None) -> None:
        """GXF refuses this for entity ids (GXF_FAILURE); so does this."""
        raise SerializationError(f"{self.describe_self()} cannot read into an existing entity",
                                 self.location, "use deserialize_entity(), which returns the message")


def held_count() -> int:
    """How many serialized messages wait to be deserialized (for tests and leak checks)."""
    with _lock:
        return len(_held)
