"""MockAllocator: counts blocks per storage type, enforces its limits, reports leaks at teardown."""

import gc
import logging

import pytest

from gxf.core import Context
from gxf.std.allocator import AllocationError, AllocatorStage
from gxf.std.memory_storage import MemoryStorageType
from gxf.test_helpers.mock_allocator import MockAllocator, bytes_text


def _allocator(context, **params):
    allocator = context.create_entity("e").add(MockAllocator, "pool", **params)
    allocator.initialize()
    return allocator


def test_blocks_come_back_when_freed_or_dropped():
    with Context() as context:
        pool = _allocator(context)
        first = pool.allocate(100, MemoryStorageType.kHost)
        second = pool.allocate(50, MemoryStorageType.kSystem)
        assert pool.blocks_out() == 2
        pool.free(first)
        assert pool.blocks_out() == 1
        del second
        gc.collect()
        assert pool.blocks_out() == 0
        assert pool.allocated(MemoryStorageType.kHost) == (1, 100)
        assert pool.allocated(MemoryStorageType.kSystem) == (1, 50)
        pool.deinitialize()
        assert pool.get_allocator_stage() == AllocatorStage.kUninitialized


def test_limits_bound_one_block_and_the_total_ever_allocated():
    with Context() as context:
        pool = _allocator(context, max_block_size="1KB", max_system_allocation=1500)
        assert pool.is_available(1000) and not pool.is_available(1001)
        with pytest.raises(AllocationError, match="1001 bytes were requested but max_block_size is 1000"):
            pool.allocate(1001)
        block = pool.allocate(1000, MemoryStorageType.kSystem)
        pool.free(block)  # freeing gives no budget back, as in GXF
        with pytest.raises(AllocationError, match="would exceed its limit of 1500 bytes"):
            pool.allocate(600, MemoryStorageType.kSystem)
        pool.allocate(600, MemoryStorageType.kHost)  # other storage types have their own budget


def test_leaks_fail_teardown_unless_ignored(caplog):
    with Context() as context:
        pool = _allocator(context)
        kept = [pool.allocate(2048), pool.allocate(10, MemoryStorageType.kSystem)]
        caplog.set_level(logging.INFO, logger="gxf")
        with pytest.raises(AssertionError, match=r"Blocks Lost: 2 \(2kB\) \{ Host: 1 \(2kB\) \| Device: 0 "
                           r"\(0B\) \| System: 1 \(10B\) \}"):
            pool.deinitialize()
        assert "[e/pool] Blocks Allocated: 2 (2kB)" in caplog.text
        pool.initialize()
        pool.ignore_memory_leak = True
        kept.append(pool.allocate(1))
        pool.deinitialize()
        assert "Blocks Lost: 1 (1B)" in caplog.text
        del kept


def test_fail_on_free_makes_free_fail():
    with Context() as context:
        pool = _allocator(context, fail_on_free=True, ignore_memory_leak=True)
        block = pool.allocate(8)
        with pytest.raises(AllocationError, match=r"free\(\) fails \(fail_on_free is set\)"):
            pool.free(block)


def test_allocating_outside_the_lifecycle_is_refused():
    with Context() as context:
        pool = context.create_entity("e").add(MockAllocator, "pool")
        with pytest.raises(AllocationError, match="cannot allocate"):
            pool.allocate(8)


def test_sizes_are_printed_in_the_largest_unit_below_them():
    sizes = (0, 1024, 1025, 3 << 20, (1 << 30) + 1)
    assert [bytes_text(n) for n in sizes] == ["0B", "1024B", "1kB", "3MB", "1GB"]
