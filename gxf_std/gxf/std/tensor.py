"""Tensor: one multi-dimensional array in a message, shared without copies with NumPy, CuPy and DLPack.

A tensor is a shape, an element type, strides in bytes and a piece of memory of one storage type.
``reshape``/``reshape_custom`` get the memory from an Allocator; ``as_tensor``/``from_dlpack`` wrap
memory that another library owns. Host memory is exported through ``__array_interface__`` and
``__dlpack__`` (so ``np.asarray(tensor)`` is a view, not a copy), device memory through
``__cuda_array_interface__`` and ``__dlpack__`` (with gxf-cuda and CuPy).

Memory stays valid as long as anything uses it: a NumPy view keeps its tensor alive, and a tensor
whose memory was exported keeps its old memory when reshaped, until the tensor itself goes.
"""

from __future__ import annotations

import logging

from gxf.core import Component, GxfError

from .allocator import Allocator
from .memory_storage import (DEVICE_ACCESSIBLE, HOST_ACCESSIBLE, MemoryBlock, MemoryStorageType,
                             kDLCPU, kDLCUDA, kDLCUDAHost, kDLCUDAManaged, memory_backend, memory_copy)
from .primitive_type import (TYPESTR, PrimitiveType, as_primitive_type, from_typestr, primitive_type_size,
                             to_dtype)
from .shape import EMPTY_SHAPE, Shape

_log = logging.getLogger("gxf")

_kHost, _kDevice, _kSystem, _kManaged = (MemoryStorageType.kHost, MemoryStorageType.kDevice,
                                         MemoryStorageType.kSystem, MemoryStorageType.kCudaManaged)


class TensorError(GxfError, ValueError):
    """Bad use of the tensor API (a ValueError too, as GXF's Python binding raises)."""


class TensorDescription:
    """What a tensor should look like: name, storage type, shape, element type, bytes per element, strides.

    ``strides`` (bytes per step in each dimension) is None for a dense layout.
    """

    __slots__ = ("name", "storage_type", "shape", "element_type", "bytes_per_element", "strides")

    def __init__(self, name: str, storage_type, shape, element_type, bytes_per_element: int,
                 strides=None):
        self.name = name
        self.storage_type = MemoryStorageType(storage_type)
        self.shape = shape if isinstance(shape, Shape) else Shape(shape)
        self.element_type = as_primitive_type(element_type)
        self.bytes_per_element = int(bytes_per_element)
        self.strides = tuple(int(s) for s in strides) if strides else None

    def __repr__(self) -> str:
        return (f"TensorDescription(name={self.name!r}, storage_type={self.storage_type.name}, "
                f"shape={self.shape!r}, element_type={self.element_type.name}, "
                f"bytes_per_element={self.bytes_per_element}, strides={self.strides})")


