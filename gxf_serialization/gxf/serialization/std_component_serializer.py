"""StdComponentSerializer: Timestamp, Tensor, EndOfStream and the primitive value components.

The bytes are GXF 5.7's (all little-endian):

- Timestamp: i64 pubtime, i64 acqtime;
- Tensor: a 116-byte header (i32 storage type, i32 element type, u64 bytes per element, u32 rank,
  i32 dims[8] with 1 past the rank, u64 strides[8] with 0 past the rank) and then the elements,
  ``element_count * bytes_per_element`` bytes. A tensor whose elements are not packed is written as
  a packed copy (with packed strides), so that every reader gets its values; a device tensor is copied
  to the host first, on the CUDA stream its message names (a CudaStreamId; needs gxf-cuda), after the
  work queued there;
- int8 ... uint64, float, double, bool: the value (1, 2, 4 or 8 bytes; bool one byte);
- EndOfStream: i64 stream id, as GXF's UCX serializer writes it. GXF's own StdComponentSerializer does
  not know EndOfStream: real GXF drops a recorded entity holding one (see the README);
- complex64 / complex128 (this project's): the real then the imaginary part, two floats or doubles.
"""

from __future__ import annotations

import ctypes
import struct

from gxf.core import Component, Handle, Parameter
from gxf.std.allocator import Allocator
from gxf.std.end_of_stream import EndOfStream
from gxf.std.memory_storage import (HOST_ACCESSIBLE, DeviceUnavailableError, MemoryStorageType, memory_copy,
                                    message_stream)
from gxf.std.primitive_type import PrimitiveType, primitive_type_size, to_dtype
from gxf.std.primitives import (Bool, Complex64, Complex128, Float32, Float64, Int8, Int16, Int32, Int64,
                                UInt8, UInt16, UInt32, UInt64)
from gxf.std.shape import Shape
from gxf.std.tensor import Tensor
from gxf.std.tensor_layout import TensorError, dense_strides
from gxf.std.timestamp import Timestamp

from .component_serializer import ComponentSerializer, TypeSerializer, read_exact, readinto_exact
from .file_format import CorruptEntityError, SerializationError

TIMESTAMP = struct.Struct("<qq")
TENSOR_HEADER = struct.Struct("<iiQI8i8Q")
END_OF_STREAM = struct.Struct("<q")
_STORAGE_TYPES = frozenset(int(t) for t in MemoryStorageType)
_ELEMENT_TYPES = frozenset(int(t) for t in PrimitiveType)


def _host_view(address: int, size: int) -> memoryview:
    """A byte view of ``size`` bytes of host memory at ``address``."""
    return memoryview((ctypes.c_char * size).from_address(address)).cast("B")


# --- Timestamp -------------------------------------------------------------------------------------
def _write_timestamp(component, endpoint) -> int:
    endpoint.write(TIMESTAMP.pack(component.pubtime, component.acqtime))
    return 16


def _read_timestamp(component, endpoint) -> None:
    component.pubtime, component.acqtime = TIMESTAMP.unpack(read_exact(endpoint, 16, "a Timestamp"))


_pack_timestamp = TIMESTAMP.pack
_unpack_timestamp_from = TIMESTAMP.unpack_from


def _pack_timestamp_of(component) -> bytes:
    return _pack_timestamp(component.pubtime, component.acqtime)


def _make_timestamp(name, owner) -> Timestamp:
    return Timestamp(0, 0, name, owner)


def _unpack_timestamp(component, data, offset) -> None:
    component.pubtime, component.acqtime = _unpack_timestamp_from(data, offset)


# --- EndOfStream -----------------------------------------------------------------------------------
def _write_end_of_stream(component, endpoint) -> int:
    endpoint.write(END_OF_STREAM.pack(component.stream_id()))
    return 8


def _read_end_of_stream(component, endpoint) -> None:
    component.stream_id(END_OF_STREAM.unpack(read_exact(endpoint, 8, "an EndOfStream"))[0])


