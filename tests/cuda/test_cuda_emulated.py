"""gxf-cuda's stream, event, buffer, term and allocator logic, on the host-memory emulation of a GPU.

Every test here runs on any machine: ``emulated_gpu`` (conftest.py) installs
``gxf.cuda.emulation.HostEmulationBackend``, whose device thread runs the work queued on streams later
and in order, and which a test can pause to see what happens while GPU work is pending. The same
behaviour on a real GPU is checked by test_cuda_gpu.py.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from gxf.core import Context, MessageEntity
from gxf.cuda import (CudaBuffer, CudaBufferAvailableSchedulingTerm, CudaBufferState, CudaEvent,
                      CudaEventSchedulingTerm, CudaStreamId, CudaStreamPool, CudaStreamSchedulingTerm,
                      CudaStreamSync, DeviceUnavailableError, RMMAllocator, StreamOrderedAllocator,
                      device_array, stream_of_message)
from gxf.cuda.backend import MemoryKind
from gxf.cuda.cuda_scheduling_terms import TermState
from gxf.cuda.emulation import EmulatedDeviceError, HostEmulationBackend
from gxf.std import (AllocationError, BlockMemoryPool, DoubleBufferReceiver, DoubleBufferTransmitter,
                     MemoryStorageType, PrimitiveType, Tensor, TensorCopier, UnboundedAllocator)
from gxf.std.scheduling_condition import READY, WAIT, WAIT_EVENT


@pytest.fixture(params=["emulation", pytest.param("cupy", marks=pytest.mark.gpu)])
def any_gpu(request):
    """The host emulation, and CuPy on a real GPU where one is present (the ``gpu`` run)."""
    if request.param == "emulation":
        with HostEmulationBackend() as gpu:
            yield gpu
    else:
        from gxf.cuda import active_backend

        yield active_backend()


def wait_until(predicate, timeout: float = 10.0) -> None:
    """Waits (the test, not the scheduler) until ``predicate()`` holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.005)


def resources(ctx, **pool_params):
    entity = ctx.create_entity("resources")
    pool = entity.add(CudaStreamPool, "streams", **pool_params)
    return entity, pool


# --- the emulation itself ---------------------------------------------------------------------------
def test_stream_work_runs_later_in_queue_order_and_host_functions_after_it(emulated_gpu):
    stream = emulated_gpu.create_stream(0, True, 0)
    seen = []
    emulated_gpu.pause()
    stream.run(lambda: seen.append("first"))
    stream.launch_host_func(lambda: seen.append("callback"))
    stream.run(lambda: seen.append("second"))
    time.sleep(0.05)
    assert seen == [] and not stream.query() and emulated_gpu.pending() == 3
    emulated_gpu.resume()
    stream.synchronize()
    assert seen == ["first", "callback", "second"] and stream.query()


def test_a_failed_work_item_is_raised_by_the_next_synchronize(emulated_gpu):
    stream = emulated_gpu.create_stream(0, False, 0)
    stream.run(lambda: 1 / 0)
    with pytest.raises(EmulatedDeviceError, match="ZeroDivisionError"):
        stream.synchronize()
    stream.synchronize()  # reported once


def test_synchronizing_from_a_host_function_is_refused(emulated_gpu):
    stream = emulated_gpu.create_stream(0, False, 0)
    errors = []

    def host_function():
        try:
            stream.synchronize()
        except EmulatedDeviceError as exc:
            errors.append(str(exc))

    stream.launch_host_func(host_function)
    emulated_gpu.drain()
    assert errors and "does not allow" in errors[0]


def test_events_complete_in_stream_order_and_call_back(emulated_gpu):
    with Context() as ctx:
        _, pool = resources(ctx)
        ctx.activate()
        _, stream = pool.allocate_stream()
        event = CudaEvent()
        event.init(0)
        emulated_gpu.pause()
        stream.run(lambda: None)
        event.record(stream)
        calls = []
        event.when_done(lambda: calls.append("done"))
        assert not event.query() and calls == []
        emulated_gpu.resume()
        event.synchronize()
        assert event.query() and calls == ["done"]
        event.when_done(lambda: calls.append("at once"))
        assert calls == ["done", "at once"]


