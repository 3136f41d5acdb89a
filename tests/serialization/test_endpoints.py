"""The endpoints (File, SerializationBuffer) and the entity serializer's sequence numbers."""

from __future__ import annotations

import logging
import os
import struct

import pytest

from gxf.core import MessageEntity
from gxf.serialization import File, SerializationBuffer, SerializationError
from gxf.serialization.recording import standalone_serializer
from gxf.std.primitives import Int32
from gxf.std.timestamp import Timestamp
from gxf.std.unbounded_allocator import UnboundedAllocator
from gxf_serialization_support import Sink, Source  # noqa: E402 - loaded by conftest.py


def allocator():
    made = UnboundedAllocator()
    made.initialize()
    return made


def file_endpoint(path, mode="wb+"):
    endpoint = File()
    endpoint.allocator = allocator()
    endpoint.file_path = str(path)
    endpoint.file_mode = mode
    endpoint.initialize()
    return endpoint


def test_a_file_writes_reads_seeks_and_renames(tmp_path):
    endpoint = file_endpoint(tmp_path / "data.bin")
    assert endpoint.is_open() and endpoint.is_write_available() and endpoint.is_read_available()
    assert endpoint.write(b"hello world") == 11
    endpoint.flush()
    endpoint.seek(6)
    assert (endpoint.tell(), endpoint.read(5), endpoint.eof()) == (6, b"world", True)
    endpoint.rename(str(tmp_path / "renamed.bin"))
    endpoint.add_timestamp(0, utc=True)
    assert endpoint.path() == str(tmp_path / "1970-01-01_00-00-00_renamed.bin")
    endpoint.close()
    endpoint.write_protect()
    assert (tmp_path / "1970-01-01_00-00-00_renamed.bin").read_bytes() == b"hello world"
    assert not os.stat(endpoint.path()).st_mode & 0o222
    with pytest.raises(SerializationError, match="already closed"):
        endpoint.close()


def test_a_file_in_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(SerializationError, match=r"cannot open '.*missing/x.bin': No such file or directory"):
        file_endpoint(tmp_path / "missing" / "x.bin")


def test_a_file_opened_later_and_entities_through_it(tmp_path):
    endpoint = File()
    endpoint.allocator = allocator()
    endpoint.initialize()
    with pytest.raises(SerializationError, match="the file is not open"):
        endpoint.write(b"x")
    endpoint.open(str(tmp_path / "e.bin"), "wb")
    message = MessageEntity(None)
    message.add(Int32(7), "seven")
    standalone_serializer().serialize_entity(message, endpoint)
    endpoint.close()
    endpoint.open(mode="rb")
    assert standalone_serializer().deserialize_entity(endpoint).get(Int32).value == 7
    endpoint.deinitialize()


def test_a_message_through_a_serialization_buffer():
    buffer = SerializationBuffer()
    buffer.allocator = allocator()
    buffer.initialize()
    message = MessageEntity(None)
    message.add(Timestamp(1, 2), "timestamp")
    size = standalone_serializer().serialize_entity(message, buffer)
    assert buffer.size() == size == 40 + 32 + 9 + 16
    back = standalone_serializer().deserialize_entity(buffer)
    assert (back.get(Timestamp).acqtime, back.get(Timestamp).pubtime) == (1, 2)
    received = SerializationBuffer()
    received.allocator = allocator()
    received.initialize()
    received.load(buffer.data())      # bytes that came from elsewhere
    assert standalone_serializer().deserialize_entity(received).get(Timestamp).acqtime == 1
    buffer.deinitialize()


def test_a_gap_in_sequence_numbers_is_warned_about_and_followed(caplog):
    writer, sink = standalone_serializer(), Sink()
    for _ in range(3):
        writer.serialize_entity(MessageEntity(None), sink)
    data = bytearray(sink.data)
    data[40 + 12:40 + 20] = struct.pack("<Q", 5)   # the second message claims number 5
    reader = standalone_serializer()
    reader.verbose_warning = True
    source = Source(bytes(data))
    with caplog.at_level(logging.WARNING, logger="gxf"):
        for _ in range(3):
            reader.deserialize_entity(source)
    assert "Got message 5 but expected message 1" in caplog.text
    assert "Got message 2 but expected message 6" in caplog.text
    assert reader.incoming_sequence_number == 3
