"""Messages: the Timestamp every published message carries, primitive values, EndOfStream."""

from __future__ import annotations

import math

import pytest

from gxf.core import Context, Entity, Handle, MessageEntity, Parameter
from gxf.std.clock import ManualClock
from gxf.std.codelet import Codelet
from gxf.std.connection import connect
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.end_of_stream import EndOfStream
from gxf.std.greedy_scheduler import GreedyScheduler
from gxf.std.primitives import (Bool, Complex64, Complex128, Float32, Float64, Int8, Int16, Int32, Int64,
                                UInt8, UInt16, UInt32, UInt64)
from gxf.std.queue import Receiver, Transmitter
from gxf.std.scheduling_terms import (CountSchedulingTerm, MessageAvailableSchedulingTerm,
                                      PeriodicSchedulingTerm)
from gxf.std.timestamp import Timestamp, as_timestamp


def queues(capacity=4):
    entity = Entity(None, "n")
    tx = entity.add(DoubleBufferTransmitter, "out", capacity=capacity)
    rx = entity.add(DoubleBufferReceiver, "in", capacity=capacity)
    tx.initialize()
    rx.initialize()
    connect(tx, rx)
    return tx, rx


class FixedClock:
    def __init__(self, now):
        self.now = now

    def timestamp(self):
        return self.now


# --- timestamps -------------------------------------------------------------------------------------------
def test_publish_with_acqtime_adds_a_timestamp_named_timestamp_with_pubtime_from_the_clock():
    tx, rx = queues()
    tx.set_clock(FixedClock(5_000))
    message = MessageEntity()
    tx.publish(message, 1_234)
    stamps = message.find_all(Timestamp)
    assert len(stamps) == 1 and stamps[0].name == "timestamp"
    assert (stamps[0].acqtime, stamps[0].pubtime) == (1_234, 5_000)
    assert as_timestamp(message) == (1_234, 5_000)


def test_publish_without_acqtime_takes_the_publish_time_as_acquisition_time():
    tx, _ = queues()
    tx.set_clock(FixedClock(777))
    message = MessageEntity()
    tx.publish(message)
    assert as_timestamp(message) == (777, 777)


def test_an_existing_timestamp_is_restamped_not_duplicated():
    tx, _ = queues()
    clock = FixedClock(900)
    tx.set_clock(clock)
    message = MessageEntity()
    Timestamp.add_to_entity(message, acqtime=100)
    tx.publish(message)
    assert as_timestamp(message) == (100, 900)
    clock.now = 950
    tx.publish(message, 120)
    assert as_timestamp(message) == (120, 950)
    assert len(message.find_all(Timestamp)) == 1


def test_a_timestamp_under_another_name_is_left_alone_and_timestamp_is_added():
    tx, _ = queues()
    tx.set_clock(FixedClock(10))
    message = MessageEntity()
    other = Timestamp.add_to_entity(message, 1, 2, name="camera")
    tx.publish(message, 5)
    assert (other.acqtime, other.pubtime) == (1, 2)
    assert as_timestamp(message) == (5, 10)
    with pytest.raises(ValueError, match="no Timestamp named 'lidar'"):
        as_timestamp(message, "lidar")


class StampedSource(Codelet):
    out = Parameter(Handle(Transmitter))
    acqtimes = Parameter(list, [])

    def initialize(self):
        self.index = 0

    def tick(self):
        message = MessageEntity(self.context)
        self.out.publish(message, self.acqtimes[self.index])
        self.index += 1


class Collect(Codelet):
    inp = Parameter(Handle(Receiver))

    def initialize(self):
        self.got = []

    def tick(self):
        while (message := self.inp.receive()) is not None:
            self.got.append(message)


def test_in_a_graph_pubtime_comes_from_the_schedulers_manual_clock():
    with Context() as ctx:
        sched = ctx.create_entity("sched")
        clock = sched.add(ManualClock, "clock", initial_timestamp=1_000_000)
        sched.add(GreedyScheduler, "s", clock=clock, stop_on_deadlock=True, max_duration_ms=1000)
        src = ctx.create_entity("src")
        out = src.add(DoubleBufferTransmitter, "out", capacity=4)
        src.add(StampedSource, "gen", out=out, acqtimes=[11, 22, 33])
        src.add(CountSchedulingTerm, count=3)
        src.add(PeriodicSchedulingTerm, recess_period="5ms")
        dst = ctx.create_entity("dst")
        inp = dst.add(DoubleBufferReceiver, "in", capacity=4)
        sink = dst.add(Collect, "sink", inp=inp)
        dst.add(MessageAvailableSchedulingTerm, receiver=inp)
        connect(out, inp)
        ctx.run()
        stamps = [as_timestamp(m) for m in sink.got]
    assert stamps == [(11, 1_000_000), (22, 6_000_000), (33, 11_000_000)]