def test_the_emulation_has_only_the_devices_it_was_made_with():
    with HostEmulationBackend(devices=1) as gpu:
        gpu.check_device(0)
        with pytest.raises(DeviceUnavailableError, match="there is no GPU 1"):
            gpu.create_stream(1, False, 0)


# --- stream pool, stream ids ------------------------------------------------------------------------
def test_the_stream_pool_limits_streams_and_takes_them_back(any_gpu):
    with Context() as ctx:
        _, pool = resources(ctx, reserved_size=1, max_size=2)
        ctx.activate()
        (cid1, s1), (_, s2) = pool.allocate_stream(), pool.allocate_stream()
        assert s1.handle() != s2.handle() and pool.handed_out(s1) and pool.num_allocated() == 2
        with pytest.raises(AllocationError, match="capacity of 2 streams"):
            pool.allocate_stream()
        pool.release_stream(s1)
        assert not pool.handed_out(cid1) and pool.allocate_stream()[1] is s1


def test_a_message_names_its_stream_by_cid(any_gpu):
    with Context() as ctx:
        _, pool = resources(ctx)
        ctx.activate()
        cid, stream = pool.allocate_stream()
        message = MessageEntity(ctx)
        CudaStreamId.add_to_entity(message, "CudaStream0").stream_cid = cid
        assert stream_of_message(message) is stream
        assert stream_of_message(MessageEntity(ctx)) is None
        CudaStreamId.add_to_entity(message, "other").stream_cid = pool.cid
        with pytest.raises(Exception, match="not a CudaStream"):
            stream_of_message(message, name="other")


# --- device memory, pinned host memory and copies on streams --------------------------------------------
def test_device_pools_and_tensors_live_in_emulated_device_memory(emulated_gpu):
    pool = BlockMemoryPool()
    pool.set_params(storage_type=1, block_size=1024, num_blocks=2)
    pool.initialize()
    tensor = Tensor()
    tensor.reshape([4, 4], PrimitiveType.kFloat32, MemoryStorageType.kDevice, pool)
    with pytest.raises(Exception, match="device"):
        np.asarray(tensor)  # device memory is not read from the host without a copy
    device_array(tensor)[...] = 2
    assert float(device_array(tensor).sum()) == 32.0 and pool.available_blocks() == 1
    assert emulated_gpu.allocations[MemoryKind.DEVICE] == 1
    del tensor
    assert pool.available_blocks() == 2


def test_host_memory_is_pinned_where_a_gpu_is_usable(emulated_gpu):
    pool = BlockMemoryPool()
    pool.set_params(storage_type=0, block_size=64, num_blocks=1)
    pool.initialize()
    assert emulated_gpu.allocations[MemoryKind.PINNED] == 1


def test_host_memory_without_a_gpu_is_ordinary_memory():
    # No emulation here: CuPy is not installed (or there is no GPU), host memory still works.
    pool = BlockMemoryPool()
    pool.set_params(storage_type=0, block_size=64, num_blocks=1)
    pool.initialize()
    tensor = Tensor()
    tensor.reshape([4], PrimitiveType.kFloat32, MemoryStorageType.kHost, pool)
    np.asarray(tensor)[...] = 1
    assert np.asarray(tensor).sum() == 4


def copier_graph(ctx, mode):
    entity = ctx.create_entity("copier")
    rx = entity.add(DoubleBufferReceiver, "rx")
    tx = entity.add(DoubleBufferTransmitter, "tx")
    allocator = entity.add(UnboundedAllocator, "alloc")
    copier = entity.add(TensorCopier, "copier", receiver=rx, transmitter=tx, allocator=allocator, mode=mode)
    _, pool = resources(ctx)
    ctx.activate()
    copier.start()
    return rx, tx, allocator, copier, pool


