"""Endpoint: where serialized bytes go to and come from (a buffer in memory, a file, a network link).

Serializers only ever call ``write`` and ``read``/``readinto`` of an endpoint, so one serializer writes
to every kind of endpoint. ``tell()`` gives the byte position when the endpoint has one, so that errors
can say where in a stream bad bytes were found.
"""

from __future__ import annotations

from gxf.core import Component

from .file_format import SerializationError


class Endpoint(Component, type_name="nvidia::gxf::Endpoint", uuid="801449dd-1657-513f-a3f8-f648047583d0",
               abstract=True):
    """Interface for exchanging data with the world outside the graph: bytes in, bytes out."""

    def is_write_available(self) -> bool:
        """True if the endpoint can be written to."""
        return True

    def is_read_available(self) -> bool:
        """True if the endpoint can be read from."""
        return True

    def write(self, data) -> int:
        """Writes ``data`` (any bytes-like object) and returns the number of bytes written."""
        raise NotImplementedError

    def read(self, size: int) -> bytes:
        """Reads up to ``size`` bytes; fewer only at the end of the data."""
        raise NotImplementedError

    def reader(self):
        """The function reading bytes: ``read``, or a faster one doing the same (a file's own)."""
        return self.read

    def readinto(self, buffer) -> int:
        """Reads into ``buffer`` (a writable bytes-like object); returns the number of bytes read."""
        data = self.read(len(memoryview(buffer).cast("B")))
        memoryview(buffer).cast("B")[: len(data)] = data
        return len(data)

    def write_ptr(self, pointer: int, size: int, storage_type) -> None:
        """Hands over memory to send by address instead of copying it (network endpoints only)."""
        raise SerializationError(f"{type(self).__name__} does not take memory by address (write_ptr)",
                                 hint="write the bytes with write()")

    def tell(self) -> int | None:
        """The current byte position, or None where the endpoint has none."""
        return None

    # GXF's names of the same calls
    def write_trivial_type(self, packed: bytes) -> int:
        return self.write(packed)

    def read_trivial_type(self, size: int) -> bytes:
        return self.read(size)
