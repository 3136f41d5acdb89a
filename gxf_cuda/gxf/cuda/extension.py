"""gxf-cuda's extensions, registered with GXF's names and UUIDs.

- CudaExtension: CUDA streams, events, buffers, stream synchronization, the CUDA scheduling terms and
  device memory allocators;
- RMMExtension: the RMMAllocator (needs ``pip install gxf-cuda[rmm]`` to allocate);
- TestCudaExtension: GXF's CUDA test codelets, which GXF's CUDA test graphs use.
"""

from gxf.core import Extension, hookimpl

from . import test_codelets
from .cuda_allocator import CudaAllocator, StreamOrderedAllocator
from .cuda_buffer import CudaBuffer
from .cuda_event import CudaEvent
from .cuda_scheduling_terms import (CudaBufferAvailableSchedulingTerm, CudaEventSchedulingTerm,
                                    CudaStreamSchedulingTerm)
from .cuda_stream import CudaStream, CudaStreamId, CudaStreamPool
from .cuda_stream_sync import CudaStreamSync
from .rmm_allocator import RMMAllocator

COMPONENTS: list = [
    CudaStream, CudaStreamId, CudaEvent, CudaStreamPool, CudaStreamSync, CudaStreamSchedulingTerm,
    CudaEventSchedulingTerm, CudaBuffer, CudaAllocator, StreamOrderedAllocator,
    CudaBufferAvailableSchedulingTerm,
]

CUDA_EXTENSION = Extension(
    name="CudaExtension",
    uuid="d63a98fa-7882-11eb-a917-b38f664f399c",
    version="2.6.0",
    components=COMPONENTS,
    author="gxf-cuda developers",
    distribution="gxf-cuda",
    description="CUDA streams, events, buffers, stream scheduling terms and device memory allocators",
    display_name="Cuda Extension",
    category="Cuda",
    brief="Components for work on NVIDIA GPUs",
)

RMM_EXTENSION = Extension(
    name="RMMExtension",
    uuid="45fa2002-1f83-11ef-a380-ef5f83754f84",
    version="0.0.1",
    components=[RMMAllocator],
    author="gxf-cuda developers",
    distribution="gxf-cuda",
    description="A device and pinned host memory allocator over RAPIDS Memory Manager pools",
    display_name="RMM Extension",
    category="RMM",
    brief="RMM memory pools (pip install gxf-cuda[rmm])",
)

TEST_CUDA_EXTENSION = Extension(
    name="TestCudaExtension",
    uuid="469d9214-46a5-431a-b7b5-9e598d9fc1db",
    version="1.6.0",
    components=test_codelets.COMPONENTS,
    author="gxf-cuda developers",
    distribution="gxf-cuda",
    description="GXF's CUDA test codelets: stream tensor generation, dot products, copies, verification, "
                "asynchronous buffers and convolution",
    display_name="Test Cuda Extension",
    category="Cuda",
    brief="Codelets of GXF's CUDA test graphs",
)


@hookimpl
def gxf_extensions():
    return [CUDA_EXTENSION, RMM_EXTENSION, TEST_CUDA_EXTENSION]


@hookimpl
def gxf_component_serializers():
    """A message's CudaStreamId names a stream of this process: serializers leave it out (as GXF does)."""
    try:
        from gxf.serialization import TypeSerializer
    except ModuleNotFoundError:  # gxf-serialization is not installed: nothing to declare
        return []
    return [TypeSerializer.left_out(CudaStreamId)]
