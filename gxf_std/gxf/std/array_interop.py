"""Array interop: a tensor's memory shared without copies with NumPy, CuPy and DLPack.

Host memory is exported through ``__array_interface__`` (so ``np.asarray(tensor)`` is a view, not a
copy), device memory through ``__cuda_array_interface__``, and both through ``__dlpack__`` and
``__dlpack_device__``. The other way, ``Tensor.as_tensor`` and ``Tensor.from_dlpack`` wrap memory that
another library owns, which stays alive as long as the tensor does. NumPy is imported when memory is
first exchanged, never at import time; device memory is reached through the backend gxf-cuda
registers (with CuPy).
"""

from __future__ import annotations

import logging

from .memory_storage import (DEVICE_ACCESSIBLE, HOST_ACCESSIBLE, MemoryStorageType, kDLCPU, kDLCUDA,
                             kDLCUDAHost, kDLCUDAManaged, memory_backend)
from .primitive_type import TYPESTR, from_typestr, primitive_type_size
from .shape import Shape
from .tensor_layout import TensorError, dense_strides, layout_extent

__all__ = ["array_layout", "dlpack_storage_type", "pointer_capsule"]

_log = logging.getLogger("gxf")

_kHost, _kDevice, _kSystem, _kManaged = (MemoryStorageType.kHost, MemoryStorageType.kDevice,
                                         MemoryStorageType.kSystem, MemoryStorageType.kCudaManaged)

# Where memory of each DLPack device type goes when a tensor wraps it (CPU memory is kSystem, as in GXF).
_STORAGE_OF_DLPACK = {kDLCPU: _kSystem, kDLCUDAHost: _kHost, kDLCUDA: _kDevice, kDLCUDAManaged: _kManaged}
_Tensor = None  # the class ArrayInterop is mixed into (Tensor): as_tensor and from_dlpack make it
_warned_constructor = False  # Tensor(array) is deprecated: said once per process


