"""Memory: allocators, BlockMemoryPool exhaustion and return of blocks, MemoryAvailableSchedulingTerm."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from gxf.core import Context, ExecutionError, GxfError, Handle, MessageEntity, Parameter, ParameterError
from gxf.core import load_graph_text
from gxf.std import (AllocationError, Allocator, AllocatorStage, BlockMemoryPool, Codelet,
                     CountSchedulingTerm, DeviceUnavailableError, DoubleBufferReceiver,
                     DoubleBufferTransmitter, GreedyScheduler, ManualClock, MemoryAvailableSchedulingTerm,
                     MemoryBlock, MemoryStorageType, PeriodicSchedulingTerm, PrimitiveType, Receiver, Tensor,
                     Transmitter, UnboundedAllocator, connect)
from gxf.std.scheduling_condition import READY, WAIT


def make_pool(block_size=64, num_blocks=3, storage_type=0, name="pool"):
    pool = BlockMemoryPool()
    pool.name = name
    pool.set_params(block_size=block_size, num_blocks=num_blocks, storage_type=storage_type)
    pool.initialize()
    return pool


@pytest.fixture
def no_cycle_collection():
    """Blocks must come back by reference counting alone, without the cycle collector."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


# --- UnboundedAllocator -----------------------------------------------------------------------------------
def test_unbounded_allocator_serves_any_size_of_host_and_system_memory():
    alloc = UnboundedAllocator()
    alloc.initialize()
    assert alloc.get_allocator_stage() is AllocatorStage.kInitialized
    assert alloc.is_available(1 << 40) and alloc.block_size() == 1
    host = alloc.allocate(100, MemoryStorageType.kHost)
    system = alloc.allocate(1000, MemoryStorageType.kSystem)
    assert isinstance(host, MemoryBlock) and (host.size, host.storage_type) == (100, MemoryStorageType.kHost)
    assert system.address != host.address and system.storage_type is MemoryStorageType.kSystem
    alloc.free(host)
    assert host.released
    with pytest.raises(AllocationError, match="freed twice"):
        alloc.free(host)


def test_an_allocator_must_be_initialized_before_it_allocates():
    alloc = UnboundedAllocator()
    alloc.name = "alloc"
    assert alloc.allocator_stage_str() == "kUninitialized"
    with pytest.raises(AllocationError, match="'alloc'.*cannot allocate: it is kUninitialized"):
        alloc.allocate(8)


def test_an_allocator_frees_only_its_own_blocks():
    one, other = UnboundedAllocator(), UnboundedAllocator()
    one.initialize()
    other.initialize()
    with pytest.raises(AllocationError, match="did not allocate it"):
        other.free(one.allocate(8))


# --- BlockMemoryPool ----------------------------------------------------------------------------------------
def test_pool_parameters_follow_gxf_and_block_size_takes_units():
    pool = make_pool(block_size="1KB", num_blocks=2)
    assert (pool.block_size(), pool.num_blocks, pool.storage_type) == (1000, 2, MemoryStorageType.kHost)
    assert BlockMemoryPool.parameters()["storage_type"].default == MemoryStorageType.kHost


def test_pool_hands_out_distinct_equally_spaced_blocks_of_one_arena():
    pool = make_pool(block_size=64, num_blocks=3)
    blocks = [pool.allocate(10) for _ in range(3)]
    addresses = [b.address for b in blocks]
    assert addresses == [addresses[0], addresses[0] + 64, addresses[0] + 128]
    assert [b.size for b in blocks] == [10, 10, 10]
    assert pool.available_blocks() == 0 and not pool.is_available(1)


def test_an_exhausted_pool_names_itself_and_says_what_to_change():
    pool = make_pool(block_size=64, num_blocks=2)
    held = [pool.allocate(64), pool.allocate(64)]
    with pytest.raises(AllocationError) as info:
        pool.allocate(64)
    text = str(info.value)
    assert "'pool'" in text and "exhausted: all 2 blocks of 64 bytes are in use" in text
    assert "raise num_blocks" in text
    assert "MemoryAvailableSchedulingTerm (allocator: pool, min_blocks: 1)" in text
    assert len(held) == 2


def test_freeing_a_block_returns_it_to_the_pool():
    pool = make_pool(num_blocks=1)
    block = pool.allocate(8)
    pool.free(block)
    assert pool.available_blocks() == 1
    assert pool.allocate(8).address == block.address


def test_a_dropped_tensor_returns_its_block_at_once(no_cycle_collection):
    pool = make_pool(num_blocks=2)
    tensor = Tensor()
    tensor.reshape([16], PrimitiveType.kUnsigned8, MemoryStorageType.kHost, pool)
    assert pool.available_blocks() == 1
    del tensor
    assert pool.available_blocks() == 2