# --- primitive values -------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls, value, type_name", [
    (Int8, -128, "int8_t"), (UInt8, 255, "uint8_t"), (Int16, -32768, "int16_t"), (UInt16, 65535, "uint16_t"),
    (Int32, 9999, "int32_t"), (UInt32, 2**32 - 1, "uint32_t"), (Int64, -2**63, "int64_t"),
    (UInt64, 2**64 - 1, "uint64_t"), (Float64, 0.1, "double"), (Bool, True, "bool"),
    (Complex128, 1 + 2j, "nvidia::gxf::complex128"),
])
def test_a_primitive_value_is_added_by_name_and_read_back(cls, value, type_name):
    message = MessageEntity()
    component = message.add(cls(value), "v")
    assert cls.type_name() == type_name
    assert message.get(cls, "v") is component and component.value == value
    assert cls.get_from_entity(message, "v") == value


@pytest.mark.parametrize("cls, value", [(Int8, 128), (UInt8, -1), (Int16, 2**15), (UInt16, 2**16),
                                        (Int32, 2**31), (UInt32, -1), (Int64, 2**63), (UInt64, 2**64)])
def test_an_integer_out_of_range_is_refused(cls, value):
    with pytest.raises(ValueError, match=f"{value} does not fit in {cls.type_name()}"):
        cls(value)


@pytest.mark.parametrize("cls, value", [(Int32, 1.5), (Int32, "3"), (Int32, True), (Float64, "1.0"),
                                        (Float64, 1j), (Bool, 1), (Complex64, "x")])
def test_a_value_of_the_wrong_kind_is_refused(cls, value):
    with pytest.raises(TypeError, match=f"{cls.type_name()} holds"):
        cls(value)


def test_single_precision_types_hold_single_precision_values():
    assert Float32(0.1).value == pytest.approx(0.1, rel=1e-7) and Float32(0.1).value != 0.1
    assert Float32(0.5).value == 0.5
    assert Complex64(0.1 + 0.2j).value.imag != 0.2
    with pytest.raises(ValueError, match="does not fit in float"):
        Float32(1e300)
    assert Int32(7.0).value == 7 and isinstance(Float64(3).value, float)
    assert math.isnan(Float64(float("nan")).value)


def test_add_to_entity_and_get_from_entity_like_gxf_python():
    message = MessageEntity()
    Int32.add_to_entity(message, 9999, "Integer")
    Float32.add_to_entity(message, 2.5, "Real")
    Int32.add_to_entity(message, 7, "Other")
    assert Int32.get_from_entity(message, "Integer") == 9999
    assert Int32.get_from_entity(message) == 9999  # the first one
    assert [c.value for c in message.find_all(Int32)] == [9999, 7]
    assert message.find("Real").value == 2.5
    with pytest.raises(KeyError, match="no int32_t called 'Real'"):
        Int32.get_from_entity(message, "Real")


def test_primitive_types_are_registered_with_gxf_type_names():
    registry = Context().registry
    for name in ("int8_t", "uint64_t", "float", "double", "bool", "nvidia::gxf::complex64"):
        assert registry.component_type(name).cls.type_name() == name


def test_primitive_values_travel_through_a_connection_untouched():
    tx, rx = queues()
    message = MessageEntity()
    message.add(Int16(-3), "a")
    message.add(Bool(False), "b")
    message.add(Complex128(2j), "c")
    tx.publish(message)
    tx.sync_outbox()
    rx.sync()
    got = rx.receive()
    assert got is message
    assert [(c.name, c.value) for c in got.components if c.name != "timestamp"] == [
        ("a", -3), ("b", False), ("c", 2j)]


# --- end of stream ----------------------------------------------------------------------------------------
def test_end_of_stream_message_names_its_stream():
    message = EndOfStream.create_eos_message(None, stream_id=3)
    eos = EndOfStream.get_from_entity(message)
    assert eos.stream_id() == 3 and not eos.is_pipeline_end()
    assert EndOfStream.get_from_entity(MessageEntity()) is None


def test_end_of_stream_defaults_to_the_whole_pipeline_and_can_be_copied_into_another_message():
    message = MessageEntity()
    eos = EndOfStream.add_to_entity(message, name="eos")
    assert eos.stream_id() == -1 and eos.is_pipeline_end()
    eos.stream_id(5)
    other = MessageEntity()
    EndOfStream.add_to_entity(other, eos)
    assert EndOfStream.get_from_entity(other).stream_id() == 5
    assert EndOfStream.get_from_entity(message, "eos") is eos
    assert Context().registry.component_type("nvidia::gxf::EndOfStream").cls is EndOfStream