def test_tensor_copier_copies_after_the_work_queued_on_the_message_stream(emulated_gpu):
    with Context() as ctx:
        rx, tx, allocator, copier, pool = copier_graph(ctx, 1)  # kCopyToHost
        cid, stream = pool.allocate_stream()
        message = MessageEntity(ctx)
        tensor = Tensor.add_to_entity(message, "t")
        tensor.reshape([8], PrimitiveType.kFloat32, MemoryStorageType.kDevice, allocator)
        CudaStreamId.add_to_entity(message).stream_cid = cid
        gate = threading.Event()
        view = device_array(tensor)

        def producer():  # device work still running when the copier ticks
            gate.wait(5)
            view[...] = 7

        stream.run(producer)
        timer = threading.Timer(0.1, gate.set)
        timer.start()
        rx.push_io(message)
        rx.sync()
        copier.tick()
        timer.join()
        assert tensor.storage_type() is MemoryStorageType.kHost
        assert np.asarray(tensor).tolist() == [7.0] * 8  # a copy not on the stream would have read zeros


def test_tensor_copier_moves_host_tensors_to_the_device(emulated_gpu):
    with Context() as ctx:
        rx, tx, allocator, copier, _ = copier_graph(ctx, 0)  # kCopyToDevice
        message = MessageEntity(ctx)
        tensor = Tensor.add_to_entity(message, "t")
        tensor.reshape([3], PrimitiveType.kFloat32, MemoryStorageType.kHost, allocator)
        np.asarray(tensor)[...] = [1, 2, 3]
        rx.push_io(message)
        rx.sync()
        copier.tick()
        assert tensor.storage_type() is MemoryStorageType.kDevice
        assert device_array(tensor).tolist() == [1, 2, 3]


# --- allocators -------------------------------------------------------------------------------------------
def test_the_stream_ordered_allocator_keeps_its_limit_and_wakes_waiters_on_release(any_gpu):
    with Context() as ctx:
        entity, pool = resources(ctx)
        allocator = entity.add(StreamOrderedAllocator, "alloc", device_memory_initial_size="1KB",
                               device_memory_max_size="4KB")
        ctx.activate()
        released = []
        allocator.add_release_listener(lambda: released.append(1))
        _, stream = pool.allocate_stream()
        first = allocator.allocate_async(3000, stream)
        assert allocator.get_pool_size() == 3000 and not allocator.is_available(1001)
        with pytest.raises(AllocationError, match="3000 of 4000 bytes are in use"):
            allocator.allocate_async(1001, stream)
        allocator.free_async(first, stream)
        assert allocator.get_pool_size() == 0 and released == [1] and allocator.is_available(4000)


def rmm(ctx, **params):
    entity = ctx.create_entity("rmm")
    allocator = entity.add(RMMAllocator, "alloc", **params)
    return allocator


def test_the_rmm_allocator_serves_device_and_pinned_host_memory_within_its_limits(emulated_gpu):
    with Context() as ctx:
        allocator = rmm(ctx, device_memory_initial_size="1KB", device_memory_max_size="2KB",
                        host_memory_initial_size="1KB", host_memory_max_size="1KB")
        ctx.activate()
        device = allocator.allocate(1500, MemoryStorageType.kDevice)
        host = allocator.allocate(1000, MemoryStorageType.kHost)
        assert allocator.get_pool_size(MemoryStorageType.kDevice) == 1500
        assert allocator.get_pool_size(MemoryStorageType.kHost) == 1000
        assert emulated_gpu.allocations[MemoryKind.PINNED] == 1
        assert not allocator.is_rmm_available(600, MemoryStorageType.kDevice)  # 2000 aligned to 2048
        assert allocator.is_rmm_available(548, MemoryStorageType.kDevice)
        with pytest.raises(AllocationError, match="host_memory_max_size"):
            allocator.allocate(100, MemoryStorageType.kHost)
        with pytest.raises(AllocationError, match="does not serve kSystem"):
            allocator.allocate(1, MemoryStorageType.kSystem)
        allocator.free(device)
        allocator.free(host)
        assert allocator.get_pool_size(MemoryStorageType.kDevice) == 0


