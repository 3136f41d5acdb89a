"""Tensor: one multi-dimensional array in a message, shared without copies with NumPy, CuPy and DLPack.

A tensor is a layout (a shape, an element type and strides in bytes) over a piece of memory of one
storage type. This module holds the Tensor component itself: what it is, memory from an Allocator
(``reshape``/``reshape_custom``), copies into other storage (``copy_to``) and how long memory lives.
Tensor is composed from the modules of its other concerns:

- ``tensor_layout``: layout arithmetic and checks, ``TensorDescription`` and ``TensorError``;
- ``array_interop``: exchange with NumPy, CuPy and DLPack (``np.asarray(tensor)``,
  ``Tensor.as_tensor``, ``Tensor.from_dlpack``, ``__dlpack__``);
- ``tensor_messages``: ``Tensor.add_to_entity`` and the other helpers for tensors in messages.

Memory stays valid as long as anything uses it: a NumPy view keeps its tensor alive, and a tensor
whose memory was exported keeps its old memory when reshaped, until the tensor itself goes.
"""

from __future__ import annotations

from gxf.core import Component

from .allocator import Allocator
from .array_interop import ArrayInterop, pointer_capsule
from .memory_storage import MemoryBlock, MemoryStorageType, memory_copy
from .primitive_type import PrimitiveType, primitive_type_size, to_dtype
from .shape import EMPTY_SHAPE, Shape
from .tensor_layout import TensorDescription, TensorError, as_element_type, check_layout, is_dense
from .tensor_messages import TensorMessages

__all__ = ["Tensor", "TensorDescription", "TensorError"]

_kHost = MemoryStorageType.kHost


