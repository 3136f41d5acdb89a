"""What the tensor test helpers share: messages of tensors, GXF's stride helpers, host access to data."""

from __future__ import annotations

from gxf.core import MessageEntity
from gxf.std.memory_storage import HOST_ACCESSIBLE, MemoryStorageType, memory_copy
from gxf.std.primitive_type import PrimitiveType, primitive_type_size, to_dtype
from gxf.std.tensor import Tensor, TensorDescription


def create_tensor_map(context, allocator, descriptions) -> MessageEntity:
    """A message with one tensor per TensorDescription, memory from ``allocator`` (GXF's CreateTensorMap)."""
    message = MessageEntity(context)
    for description in descriptions:
        tensor = Tensor.add_to_entity(message, description.name)
        tensor.reshape(description, allocator)
    return message


def describe(name: str, storage_type, shape, element_type: PrimitiveType, strides=None) -> TensorDescription:
    """A TensorDescription of a primitive element type."""
    return TensorDescription(name, storage_type, shape, element_type, primitive_type_size(element_type),
                             strides)


def compute_strides(shape, steps) -> tuple[int, ...]:
    """Strides (bytes) where each dimension's stride is the smallest multiple of its step that holds the
    next dimension (GXF's ComputeStrides); ``steps[-1]`` is the element size."""
    dims = tuple(shape)
    if not dims:
        return ()
    strides = [0] * len(dims)
    strides[-1] = steps[len(dims) - 1]
    for index in range(len(dims) - 2, -1, -1):
        step = steps[index]
        strides[index] = (strides[index + 1] * dims[index + 1] + step - 1) // step * step
    return tuple(strides)


def compute_row_strides(shape, row_step_size: int, bytes_per_element: int) -> tuple[int, ...]:
    """Strides with rows (the third dimension from the end) aligned to ``row_step_size`` bytes (GXF's
    ComputeRowStrides); the shape needs at least three dimensions."""
    rank = len(tuple(shape))
    if rank < 3 or row_step_size <= 0:
        raise ValueError(f"row strides need a shape of rank 3 or more and a positive row step, got rank "
                         f"{rank} and step {row_step_size}")
    steps = [1] * rank
    steps[rank - 3] = row_step_size
    steps[rank - 1] = bytes_per_element
    return compute_strides(shape, steps)


def host_array(tensor: Tensor):
    """The tensor's elements as a NumPy array: a view of host and system memory, a copy of device memory."""
    import numpy

    storage = tensor.storage_type()
    if storage in HOST_ACCESSIBLE:
        return numpy.asarray(tensor)
    buffer = numpy.empty(max(tensor.size(), 1), numpy.uint8)
    memory_copy(buffer.ctypes.data, MemoryStorageType.kSystem, tensor.pointer(), storage, tensor.size())
    dtype = to_dtype(tensor.element_type(), tensor.bytes_per_element())
    return numpy.ndarray(tuple(tensor.shape().dims), dtype, buffer=buffer, strides=tensor.strides())


def fill(tensor: Tensor, values) -> None:
    """Writes ``values`` (anything NumPy can broadcast to the tensor) into the tensor's memory."""
    import numpy

    storage = tensor.storage_type()
    if storage in HOST_ACCESSIBLE:
        numpy.asarray(tensor)[...] = values
        return
    dtype = to_dtype(tensor.element_type(), tensor.bytes_per_element())
    host = numpy.empty(tuple(tensor.shape().dims), dtype)
    host[...] = values
    if not tensor.is_contiguous():
        raise ValueError("filling strided device tensors is not supported")
    memory_copy(tensor.pointer(), storage, host.ctypes.data, MemoryStorageType.kSystem, host.nbytes)
