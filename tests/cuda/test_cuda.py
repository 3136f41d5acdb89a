"""gxf-cuda on any machine: it installs, imports and loads graphs without CuPy or a GPU.

The GPU itself is exercised in test_cuda_gpu.py; here are the parts that need neither, and the
errors that say what is missing when the GPU is used without them.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from gxf.core import Context, MessageEntity, load_graph_text
from gxf.cuda import (CudaEvent, CudaStream, CudaStreamId, CudaStreamPool, DeviceUnavailableError,
                      StreamOrderedAllocator)
from gxf.std import AllocationError, MemoryStorageType, PrimitiveType, Tensor, UnboundedAllocator

no_cupy = pytest.mark.skipif(importlib.util.find_spec("cupy") is not None,
                             reason="CuPy is installed: the GPU may be usable here")

GXF_UUIDS = {
    "nvidia::gxf::CudaStream": "5683d692-7884-11eb-9338-c3be62d576be",
    "nvidia::gxf::CudaStreamId": "7982aeac-37f1-41be-ade8-6f00b4b5d47c",
    "nvidia::gxf::CudaEvent": "f5388d5c-a709-47e7-86c4-171779bc64f3",
    "nvidia::gxf::CudaStreamPool": "6733bf8b-ba5e-4fae-b596-af2d1269d0e7",
    "nvidia::gxf::CudaAllocator": "04f22de6-5f1d-11ef-9c8a-373b588897af",
    "nvidia::gxf::StreamOrderedAllocator": "63d1d168-13d7-11ef-931a-0be4a6378384",
    "nvidia::gxf::CudaStreamSync": "0d1d8142-6648-485d-97d5-277eed00129c",
    "nvidia::gxf::CudaStreamSchedulingTerm": "7397a4aa-a4e9-4b6c-8506-64d7c18c17ae",
    "nvidia::gxf::CudaEventSchedulingTerm": "c2122c2d-0745-4260-b110-514c3f4e82f9",
    "nvidia::gxf::CudaBuffer": "3b109830-5f1e-11ef-8393-c336b6b55546",
    "nvidia::gxf::CudaBufferAvailableSchedulingTerm": "edab61b6-5f76-11ef-ba73-cfbc18c46142",
    "nvidia::gxf::RMMAllocator": "5a8ac4c2-1f83-11ef-8859-d710d3299dfa",
    "nvidia::gxf::test::cuda::StreamBasedOps": "638a1752-49f0-4a31-8217-81ce387896db",
    "nvidia::gxf::test::cuda::StreamTensorGenerator": "3a5f0f09-7bcf-49c3-a543-7e488fa251f7",
    "nvidia::gxf::test::cuda::CublasDotProduct": "fbe00493-9d8d-4b4e-9d85-e9fddee218be",
    "nvidia::gxf::test::cuda::HostDotProduct": "d877d6f9-b72e-414b-8e9c-52a5aa0bcc1c",
    "nvidia::gxf::test::cuda::MemCpy2Host": "42868729-12cd-4cae-b0ea-83d18715d774",
    "nvidia::gxf::test::cuda::VerifyEqual": "e578e5bd-1543-4de4-8ed6-25fd24354ac0",
    "nvidia::gxf::test::cuda::CudaAsyncBufferGenerator": "29319078-5f1a-11ef-a3d0-97895e79aba6",
    "nvidia::gxf::test::cuda::Convolve2D": "4f224020-5f1a-11ef-a0be-4fd9265eca79",
    "nvidia::gxf::test::cuda::CudaBufferRx": "7468fe00-5f7e-11ef-bd4d-2ba0f2a6467a",
}

GXF_BASES = {
    "nvidia::gxf::CudaStreamSync": "nvidia::gxf::Codelet",
    "nvidia::gxf::CudaStreamSchedulingTerm": "nvidia::gxf::SchedulingTerm",
    "nvidia::gxf::CudaEventSchedulingTerm": "nvidia::gxf::SchedulingTerm",
    "nvidia::gxf::CudaBufferAvailableSchedulingTerm": "nvidia::gxf::SchedulingTerm",
    "nvidia::gxf::RMMAllocator": "nvidia::gxf::CudaAllocator",
    "nvidia::gxf::test::cuda::StreamTensorGenerator": "nvidia::gxf::test::cuda::StreamBasedOps",
    "nvidia::gxf::test::cuda::CublasDotProduct": "nvidia::gxf::test::cuda::StreamBasedOps",
    "nvidia::gxf::test::cuda::MemCpy2Host": "nvidia::gxf::test::cuda::StreamBasedOps",
    "nvidia::gxf::test::cuda::HostDotProduct": "nvidia::gxf::Codelet",
}

GRAPH = """
dependencies:
- extension: CudaExtension
  uuid: d63a98fa-7882-11eb-a917-b38f664f399c
  version: 2.6.0
