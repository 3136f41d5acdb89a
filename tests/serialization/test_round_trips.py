"""Every standard message component survives serialize -> deserialize; real GXF's sample recordings
read back with their values and re-serialize to the very same bytes."""

from __future__ import annotations

import numpy as np
import pytest

from gxf.core import MessageEntity
from gxf.serialization import StdEntityIdSerializer
from gxf.serialization.file_stream import FileStream
from gxf.serialization.recording import Recording, standalone_serializer
from gxf.serialization.std_entity_id_serializer import held_count
from gxf.std import Tensor
from gxf.std.end_of_stream import EndOfStream
from gxf.std.primitives import (Bool, Complex64, Complex128, Float32, Float64, Int8, Int16, Int32, Int64,
                                UInt8, UInt16, UInt32, UInt64)
from gxf.std.timestamp import Timestamp

from gxf_serialization_support import DATA, Sink, Source  # noqa: E402 - loaded by conftest.py


def round_trip(message, serializer=None):
    writer = serializer or standalone_serializer()
    sink = Sink()
    writer.serialize_entity(message, sink)
    reader = standalone_serializer()
    return reader.deserialize_entity(Source(sink.data), None, 0), bytes(sink.data)


VALUES = [(Int8, -128), (UInt8, 255), (Int16, -32768), (UInt16, 65535), (Int32, -(1 << 31)),
          (UInt32, (1 << 32) - 1), (Int64, -(1 << 63)), (UInt64, (1 << 64) - 1), (Float32, 0.25),
          (Float64, 1e300), (Bool, True), (Complex64, 1.5 - 2j), (Complex128, 1e200 + 3j)]


def test_every_standard_component_round_trips_in_one_message():
    message = MessageEntity(None)
    message.add(Timestamp(acqtime=123, pubtime=456), "timestamp")
    for cls, value in VALUES:
        message.add(cls(value), cls.__name__.lower())
    message.add(EndOfStream(3), "eos")
    Tensor.add_to_entity(message, "tensor")
    message.components[-1]._take(Tensor.as_tensor(np.arange(24, dtype=np.float64).reshape(2, 3, 4)))
    back, _ = round_trip(message)
    assert [(c.type_name(), c.name) for c in back.components] == \
        [(c.type_name(), c.name) for c in message.components]
    stamp = back.get(Timestamp)
    assert (stamp.acqtime, stamp.pubtime) == (123, 456)
    for (cls, value), component in zip(VALUES, back.components[1:], strict=False):
        assert component.__class__ is cls and component.value == value
    assert back.get(EndOfStream).stream_id() == 3
    tensor = back.get(Tensor)
    assert tensor.shape().rank() == 3 and np.asarray(tensor).tolist() == np.arange(24.0).reshape(2, 3, 4).tolist()


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
                                   "float16", "float32", "float64", "complex64", "complex128"])
def test_tensors_of_every_element_type_round_trip(dtype):
    array = (np.arange(12) % 7).astype(dtype).reshape(3, 4)
    message = MessageEntity(None)
    message.add(Tensor.as_tensor(array), "t")
    back, _ = round_trip(message)
    result = np.asarray(back.get(Tensor))
    assert result.dtype == array.dtype and result.tolist() == array.tolist()


def test_an_empty_tensor_and_a_scalar_shape_round_trip():
    message = MessageEntity(None)
    message.add(Tensor(), "empty")
    message.add(Tensor.as_tensor(np.zeros((0, 5), np.float32)), "zero_rows")
    back, _ = round_trip(message)
    assert back.get(Tensor, "empty").element_count() == 0
    assert list(back.get(Tensor, "zero_rows").shape().dims) == [0, 5]


def test_a_message_read_back_is_written_to_the_same_bytes():
    message = MessageEntity(None)
    message.add(Timestamp(7, 8), "timestamp")
    message.add(Int32(5), "")
    message.add(Tensor.as_tensor(np.ones((2, 2), np.int16)), "tensor")
    back, data = round_trip(message)
    again = Sink()
    standalone_serializer().serialize_entity(back, again)
    assert bytes(again.data) == data


@pytest.mark.parametrize("name", ["ping", "crafted", "tensor"])
def test_real_gxf_samples_re_serialize_byte_identically(name):
    """Read real GXF's recording with our deserializer, write it with our serializer: same bytes."""
    original = (DATA / f"{name}.gxf_entities").read_bytes()
    sink = Sink()
    writer = standalone_serializer()
    for entity in Recording(DATA / name).entities():
        writer.serialize_entity(entity.message, sink)
    assert bytes(sink.data) == original


def test_real_gxf_ping_recording_values():
    entities = list(Recording(DATA / "ping").entities())
    assert [e.offset for e in entities] == [0, 97, 194, 291, 388]
    stamps = [e.message.get(Timestamp, "timestamp") for e in entities]
    assert [(s.pubtime, s.acqtime) for s in stamps] == [(0, k * 1_000_000) for k in range(5)]


def test_real_gxf_crafted_recording_values():
    for i, entity in enumerate(Recording(DATA / "crafted").entities()):
        message = entity.message
        stamp = message.get(Timestamp)
        assert (stamp.pubtime, stamp.acqtime) == (i, 1000 * i)
        assert np.asarray(message.get(Tensor, "tensor")).tolist() == \
            np.array([10 * i + k for k in range(6)], np.int16).reshape(2, 3).tolist()
        values = {c.name: c.value for c in message.components if hasattr(c, "value")}
        assert values == {"i8": -i, "u8": 200 + i, "i16": -300 - i, "u16": 60000 + i, "i32": -70000 - i,
                          "u32": 4_000_000_000 + i, "i64": -(1 << 40) - i, "u64": (1 << 63) + i,
                          "f32": 1.5 + i, "f64": 2.25 + i, "flag": i % 2 == 1}


def test_holoscan_tensor_recording_values():
    for i, entity in enumerate(Recording(DATA / "tensor").entities()):
        tensor = entity.message.get(Tensor, "tensor")
        expected = np.array([100 * i + k for k in range(24)], np.float32).reshape(2, 3, 4)
        assert np.asarray(tensor).tolist() == expected.tolist()


def test_file_stream_round_trip(tmp_path):
    writer = standalone_serializer()
    out = FileStream(output_path=str(tmp_path / "x"))
    out.open()
    for k in range(3):
        message = MessageEntity(None)
        message.add(Timestamp(k, k), "timestamp")
        writer.serialize_entity(message, out)
    out.close()
    reader = standalone_serializer()
    stream = FileStream(input_path=str(tmp_path / "x"))
    stream.open()
    got = [reader.deserialize_entity(stream, None, k).get(Timestamp).acqtime for k in range(3)]
    stream.close()
    assert got == [0, 1, 2]


def test_entity_id_serializer_hands_back_the_same_message():
    serializer = StdEntityIdSerializer()
    serializer.initialize()
    message = MessageEntity(None)
    sink = Sink()
    serializer.serialize_entity(message, sink)
    assert held_count() >= 1
    assert serializer.deserialize_entity(Source(sink.data)) is message
    with pytest.raises(Exception, match="names no message serialized in this process"):
        serializer.deserialize_entity(Source(sink.data))
