"""gxf-cuda on a GPU: device memory, zero-copy exchange with CuPy, device copies, streams and events.

Every test here needs CuPy and an NVIDIA GPU and is skipped without them (tests/conftest.py); the
same code paths without a GPU are covered by test_cuda.py and tests/std.
"""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

from gxf.core import Context, MessageEntity
from gxf.std import (BlockMemoryPool, MemoryStorageType, PrimitiveType, Shape, Tensor, TensorDescription,
                     UnboundedAllocator)

pytestmark = pytest.mark.gpu


@pytest.fixture
def cp():
    import cupy

    return cupy


@pytest.fixture
def allocator():
    alloc = UnboundedAllocator()
    alloc.initialize()
    return alloc


def device_tensor(allocator, values):
    tensor = Tensor()
    tensor.reshape(list(values.shape), PrimitiveType.kFloat32, MemoryStorageType.kDevice, allocator)
    import cupy

    cupy.asarray(tensor)[...] = cupy.asarray(values)
    return tensor


def test_cupy_views_a_device_tensor_without_a_copy(cp, allocator):
    tensor = device_tensor(allocator, np.arange(6, dtype=np.float32).reshape(2, 3))
    view = cp.asarray(tensor)
    assert view.data.ptr == tensor.pointer() and tensor.__dlpack_device__() == (2, 0)
    view[0, 0] = 42
    np.testing.assert_array_equal(cp.asnumpy(cp.asarray(tensor)), [[42, 1, 2], [3, 4, 5]])
    assert cp.from_dlpack(tensor).data.ptr == tensor.pointer()


def test_as_tensor_and_from_dlpack_wrap_cupy_arrays_without_a_copy(cp):
    array = cp.arange(8, dtype=cp.int32)
    for tensor in (Tensor.as_tensor(array), Tensor.from_dlpack(array)):
        assert tensor.storage_type() is MemoryStorageType.kDevice and tensor.pointer() == array.data.ptr
        assert tensor.shape() == Shape([8]) and tensor.element_type() is PrimitiveType.kInt32


def test_a_device_pool_serves_blocks_of_device_memory(cp):
    pool = BlockMemoryPool()
    pool.set_params(storage_type=1, block_size=1024, num_blocks=2)
    pool.initialize()
    tensor = Tensor()
    tensor.reshape_custom([16], PrimitiveType.kFloat32, 4, None, MemoryStorageType.kDevice, pool)
    cp.asarray(tensor)[...] = 3
    assert float(cp.asarray(tensor).sum()) == 48.0 and pool.available_blocks() == 1
    del tensor
    assert pool.available_blocks() == 2


def test_tensor_copier_moves_tensors_to_the_device_and_back(cp, allocator):
    host = Tensor()
    host.reshape([2, 2], PrimitiveType.kFloat32, MemoryStorageType.kHost, allocator)
    np.asarray(host)[...] = [[1, 2], [3, 4]]
    host.copy_to(MemoryStorageType.kDevice, allocator)
    assert host.storage_type() is MemoryStorageType.kDevice
    np.testing.assert_array_equal(cp.asnumpy(cp.asarray(host)), [[1, 2], [3, 4]])
    host.copy_to(MemoryStorageType.kSystem, allocator)
    assert np.asarray(host).tolist() == [[1, 2], [3, 4]]


def test_get_tensor_info_gives_a_pointer_cupy_can_wrap(cp, allocator):
    # What GXF's VerifyEqual example does with a device tensor.
    tensor = device_tensor(allocator, np.arange(4, dtype=np.float32))
    pointer, size, dtype, _, shape, strides = tensor.get_tensor_info()
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    memory = cp.cuda.UnownedMemory(get_pointer(pointer, None), size, None)
    array = cp.ndarray(shape=shape, dtype=dtype, memptr=cp.cuda.MemoryPointer(memory, 0), strides=strides)
    np.testing.assert_array_equal(array.get(), [0, 1, 2, 3])