def test_the_rmm_allocator_doubles_a_changed_initial_size_when_the_maximum_is_left(emulated_gpu):
    with Context() as ctx:
        allocator = rmm(ctx, device_memory_initial_size="1MB")
        ctx.activate()
        # 1MB (1,000,000 bytes) aligned to 256 is 1,000,192: the pool grows to twice that
        assert allocator.is_rmm_available(2_000_384) and not allocator.is_rmm_available(2_000_385)


def test_the_rmm_allocator_without_rmm_says_what_to_install(monkeypatch):
    backend_module = sys.modules["gxf.cuda.backend"]

    class GpuWithoutRmm(HostEmulationBackend):
        def rmm_resources(self, *args):
            return backend_module._RmmResources(*args)

    monkeypatch.setitem(sys.modules, "rmm", None)  # as if RMM were not installed
    with GpuWithoutRmm(), Context() as ctx:
        rmm(ctx)
        with pytest.raises(DeviceUnavailableError) as info:
            ctx.activate()
    assert "component 'rmm/alloc' (nvidia::gxf::RMMAllocator)" in str(info.value)
    assert "gxf-cuda[rmm]" in str(info.value)


# --- scheduling terms, one tick at a time -------------------------------------------------------------------
def term_setup(ctx, term_type, **params):
    entity = ctx.create_entity("consumer")
    rx = entity.add(DoubleBufferReceiver, "rx")
    term = entity.add(term_type, "term", receiver=rx, **params)
    memory, pool = resources(ctx)
    memory.add(StreamOrderedAllocator, "alloc")
    ctx.activate()
    notified = []
    term.add_change_listener(lambda: notified.append(threading.current_thread().name))
    return rx, term, pool, notified


def test_the_stream_term_waits_for_a_host_callback_and_is_not_polled(emulated_gpu):
    with Context() as ctx:
        rx, term, pool, notified = term_setup(ctx, CudaStreamSchedulingTerm)
        waits = term.waits_on()
        assert waits.notifies and not waits.polled and waits.queues[0].receiver is rx
        assert term.check(0)[0] == WAIT  # no message
        cid, stream = pool.allocate_stream()
        emulated_gpu.pause()
        stream.run(lambda: None)  # the producer's work
        message = MessageEntity(ctx)
        CudaStreamId.add_to_entity(message).stream_cid = cid
        rx.push_io(message)
        assert term.check(0)[0] == WAIT_EVENT and term.state() is TermState.CALLBACK_REGISTERED
        assert term.check(1)[0] == WAIT_EVENT and term.callbacks_registered() == 1  # registered once
        emulated_gpu.resume()
        wait_until(lambda: notified)
        assert notified == ["emulated-gpu"] and term.check(2)[0] == READY
        rx.sync()
        rx.receive()
        term.on_execute(3)
        assert term.state() is TermState.UNSET and term.check(4)[0] == WAIT


def test_a_message_without_a_stream_passes_the_stream_term_at_once(emulated_gpu):
    with Context() as ctx:
        rx, term, _, notified = term_setup(ctx, CudaStreamSchedulingTerm)
        rx.push_io(MessageEntity(ctx))
        assert term.check(0)[0] == READY and term.callbacks_registered() == 0 and notified == []


def test_the_event_term_gates_on_the_named_event(emulated_gpu):
    with Context() as ctx:
        rx, term, pool, notified = term_setup(ctx, CudaEventSchedulingTerm, event_name="memcpy_event")
        _, stream = pool.allocate_stream()
        emulated_gpu.pause()
        message = MessageEntity(ctx)
        other = message.add(CudaEvent, "other")
        other.init(0)
        rx.push_io(message)
        assert term.check(0)[0] == WAIT  # no event of that name: waits
        event = message.add(CudaEvent, "memcpy_event")
        event.init(0)
        event.record(stream)
        assert term.check(1)[0] == WAIT_EVENT and notified == []
        emulated_gpu.resume()
        wait_until(lambda: notified)
        assert term.check(2)[0] == READY


