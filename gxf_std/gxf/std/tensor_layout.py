"""Tensor layouts: shape, element type and strides in bytes, checked, and the memory they span.

A layout says where each element of a tensor lies relative to the first one: ``strides[i]`` bytes
between neighbours along dimension ``i``. Dense (packed, row-major) strides follow from the shape and
the bytes per element; strides given by a user are checked, and are never negative (GXF's are
unsigned). ``TensorDescription`` is a layout with a name and a storage type, as GXF describes a tensor
to be made. Nothing here holds memory: the Tensor component gets it from an allocator or wraps
memory another library owns.
"""

from __future__ import annotations

from gxf.core import GxfError

from .memory_storage import MemoryStorageType
from .primitive_type import PrimitiveType, as_primitive_type, primitive_type_size
from .shape import Shape

__all__ = ["TensorDescription", "TensorError", "as_element_type", "check_layout", "checked_strides",
           "dense_strides", "is_dense", "layout_extent"]


#: What GXF's binding reads from a TensorDescription made without strides: its array of eight, all zero.
UNSET_STRIDES = (0,) * 8


class TensorError(GxfError, ValueError):
    """Bad use of the tensor API (a ValueError too, as GXF's Python binding raises)."""


class TensorDescription:
    """What a tensor should look like: name, storage type, shape, element type, bytes per element, strides.

    ``strides`` (bytes per step in each dimension) reads as GXF's Python binding gives it: the strides
    given, or without them eight zeros (GXF's fixed array, unset). ``reshape(description, allocator)``
    makes a description without strides dense, while ``reshape_custom(..., description.strides, ...)``
    passes the zeros on, as in GXF; ``layout_strides`` is None for a description without strides.
    """

    __slots__ = ("name", "storage_type", "shape", "element_type", "bytes_per_element", "layout_strides")

    def __init__(self, name: str, storage_type, shape, element_type, bytes_per_element: int,
                 strides=None):
        self.name = name
        self.storage_type = MemoryStorageType(storage_type)
        self.shape = shape if isinstance(shape, Shape) else Shape(shape)
        self.element_type = as_primitive_type(element_type)
        self.bytes_per_element = int(bytes_per_element)
        self.layout_strides = tuple(int(s) for s in strides) if strides else None

    @property
    def strides(self) -> tuple[int, ...]:
        return self.layout_strides if self.layout_strides is not None else UNSET_STRIDES

    @strides.setter
    def strides(self, value) -> None:
        self.layout_strides = tuple(int(s) for s in value) if value else None

    def __repr__(self) -> str:
        return (f"TensorDescription(name={self.name!r}, storage_type={self.storage_type.name}, "
                f"shape={self.shape!r}, element_type={self.element_type.name}, "
                f"bytes_per_element={self.bytes_per_element}, strides={self.layout_strides})")


def as_element_type(value, what: str = "element_type") -> PrimitiveType:
    """``value`` (a PrimitiveType, its name or its number) as a PrimitiveType; a TensorError naming
    ``what`` if it is none."""
    try:
        return as_primitive_type(value)
    except ValueError as exc:
        raise TensorError(f"{what}: {exc}") from None


def check_layout(shape, element_type, bytes_per_element, strides) -> tuple:
    """A checked layout: ``(Shape, PrimitiveType, bytes_per_element, strides, bytes it spans)``.

    ``strides`` are bytes per step in each dimension (at least one per dimension; extra ones are
    ignored, as GXF takes a fixed array of eight); None or empty means dense. Raises TensorError for
    a negative dimension, too few or negative strides, or elements smaller than their type.
    """
    shape = shape if shape.__class__ is Shape else Shape(shape)
    dims = shape._dims
    if element_type.__class__ is not PrimitiveType:
        element_type = as_element_type(element_type)
    if bytes_per_element.__class__ is not int:
        try:
            bytes_per_element = int(bytes_per_element)
        except (TypeError, ValueError):
            raise TensorError(f"bytes_per_element must be an integer, not {bytes_per_element!r}") from None
    if bytes_per_element <= 0:
        raise TensorError(f"bytes_per_element must be positive, got {bytes_per_element}")
    if element_type != PrimitiveType.kCustom and bytes_per_element < primitive_type_size(element_type):
        raise TensorError(f"bytes_per_element {bytes_per_element} is smaller than one "
                          f"{element_type.name} ({primitive_type_size(element_type)} bytes)")
    for dim in dims:
        if dim < 0:
            raise TensorError(f"shape {list(dims)} has a negative dimension")
    if strides is None or len(strides) == 0:
        strides = dense_strides(dims, bytes_per_element)
    else:
        strides = checked_strides(dims, bytes_per_element, strides)
    return shape, element_type, bytes_per_element, strides, layout_extent(dims, strides, bytes_per_element)


def dense_strides(dims, bytes_per_element: int) -> tuple[int, ...]:
    """The strides of a packed row-major layout: the last dimension steps one element."""
    strides = [0] * len(dims)
    step = bytes_per_element
    for index in range(len(dims) - 1, -1, -1):
        strides[index] = step
        step *= dims[index]
    return tuple(strides)


def checked_strides(dims, bytes_per_element: int, strides) -> tuple[int, ...]:
    """``strides`` for a tensor of dimensions ``dims``: one per dimension, never negative.

    None or empty gives dense strides; strides past the rank are dropped.
    """
    if strides is None or len(strides) == 0:
        return dense_strides(dims, bytes_per_element)
    if len(strides) < len(dims):
        raise TensorError(f"{len(strides)} strides were given for a tensor of rank {len(dims)}",
                          hint="give one stride (in bytes) per dimension, or None for a dense layout")
    result = tuple(int(s) for s in list(strides)[:len(dims)])
    if min(result, default=0) < 0:
        raise TensorError(f"strides {list(result)} must not be negative")
    return result


def layout_extent(dims, strides, bytes_per_element: int) -> int:
    """Bytes a layout needs: the elements, or the span the strides reach if that is more.

    0 for rank 0 and for a shape with a zero dimension.
    """
    count = 1
    span = bytes_per_element
    for dim, stride in zip(dims, strides):
        if dim == 0:
            return 0
        count *= dim
        span += (dim - 1) * stride
    if not dims:
        return 0
    return max(count * bytes_per_element, span)


def is_dense(dims, strides, bytes_per_element: int) -> bool:
    """True if the elements are densely packed in row-major order."""
    expected = bytes_per_element
    for dim, stride in zip(reversed(dims), reversed(strides)):
        if stride != expected:
            return False
        expected *= dim
    return True