# --- primitive values ------------------------------------------------------------------------------
def _value_serializer(cls, fmt: str) -> TypeSerializer:
    packer = struct.Struct("<" + fmt)
    size = packer.size
    pack, unpack, unpack_from = packer.pack, packer.unpack, packer.unpack_from
    what = f"the value of type {cls.type_name()}"

    def write(component, endpoint) -> int:
        endpoint.write(pack(component.value))
        return size

    def read(component, endpoint) -> None:
        component.value = unpack(read_exact(endpoint, size, what))[0]

    def fast_pack(component) -> bytes:
        return pack(component.value)

    def fast_unpack(component, data, offset) -> None:
        component.value = unpack_from(data, offset)[0]

    new, init = cls.__new__, Component.__init__

    def fresh():
        """A fresh component whose value the reader sets (no conversion of a default on the way)."""
        component = new(cls)
        init(component)
        return component

    def make(name, owner):
        component = new(cls)
        init(component, name, owner)
        return component

    return TypeSerializer(cls, write, read, fresh, pack=fast_pack, unpack_from=fast_unpack, size=size,
                          make=make)


def _complex_serializer(cls, fmt: str) -> TypeSerializer:
    packer = struct.Struct("<" + fmt * 2)
    size = packer.size
    what = f"the value of type {cls.type_name()}"

    def write(component, endpoint) -> int:
        value = component.value
        endpoint.write(packer.pack(value.real, value.imag))
        return size

    def read(component, endpoint) -> None:
        real, imag = packer.unpack(read_exact(endpoint, size, what))
        component.value = complex(real, imag)

    return TypeSerializer(cls, write, read)


VALUE_FORMATS = ((Int8, "b"), (UInt8, "B"), (Int16, "h"), (UInt16, "H"), (Int32, "i"), (UInt32, "I"),
                 (Int64, "q"), (UInt64, "Q"), (Float32, "f"), (Float64, "d"), (Bool, "?"))


# --- Tensor ----------------------------------------------------------------------------------------
def tensor_header(tensor, strides=None) -> bytes:
    """The 116-byte header GXF writes before a tensor's elements (``strides`` replaces the tensor's)."""
    shape = tensor.shape()
    rank = tensor.rank()
    if strides is None:
        strides = tensor.strides()
    dims = [shape.dimension(i) for i in range(8)]
    padded = list(strides[:rank]) + [0] * (8 - rank)
    return TENSOR_HEADER.pack(int(tensor.storage_type()), int(tensor.element_type()),
                              tensor.bytes_per_element(), rank, *dims, *padded)


def tensor_host_bytes(tensor) -> memoryview:
    """The tensor's elements in packed row-major order, in host memory (device tensors are copied)."""
    size = tensor.element_count() * tensor.bytes_per_element()
    storage = tensor.storage_type()
    if storage in HOST_ACCESSIBLE:
        if size == 0:
            return memoryview(b"")
        if tensor.is_contiguous():
            return _host_view(tensor.pointer(), size)
        import numpy

        return memoryview(numpy.ascontiguousarray(numpy.asarray(tensor))).cast("B")
    if storage == MemoryStorageType.kDevice:
        return _device_to_host(tensor, size)
    raise SerializationError(f"tensor '{tensor.name}' has storage type {int(storage)}, which cannot be "
                             "serialized", hint="use storage type 0 (kHost), 1 (kDevice) or 2 (kSystem)")


def _device_to_host(tensor, size: int) -> memoryview:
    """A device tensor's elements copied to the host on its message's CUDA stream, then waited for."""
    import numpy

    if size == 0:
        return memoryview(b"")
    message = tensor.entity
    stream = message_stream(message, tensor.context) if message is not None else None
    span = tensor.size()
    host = numpy.empty(span, numpy.uint8)
    try:
        memory_copy(host.ctypes.data, MemoryStorageType.kSystem, tensor.pointer(), MemoryStorageType.kDevice,
                    span, stream)
        if stream is not None:
            stream.sync_stream()
    except DeviceUnavailableError as exc:
        raise SerializationError(f"tensor '{tensor.name}' is in device memory, which cannot be copied to "
                                 f"the host here: {exc.message}", hint=exc.hint) from None
    if tensor.is_contiguous():
        return memoryview(host)[:size]
    dtype = to_dtype(tensor.element_type(), tensor.bytes_per_element())
    view = numpy.lib.stride_tricks.as_strided(host.view(dtype), tensor.shape().dims, tensor.strides())
    return memoryview(numpy.ascontiguousarray(view)).cast("B")