class Tensor(ArrayInterop, TensorMessages, Component, type_name="nvidia::gxf::Tensor",
             uuid="377501d6-9abf-447c-a617-0114d4f33ab8"):
    """One multi-dimensional array in a message: its shape, element type, strides and memory.

    Add tensors to a message with ``Tensor.add_to_entity(message, name)``; the component name is
    the tensor's key. Exchange data without copies: ``np.asarray(tensor)``, ``Tensor.as_tensor(array)``,
    ``np.from_dlpack(tensor)``, ``Tensor.from_dlpack(array)`` (and the same with CuPy on a GPU).
    """

    def __init__(self, array=None):
        Component.__init__(self)
        self._shape = EMPTY_SHAPE
        self._element_type = PrimitiveType.kUnsigned8
        self._bytes_per_element = 1
        self._strides = ()
        self._storage_type = _kHost
        self._address = 0
        self._size = 0
        self._readonly = False
        self._device_id = 0
        self._memory = None    # a MemoryBlock, or the object that owns wrapped memory
        self._retired = None   # once exported: memory views may still use, kept while the tensor lives
        if array is not None:
            self._init_from_array(array)

    # --- what the tensor is -----------------------------------------------------------------------------
    def shape(self) -> Shape:
        return self._shape

    def rank(self) -> int:
        return len(self._shape._dims)

    def element_type(self) -> PrimitiveType:
        return self._element_type

    def bytes_per_element(self) -> int:
        return self._bytes_per_element

    def element_count(self) -> int:
        return self._shape.size()

    def size(self) -> int:
        """The size of the tensor's memory in bytes."""
        return self._size

    def storage_type(self) -> MemoryStorageType:
        return self._storage_type

    def pointer(self) -> int:
        """The address of the first element (0 for a tensor without memory)."""
        self._mark_exported()
        return self._address

    def stride(self, index: int) -> int:
        """Bytes between two elements along dimension ``index`` (0 past the rank, as in GXF)."""
        strides = self._strides
        return strides[index] if 0 <= index < len(strides) else 0

    def strides(self) -> tuple[int, ...]:
        return self._strides

    def bytes_size(self) -> int:
        """Bytes spanned by the first dimension: ``dimension(0) * stride(0)``."""
        return self._shape.dimension(0) * self.stride(0)

    def is_contiguous(self) -> bool:
        """True if the elements are densely packed in row-major order."""
        return is_dense(self._shape._dims, self._strides, self._bytes_per_element)

    def get_tensor_description(self) -> TensorDescription:
        return TensorDescription(self.name, self._storage_type, self._shape, self._element_type,
                                 self._bytes_per_element, self._strides)

    def get_tensor_info(self) -> tuple:
        """``(pointer, size, dtype, rank, dims, strides)`` as GXF's binding returns it.

        The pointer is a PyCapsule (unnamed, None without memory), as in GXF, so that
        ``ctypes.pythonapi.PyCapsule_GetPointer(pointer, None)`` gives the address.
        """
        self._mark_exported()
        dims = list(self._shape._dims)
        return (pointer_capsule(self._address), self._size,
                to_dtype(self._element_type, self._bytes_per_element), len(dims), dims,
                list(self._strides))

    # --- getting memory from an allocator -----------------------------------------------------------------
    def reshape(self, description, element_type_or_allocator=None, storage_type=None, allocator=None) -> None:
        """Gives the tensor a new shape and memory from an allocator.

        ``reshape(TensorDescription, allocator)``, or ``reshape(shape, element_type, storage_type,
        allocator)`` for a dense tensor of a primitive type (GXF's ``reshape<T>``).
        """
        if isinstance(description, TensorDescription):
            self.reshape_custom(description.shape, description.element_type, description.bytes_per_element,
                                description.layout_strides, description.storage_type,
                                allocator if allocator is not None else element_type_or_allocator)
            return
        element_type = as_element_type(element_type_or_allocator, "element_type")
        size = primitive_type_size(element_type)
        if size == 0:
            raise TensorError("reshape() of a kCustom tensor needs its bytes per element",
                              hint="use reshape_custom(shape, element_type, bytes_per_element, strides, "
                              "storage_type, allocator)")
        self.reshape_custom(description, element_type, size, None,
                            _kHost if storage_type is None else storage_type, allocator)

    def reshape_custom(self, shape, element_type, bytes_per_element: int, strides, storage_type,
                       allocator) -> None:
        """Gives the tensor a new shape, element type and layout, and memory from ``allocator``.

        ``strides`` are bytes per step in each dimension (at least ``rank`` of them; extra ones are
        ignored, as GXF takes a fixed array of 8); None or empty means dense. The previous memory is
        released first, as in GXF.
        """
        shape, element_type, bytes_per_element, strides, nbytes = check_layout(
            shape, element_type, bytes_per_element, strides)
        if storage_type.__class__ is not MemoryStorageType:
            try:
                storage_type = MemoryStorageType(storage_type)
            except ValueError:
                raise TensorError(f"{storage_type!r} is not a MemoryStorageType",
                                  hint="use MemoryStorageType.kHost, kDevice or kSystem") from None
        if not isinstance(allocator, Allocator):
            raise TensorError(f"reshaping a tensor needs an Allocator, not {allocator!r}",
                              hint="pass an allocator component, e.g. Allocator.get(context, cid, 'pool')")
        self._drop_memory()
        self._shape, self._strides = EMPTY_SHAPE, ()
        block = allocator.allocate(nbytes, storage_type)
        self._set(block, block.address, shape, element_type, bytes_per_element, strides, storage_type,
                  nbytes, block.device_id)

    # --- copies between storage types -------------------------------------------------------------------
    def copy_to(self, storage_type, allocator, stream=None) -> None:
        """Moves the tensor's data into new ``storage_type`` memory from ``allocator``, same layout.

        The old memory is released (or kept while views of it may exist); used by TensorCopier. With
        ``stream`` (a CudaStream of gxf-cuda) a copy to or from the device is queued on that stream,
        after the work already there, and waited for before the old memory is released.
        """
        storage_type = MemoryStorageType(storage_type)
        if not isinstance(allocator, Allocator):
            raise TensorError(f"copying a tensor needs an Allocator, not {allocator!r}")
        size = self._size  # the span the strides reach from the first element, which is all there is
        block = allocator.allocate(size, storage_type)
        memory_copy(block.address, storage_type, self._address, self._storage_type, size, stream)
        if stream is not None:
            stream.sync_stream()
        self._drop_memory()
        self._set(block, block.address, self._shape, self._element_type, self._bytes_per_element,
                  self._strides, storage_type, size, block.device_id)

    # --- internals -----------------------------------------------------------------------------------------
    def _set(self, memory, address, shape, element_type, bytes_per_element, strides, storage_type, size,
             device_id) -> None:
        self._memory = memory
        self._address = address
        self._shape = shape
        self._element_type = element_type
        self._bytes_per_element = bytes_per_element
        self._strides = tuple(strides)
        self._storage_type = storage_type
        self._size = size
        self._device_id = device_id
        self._readonly = False

    def _mark_exported(self) -> None:
        """Remembers that views of the memory may exist, so that memory is kept when it is replaced."""
        if self._retired is None:
            self._retired = []

    def _drop_memory(self) -> None:
        memory = self._memory
        if memory is None:
            return
        self._memory = None
        self._address = 0
        self._size = 0
        retired = self._retired
        if retired is not None:
            retired.append(memory)  # views made from the tensor may still point into it
        elif memory.__class__ is MemoryBlock:
            memory.release()

    def _take(self, other: Tensor) -> None:
        """Moves ``other``'s contents into this tensor, leaving ``other`` empty."""
        self._set(other._memory, other._address, other._shape, other._element_type,
                  other._bytes_per_element, other._strides, other._storage_type, other._size,
                  other._device_id)
        self._readonly = other._readonly
        self._retired = other._retired
        other._forget_contents()

    def _forget_contents(self) -> None:
        """Empties the tensor without releasing its memory, which another tensor now holds."""
        self._memory, self._address, self._size, self._retired = None, 0, 0, None
        self._shape, self._strides = EMPTY_SHAPE, ()

    def __repr__(self) -> str:
        return (f"<Tensor {self.name or '(unnamed)'} shape={list(self._shape._dims)} "
                f"{self._element_type.name} {self._storage_type.name} {self._size} bytes>")
