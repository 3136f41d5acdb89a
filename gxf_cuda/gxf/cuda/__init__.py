"""gxf.cuda: GXF's CudaExtension - CUDA streams, events and device memory, through CuPy.

Importing gxf.cuda does not import CuPy: the components load and initialize on any machine, and
the first use of a GPU raises ``DeviceUnavailableError`` (``pip install gxf-cuda[cupy]``, and an
NVIDIA GPU) where CuPy or the GPU is missing. ``available()`` tells whether the GPU can be used.
"""

from gxf.std.memory_storage import DeviceUnavailableError

from .cuda_allocator import CudaAllocator, StreamOrderedAllocator
from .cuda_event import CudaEvent
from .cuda_stream import CudaStream, CudaStreamId, CudaStreamPool
from .cupy_support import available

__all__ = [
    "CudaAllocator", "CudaEvent", "CudaStream", "CudaStreamId", "CudaStreamPool", "DeviceUnavailableError",
    "StreamOrderedAllocator", "available",
]