def _read_tensor_header(endpoint) -> tuple:
    fields = TENSOR_HEADER.unpack(read_exact(endpoint, TENSOR_HEADER.size, "a tensor header"))
    storage, element, bytes_per_element, rank = fields[:4]
    if storage not in _STORAGE_TYPES:
        raise CorruptEntityError(f"a tensor header has storage type {storage}, which does not exist "
                                 "(0 kHost, 1 kDevice, 2 kSystem, 3 kCudaManaged)")
    if element not in _ELEMENT_TYPES:
        raise CorruptEntityError(f"a tensor header has element type {element}, which does not exist (0 .. 13)")
    if rank > Shape.kMaxRank:
        raise CorruptEntityError(f"a tensor header has rank {rank}; a tensor has at most 8 dimensions")
    size = primitive_type_size(PrimitiveType(element))
    if bytes_per_element <= 0 or (size and bytes_per_element != size):
        raise CorruptEntityError(f"a tensor header has {bytes_per_element} bytes per element for element "
                                 f"type {PrimitiveType(element).name}")
    dims = fields[4:4 + rank]
    strides = fields[12:12 + rank]
    return MemoryStorageType(storage), PrimitiveType(element), bytes_per_element, dims, strides


class StdComponentSerializer(ComponentSerializer, type_name="nvidia::gxf::StdComponentSerializer",
                             uuid="c0e6b36c-39ac-50ac-ce8d-702e18d8bff7"):
    """Serializer for Timestamp, Tensor, EndOfStream and primitive value components (GXF's bytes)."""

    allocator = Parameter(Handle(Allocator), description="Allocator of the memory of deserialized tensors")

    def type_serializers(self) -> list[TypeSerializer]:
        serializers = [TypeSerializer(Timestamp, _write_timestamp, _read_timestamp, pack=_pack_timestamp_of,
                                      unpack_from=_unpack_timestamp, size=16, make=_make_timestamp),
                       TypeSerializer(Tensor, self._write_tensor, self._read_tensor)]
        serializers += [_value_serializer(cls, fmt) for cls, fmt in VALUE_FORMATS]
        serializers += [TypeSerializer(EndOfStream, _write_end_of_stream, _read_end_of_stream),
                        _complex_serializer(Complex64, "f"), _complex_serializer(Complex128, "d")]
        return serializers

    def _write_tensor(self, tensor, endpoint) -> int:
        data = tensor_host_bytes(tensor)
        strides = None
        if not tensor.is_contiguous():
            strides = dense_strides([tensor.shape().dimension(i) for i in range(tensor.rank())],
                                    tensor.bytes_per_element())
        header = tensor_header(tensor, strides)
        endpoint.write(header)
        endpoint.write(data)
        return len(header) + data.nbytes

    def _read_tensor(self, tensor, endpoint) -> None:
        storage, element, bytes_per_element, dims, strides = _read_tensor_header(endpoint)
        try:
            tensor.reshape_custom(Shape(dims), element, bytes_per_element, strides, storage, self.allocator)
        except TensorError as exc:
            raise CorruptEntityError(f"a tensor header describes no valid tensor: {exc.message}") from None
        size = tensor.element_count() * bytes_per_element
        if size == 0:
            return
        if storage in HOST_ACCESSIBLE and storage != MemoryStorageType.kCudaManaged:
            readinto_exact(endpoint, _host_view(tensor.pointer(), size), f"the data of tensor '{tensor.name}'")
            return
        staging = bytearray(size)
        readinto_exact(endpoint, staging, f"the data of tensor '{tensor.name}'")
        source = (ctypes.c_char * size).from_buffer(staging)
        memory_copy(tensor.pointer(), storage, ctypes.addressof(source), MemoryStorageType.kSystem, size)
