"""The CudaExtension: CUDA streams, events and device memory allocators, registered with GXF's UUIDs."""

from gxf.core import Extension, hookimpl

from .cuda_allocator import CudaAllocator, StreamOrderedAllocator
from .cuda_event import CudaEvent
from .cuda_stream import CudaStream, CudaStreamId, CudaStreamPool

COMPONENTS: list = [
    CudaStream, CudaStreamId, CudaEvent, CudaStreamPool, CudaAllocator, StreamOrderedAllocator,
]

CUDA_EXTENSION = Extension(
    name="CudaExtension",
    uuid="d63a98fa-7882-11eb-a917-b38f664f399c",
    version="2.6.0",
    components=COMPONENTS,
    author="gxf-cuda developers",
    distribution="gxf-cuda",
    description="CUDA streams, events and device memory allocators",
    display_name="Cuda Extension",
    category="Cuda",
    brief="Components for work on NVIDIA GPUs",
)


@hookimpl
def gxf_extensions():
    return CUDA_EXTENSION
