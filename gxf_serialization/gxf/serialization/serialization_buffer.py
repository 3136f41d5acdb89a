"""SerializationBuffer: an endpoint over a block of memory, written and read front to back.

A message serialized into a buffer can be sent as one piece (``data()``) and read back elsewhere. As in
GXF the buffer does not grow by itself: a write past its capacity fails (``resize`` makes room and
starts over).
"""

from __future__ import annotations

import ctypes

from gxf.core import Handle, Parameter, ParameterError
from gxf.std.allocator import Allocator
from gxf.std.memory_storage import HOST_ACCESSIBLE, MemoryStorageType

from .endpoint import Endpoint
from .file_format import SerializationError


def _view(address: int, size: int) -> memoryview:
    """A writable byte view of host memory at ``address``."""
    return memoryview((ctypes.c_char * size).from_address(address)).cast("B") if size else memoryview(
        bytearray())


class SerializationBuffer(Endpoint, type_name="nvidia::gxf::SerializationBuffer",
                          uuid="cb253dce-cce6-2ff4-84ef-3cf1db6e24a3"):
    """A buffer that holds serialized data: writes append, reads take bytes from the front."""

    allocator = Parameter(Handle(Allocator), description="Allocator of the buffer's memory")
    buffer_size = Parameter(int, 1 << 12, "Size of the buffer in bytes when the graph starts (4 KiB)",
                            minimum=0)
    storage_type = Parameter(int, 2, "Memory storage type of the buffer: 0 kHost, 2 kSystem (default)")

    def initialize(self) -> None:
        self._block = None
        self._memory = memoryview(bytearray())
        self._write_offset = 0
        self._read_offset = 0
        self.resize(self.buffer_size, self.storage_type)

    def deinitialize(self) -> None:
        self._free()

    def _free(self) -> None:
        self._memory = memoryview(bytearray())
        block, self._block = self._block, None
        if block is not None:
            block.release()

    def resize(self, size: int, storage_type=MemoryStorageType.kSystem) -> None:
        """Replaces the buffer's memory by ``size`` fresh bytes and starts writing and reading over."""
        try:
            storage_type = MemoryStorageType(storage_type)
        except ValueError:
            raise ParameterError(f"{self.describe_self()}: storage_type {storage_type!r} is not a memory "
                                 "storage type", self.location, "use 0 (kHost) or 2 (kSystem)") from None
        if storage_type not in HOST_ACCESSIBLE:
            raise ParameterError(f"{self.describe_self()}: a SerializationBuffer lives in host memory, not "
                                 f"{storage_type.name}", self.location, "use 0 (kHost) or 2 (kSystem)")
        self._free()
        block = self.allocator.allocate(int(size), storage_type)
        self._block = block
        self._memory = _view(block.address, int(size))
        self._storage = storage_type
        self._write_offset = self._read_offset = 0

    def wrap_memory(self, buffer, storage_type=MemoryStorageType.kSystem) -> None:
        """Makes ``buffer`` (a writable bytes-like object, e.g. received data) the buffer's memory."""
        self._free()
        self._memory = memoryview(buffer).cast("B")
        self._storage = MemoryStorageType(storage_type)
        self._write_offset = len(self._memory) if self._memory.readonly else 0
        self._read_offset = 0

    def load(self, data) -> None:
        """Makes ``data`` (bytes received from elsewhere) the content to read, without copying it."""
        self._free()
        self._memory = memoryview(data).cast("B")
        self._storage = MemoryStorageType.kSystem
        self._write_offset = len(self._memory)
        self._read_offset = 0

    def write(self, data) -> int:
        size = len(data) if data.__class__ is bytes else memoryview(data).nbytes
        start = self._write_offset
        end = start + size
        if end > len(self._memory):
            raise SerializationError(
                f"{self.describe_self()}: {size} bytes do not fit: {len(self._memory) - start} of "
                f"{len(self._memory)} bytes are left", self.location,
                "raise buffer_size, or resize() the buffer before serializing a larger message")
        self._memory[start:end] = data if data.__class__ is bytes else memoryview(data).cast("B")
        self._write_offset = end
        return size

    def read(self, size: int) -> bytes:
        start = self._read_offset
        end = min(start + size, self._write_offset)
        self._read_offset = end
        return self._memory[start:end].tobytes()

    def readinto(self, buffer) -> int:
        target = memoryview(buffer).cast("B")
        start = self._read_offset
        end = min(start + len(target), self._write_offset)
        target[: end - start] = self._memory[start:end]
        self._read_offset = end
        return end - start

    def tell(self) -> int:
        return self._read_offset

    def data(self) -> bytes:
        """The bytes written so far."""
        return self._memory[: self._write_offset].tobytes()

    def view(self) -> memoryview:
        """The bytes written so far, without a copy (valid until the buffer is written or resized)."""
        return self._memory[: self._write_offset]

    def size(self) -> int:
        """Bytes written so far."""
        return self._write_offset

    def capacity(self) -> int:
        return len(self._memory)

    def storage_type_(self) -> MemoryStorageType:
        """Where the buffer's memory lives (GXF's ``storage_type()``)."""
        return self._storage

    def reset(self) -> None:
        """Starts writing and reading from the front again."""
        self._write_offset = self._read_offset = 0