def test_the_buffer_term_waits_for_the_filling_of_the_buffer(emulated_gpu):
    with Context() as ctx:
        rx, term, pool, notified = term_setup(ctx, CudaBufferAvailableSchedulingTerm)
        allocator = ctx.find_component("resources/alloc")
        emulated_gpu.pause()
        message = MessageEntity(ctx)
        buffer = message.add(CudaBuffer, "gxf_cuda_buffer")
        buffer.resize_async(allocator, pool, 64)
        buffer.stream().run(lambda: buffer.array()[...].fill(5))  # the producer fills it
        assert buffer.state() is CudaBufferState.CALLBACK_REGISTERED and pool.num_allocated() == 1
        rx.push_io(message)
        assert term.check(0)[0] == WAIT_EVENT
        emulated_gpu.resume()
        wait_until(lambda: notified)
        assert term.check(1)[0] == READY and buffer.state() is CudaBufferState.DATA_AVAILABLE
        assert buffer.array().tolist() == [5.0] * 16
        buffer.free_buffer()
        assert pool.num_allocated() == 0 and allocator.get_pool_size() == 0


def test_stream_sync_waits_for_every_stream_of_the_message(any_gpu):
    with Context() as ctx:
        entity = ctx.create_entity("sync")
        rx = entity.add(DoubleBufferReceiver, "rx")
        tx = entity.add(DoubleBufferTransmitter, "tx")
        sync = entity.add(CudaStreamSync, "sync", rx=rx, tx=tx)
        _, pool = resources(ctx, max_size=2)
        ctx.activate()
        done = []
        message = MessageEntity(ctx)
        for index in range(2):
            cid, stream = pool.allocate_stream()
            stream.run(lambda index=index: (time.sleep(0.02), done.append(index)))
            CudaStreamId.add_to_entity(message, f"s{index}").stream_cid = cid
        CudaStreamId.add_to_entity(message, "empty")  # no stream: skipped
        rx.push_io(message)
        rx.sync()
        sync.tick()
        assert done == [0, 1]
        tx.sync()
        assert tx.pop_io() is message


# --- whole graphs -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("graph", ["dotproduct_stream_sync.yaml", "dotproduct_stream_term.yaml",
                                   "dotproduct_event_term.yaml"])
def test_device_dot_products_match_the_host(any_gpu, cuda_graph, graph):
    context = cuda_graph(graph)
    context.run()
    assert context.find_component("verify/verify").count == 12
    assert context.find_component("memory/streams").num_allocated() == 0
    assert context.find_component("memory/device_results").available_blocks() == 8


def test_a_python_codelet_verifies_the_synchronized_device_results_as_in_gxfs_python_tests(any_gpu,
                                                                                           cuda_graph):
    context = cuda_graph("dotproduct_python_verify.yaml")
    context.run()
    assert context.find_component("verify/py_verify").adapter.compared == 12


def test_the_stream_gated_verifier_does_not_tick_before_the_gpu_work_is_done(emulated_gpu, cuda_graph):
    context = cuda_graph("dotproduct_stream_term.yaml")
    term = context.find_component("verify/stream_ready")
    verify = context.find_component("verify/verify")
    checks = []
    check = term.check
    term.check = lambda now: checks.append(now) or check(now)
    emulated_gpu.pause()
    try:
        context.run_async()
        wait_until(lambda: term.state() is TermState.CALLBACK_REGISTERED)
        time.sleep(0.1)
        before = len(checks)
        time.sleep(0.2)
        assert verify.count == 0 and len(checks) == before  # parked: not ticked, not polled
    finally:
        emulated_gpu.resume()
    context.wait()
    assert verify.count == 12 and term.callbacks_registered() == 12


def test_the_event_gated_verifier_does_not_tick_before_the_event(emulated_gpu, cuda_graph):
    context = cuda_graph("dotproduct_event_term.yaml")
    verify = context.find_component("verify/verify")
    emulated_gpu.pause()
    try:
        context.run_async()
        wait_until(lambda: context.find_component("verify/rx0").available() > 0)
        time.sleep(0.2)
        assert verify.count == 0
    finally:
        emulated_gpu.resume()
    context.wait()
    assert verify.count == 12


