"""Reading a recording outside a graph: its messages, a summary (``info``) and a full check (``check``).

``gxf recording info`` and ``gxf recording check`` are thin wrappers over ``summarize`` and ``check``.
The messages are read with the standard serializers (and those extensions register through the
``gxf_component_serializers`` hook), exactly as an EntityReplayer reads them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from gxf.core import MessageEntity
from gxf.std.timestamp import Timestamp
from gxf.std.unbounded_allocator import UnboundedAllocator

from .file_format import (ENTITY_INDEX, CorruptEntityError, SerializationError, entities_path, index_path,
                          split_recording_path)
from .file_stream import FileStream
from .std_component_serializer import StdComponentSerializer
from .std_entity_serializer import StdEntitySerializer


def standalone_serializer() -> StdEntitySerializer:
    """A StdEntitySerializer over a StdComponentSerializer (with an UnboundedAllocator), outside a graph."""
    allocator = UnboundedAllocator()
    allocator.initialize()
    components = StdComponentSerializer()
    components.allocator = allocator
    components.initialize()
    serializer = StdEntitySerializer()
    serializer.component_serializers = [components]
    serializer.verbose_warning = False
    serializer.initialize()
    return serializer


@dataclass
class IndexRecord:
    """One record of a .gxf_index file."""

    log_time: int
    data_size: int
    data_offset: int


@dataclass
class RecordedEntity:
    """One message read back, with where it lies in the entities file."""

    number: int
    offset: int
    size: int
    message: object
    spans: list = field(default_factory=list)   # (component, start, end)


class Recording:
    """The two files of a recording, ``DIR/BASENAME`` (either file's name may be given too)."""

    def __init__(self, path: str):
        self.directory, self.basename = split_recording_path(str(path))
        self.index_file = index_path(self.directory, self.basename)
        self.entities_file = entities_path(self.directory, self.basename)
        for name in (self.index_file, self.entities_file):
            if not os.path.isfile(name):
                where = ("the directory does not exist" if not os.path.isdir(self.directory)
                         else "no such file")
                raise SerializationError(f"recording '{path}': cannot open '{name}': {where}",
                                         hint="give DIR/BASENAME of a recording: the files "
                                              "BASENAME.gxf_index and BASENAME.gxf_entities in DIR")

    def index(self) -> tuple[list[IndexRecord], int]:
        """The index records, and the number of stray bytes after the last whole record."""
        with open(self.index_file, "rb") as file:
            data = file.read()
        whole = len(data) // ENTITY_INDEX.size
        records = [IndexRecord(*ENTITY_INDEX.unpack_from(data, i * ENTITY_INDEX.size)) for i in range(whole)]
        return records, len(data) - whole * ENTITY_INDEX.size

    def entities(self, serializer: StdEntitySerializer | None = None) -> Iterator[RecordedEntity]:
        """Every entity of the entities file, in order (CorruptEntityError at the first bad one)."""
        serializer = serializer or standalone_serializer()
        stream = FileStream(input_path=self.entities_file)
        stream.open()
        try:
            end = os.path.getsize(self.entities_file)
            number = 0
            while stream.tell() < end:
                offset = stream.tell()
                spans: list = []
                message = MessageEntity(None)
                serializer.deserialize_entity_into(message, stream, number, spans)
                yield RecordedEntity(number, offset, stream.tell() - offset, message, spans)
                number += 1
        finally:
            stream.close()


@dataclass
class Summary:
    """What ``gxf recording info`` prints."""

    path: str
    entities: int
    index_records: int
    entities_bytes: int
    first_log_time: int | None
    last_log_time: int | None
    first_acqtime: int | None
    last_acqtime: int | None
    components: dict   # type name -> [count, bytes]
    problem: str | None = None


def summarize(path: str) -> Summary:
    """Counts, time span, and component types with their sizes; stops at a corrupt entity (``problem``)."""
    recording = Recording(path)
    records, _ = recording.index()
    components: dict[str, list[int]] = {}
    count = 0
    acqtimes: list[int] = []
    problem = None
    try:
        for entity in recording.entities():
            count += 1
            for component, start, end in entity.spans:
                entry = components.setdefault(component.type_name(), [0, 0])
                entry[0] += 1
                entry[1] += end - start
                if component.__class__ is Timestamp and component.name == "timestamp":
                    acqtimes.append(component.acqtime)
    except CorruptEntityError as exc:
        problem = exc.message
    return Summary(path, count, len(records), os.path.getsize(recording.entities_file),
                   records[0].log_time if records else None, records[-1].log_time if records else None,
                   min(acqtimes) if acqtimes else None, max(acqtimes) if acqtimes else None, components,
                   problem)


@dataclass
class CheckResult:
    """What ``gxf recording check`` found: ``ok``, or the first problem, with its entity and offset."""

    entities: int
    problems: list[str]
    entity: int | None = None
    offset: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check(path: str) -> CheckResult:
    """Reads every entity and compares it with its index record; reports the first corrupt entity."""
    recording = Recording(path)
    records, stray = recording.index()
    problems: list[str] = []
    count = 0
    bad_entity = bad_offset = None
    try:
        for entity in recording.entities():
            count += 1
            if entity.number < len(records):
                record = records[entity.number]
                if record.data_size and (record.data_offset, record.data_size) != (entity.offset, entity.size):
                    problems.append(f"entity {entity.number}, byte offset {entity.offset}: the index says "
                                    f"{record.data_size} bytes at offset {record.data_offset}, but the entity "
                                    f"has {entity.size} bytes at offset {entity.offset}")
                    bad_entity, bad_offset = entity.number, entity.offset
                    break
    except CorruptEntityError as exc:
        problems.append(exc.message)
        bad_entity, bad_offset = exc.entity, exc.offset
    if not problems:
        if count != len(records):
            problems.append(f"the index has {len(records)} records but the entities file holds {count} "
                            "entities")
        elif stray:
            problems.append(f"the index ends with {stray} bytes that are no whole record")
    return CheckResult(count, problems, bad_entity, bad_offset)