def test_a_message_keeps_its_blocks_until_every_reference_is_gone(no_cycle_collection):
    pool = make_pool(num_blocks=2)
    message = MessageEntity()
    tensor = Tensor.add_to_entity(message, "t")
    tensor.reshape([16], PrimitiveType.kUnsigned8, MemoryStorageType.kHost, pool)
    view = np.asarray(tensor)
    del tensor
    assert pool.available_blocks() == 1  # the message holds it
    del message
    assert pool.available_blocks() == 1  # a NumPy view of it still does
    del view
    assert pool.available_blocks() == 2


def test_a_pool_checks_request_size_and_storage_type():
    pool = make_pool(block_size=64, num_blocks=1, storage_type=MemoryStorageType.kSystem)
    with pytest.raises(AllocationError, match="65 bytes were requested but a block holds 64"):
        pool.allocate(65, MemoryStorageType.kSystem)
    with pytest.raises(AllocationError, match="serves kSystem memory .* but kHost .* was requested"):
        pool.allocate(8, MemoryStorageType.kHost)
    assert pool.allocate(64, MemoryStorageType.kSystem).size == 64


@pytest.mark.parametrize("params, message", [
    ({"block_size": 0, "num_blocks": 1}, "'block_size' .* must be positive"),
    ({"block_size": 8, "num_blocks": 0}, "'num_blocks' .* must be positive"),
])
def test_a_pool_refuses_empty_sizes(params, message):
    pool = BlockMemoryPool()
    pool.set_params(**params)
    with pytest.raises(ParameterError, match=message):
        pool.preflight()  # before initialize() allocates anything


def test_blocks_out_at_deinitialize_stay_valid_and_are_not_taken_back():
    pool = make_pool(num_blocks=1)
    tensor = Tensor()
    tensor.reshape([4], PrimitiveType.kInt32, MemoryStorageType.kHost, pool)
    np.asarray(tensor)[...] = [1, 2, 3, 4]
    pool.deinitialize()
    assert np.asarray(tensor).tolist() == [1, 2, 3, 4]
    del tensor
    assert pool.available_blocks() == 0 and pool.get_allocator_stage() is AllocatorStage.kUninitialized


@pytest.mark.skipif(__import__("importlib").util.find_spec("cupy") is not None,
                    reason="CuPy is installed: device memory may work here")
def test_a_device_pool_without_cupy_fails_at_activation_naming_the_pool():
    pool = BlockMemoryPool()
    pool.name = "gpu_pool"
    pool.set_params(storage_type=1, block_size=1024, num_blocks=2)
    with pytest.raises(DeviceUnavailableError) as info:
        pool.initialize()
    text = str(info.value)
    assert "'gpu_pool'" in text and "kDevice" in text and "pip install gxf-cuda[cupy]" in text


# --- MemoryAvailableSchedulingTerm --------------------------------------------------------------------------
def test_the_term_is_ready_while_enough_blocks_are_free():
    pool = make_pool(block_size=100, num_blocks=3)
    term = MemoryAvailableSchedulingTerm()
    term.set_params(allocator=pool, min_blocks=2)
    term.initialize()
    assert term.min_bytes_needed() == 200
    held = [pool.allocate(1)]
    assert term.check(5)[0] is READY
    held.append(pool.allocate(1))
    assert term.check(6) == (WAIT, 6)
    del held[0]
    assert term.check(7) == (READY, 7)


def test_min_bytes_waits_for_bytes():
    pool = make_pool(block_size=100, num_blocks=2)
    term = MemoryAvailableSchedulingTerm()
    term.set_params(allocator=pool, min_bytes="150B")
    term.initialize()
    assert term.check(0)[0] is READY
    block = pool.allocate(1)
    assert term.check(1)[0] is WAIT
    pool.free(block)
    assert term.check(2)[0] is READY


@pytest.mark.parametrize("params, which", [({}, "neither"), ({"min_bytes": 1, "min_blocks": 1}, "both")])
def test_the_term_needs_exactly_one_of_min_bytes_and_min_blocks(params, which):
    term = MemoryAvailableSchedulingTerm()
    term.name = "mem"
    term.set_params(allocator=make_pool(), **params)
    with pytest.raises(ParameterError, match=f"'mem'.*sets {which} of 'min_bytes' and 'min_blocks'"):
        term.preflight()


def test_returned_memory_wakes_the_scheduler():
    pool = make_pool(num_blocks=1)
    term = MemoryAvailableSchedulingTerm()
    term.set_params(allocator=pool, min_blocks=1)
    term.initialize()
    woken = []
    term.add_change_listener(lambda: woken.append(True))
    pool.free(pool.allocate(1))
    assert woken == [True]
    term.deinitialize()
    pool.free(pool.allocate(1))
    assert woken == [True]