def test_stream_generator_style_device_tensors(cp, allocator):
    message = MessageEntity()
    description = TensorDescription("cuda_tensor", MemoryStorageType.kDevice, Shape([1024, 1]),
                                    PrimitiveType.kFloat32, 4)
    tensor = Tensor.add_to_entity(message, description.name)
    tensor.reshape(description, allocator)
    assert Tensor.get_from_entity(message, "cuda_tensor").storage_type() is MemoryStorageType.kDevice
    assert cp.asarray(tensor).shape == (1024, 1)


def test_streams_from_the_pool_are_cupy_streams(cp):
    from gxf.cuda import CudaEvent, CudaStreamPool

    with Context() as ctx:
        pool = ctx.create_entity("r").add(CudaStreamPool, "streams")
        ctx.activate()
        _, stream = pool.allocate_stream()
        cuda_stream = stream.stream()
        assert isinstance(cuda_stream, cp.cuda.Stream) and stream.handle() == cuda_stream.ptr
        with cuda_stream:
            data = cp.arange(1000) * 2
        event = CudaEvent()
        event.record(stream)
        event.synchronize()
        assert event.query() and int(data[-1]) == 1998


def test_stream_ordered_allocator_tracks_device_memory_in_use(cp):
    from gxf.cuda import StreamOrderedAllocator

    with Context() as ctx:
        allocator = ctx.create_entity("m").add(StreamOrderedAllocator, "alloc", device_memory_max_size="64MB")
        ctx.activate()
        tensor = Tensor()
        tensor.reshape([1024], PrimitiveType.kFloat64, MemoryStorageType.kDevice, allocator)
        cp.asarray(tensor)[...] = 1
        assert allocator.get_pool_size() == 8192 and float(cp.asarray(tensor).sum()) == 1024.0
        del tensor
        assert allocator.get_pool_size() == 0


# --- streams, terms, buffers and graphs on the GPU (the same as test_cuda_emulated.py, with CuPy) ---------
from pathlib import Path  # noqa: E402

GRAPHS = Path(__file__).parent / "graphs"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cuda_pipeline" / "cuda_pipeline.yaml"

SPIN = r"""
extern "C" __global__ void spin(long long cycles) {
    long long start = clock64();
    while (clock64() - start < cycles) { }
}
"""


def spin_on(cp, stream, seconds: float = 0.3) -> None:
    """Queues a kernel that keeps the GPU busy for about ``seconds`` on ``stream`` (a CudaStream)."""
    kernel = cp.RawKernel(SPIN, "spin")
    rate = cp.cuda.Device(0).attributes.get("ClockRate", 1_500_000) * 1000  # kHz -> Hz
    stream.run(lambda: kernel((1,), (1,), (cp.int64(int(rate * seconds)),)))


def load(path):
    from gxf.core import load_graph_file

    context = Context()
    load_graph_file(context, path)
    return context


@pytest.mark.parametrize("graph", sorted(p.name for p in GRAPHS.glob("*.yaml")))
def test_the_cuda_graphs_run_on_the_gpu(graph):
    context = load(GRAPHS / graph)
    try:
        context.run()
        verify = context.find_component("verify/verify")
        if verify is not None:
            assert verify.count == 12
        check = context.find_component("rx/check")
        if check is not None:
            assert check.count == 20
    finally:
        context.deactivate()


def test_the_example_pipeline_runs_on_the_gpu():
    context = load(EXAMPLE)
    try:
        context.run()
        assert context.find_component("verify/verify").count == 10
        assert context.find_component("verify/gpu_done").callbacks_registered() == 10
    finally:
        context.deactivate()


def test_the_stream_term_waits_for_a_host_callback_on_the_gpu(cp):
    import threading
    import time

    from gxf.cuda import CudaStreamId, CudaStreamPool, CudaStreamSchedulingTerm
    from gxf.cuda.cuda_scheduling_terms import TermState
    from gxf.std import DoubleBufferReceiver
    from gxf.std.scheduling_condition import READY, WAIT_EVENT

    with Context() as ctx:
        entity = ctx.create_entity("consumer")
        rx = entity.add(DoubleBufferReceiver, "rx")
        term = entity.add(CudaStreamSchedulingTerm, "term", receiver=rx)
        pool = ctx.create_entity("r").add(CudaStreamPool, "streams")
        ctx.activate()
        woken = threading.Event()
        term.add_change_listener(woken.set)
        cid, stream = pool.allocate_stream()
        spin_on(cp, stream)
        message = MessageEntity(ctx)
        CudaStreamId.add_to_entity(message).stream_cid = cid
        rx.push_io(message)
        assert term.check(0)[0] == WAIT_EVENT and term.state() is TermState.CALLBACK_REGISTERED
        time.sleep(0.05)
        assert not woken.is_set() and not stream.query()
        assert woken.wait(10) and term.check(1)[0] == READY and stream.query()


