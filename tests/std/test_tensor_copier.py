"""TensorCopier: copies the tensors of each message between host, system and device memory."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from gxf.core import Context, ExecutionError, GxfError, Handle, MessageEntity, Parameter
from gxf.std import (Allocator, Codelet, CopyMode, CountSchedulingTerm, DoubleBufferReceiver,
                     DoubleBufferTransmitter, GreedyScheduler, ManualClock, MemoryStorageType,
                     MessageAvailableSchedulingTerm, PrimitiveType, Receiver, Tensor, TensorCopier,
                     Transmitter, connect)

HAS_CUPY = importlib.util.find_spec("cupy") is not None


class Source(Codelet):
    """Publishes one message with a kHost tensor (from ``allocator``) and a kSystem one (wrapped)."""

    out = Parameter(Handle(Transmitter))
    allocator = Parameter(Handle(Allocator))

    def initialize(self):
        self.sent = []

    def tick(self):
        message = MessageEntity(self.context)
        host = Tensor.add_to_entity(message, "host")
        host.reshape_custom([2, 3], PrimitiveType.kFloat32, 4, [16, 4], MemoryStorageType.kHost,
                            self.allocator)
        np.asarray(host)[...] = [[1, 2, 3], [4, 5, 6]]
        system = Tensor.add_to_entity(message, Tensor.as_tensor(np.arange(5, dtype=np.int64)), "system")
        self.sent.append({"host": host.pointer(), "system": system.pointer()})
        self.out.publish(message)


class Sink(Codelet):
    inp = Parameter(Handle(Receiver))

    def initialize(self):
        self.got = []

    def tick(self):
        self.got.append(self.inp.receive())


def run_copier(mode):
    with Context() as ctx:
        sched = ctx.create_entity("sched")
        clock = sched.add(ManualClock, "clock")
        sched.add(GreedyScheduler, "s", clock=clock, stop_on_deadlock=True, max_duration_ms=1000)
        memory = ctx.create_entity("memory")
        allocator = memory.add("nvidia::gxf::UnboundedAllocator", "alloc")
        src = ctx.create_entity("src")
        out = src.add(DoubleBufferTransmitter, "out")
        source = src.add(Source, "source", out=out, allocator=allocator)
        src.add(CountSchedulingTerm, count=1)
        copy = ctx.create_entity("copy")
        copy_in = copy.add(DoubleBufferReceiver, "in")
        copy_out = copy.add(DoubleBufferTransmitter, "out")
        copy.add("nvidia::gxf::TensorCopier", "copier", receiver=copy_in, transmitter=copy_out,
                 allocator=allocator, mode=mode)
        copy.add(MessageAvailableSchedulingTerm, receiver=copy_in)
        dst = ctx.create_entity("dst")
        sink_in = dst.add(DoubleBufferReceiver, "in")
        sink = dst.add(Sink, "sink", inp=sink_in)
        dst.add(MessageAvailableSchedulingTerm, receiver=sink_in)
        connect(out, copy_in)
        connect(copy_out, sink_in)
        ctx.run()
        return source.sent[0], sink.got


def test_copy_modes_have_gxf_values():
    assert [(m.name, m.value) for m in CopyMode] == [("kCopyToDevice", 0), ("kCopyToHost", 1),
                                                      ("kCopyToSystem", 2)]


def test_copy_to_host_copies_system_tensors_and_leaves_host_tensors():
    sent, got = run_copier(1)
    assert len(got) == 1
    host, system = Tensor.get_from_entity(got[0], "host"), Tensor.get_from_entity(got[0], "system")
    assert host.pointer() == sent["host"] and host.storage_type() is MemoryStorageType.kHost
    assert system.pointer() != sent["system"] and system.storage_type() is MemoryStorageType.kHost
    assert np.asarray(system).tolist() == [0, 1, 2, 3, 4]


def test_copy_to_system_copies_host_tensors_keeping_their_strides():
    sent, got = run_copier("kCopyToSystem")
    host, system = Tensor.get_from_entity(got[0], "host"), Tensor.get_from_entity(got[0], "system")
    assert system.pointer() == sent["system"]
    assert host.pointer() != sent["host"] and host.storage_type() is MemoryStorageType.kSystem
    assert host.strides() == (16, 4) and host.element_type() is PrimitiveType.kFloat32
    assert np.asarray(host).tolist() == [[1, 2, 3], [4, 5, 6]]


@pytest.mark.skipif(HAS_CUPY, reason="CuPy is installed: device copies may work here")
def test_copy_to_device_without_cupy_fails_the_run_saying_what_to_install():
    with pytest.raises(ExecutionError) as info:
        run_copier(CopyMode.kCopyToDevice)
    text = str(info.value)
    assert "copy/copier" in text and "pip install gxf-cuda[cupy]" in text and "GPU" in text


def test_a_mode_that_gxf_does_not_have_is_a_parameter_error():
    with Context() as ctx:
        entity = ctx.create_entity("copy")
        with pytest.raises(GxfError, match="mode"):
            entity.add(TensorCopier, "copier", mode=3)
