"""EntityReplayer: publishes the messages of a recording (``<directory>/<basename>.gxf_*``), in order.

Each tick reads ``batch_size`` index records and, for each, the next entity of the entities file, and
publishes it. When the index is used up it turns its BooleanSchedulingTerm off ("Reach end of file"),
so the entity never ticks again. As in GXF the entities are read one after the other; the index's sizes
and offsets are used only to find the next entity after a corrupt one.

A corrupt or truncated entity fails the run with the entity's number and byte offset, or, with
``ignore_corrupted_entities`` (the default, as in GXF), is skipped with a warning. Published messages are
stamped as every published message is: pubtime becomes the publish time, acqtime is kept.
"""

from __future__ import annotations

import os

from gxf.core import Handle, Parameter
from gxf.std.codelet import Codelet
from gxf.std.queue import Transmitter
from gxf.std.scheduling_terms import BooleanSchedulingTerm

from .entity_serializer import EntitySerializer
from .file_format import ENTITY_INDEX, CorruptEntityError, entities_path, index_path
from .file_stream import FileStream

_INDEX_SIZE = ENTITY_INDEX.size
_unpack_index = ENTITY_INDEX.unpack


class EntityReplayer(Codelet, type_name="nvidia::gxf::EntityReplayer", uuid="fe827c12-d360-c63c-8094-32b9244d83b6"):
    """Deserializes and publishes messages from a file (GXF's .gxf_index / .gxf_entities)."""

    transmitter = Parameter(Handle(Transmitter), description="Transmitter the messages are published on")
    entity_serializer = Parameter(Handle(EntitySerializer), description="Serializer for the messages")
    boolean_scheduling_term = Parameter(Handle(BooleanSchedulingTerm),
                                        description="Turned off once every message is published, so the "
                                        "entity stops ticking")
    directory = Parameter(str, description="Directory the files are read from")
    basename = Parameter(str, optional=True, description="File name without extension (default: this "
                         "component's name)")
    batch_size = Parameter(int, 1, "Number of messages read and published per tick", minimum=1)
    ignore_corrupted_entities = Parameter(bool, True, "Skip an entity that cannot be read (with a warning); "
                                          "when false it fails the run")

    def initialize(self) -> None:
        basename = self.basename if self.basename else self.name
        self._index = FileStream(input_path=index_path(self.directory, basename))
        self._entities = FileStream(input_path=entities_path(self.directory, basename))
        self._index.open()
        try:
            self._entities.open()
        except Exception:
            self._index.close()
            raise
        self._entities_size = os.path.getsize(self._entities.input_path)
        self.boolean_scheduling_term.enable_tick()
        self.replayed = 0
        self.skipped = 0
        self._number = 0

    def deinitialize(self) -> None:
        self._index.close()
        self._entities.close()

    def tick(self) -> None:
        read_index = self._index.read
        entities = self._entities
        deserialize = self.entity_serializer.deserialize_entity
        publish = self.transmitter.publish
        context = self.context
        for _ in range(self.batch_size):
            record = read_index(_INDEX_SIZE)
            if len(record) < _INDEX_SIZE:
                if record:
                    self.logger.warning("the index ends with %d bytes of a record: ignored", len(record))
                self.logger.info("Reach end of file. Stop ticking.")
                self.boolean_scheduling_term.disable_tick()
                break
            number = self._number
            self._number = number + 1
            try:
                message = deserialize(entities, context, number)
            except CorruptEntityError as exc:
                if not self.ignore_corrupted_entities:
                    raise
                self.skipped += 1
                self.logger.warning("skipped: %s", exc.message)
                self._resynchronize(record)
                continue
            publish(message)
            self.replayed += 1

    def _resynchronize(self, record: bytes) -> None:
        """After a corrupt entity: continue at the end the index gives for it, when it gives one."""
        _, size, offset = _unpack_index(record)
        end = offset + size
        if size and end <= self._entities_size:
            self._entities.seek(end)