# --- in a graph: a producer waits for blocks held downstream ------------------------------------------------
class Producer(Codelet):
    """Publishes one tensor from ``pool`` per tick, numbered; records the clock and free blocks."""

    out = Parameter(Handle(Transmitter))
    pool = Parameter(Handle(Allocator))
    clock = Parameter(Handle(ManualClock))

    def initialize(self):
        self.ticks = []

    def tick(self):
        self.ticks.append((self.clock.timestamp(), self.pool.available_blocks()))
        message = MessageEntity(self.context)
        tensor = Tensor.add_to_entity(message, "data")
        tensor.reshape([4], PrimitiveType.kInt32, MemoryStorageType.kHost, self.pool)
        np.asarray(tensor)[...] = len(self.ticks)
        self.out.publish(message)


class SlowConsumer(Codelet):
    """Each tick takes what arrived and holds it; every second tick it lets go of all it holds."""

    inp = Parameter(Handle(Receiver))

    def initialize(self):
        self.held, self.seen, self.count = [], [], 0

    def tick(self):
        self.count += 1
        while (message := self.inp.receive()) is not None:
            self.held.append(message)
            self.seen.append(int(np.asarray(Tensor.get_from_entity(message, "data"))[0]))
        message = None
        if self.count % 2 == 0:
            self.held.clear()


def build_pipeline(ctx, count, with_term=True):
    sched = ctx.create_entity("sched")
    clock = sched.add(ManualClock, "clock")
    sched.add(GreedyScheduler, "s", clock=clock, stop_on_deadlock=True, max_duration_ms=10_000)
    memory = ctx.create_entity("memory")
    pool = memory.add(BlockMemoryPool, "pool", storage_type=0, block_size=16, num_blocks=2)
    src = ctx.create_entity("src")
    out = src.add(DoubleBufferTransmitter, "out", capacity=4)
    producer = src.add(Producer, "producer", out=out, pool=pool, clock=clock)
    src.add(CountSchedulingTerm, count=count)
    if with_term:
        src.add(MemoryAvailableSchedulingTerm, "memory", allocator=pool, min_blocks=1)
    dst = ctx.create_entity("dst")
    inp = dst.add(DoubleBufferReceiver, "in", capacity=4)
    consumer = dst.add(SlowConsumer, "consumer", inp=inp)
    dst.add(PeriodicSchedulingTerm, recess_period="10ms")
    dst.add(CountSchedulingTerm, count=10)
    connect(out, inp)
    return pool, producer, consumer


def test_a_producer_waits_for_free_blocks_and_resumes_when_they_come_back(no_cycle_collection):
    with Context() as ctx:
        pool, producer, consumer = build_pipeline(ctx, count=6)
        ctx.run()
        ms = 1_000_000
        # Two blocks: two messages at once, then a wait until the consumer lets go (every 20 ms).
        assert producer.ticks == [(0, 2), (0, 1), (10 * ms, 2), (10 * ms, 1), (30 * ms, 2), (30 * ms, 1)]
        assert consumer.seen == [1, 2, 3, 4, 5, 6]
        assert pool.available_blocks() == 2


def test_without_the_term_an_exhausted_pool_fails_the_run_naming_pool_and_remedy():
    with Context() as ctx:
        build_pipeline(ctx, count=6, with_term=False)
        with pytest.raises(ExecutionError) as info:
            ctx.run()
    text = str(info.value)
    assert "'memory/pool'" in text and "exhausted" in text and "producer" in text
    assert "MemoryAvailableSchedulingTerm (allocator: memory/pool, min_blocks: 1)" in text


def test_a_graph_file_declares_pools_and_the_term():
    graph = """
name: memory
components:
- name: pool
  type: nvidia::gxf::BlockMemoryPool
  parameters:
    storage_type: 2
    block_size: 4KiB
    num_blocks: 3
- name: any
  type: nvidia::gxf::UnboundedAllocator
---
name: producer
components:
- type: nvidia::gxf::MemoryAvailableSchedulingTerm
  parameters:
    allocator: memory/pool
    min_blocks: 2
"""
    with Context() as ctx:
        load_graph_text(ctx, graph)
        ctx.activate()
        pool = ctx.find_component("memory/pool")
        term = ctx.entity("producer").components[0]
        assert (pool.block_size(), pool.num_blocks, pool.storage_type) == (4096, 3, MemoryStorageType.kSystem)
        assert term.min_bytes_needed() == 8192 and term.check(0)[0] is READY


def test_a_bad_storage_type_in_a_graph_file_is_a_parameter_error():
    graph = """
name: memory
components:
- name: pool
  type: nvidia::gxf::BlockMemoryPool
  parameters: {storage_type: 9, block_size: 8, num_blocks: 1}
"""
    with Context() as ctx, pytest.raises(GxfError, match="storage_type"):
        load_graph_text(ctx, graph)