def test_the_event_term_gates_on_the_event_on_the_gpu(cp):
    import threading

    from gxf.cuda import CudaEvent, CudaEventSchedulingTerm, CudaStreamPool
    from gxf.std import DoubleBufferReceiver
    from gxf.std.scheduling_condition import READY, WAIT_EVENT

    with Context() as ctx:
        entity = ctx.create_entity("consumer")
        rx = entity.add(DoubleBufferReceiver, "rx")
        term = entity.add(CudaEventSchedulingTerm, "term", receiver=rx, event_name="done")
        pool = ctx.create_entity("r").add(CudaStreamPool, "streams")
        ctx.activate()
        woken = threading.Event()
        term.add_change_listener(woken.set)
        _, stream = pool.allocate_stream()
        spin_on(cp, stream)
        message = MessageEntity(ctx)
        event = message.add(CudaEvent, "done")
        event.record(stream)
        rx.push_io(message)
        assert term.check(0)[0] == WAIT_EVENT
        assert woken.wait(10) and term.check(1)[0] == READY


def test_tensor_copier_copies_after_the_stream_work_on_the_gpu(cp, allocator):
    from gxf.cuda import CudaStreamId, CudaStreamPool, device_array
    from gxf.std import DoubleBufferReceiver, DoubleBufferTransmitter, TensorCopier

    with Context() as ctx:
        entity = ctx.create_entity("copier")
        rx, tx = entity.add(DoubleBufferReceiver, "rx"), entity.add(DoubleBufferTransmitter, "tx")
        copier = entity.add(TensorCopier, "copier", receiver=rx, transmitter=tx, allocator=allocator, mode=1)
        pool = ctx.create_entity("r").add(CudaStreamPool, "streams", stream_flags=1)
        ctx.activate()
        copier.start()
        cid, stream = pool.allocate_stream()
        message = MessageEntity(ctx)
        tensor = Tensor.add_to_entity(message, "t")
        tensor.reshape([1 << 20], PrimitiveType.kFloat32, MemoryStorageType.kDevice, allocator)
        view = device_array(tensor)
        spin_on(cp, stream, 0.1)
        stream.run(lambda: view.fill(7))
        CudaStreamId.add_to_entity(message).stream_cid = cid
        rx.push_io(message)
        rx.sync()
        copier.tick()
        assert float(np.asarray(tensor).min()) == 7.0


def test_host_pools_are_pinned_on_a_gpu_machine(cp):
    pool = BlockMemoryPool()
    pool.set_params(storage_type=0, block_size=1024, num_blocks=1)
    pool.initialize()
    block = pool.allocate(16, MemoryStorageType.kHost)
    assert isinstance(block.memory, cp.cuda.PinnedMemoryPointer)


def test_the_rmm_allocator_on_the_gpu(cp):
    pytest.importorskip("rmm")
    from gxf.cuda import RMMAllocator

    with Context() as ctx:
        allocator = ctx.create_entity("m").add(RMMAllocator, "rmm", device_memory_initial_size="1MB",
                                                device_memory_max_size="2MB")
        ctx.activate()
        tensor = Tensor()
        tensor.reshape([1024], PrimitiveType.kFloat32, MemoryStorageType.kDevice, allocator)
        cp.asarray(tensor)[...] = 3
        assert float(cp.asarray(tensor).sum()) == 3072.0
        assert allocator.get_pool_size(MemoryStorageType.kDevice) == 4096
        del tensor
        assert allocator.get_pool_size(MemoryStorageType.kDevice) == 0
