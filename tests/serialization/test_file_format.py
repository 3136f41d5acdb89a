"""The bytes of every serializer against hand-made bytes: GXF 5.7's layout, field by field."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from gxf.core import MessageEntity
from gxf.serialization import SerializationBuffer, StdEntityIdSerializer
from gxf.serialization.file_format import (component_header, entity_header, split_recording_path, tid_bytes,
                                           tid_of_uuid, uuid_of_tid)
from gxf.serialization.file_stream import FileStream
from gxf.std import Tensor
from gxf.std.end_of_stream import EndOfStream
from gxf.std.memory_storage import MemoryStorageType
from gxf.std.primitive_type import PrimitiveType
from gxf.std.primitives import (Bool, Complex64, Complex128, Float32, Float64, Int8, Int16, Int32, Int64,
                                UInt8, UInt16, UInt32, UInt64)
from gxf.std.timestamp import Timestamp
from gxf.std.unbounded_allocator import UnboundedAllocator
from gxf_serialization_support import Sink  # noqa: E402 - loaded by conftest.py

TIMESTAMP_TID = bytes.fromhex("bc4b905c105b09d1034ecb34116089bc")  # d1095b10-5c90-4bbc-bc89-601134cb4e03
TENSOR_TID = bytes.fromhex("7c44bf9ad6017537b83af3d4140117a6")     # 377501d6-9abf-447c-a617-0114d4f33ab8


def one(serializer, component, name="c") -> bytes:
    """The bytes of a message holding only ``component``, without the 40-byte entity header."""
    message = MessageEntity(None)
    message.add(component, name)
    sink = Sink()
    size = serializer.serialize_entity(message, sink)
    assert size == len(sink.data)
    return bytes(sink.data[40:])


def payload(serializer, component, name="c") -> bytes:
    return one(serializer, component, name)[32 + len(name):]


def test_type_ids_are_the_uuid_halves_as_little_endian_words():
    assert tid_of_uuid("d1095b10-5c90-4bbc-bc89-601134cb4e03") == (0xd1095b105c904bbc, 0xbc89601134cb4e03)
    assert tid_bytes("d1095b10-5c90-4bbc-bc89-601134cb4e03") == TIMESTAMP_TID
    assert uuid_of_tid(0xd1095b105c904bbc, 0xbc89601134cb4e03) == "d1095b10-5c90-4bbc-bc89-601134cb4e03"


def test_entity_and_component_headers():
    assert entity_header(7, 3) == (b"\0" * 8 + b"\0" * 4 + struct.pack("<Q", 7) + b"\0" * 4
                                   + struct.pack("<Q", 3) + b"\0" * 8)
    assert len(entity_header(0, 0)) == 40
    assert component_header("d1095b10-5c90-4bbc-bc89-601134cb4e03", "timestamp") == (
        b"\0" * 8 + TIMESTAMP_TID + struct.pack("<Q", 9) + b"timestamp")


def test_a_timestamp_message_is_exactly_what_gxf_recorded(serializer):
    message = MessageEntity(None)
    message.add(Timestamp(acqtime=1_000_000, pubtime=0), "timestamp")
    sink = Sink()
    serializer.serialize_entity(message, sink)
    serializer.serialize_entity(message, sink)
    first, second = bytes(sink.data[:97]), bytes(sink.data[97:])
    assert first == (entity_header(0, 1) + b"\0" * 8 + TIMESTAMP_TID + struct.pack("<Q", 9) + b"timestamp"
                     + struct.pack("<qq", 0, 1_000_000))
    assert second[12:20] == struct.pack("<Q", 1)   # the sequence number counts up


def test_timestamp_payload_is_pubtime_then_acqtime(serializer):
    assert payload(serializer, Timestamp(acqtime=5, pubtime=-3)) == struct.pack("<qq", -3, 5)


@pytest.mark.parametrize("cls, value, expected", [
    (Int8, -2, b"\xfe"), (UInt8, 200, b"\xc8"), (Int16, -300, struct.pack("<h", -300)),
    (UInt16, 60000, struct.pack("<H", 60000)), (Int32, -70000, struct.pack("<i", -70000)),
    (UInt32, 4_000_000_000, struct.pack("<I", 4_000_000_000)), (Int64, -(1 << 40), struct.pack("<q", -(1 << 40))),
    (UInt64, 1 << 63, struct.pack("<Q", 1 << 63)), (Float32, 1.5, struct.pack("<f", 1.5)),
    (Float64, 2.25, struct.pack("<d", 2.25)), (Bool, True, b"\x01"), (Bool, False, b"\x00"),
    (Complex64, 1 + 2j, struct.pack("<ff", 1, 2)), (Complex128, complex(0, -1.5), struct.pack("<dd", 0, -1.5)),
])
def test_primitive_values(serializer, cls, value, expected):
    data = one(serializer, cls(value), "v")
    assert data[8:24] == tid_bytes(cls._gxf_uuid)
    assert data[24:32] == struct.pack("<Q", 1) and data[32:33] == b"v"
    assert data[33:] == expected


def test_end_of_stream_is_its_stream_id(serializer):
    assert payload(serializer, EndOfStream(4)) == struct.pack("<q", 4)
    assert payload(serializer, EndOfStream()) == struct.pack("<q", -1)


def tensor_of(array, storage=MemoryStorageType.kSystem) -> Tensor:
    allocator = UnboundedAllocator()
    allocator.initialize()
    tensor = Tensor()
    tensor.reshape_custom(array.shape, PrimitiveType.kInt16 if array.dtype == np.int16 else
                          PrimitiveType.kFloat32, array.itemsize, None, storage, allocator)
    np.asarray(tensor)[...] = array
    return tensor


def test_tensor_header_and_data(serializer):
    array = np.arange(6, dtype=np.int16).reshape(2, 3)
    data = payload(serializer, tensor_of(array), "tensor")
    header = struct.pack("<iiQI", 2, 3, 2, 2) + struct.pack("<8i", 2, 3, 1, 1, 1, 1, 1, 1) \
        + struct.pack("<8Q", 6, 2, 0, 0, 0, 0, 0, 0)
    assert len(header) == 116
    assert data == header + array.tobytes()


def test_a_strided_tensor_is_written_packed(serializer):
    base = np.arange(12, dtype=np.float32).reshape(3, 4)
    view = base[:, ::2]  # 3x2, strides 16 and 8
    tensor = Tensor.as_tensor(view)
    assert not tensor.is_contiguous()
    data = payload(serializer, tensor, "t")
    rank, = struct.unpack_from("<I", data, 16)
    dims = struct.unpack_from("<8i", data, 20)
    strides = struct.unpack_from("<8Q", data, 52)
    assert (rank, dims[:2], strides[:2]) == (2, (3, 2), (8, 4))
    assert np.frombuffer(data[116:], np.float32).tolist() == view.ravel().tolist()


def test_entity_id_serializer_writes_id_and_sequence():
    message = MessageEntity(None)
    serializer = StdEntityIdSerializer()
    serializer.initialize()
    sink = Sink()
    assert serializer.serialize_entity(message, sink) == 16
    assert bytes(sink.data) == struct.pack("<QQ", message.eid, 0)


def test_serialization_buffer_holds_what_was_written_and_refuses_overflow():
    allocator = UnboundedAllocator()
    allocator.initialize()
    buffer = SerializationBuffer()
    buffer.allocator = allocator
    buffer.buffer_size = 8
    buffer.initialize()
    buffer.write(b"abc")
    buffer.write(memoryview(b"de"))
    assert (buffer.size(), buffer.capacity(), buffer.data()) == (5, 8, b"abcde")
    assert buffer.read(2) == b"ab" and buffer.read(10) == b"cde"
    with pytest.raises(Exception, match="do not fit: 3 of 8 bytes are left"):
        buffer.write(b"12345")
    buffer.reset()
    assert buffer.size() == 0


def test_file_stream_counts_what_reached_the_file(tmp_path):
    stream = FileStream(output_path=str(tmp_path / "out"))
    stream.open()
    stream.write(b"x" * 10)
    assert (stream.written, stream.pending(), stream.tell()) == (0, 10, 10)
    stream.write(b"y" * 70000)   # a large piece goes to the file at once, after what was buffered
    assert stream.written == 70010 and stream.pending() == 0
    stream.rollback(5)
    stream.close()
    assert (tmp_path / "out").read_bytes() == b"x" * 5


def test_recording_paths():
    assert split_recording_path("/a/b/rec") == ("/a/b", "rec")
    assert split_recording_path("/a/b/rec.gxf_index") == ("/a/b", "rec")
    assert split_recording_path("rec.gxf_entities") == (".", "rec")
