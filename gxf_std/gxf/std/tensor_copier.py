"""TensorCopier: copies the tensors of each message to device, host or system memory and forwards it."""

from __future__ import annotations

import enum

from gxf.core import ExecutionError, Handle, Parameter

from .allocator import Allocator
from .codelet import Codelet
from .memory_storage import MemoryStorageType, message_stream
from .queue import Receiver, Transmitter
from .tensor import Tensor


class CopyMode(enum.IntEnum):
    """Where TensorCopier copies tensors to (GXF's ``CopyMode``)."""

    kCopyToDevice = 0  # copy to device memory
    kCopyToHost = 1    # copy to (pinned) host memory
    kCopyToSystem = 2  # copy to system memory


_TARGET = {
    CopyMode.kCopyToDevice: MemoryStorageType.kDevice,
    CopyMode.kCopyToHost: MemoryStorageType.kHost,
    CopyMode.kCopyToSystem: MemoryStorageType.kSystem,
}
# Storage types each mode copies from (GXF copies host, system and device memory).
_SOURCES = {MemoryStorageType.kHost, MemoryStorageType.kSystem, MemoryStorageType.kDevice}


class TensorCopier(Codelet, type_name="nvidia::gxf::TensorCopier",
                   uuid="c07680f4-75b3-189b-8886-4b5e448e7bb6"):
    """Moves the tensors of each message into another kind of memory: device, host or system.

    Each tick receives one message, replaces every tensor not yet in the target memory by a copy in
    memory from ``allocator`` (same shape, type and strides), and publishes the same message. Host
    and system copies need nothing more; device copies need gxf-cuda with CuPy and a GPU. When the
    message names a CUDA stream (a CudaStreamId), device copies are queued on that stream, after the
    work that produced the data, and finished before the message is published.
    """

    receiver = Parameter(Handle(Receiver), description="Where messages come in")
    transmitter = Parameter(Handle(Transmitter), description="Where messages go out, their tensors copied")
    allocator = Parameter(Handle(Allocator), description="Where the copies' memory comes from")
    mode = Parameter(CopyMode, description="The target memory: kCopyToDevice (0), kCopyToHost (1, pinned "
                     "host memory) or kCopyToSystem (2); tensors already there are left as they are")

    def start(self) -> None:
        self._target = _TARGET[CopyMode(self.mode)]

    def tick(self) -> None:
        message = self.receiver.receive()
        if message is None:
            raise ExecutionError(f"{self.describe_self()} ticked without a message to receive",
                                 self.location, "add a MessageAvailableSchedulingTerm on its receiver")
        target = self._target
        allocator = self.allocator
        # Device copies follow the work queued on the message's stream, if it names one.
        stream = message_stream(message, self.context)
        for component in message.components:
            if component.__class__ is not Tensor and not isinstance(component, Tensor):
                continue
            storage = component._storage_type
            if storage == target:
                continue
            if storage not in _SOURCES:
                raise ExecutionError(f"{self.describe_self()}: tensor '{component.name}' is in "
                                     f"{storage.name} memory, which it cannot copy", self.location)
            component.copy_to(target, allocator, stream)
        self.transmitter.publish(message)