---
name: resources
components:
- name: streams
  type: nvidia::gxf::CudaStreamPool
  parameters:
    dev_id: 0
    stream_flags: 1
    stream_priority: 0
    reserved_size: 2
    max_size: 3
- name: device_memory
  type: nvidia::gxf::StreamOrderedAllocator
  parameters:
    device_memory_initial_size: 32KB
    device_max_memory_pool_size: 64MB
"""


def test_import_does_not_import_cupy():
    code = "import sys, gxf.cuda, gxf.cuda.memory; print('cupy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_cuda_extension_registers_gxf_names_and_uuids():
    registry = Context().registry
    extension = registry.extension("CudaExtension")
    assert extension.uuid == "d63a98fa-7882-11eb-a917-b38f664f399c" and extension.distribution == "gxf-cuda"
    for name, uuid in GXF_UUIDS.items():
        assert registry.component_type(name).uuid == uuid
    assert registry.component_type("nvidia::gxf::CudaStreamPool").base == "nvidia::gxf::Allocator"
    assert registry.component_type("nvidia::gxf::StreamOrderedAllocator").base == "nvidia::gxf::CudaAllocator"
    for name, base in GXF_BASES.items():
        assert registry.component_type(name).base == base, name
    for name, uuid, version in (("RMMExtension", "45fa2002-1f83-11ef-a380-ef5f83754f84", "0.0.1"),
                                ("TestCudaExtension", "469d9214-46a5-431a-b7b5-9e598d9fc1db", "1.6.0")):
        other = registry.extension(name)
        assert (other.uuid, other.version, other.distribution) == (uuid, version, "gxf-cuda")


def test_gxf_describe_shows_the_cuda_terms_and_codelets_without_a_gpu():
    from click.testing import CliRunner

    from gxf.core.cli import main

    result = CliRunner().invoke(main, ["describe", "nvidia::gxf::CudaEventSchedulingTerm"])
    assert result.exit_code == 0, result.output
    assert "c2122c2d-0745-4260-b110-514c3f4e82f9" in result.output and "event_name" in result.output
    result = CliRunner().invoke(main, ["describe", "nvidia::gxf::test::cuda::Convolve2D"])
    assert result.exit_code == 0 and "kernel" in result.output and "TestCudaExtension" in result.output


def test_a_graph_with_cuda_components_loads_and_activates():
    with Context() as ctx:
        load_graph_text(ctx, GRAPH)
        ctx.activate()
        pool = ctx.find_component("resources/streams")
        allocator = ctx.find_component("resources/device_memory")
        assert (pool.dev_id, pool.stream_flags, pool.reserved_size, pool.max_size) == (0, 1, 2, 3)
        assert allocator.is_available(64_000_000) and not allocator.is_available(64_000_001)


def stream_pool(ctx, **params):
    entity = ctx.create_entity("resources")
    pool = entity.add(CudaStreamPool, "streams", **params)
    ctx.activate()
    return pool


def test_a_stream_pool_hands_out_streams_found_again_by_cid():
    with Context() as ctx:
        pool = stream_pool(ctx, reserved_size=1)
        cid, stream = pool.allocate_stream()
        assert isinstance(stream, CudaStream) and stream.cid == cid and stream.name == "CudaStream"
        assert CudaStream.get(ctx, cid) is stream and ctx.component(cid) is stream
        assert CudaStreamPool.get(ctx, pool.cid, None) is pool
        assert pool.num_allocated() == 1
        pool.release_stream(cid)
        assert pool.num_allocated() == 0
        assert pool.allocate_stream()[1] is stream  # the reserved stream, again


def test_a_stream_pool_stops_at_max_size():
    with Context() as ctx:
        pool = stream_pool(ctx, reserved_size=1, max_size=2)
        first, second = pool.allocate_stream(), pool.allocate_stream()
        assert first[0] != second[0] and not pool.is_available(1)
        with pytest.raises(AllocationError, match="reached its capacity of 2 streams") as info:
            pool.allocate_stream()
        assert "raise max_size" in str(info.value)
        pool.free(first[1])
        assert pool.is_available(1)


def test_a_stream_pool_raises_max_size_to_the_reserved_size():
    with Context() as ctx:
        pool = stream_pool(ctx, reserved_size=3, max_size=1)
        streams = [pool.allocate_stream() for _ in range(3)]
        assert len({cid for cid, _ in streams}) == 3


def test_releasing_a_stream_the_pool_did_not_hand_out_is_an_error():
    with Context() as ctx:
        pool = stream_pool(ctx)
        with pytest.raises(AllocationError, match="did not hand out"):
            pool.release_stream(12345)


def test_a_stream_pool_allocates_only_once_activated():
    pool = CudaStreamPool()
    with pytest.raises(AllocationError, match="kUninitialized"):
        pool.allocate_stream()


def test_cuda_stream_id_travels_in_messages():
    message = MessageEntity()
    stream_id = CudaStreamId.add_to_entity(message, "CudaStream0")
    stream_id.stream_cid = 77
    assert CudaStreamId.get_from_entity(message, "CudaStream0").stream_cid == 77
    assert CudaStreamId.get_from_entity(message) is stream_id
    with pytest.raises(Exception, match="no CudaStreamId named 'other'"):
        CudaStreamId.get_from_entity(message, "other")


@no_cupy
def test_using_a_stream_without_cupy_says_what_to_install():
    with Context() as ctx:
        pool = stream_pool(ctx)
        _, stream = pool.allocate_stream()
        stream.sync_stream()  # nothing was queued: nothing to wait for
        with pytest.raises(DeviceUnavailableError) as info:
            stream.stream()
    assert "pip install gxf-cuda[cupy]" in str(info.value) and "GPU" in str(info.value)


@no_cupy
def test_events_without_cupy_say_what_to_install():
    event = CudaEvent()
    event.init(dev_id=0)
    assert event.query()
    with pytest.raises(DeviceUnavailableError, match="CuPy"):
        event.event()


@no_cupy
@pytest.mark.parametrize("make", ["unbounded", "stream_ordered"])
def test_device_memory_without_cupy_says_what_to_install(make):
    with Context() as ctx:
        entity = ctx.create_entity("memory")
        if make == "unbounded":
            allocator = entity.add(UnboundedAllocator, "alloc")
        else:
            allocator = entity.add(StreamOrderedAllocator, "alloc")
        ctx.activate()
        with pytest.raises(DeviceUnavailableError) as info:
            Tensor().reshape([8], PrimitiveType.kFloat32, MemoryStorageType.kDevice, allocator)
        assert "pip install gxf-cuda[cupy]" in str(info.value)
        if make == "stream_ordered":
            assert allocator.get_pool_size() == 0  # the failed request gave its bytes back


def test_the_stream_ordered_allocator_serves_device_memory_only():
    with Context() as ctx:
        entity = ctx.create_entity("memory")
        allocator = entity.add(StreamOrderedAllocator, "alloc")
        ctx.activate()
        with pytest.raises(AllocationError, match="device memory \\(kDevice\\) only"):
            allocator.allocate(16, MemoryStorageType.kHost)


def test_the_stream_ordered_allocator_refuses_a_max_below_the_initial_size():
    with Context() as ctx:
        entity = ctx.create_entity("memory")
        entity.add(StreamOrderedAllocator, "alloc", device_memory_initial_size="2MB",
                   device_memory_max_size="1MB")
        with pytest.raises(Exception, match="smaller than the initial size"):
            ctx.activate()


@no_cupy
def test_from_dlpack_of_device_memory_without_cupy_says_what_to_install():
    class DeviceCapsuleMaker:
        def __dlpack_device__(self):
            return (2, 0)

        def __dlpack__(self, stream=None):
            raise AssertionError("must not be asked for its memory")

    with pytest.raises(DeviceUnavailableError, match="CuPy"):
        Tensor.from_dlpack(DeviceCapsuleMaker())