class ArrayInterop:
    """The part of Tensor that exchanges memory with NumPy, CuPy and DLPack (a mix-in of Tensor).

    It works on the fields ``Tensor.__init__`` sets and fills them through ``Tensor._set``.
    ``as_tensor`` and ``from_dlpack`` are static methods, as in GXF's binding (and as fast to call as
    any function); the class they make is the one that mixes ArrayInterop in.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        global _Tensor
        if _Tensor is None:  # Tensor itself, not a subclass of it
            _Tensor = cls

    # --- wrapping memory owned elsewhere ------------------------------------------------------------------
    @staticmethod
    def as_tensor(obj):
        """A tensor over the memory of ``obj``, without a copy.

        ``obj`` supports ``__cuda_array_interface__`` (device memory), ``__array_interface__``, DLPack
        or the buffer protocol. Host memory wrapped this way is kSystem memory, as in GXF.
        """
        if isinstance(obj, _Tensor):
            return obj
        tensor = _Tensor()
        cai = getattr(obj, "__cuda_array_interface__", None)
        if cai is not None:
            tensor._wrap_interface(obj, cai, _kDevice)
        elif hasattr(obj, "__array_interface__"):
            tensor._wrap_numpy(_numpy().asarray(obj), _kSystem, obj)
        elif hasattr(obj, "__dlpack__"):
            return _Tensor.from_dlpack(obj)
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
    def from_dlpack(obj):
        """A tensor over the memory of ``obj`` through the DLPack protocol, without a copy."""
        device = obj.__dlpack_device__() if hasattr(obj, "__dlpack_device__") else (kDLCPU, 0)
        storage = dlpack_storage_type(device[0])
        tensor = _Tensor()
        if storage in DEVICE_ACCESSIBLE:
            array = memory_backend(storage).from_dlpack(obj)
            tensor._wrap_interface(array, array.__cuda_array_interface__, storage)
        else:
            array = _numpy().from_dlpack(obj)
            tensor._wrap_numpy(array, storage, array)
        return tensor

    def _init_from_array(self, array) -> None:
        numpy = _numpy()
        if not isinstance(array, numpy.ndarray):
            raise TensorError(f"Tensor() wraps a NumPy array, not {type(array).__name__}",
                              hint="use Tensor.as_tensor(obj) for other array-like objects")
        global _warned_constructor
        if not _warned_constructor:
            _warned_constructor = True
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
            strides = dense_strides(dims, itemsize)
        address, readonly = interface["data"]
        self._set(owner, address, Shape(dims), from_typestr(typestr), itemsize, strides, storage_type,
                  layout_extent(dims, strides, itemsize), 0)
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
            strides = dense_strides(dims, itemsize)
        elif min(strides, default=0) < 0:
            raise TensorError("device arrays with negative strides are not supported",
                              hint="pass a contiguous copy (cupy.ascontiguousarray)")
        address, readonly = interface["data"]
        stream = interface.get("stream")
        if stream is not None and stream > 2:
            memory_backend(storage_type).wait_stream(stream)
        self._set(owner, address, Shape(dims), from_typestr(typestr), itemsize, tuple(strides), storage_type,
                  layout_extent(dims, strides, itemsize), 0)
        self._readonly = bool(readonly)

    # --- exporting memory -----------------------------------------------------------------------------------
    @property
    def __array_interface__(self) -> dict:
        if self._storage_type not in HOST_ACCESSIBLE:
            raise AttributeError("__array_interface__: the tensor is in device memory (use "
                                 "__cuda_array_interface__, or copy it to host with a TensorCopier)")
        self._mark_exported()
        dims, typestr, strides = array_layout(self._shape._dims, self._strides, self._element_type,
                                              self._bytes_per_element)
        return {"shape": dims, "typestr": typestr, "data": (self._address, self._readonly),
                "strides": strides, "version": 3}

    @property
    def __cuda_array_interface__(self) -> dict:
        if self._storage_type not in DEVICE_ACCESSIBLE:
            raise AttributeError("__cuda_array_interface__: the tensor is in host memory (use "
                                 "__array_interface__)")
        self._mark_exported()
        dims, typestr, strides = array_layout(self._shape._dims, self._strides, self._element_type,
                                              self._bytes_per_element)
        return {"shape": dims, "typestr": typestr, "data": (self._address, self._readonly),
                "strides": strides, "version": 3}

    def __array__(self, dtype=None, copy=None):
        # NumPy uses __array_interface__ for host tensors; this is reached for device tensors only.
        if self._storage_type not in HOST_ACCESSIBLE:
            raise TensorError(f"tensor '{self.name}' is in device memory: NumPy cannot read it",
                              hint="use cupy.asarray(tensor), or copy it to host with a TensorCopier")
        array = _numpy().asarray(HostView(self, self.__array_interface__))
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


class HostView:
    """One array-interface view of a tensor's host memory; arrays made from it keep the tensor alive."""

    __slots__ = ("__array_interface__", "_tensor")

    def __init__(self, tensor, interface: dict):
        tensor._mark_exported()
        self._tensor = tensor
        self.__array_interface__ = interface


def array_layout(dims: tuple, strides: tuple, element_type, bytes_per_element: int) -> tuple:
    """Shape, NumPy type string and strides of the array views of a tensor with this layout.

    Elements of several primitive values (``bytes_per_element`` a multiple of the type's size, as
    for multi-channel pixels) get a last dimension for the values; other elements the size of no
    primitive type are opaque (``|V<bytes>``); a rank-0 tensor is an empty array of bytes.
    """
    if not dims:
        return (0,), "|u1", None
    typestr = TYPESTR.get(element_type)
    if typestr is None:
        return dims, f"|V{bytes_per_element}", strides
    size = primitive_type_size(element_type)
    if bytes_per_element == size:
        return dims, typestr, strides
    if bytes_per_element % size == 0:
        return dims + (bytes_per_element // size,), typestr, strides + (size,)
    return dims, f"|V{bytes_per_element}", strides


def dlpack_storage_type(device_type: int) -> MemoryStorageType:
    """The storage type of memory on a DLPack device type when a tensor wraps it.

    CPU memory is kSystem and CUDA host memory kHost, as in GXF; CUDA and CUDA managed memory are
    kDevice and kCudaManaged. Other devices raise TensorError.
    """
    storage = _STORAGE_OF_DLPACK.get(int(device_type))
    if storage is None:
        raise TensorError(f"DLPack device type {int(device_type)} is not supported",
                          hint="pass CPU (1), CUDA (2), CUDA host (3) or CUDA managed (13) memory")
    return storage


def pointer_capsule(address: int):
    """An unnamed PyCapsule holding ``address`` (None for 0), as GXF's binding hands out pointers."""
    if not address:
        return None
    import ctypes

    new_capsule = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)(
        ("PyCapsule_New", ctypes.pythonapi))
    return new_capsule(address, None, None)


def _numpy():
    import numpy

    return numpy