class Tensor(Component, type_name="nvidia::gxf::Tensor", uuid="377501d6-9abf-447c-a617-0114d4f33ab8"):
    """One multi-dimensional array in a message: its shape, element type, strides and memory.

    Add tensors to a message with ``Tensor.add_to_entity(message, name)``; the component name is
    the tensor's key. Exchange data without copies: ``np.asarray(tensor)``, ``Tensor.as_tensor(array)``,
    ``np.from_dlpack(tensor)``, ``Tensor.from_dlpack(array)`` (and the same with CuPy on a GPU).
    """

    _warned_constructor = False

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
        expected = self._bytes_per_element
        for dim, stride in zip(reversed(self._shape._dims), reversed(self._strides)):
            if stride != expected:
                return False
            expected *= dim
        return True

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
        return (_pointer_capsule(self._address), self._size,
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
                                description.strides, description.storage_type,
                                allocator if allocator is not None else element_type_or_allocator)
            return
        element_type = _element_type(element_type_or_allocator, "element_type")
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
        shape = shape if shape.__class__ is Shape else Shape(shape)
        dims = shape._dims
        if element_type.__class__ is not PrimitiveType:
            element_type = _element_type(element_type, "element_type")
        if bytes_per_element.__class__ is not int:
            try:
                bytes_per_element = int(bytes_per_element)
            except (TypeError, ValueError):
                raise TensorError(f"bytes_per_element must be an integer, not "
                                  f"{bytes_per_element!r}") from None
        if bytes_per_element <= 0:
            raise TensorError(f"bytes_per_element must be positive, got {bytes_per_element}")
        if element_type != PrimitiveType.kCustom and bytes_per_element < primitive_type_size(element_type):
            raise TensorError(f"bytes_per_element {bytes_per_element} is smaller than one "
                              f"{element_type.name} ({primitive_type_size(element_type)} bytes)")
        for dim in dims:
            if dim < 0:
                raise TensorError(f"shape {list(dims)} has a negative dimension")
        strides = _strides_for(dims, bytes_per_element, strides)
        if storage_type.__class__ is not MemoryStorageType:
            try:
                storage_type = MemoryStorageType(storage_type)
            except ValueError:
                raise TensorError(f"{storage_type!r} is not a MemoryStorageType",
                                  hint="use MemoryStorageType.kHost, kDevice or kSystem") from None
        if not isinstance(allocator, Allocator):
            raise TensorError(f"reshaping a tensor needs an Allocator, not {allocator!r}",
                              hint="pass an allocator component, e.g. Allocator.get(context, cid, 'pool')")
        nbytes = _extent(dims, strides, bytes_per_element)
        self._drop_memory()
        self._shape, self._strides = EMPTY_SHAPE, ()
        block = allocator.allocate(nbytes, storage_type)
        self._set(block, block.address, shape, element_type, bytes_per_element, strides, storage_type,
                  nbytes, block.device_id)

    # --- wrapping memory owned elsewhere ------------------------------------------------------------------
    @staticmethod
    def as_tensor(obj) -> Tensor:
        """A tensor over the memory of ``obj``, without a copy.

        ``obj`` supports ``__cuda_array_interface__`` (device memory), ``__array_interface__``, DLPack
        or the buffer protocol. Host memory wrapped this way is kSystem memory, as in GXF.
        """
        if isinstance(obj, Tensor):
            return obj
        tensor = Tensor()
        cai = getattr(obj, "__cuda_array_interface__", None)
        if cai is not None:
            tensor._wrap_interface(obj, cai, _kDevice)
        elif hasattr(obj, "__array_interface__"):
            tensor._wrap_numpy(_numpy().asarray(obj), _kSystem, obj)
        elif hasattr(obj, "__dlpack__"):
            return Tensor.from_dlpack(obj)
        else:
            try:
                array = _numpy().asarray(memoryview(obj))
            except TypeError:
                raise TensorError(f"cannot make a Tensor from {type(obj).__name__}: it supports neither "
                                  "DLPack, the array interfaces nor the buffer protocol",
                                  hint="pass a NumPy or CuPy array") from None
            tensor._wrap_numpy(array, _kSystem, obj)
        return tensor

    @staticmethod
    def from_dlpack(obj) -> Tensor:
        """A tensor over the memory of ``obj`` through the DLPack protocol, without a copy."""
        device = obj.__dlpack_device__() if hasattr(obj, "__dlpack_device__") else (kDLCPU, 0)
        device_type = int(device[0])
        tensor = Tensor()
        if device_type in (kDLCPU, kDLCUDAHost):
            array = _numpy().from_dlpack(obj)
            tensor._wrap_numpy(array, _kSystem if device_type == kDLCPU else _kHost, array)
        elif device_type in (kDLCUDA, kDLCUDAManaged):
            storage = _kDevice if device_type == kDLCUDA else _kManaged
            array = memory_backend(storage).from_dlpack(obj)
            tensor._wrap_interface(array, array.__cuda_array_interface__, storage)
        else:
            raise TensorError(f"DLPack device type {device_type} is not supported",
                              hint="pass CPU (1), CUDA (2), CUDA host (3) or CUDA managed (13) memory")
        return tensor

    def _init_from_array(self, array) -> None:
        numpy = _numpy()
        if not isinstance(array, numpy.ndarray):
            raise TensorError(f"Tensor() wraps a NumPy array, not {type(array).__name__}",
                              hint="use Tensor.as_tensor(obj) for other array-like objects")
        if not Tensor._warned_constructor:
            Tensor._warned_constructor = True
            _log.warning("Passing a NumPy array to the Tensor constructor is deprecated: use "
                         "Tensor.as_tensor(array) for a tensor over the same memory")
        self._wrap_numpy(array, _kHost, array)

    def _wrap_numpy(self, array, storage_type: MemoryStorageType, owner) -> None:
        interface = array.__array_interface__
        typestr = interface["typestr"]
        if typestr[0] == ">":
            raise TensorError(f"big-endian data ({typestr}) is not supported",
                              hint="convert with array.astype(array.dtype.newbyteorder('<'))")
        strides = interface["strides"]
        if strides is not None and min(strides, default=0) < 0:
            # GXF strides are unsigned: a reversed view is copied into a dense array.
            array = _numpy().ascontiguousarray(array)
            owner, interface, strides = array, array.__array_interface__, None
        dims = array.shape
        if len(dims) > 8:
            raise TensorError(f"an array of rank {len(dims)} cannot be a tensor (at most 8 dimensions)")
        itemsize = array.itemsize
        if strides is None:
            strides = _dense_strides(dims, itemsize)
        address, readonly = interface["data"]
        self._set(owner, address, Shape(dims), from_typestr(typestr), itemsize, strides, storage_type,
                  _extent(dims, strides, itemsize), 0)
        self._readonly = bool(readonly)

    def _wrap_interface(self, owner, interface: dict, storage_type: MemoryStorageType) -> None:
        dims = tuple(int(d) for d in interface["shape"])
        if len(dims) > 8:
            raise TensorError(f"an array of rank {len(dims)} cannot be a tensor (at most 8 dimensions)")
        typestr = interface["typestr"]
        if typestr[0] == ">":
            raise TensorError(f"big-endian data ({typestr}) is not supported")
        itemsize = int(typestr[2:])
        strides = interface.get("strides")
        if strides is None:
            strides = _dense_strides(dims, itemsize)
        elif min(strides, default=0) < 0:
            raise TensorError("device arrays with negative strides are not supported",
                              hint="pass a contiguous copy (cupy.ascontiguousarray)")
        address, readonly = interface["data"]
        stream = interface.get("stream")
        if stream is not None and stream > 2:
            memory_backend(storage_type).wait_stream(stream)
        self._set(owner, address, Shape(dims), from_typestr(typestr), itemsize, tuple(strides), storage_type,
                  _extent(dims, strides, itemsize), 0)
        self._readonly = bool(readonly)

    # --- exporting memory -----------------------------------------------------------------------------------
    @property
    def __array_interface__(self) -> dict:
        if self._storage_type not in HOST_ACCESSIBLE:
            raise AttributeError("__array_interface__: the tensor is in device memory (use "
                                 "__cuda_array_interface__, or copy it to host with a TensorCopier)")
        self._mark_exported()
        dims, typestr, strides = self._layout()
        return {"shape": dims, "typestr": typestr, "data": (self._address, self._readonly),
                "strides": strides, "version": 3}

    @property
    def __cuda_array_interface__(self) -> dict:
        if self._storage_type not in DEVICE_ACCESSIBLE:
            raise AttributeError("__cuda_array_interface__: the tensor is in host memory (use "
                                 "__array_interface__)")
        self._mark_exported()
        dims, typestr, strides = self._layout()
        return {"shape": dims, "typestr": typestr, "data": (self._address, self._readonly),
                "strides": strides, "version": 3}

    def __array__(self, dtype=None, copy=None):
        # NumPy uses __array_interface__ for host tensors; this is reached for device tensors only.
        if self._storage_type not in HOST_ACCESSIBLE:
            raise TensorError(f"tensor '{self.name}' is in device memory: NumPy cannot read it",
                              hint="use cupy.asarray(tensor), or copy it to host with a TensorCopier")
        array = _numpy().asarray(_HostView(self, self.__array_interface__))
        if dtype is not None and array.dtype != dtype:
            return array.astype(dtype)
        return array.copy() if copy else array

    def __dlpack__(self, stream=None, **kwargs):
        """A DLPack capsule of the tensor's memory (no copy); the capsule keeps the tensor alive."""
        if self._storage_type in (_kHost, _kSystem):
            array = _numpy().asarray(self)
            if stream is not None:
                kwargs["stream"] = stream
            return array.__dlpack__(**kwargs)
        self._mark_exported()
        return memory_backend(self._storage_type).dlpack(self, stream, kwargs)

    def __dlpack_device__(self) -> tuple[int, int]:
        storage = self._storage_type
        if storage == _kDevice:
            return (kDLCUDA, self._device_id)
        if storage == _kManaged:
            return (kDLCUDAManaged, self._device_id)
        return (kDLCPU, 0)

    def _layout(self) -> tuple:
        """Shape, NumPy type string and strides of the array views of the tensor.

        Elements of several primitive values (``bytes_per_element`` a multiple of the type's size, as
        for multi-channel pixels) get a last dimension for the values; a rank-0 tensor is empty.
        """
        dims = self._shape._dims
        if not dims:
            return (0,), "|u1", None
        strides = self._strides
        bytes_per_element = self._bytes_per_element
        typestr = TYPESTR.get(self._element_type)
        if typestr is None:
            return dims, f"|V{bytes_per_element}", strides
        size = primitive_type_size(self._element_type)
        if bytes_per_element == size:
            return dims, typestr, strides
        if bytes_per_element % size == 0:
            return dims + (bytes_per_element // size,), typestr, strides + (size,)
        return dims, f"|V{bytes_per_element}", strides

    def _mark_exported(self) -> None:
        if self._retired is None:
            self._retired = []

    # --- messages -------------------------------------------------------------------------------------------
    @staticmethod
    def add_to_entity(message, tensor=None, name: str = "") -> Tensor:
        """Adds a tensor to ``message`` and returns it: ``add_to_entity(message, name)`` adds an empty one,
        ``add_to_entity(message, tensor, name)`` adds ``tensor`` (moving its contents into a new
        component when it already belongs to an entity, as GXF moves it)."""
        if isinstance(tensor, Tensor):
            if tensor.entity is not None:
                moved = Tensor()
                moved._take(tensor)
                tensor = moved
        else:
            if tensor is not None:
                if not isinstance(tensor, str):
                    raise TensorError(f"add_to_entity(message, name): the name must be a string, not "
                                      f"{tensor!r}")
                name = tensor
            tensor = Tensor()
        _check_message(message, "add_to_entity")
        message.add(tensor, name or "")
        return tensor

    @staticmethod
    def get_from_entity(message=None, name: str | None = None) -> Tensor:
        """The tensor called ``name`` in ``message`` (the first tensor without a name)."""
        _check_message(message, "get_from_entity")
        for component in message.components:
            if isinstance(component, Tensor) and (name is None or component.name == name):
                return component
        names = [c.name or "(unnamed)" for c in message.components if isinstance(c, Tensor)]
        what = f"no tensor named '{name}'" if name is not None else "no tensor"
        raise TensorError(f"the message has {what}", hint=f"tensors in it: {', '.join(names) or 'none'}")

    @staticmethod
    def find_all_from_entity(message) -> list[Tensor]:
        """Every tensor of ``message``, in the order they were added."""
        _check_message(message, "find_all_from_entity")
        return [c for c in message.components if isinstance(c, Tensor)]

    @staticmethod
    def add_np_array_as_tensor_to_entity(message, name: str, array, allocator=None) -> Tensor:
        """Adds a kHost tensor holding a copy of ``array`` to ``message`` and returns it.

        The memory comes from ``allocator`` when one is given (as in GXF), else it is new memory.
        """
        numpy = _numpy()
        array = numpy.asarray(array)
        tensor = Tensor.add_to_entity(message, name)
        if allocator is None:
            copy = numpy.array(array, copy=True, order="C")
            tensor._wrap_numpy(copy, _kHost, copy)
            return tensor
        dtype = array.dtype
        tensor.reshape_custom(Shape(array.shape), from_typestr(dtype.str), dtype.itemsize, None, _kHost,
                              allocator)
        interface = {"shape": array.shape, "typestr": dtype.str, "data": (tensor._address, False),
                     "strides": tensor._strides or None, "version": 3}
        if dtype.fields is not None:
            interface["descr"] = dtype.descr
        numpy.asarray(_HostView(tensor, interface))[...] = array
        return tensor

    # --- copies between storage types -------------------------------------------------------------------
    def copy_to(self, storage_type, allocator) -> None:
        """Moves the tensor's data into new ``storage_type`` memory from ``allocator``, same layout.

        The old memory is released (or kept while views of it may exist); used by TensorCopier.
        """
        storage_type = MemoryStorageType(storage_type)
        if not isinstance(allocator, Allocator):
            raise TensorError(f"copying a tensor needs an Allocator, not {allocator!r}")
        size = self._size  # the span the strides reach from the first element, which is all there is
        block = allocator.allocate(size, storage_type)
        memory_copy(block.address, storage_type, self._address, self._storage_type, size)
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
        other._memory, other._address, other._size, other._retired = None, 0, 0, None
        other._shape, other._strides = EMPTY_SHAPE, ()

    def __repr__(self) -> str:
        return (f"<Tensor {self.name or '(unnamed)'} shape={list(self._shape._dims)} "
                f"{self._element_type.name} {self._storage_type.name} {self._size} bytes>")


class _HostView:
    """One array-interface view of a tensor's host memory; arrays made from it keep the tensor alive."""

    __slots__ = ("__array_interface__", "_tensor")

    def __init__(self, tensor: Tensor, interface: dict):
        tensor._mark_exported()
        self._tensor = tensor
        self.__array_interface__ = interface


def _numpy():
    import numpy

    return numpy


def _element_type(value, what: str) -> PrimitiveType:
    try:
        return as_primitive_type(value)
    except ValueError as exc:
        raise TensorError(f"{what}: {exc}") from None


def _dense_strides(dims, bytes_per_element: int) -> tuple[int, ...]:
    strides = [0] * len(dims)
    step = bytes_per_element
    for index in range(len(dims) - 1, -1, -1):
        strides[index] = step
        step *= dims[index]
    return tuple(strides)


def _strides_for(dims, bytes_per_element: int, strides) -> tuple[int, ...]:
    if strides is None or len(strides) == 0:
        return _dense_strides(dims, bytes_per_element)
    if len(strides) < len(dims):
        raise TensorError(f"{len(strides)} strides were given for a tensor of rank {len(dims)}",
                          hint="give one stride (in bytes) per dimension, or None for a dense layout")
    result = tuple(int(s) for s in list(strides)[:len(dims)])
    if min(result, default=0) < 0:
        raise TensorError(f"strides {list(result)} must not be negative")
    return result


def _extent(dims, strides, bytes_per_element: int) -> int:
    """Bytes a layout needs: the elements, or the span the strides reach if that is more."""
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


def _check_message(message, what: str) -> None:
    if getattr(message, "components", None) is None or not hasattr(message, "add"):
        raise TensorError(f"Tensor.{what}() needs a message entity, not {message!r}",
                          hint="create one with MessageEntity(context) or receive one from a Receiver")


def _pointer_capsule(address: int):
    if not address:
        return None
    import ctypes

    new_capsule = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)(
        ("PyCapsule_New", ctypes.pythonapi))
    return new_capsule(address, None, None)
