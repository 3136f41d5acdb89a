"""EntityRecorder: writes every message its receiver gets to ``<directory>/<basename>.gxf_*`` files.

The files are GXF 5.7's: real GXF's EntityReplayer replays them. Each tick takes one message,
serializes it into the entities file and adds its 24-byte record (log time, size, offset) to the index.

The index never points past data that was written: index records are held back until the operating
system has taken the entity bytes they describe, so a full disk or a crash leaves an index whose every
record is backed by data. A message that fails to serialize leaves no trace in either file.
"""

from __future__ import annotations

import time

from gxf.core import ExecutionError, Handle, Parameter
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver

from .entity_serializer import EntitySerializer
from .file_format import ENTITY_INDEX, entities_path, index_path
from .file_stream import FileStream

_pack_index = ENTITY_INDEX.pack


class EntityRecorder(Codelet, type_name="nvidia::gxf::EntityRecorder", uuid="9d5955c7-8fda-22c7-f18f-ea5e2d195be9"):
    """Serializes incoming messages and writes them to a file (GXF's .gxf_index / .gxf_entities)."""

    receiver = Parameter(Handle(Receiver), description="Receiver whose messages are recorded")
    entity_serializer = Parameter(Handle(EntitySerializer), description="Serializer for the messages")
    directory = Parameter(str, description="Directory the files are written to (it must exist)")
    basename = Parameter(str, optional=True, description="File name without extension (default: the "
                         "receiver's component name)")
    flush_on_tick = Parameter(bool, False, "Write the files out to the operating system after every tick "
                              "(else when the buffers fill up, and at the end)")

    def initialize(self) -> None:
        basename = self.basename if self.basename else self.receiver.name
        self._index = FileStream(output_path=index_path(self.directory, basename))
        self._entities = FileStream(output_path=entities_path(self.directory, basename))
        self._index.open()
        try:
            self._entities.open()
        except Exception:
            self._index.close()
            raise
        self._offset = 0
        self._held: list[tuple[int, bytes]] = []   # (end offset, index record) not yet backed by data
        self.recorded = 0

    def deinitialize(self) -> None:
        failure = None
        try:
            self._entities.flush()
        except Exception as exc:  # noqa: BLE001 - the index is still written up to what was written
            failure = exc
        try:
            self._release_index()
            self._index.close()
        except Exception as exc:  # noqa: BLE001
            failure = failure or exc
        try:
            self._entities.close()
        except Exception as exc:  # noqa: BLE001
            failure = failure or exc
        if failure is not None:
            raise failure

    def tick(self) -> None:
        message = self.receiver.receive()
        if message is None:
            raise ExecutionError(
                f"{self.describe_self()} ticked but '{self.receiver.handle_text()}' holds no message",
                self.location, f"add a MessageAvailableSchedulingTerm on '{self.receiver.name}' to the entity")
        self.record(message)

    def record(self, message) -> int:
        """Writes one message (and its index record); returns its size in bytes."""
        entities = self._entities
        start = self._offset
        try:
            size = self.entity_serializer.serialize_entity(message, entities)
        except BaseException:
            entities.rollback(start)
            raise
        end = start + size
        self._offset = end
        self._held.append((end, _pack_index(time.time_ns(), size, start)))
        self.recorded += 1
        if self.flush_on_tick:
            entities.flush()
            self._release_index()
            self._index.flush()
        elif entities.written >= end:
            self._release_index()
        return size

    def _release_index(self) -> None:
        """Moves the held index records whose entity bytes are written into the index stream."""
        held = self._held
        if not held:
            return
        written = self._entities.written
        count = 0
        write = self._index.write
        for end, record in held:
            if end > written:
                break
            write(record)
            count += 1
        del held[:count]