@pytest.mark.parametrize("graph", ["buffer_convolve.yaml", "buffer_convolve_available.yaml"])
def test_async_buffers_flow_through_two_convolutions(any_gpu, cuda_graph, graph):
    context = cuda_graph(graph)
    context.run()
    assert context.find_component("rx/check").count == 20
    assert context.find_component("tx/generator").sent == 20
    assert context.find_component("tx/stream_pool").num_allocated() == 0  # every stream went back


def test_convolve2d_computes_a_same_size_convolution(emulated_gpu):
    from gxf.cuda.test_codelets import Convolve2D

    with Context() as ctx:
        entity = ctx.create_entity("conv")
        rx, tx = entity.add(DoubleBufferReceiver, "rx"), entity.add(DoubleBufferTransmitter, "tx")
        allocator = entity.add(StreamOrderedAllocator, "alloc")
        conv = entity.add(Convolve2D, "conv", kernel=[[1, 1], [1, 1]], output=tx, input=rx,
                          allocator=allocator)
        _, pool = resources(ctx)
        ctx.activate()
        conv.start()
        message = MessageEntity(ctx)
        source = message.add(CudaBuffer, "b")
        source.resize_async(allocator, pool, 32 * 32 * 4)
        image = np.arange(32 * 32, dtype=np.float32).reshape(32, 32)
        view = source.array()
        source.stream().run(lambda view=view: view.__setitem__(slice(None), image.ravel()))
        rx.push_io(message)
        rx.sync()
        conv.tick()
        tx.sync()
        out = tx.pop_io()
        result = out.get(CudaBuffer)
        result.stream().sync_stream()
        expected = np.zeros_like(image)  # GXF's kernel: the rows and columns from center back to 1 ahead
        for row in range(32):
            for col in range(32):
                for i in range(2):
                    for j in range(2):
                        r, c = row + i - 1, col + j - 1
                        if 0 <= r < 32 and 0 <= c < 32:
                            expected[row, col] += image[r, c]
        np.testing.assert_array_equal(result.array().reshape(32, 32), expected)
        del message, source, view, out, result
        conv.stop()


def test_messages_without_streams_pass_a_stream_gated_ping(emulated_gpu, cuda_graph):
    context = cuda_graph("ping_no_stream.yaml")
    context.run()
    assert context.find_component("rx/ping").count == 10
    assert emulated_gpu.host_funcs == 0


@pytest.mark.parametrize("graph", ["ping_no_stream.yaml", "dotproduct_event_term.yaml",
                                   "buffer_convolve_available.yaml"])
def test_a_graph_whose_gated_consumers_drained_their_queues_ends_as_finished_not_stalled(
        any_gpu, cuda_graph, graph, caplog):
    from gxf.std.scheduler import Scheduler

    context = cuda_graph(graph)
    context.run()
    scheduler = context.entity("scheduler").get(Scheduler)
    assert scheduler.end_state == "finished", scheduler.stalled_waits
    assert "stalled" not in caplog.text


def test_without_a_gpu_the_graph_fails_naming_the_component_and_what_to_install():
    # No emulation: CuPy is not installed here (or there is no GPU).
    import contextlib

    from gxf.core import GxfError, load_graph_file
    from gxf.cuda import available

    if available():
        pytest.skip("a GPU is usable here")
    context = Context()
    load_graph_file(context, Path(__file__).parent / "graphs" / "buffer_convolve.yaml")
    with pytest.raises(GxfError) as info:
        context.run()
    with contextlib.suppress(GxfError):  # the StepCounts saw no start: they say so
        context.deactivate()
    text = str(info.value)
    assert "'tx/generator' (nvidia::gxf::test::cuda::CudaAsyncBufferGenerator) needs a GPU" in text
    assert "pip install gxf-cuda[cupy]" in text and "Traceback" not in text
