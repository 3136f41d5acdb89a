"""Recording tensors in device memory: copied to the host on the CUDA stream their message names.

On machines without a GPU these run on gxf-cuda's host emulation of a GPU (a device thread running
each stream's work in order); test_device_tensors_gpu runs the same on a real GPU where there is one.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from gxf.core import Context, MessageEntity, load_graph_text
from gxf.std import MemoryStorageType, PrimitiveType, Tensor
from gxf.std.timestamp import Timestamp
from gxf_serialization_support import Sink, Source  # noqa: E402 - loaded by conftest.py

cuda = pytest.importorskip("gxf.cuda")
from gxf.cuda import CudaStreamId  # noqa: E402
from gxf.cuda.backend import device_array  # noqa: E402
from gxf.cuda.emulation import HostEmulationBackend  # noqa: E402

GRAPH = """
name: resources
components:
- name: streams
  type: nvidia::gxf::CudaStreamPool
  parameters: {dev_id: 0, reserved_size: 1, max_size: 2}
- name: memory
  type: nvidia::gxf::UnboundedAllocator
- name: component_serializer
  type: nvidia::gxf::StdComponentSerializer
  parameters: {allocator: memory}
- name: entity_serializer
  type: nvidia::gxf::StdEntitySerializer
  parameters: {component_serializers: [component_serializer]}
"""


@pytest.fixture
def gpu():
    with HostEmulationBackend() as emulated:
        yield emulated


@pytest.fixture
def context(gpu):
    with Context() as ctx:
        load_graph_text(ctx, GRAPH)
        ctx.activate()
        yield ctx
        ctx.deactivate()


def device_message(context, values):
    """A message with a device tensor "t" (its data written by work queued on the message's stream)."""
    cid, stream = context.find_component("resources/streams").allocate_stream()
    tensor = Tensor()
    tensor.reshape(list(values.shape), PrimitiveType.kFloat32, MemoryStorageType.kDevice,
                   context.find_component("resources/memory"))
    message = MessageEntity(context)
    message.add(Timestamp(5, 6), "timestamp")
    message.add(tensor, "t")
    CudaStreamId.add_to_entity(message, "stream").stream_cid = cid

    def produce():
        device_array(tensor)[...] = values

    return message, stream, produce


def test_a_device_tensor_is_copied_after_the_work_on_its_stream(gpu, context):
    values = np.arange(6, dtype=np.float32).reshape(2, 3) + 0.5
    message, stream, produce = device_message(context, values)
    serializer = context.find_component("resources/entity_serializer")
    gpu.pause()
    stream.run(produce)            # the data is not there until the device runs this
    sink, done = Sink(), threading.Event()

    def record():
        serializer.serialize_entity(message, sink)
        done.set()

    worker = threading.Thread(target=record)
    worker.start()
    assert not done.wait(0.2)      # the copy waits for the producing work on the same stream
    gpu.resume()
    worker.join(timeout=10)
    assert done.is_set()
    back = context.find_component("resources/entity_serializer")
    back.initialize()
    read = back.deserialize_entity(Source(sink.data), context, 0)
    # the CudaStreamId is left out: its stream means nothing outside this process
    assert [c.type_name() for c in read.components] == ["nvidia::gxf::Timestamp", "nvidia::gxf::Tensor"]
    tensor = read.get(Tensor)
    assert tensor.storage_type() == MemoryStorageType.kDevice
    gpu.drain()
    assert device_array(tensor).tolist() == values.tolist()
    assert sink.data[-24:] == values.tobytes()


def test_a_strided_device_tensor_is_written_packed(gpu, context):
    tensor = Tensor()
    # 2 x 3 float32 with rows 16 bytes apart: 4 bytes of padding after each row
    tensor.reshape_custom([2, 3], PrimitiveType.kFloat32, 4, [16, 4], MemoryStorageType.kDevice,
                          context.find_component("resources/memory"))
    values = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    device_array(tensor)[...] = values
    message = MessageEntity(context)
    message.add(tensor, "t")
    sink = Sink()
    context.find_component("resources/entity_serializer").serialize_entity(message, sink)
    assert bytes(sink.data[-24:]) == values.tobytes()


def test_without_gxf_cuda_a_device_tensor_is_a_clear_error(monkeypatch):
    """What a user without a GPU stack sees: one message naming the tensor and what to install."""
    from gxf.serialization.recording import standalone_serializer
    from gxf.std import memory_storage

    class Unavailable:
        name = "device memory"

        def copy(self, *args, **kwargs):
            raise memory_storage.DeviceUnavailableError("no GPU here", hint="pip install gxf-cuda[cupy]")

    tensor = Tensor.as_tensor(np.zeros(3, np.float32))
    message = MessageEntity(None)
    message.add(tensor, "on_gpu")
    monkeypatch.setattr(tensor, "storage_type", lambda: MemoryStorageType.kDevice)
    monkeypatch.setitem(memory_storage._backends, MemoryStorageType.kDevice, Unavailable())
    with pytest.raises(Exception, match="tensor 'on_gpu' is in device memory, which cannot be copied to the "
                                        "host here: no GPU here") as info:
        standalone_serializer().serialize_entity(message, Sink())
    assert "pip install gxf-cuda" in str(info.value)


@pytest.mark.gpu
def test_device_tensors_gpu():
    """The same on a real GPU: a CuPy-written device tensor round-trips through the serializers."""
    import cupy

    with Context() as ctx:
        load_graph_text(ctx, GRAPH)
        ctx.activate()
        values = np.arange(12, dtype=np.float32).reshape(3, 4)
        message, stream, _ = device_message(ctx, values)
        with stream.stream():
            device_array(message.get(Tensor))[...] = cupy.asarray(values)
        serializer = ctx.find_component("resources/entity_serializer")
        sink = Sink()
        serializer.serialize_entity(message, sink)
        read = serializer.deserialize_entity(Source(sink.data), ctx, 0)
        assert cupy.asnumpy(device_array(read.get(Tensor))).tolist() == values.tolist()
        ctx.deactivate()
