"""gxf.cuda: GXF's CudaExtension - CUDA streams, events, buffers, scheduling terms and device memory.

Importing gxf.cuda does not import CuPy: the components load and initialize on any machine, and
the first use of a GPU raises ``DeviceUnavailableError`` (``pip install gxf-cuda[cupy]``, and an
NVIDIA GPU) where CuPy or the GPU is missing. ``available()`` tells whether the GPU can be used.
Everything that touches the GPU goes through the device backend (``gxf.cuda.backend``); the tests
of machines without a GPU run on ``gxf.cuda.emulation.HostEmulationBackend``.
"""

from gxf.std.memory_storage import DeviceUnavailableError

from . import memory  # noqa: F401 - registers device, managed and pinned host memory
from .backend import CudaBackend, CupyBackend, device_array, use_backend
from .backend import backend as active_backend
from .cuda_allocator import CudaAllocator, StreamOrderedAllocator
from .cuda_buffer import CudaBuffer, CudaBufferState
from .cuda_event import CudaEvent
from .cuda_scheduling_terms import (CudaBufferAvailableSchedulingTerm, CudaEventSchedulingTerm,
                                    CudaStreamSchedulingTerm)
from .cuda_stream import CudaStream, CudaStreamId, CudaStreamPool, stream_of_message
from .cuda_stream_sync import CudaStreamSync
from .cupy_support import available
from .rmm_allocator import RMMAllocator

__all__ = [
    "CudaAllocator", "CudaBackend", "CudaBuffer", "CudaBufferAvailableSchedulingTerm", "CudaBufferState",
    "CudaEvent", "CudaEventSchedulingTerm", "CudaStream", "CudaStreamId", "CudaStreamPool",
    "CudaStreamSchedulingTerm", "CudaStreamSync", "CupyBackend", "DeviceUnavailableError", "RMMAllocator",
    "StreamOrderedAllocator", "active_backend", "available", "device_array", "stream_of_message",
    "use_backend",
]
