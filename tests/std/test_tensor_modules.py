"""The parts Tensor is made of: layout arithmetic, array interop and message helpers, on their own."""

from __future__ import annotations

import ctypes
import subprocess
import sys

import numpy as np
import pytest

from gxf.core import GxfError, MessageEntity
from gxf.std import MemoryStorageType, PrimitiveType, Shape, UnboundedAllocator
from gxf.std.array_interop import ArrayInterop, HostView, array_layout, dlpack_storage_type, pointer_capsule
from gxf.std.tensor import Tensor, TensorDescription, TensorError
from gxf.std.tensor_layout import (as_element_type, check_layout, checked_strides, dense_strides, is_dense,
                                   layout_extent)
from gxf.std.tensor_messages import TensorMessages, check_message_entity


@pytest.fixture
def allocator():
    alloc = UnboundedAllocator()
    alloc.name = "alloc"
    alloc.initialize()
    yield alloc
    alloc.deinitialize()


# --- tensor_layout ------------------------------------------------------------------------------------------
def test_dense_strides_step_one_element_in_the_last_dimension():
    assert dense_strides((2, 3, 4), 4) == (48, 16, 4)
    assert dense_strides((5,), 2) == (2,)
    assert dense_strides((), 4) == ()


def test_checked_strides_are_dense_when_none_are_given_and_drop_the_ones_past_the_rank():
    assert checked_strides((2, 3), 4, None) == (12, 4)
    assert checked_strides((2, 3), 4, []) == (12, 4)
    assert checked_strides((2, 3), 4, [32, 8, 99, 7]) == (32, 8)


def test_checked_strides_reject_too_few_and_negative_strides():
    with pytest.raises(TensorError, match="1 strides were given for a tensor of rank 2") as info:
        checked_strides((2, 3), 4, [4])
    assert "one stride" in info.value.hint
    with pytest.raises(TensorError, match="must not be negative"):
        checked_strides((2, 3), 4, [12, -4])


def test_layout_extent_is_the_elements_or_the_span_the_strides_reach():
    assert layout_extent((2, 3), (12, 4), 4) == 24          # dense
    assert layout_extent((2, 3), (32, 4), 4) == 44          # padded rows: the last row is not padded
    assert layout_extent((4,), (0,), 4) == 16               # a broadcast stride still holds every element
    assert layout_extent((2, 0), (0, 4), 4) == 0
    assert layout_extent((), (), 4) == 0


def test_is_dense_tells_packed_row_major_layouts():
    assert is_dense((2, 3), (12, 4), 4)
    assert not is_dense((2, 3), (32, 4), 4)
    assert not is_dense((2, 3), (4, 8), 4)                  # column-major
    assert is_dense((), (), 4)


def test_check_layout_returns_the_checked_layout_and_its_size():
    shape, element_type, bytes_per_element, strides, nbytes = check_layout([2, 3], "kFloat32", 4.0, None)
    assert shape.__class__ is Shape and shape.dimension(1) == 3
    assert element_type is PrimitiveType.kFloat32 and bytes_per_element == 4 and strides == (12, 4)
    assert nbytes == 24
    assert check_layout(Shape([2]), PrimitiveType.kCustom, 3, [5])[3:] == ((5,), 8)


@pytest.mark.parametrize(("args", "message"), [
    (([-1, 2], PrimitiveType.kFloat32, 4, None), "negative dimension"),
    (([2], PrimitiveType.kFloat32, 2, None), "smaller than one kFloat32"),
    (([2], PrimitiveType.kFloat32, 0, None), "must be positive"),
    (([2], PrimitiveType.kFloat32, "four", None), "must be an integer"),
    (([2], 99, 4, None), "element_type"),
    (([2, 2], PrimitiveType.kFloat32, 4, [4]), "rank 2"),
])
def test_check_layout_says_what_is_wrong(args, message):
    with pytest.raises(TensorError, match=message):
        check_layout(*args)


def test_as_element_type_takes_types_names_and_numbers_and_names_the_bad_argument():
    assert as_element_type(PrimitiveType.kInt16) is PrimitiveType.kInt16
    assert as_element_type("kUnsigned8") is PrimitiveType.kUnsigned8
    assert as_element_type(int(PrimitiveType.kFloat64)) is PrimitiveType.kFloat64
    with pytest.raises(TensorError, match="^dtype: "):
        as_element_type(99, "dtype")


def test_a_tensor_description_normalises_what_it_is_given():
    description = TensorDescription("t", 0, [2, 3], "kFloat32", 4, [16, 4])
    assert description.storage_type is MemoryStorageType.kHost and description.shape.rank() == 2
    assert description.element_type is PrimitiveType.kFloat32 and description.strides == (16, 4)
    assert "kFloat32" in repr(description)


def test_a_description_without_strides_reads_as_gxfs_unset_array_of_eight_zeros():
    description = TensorDescription("t", 0, [2], "kFloat32", 4)
    assert description.strides == (0,) * 8 and description.layout_strides is None
    description.strides = [8]
    assert description.strides == (8,) and description.layout_strides == (8,)
    description.strides = []
    assert description.layout_strides is None


def test_tensor_errors_are_gxf_errors_and_value_errors():
    assert issubclass(TensorError, GxfError) and issubclass(TensorError, ValueError)


# --- array_interop ------------------------------------------------------------------------------------------
def test_array_layout_of_primitive_elements_is_their_numpy_type():
    assert array_layout((2, 3), (12, 4), PrimitiveType.kFloat32, 4) == ((2, 3), "<f4", (12, 4))
    assert array_layout((2,), (1,), PrimitiveType.kUnsigned8, 1) == ((2,), "|u1", (1,))


def test_array_layout_gives_multi_value_elements_a_last_dimension():
    assert array_layout((2, 2), (24, 12), PrimitiveType.kFloat32, 12) == ((2, 2, 3), "<f4", (24, 12, 4))


def test_array_layout_of_other_elements_is_opaque_and_rank_0_is_empty():
    assert array_layout((4,), (3,), PrimitiveType.kCustom, 3) == ((4,), "|V3", (3,))
    assert array_layout((4,), (6,), PrimitiveType.kFloat32, 6) == ((4,), "|V6", (6,))
    assert array_layout((), (), PrimitiveType.kFloat32, 4) == ((0,), "|u1", None)


@pytest.mark.parametrize(("device_type", "storage"), [
    (1, MemoryStorageType.kSystem), (2, MemoryStorageType.kDevice), (3, MemoryStorageType.kHost),
    (13, MemoryStorageType.kCudaManaged),
])
def test_dlpack_device_types_map_to_storage_types(device_type, storage):
    assert dlpack_storage_type(device_type) is storage


def test_an_unsupported_dlpack_device_type_says_which_are_supported():
    with pytest.raises(TensorError, match="DLPack device type 7 is not supported") as info:
        dlpack_storage_type(7)
    assert "CUDA managed (13)" in info.value.hint


def test_pointer_capsule_holds_the_address_and_is_none_for_no_memory():
    assert pointer_capsule(0) is None
    buffer = ctypes.create_string_buffer(8)
    address = ctypes.addressof(buffer)
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    assert get_pointer(pointer_capsule(address), None) == address


class DescribedDeviceArray:
    """Memory a DLPack producer says is on a GPU (only described: nothing reads it)."""

    def __init__(self, device_type: int):
        self.device_type = device_type
        self.__cuda_array_interface__ = {"shape": (4,), "typestr": "<i2", "data": (0x7F0000001000, True),
                                         "strides": None, "version": 3}

    def __dlpack_device__(self):
        return (self.device_type, 0)


class DescribingBackend:
    """A device memory backend that hands back what it is given, as CuPy would hand back its own arrays."""

    def __init__(self):
        self.exported = []

    def from_dlpack(self, obj):
        return obj

    def dlpack(self, tensor, stream, kwargs):
        self.exported.append((tensor, stream))
        return "capsule"


@pytest.mark.parametrize(("device_type", "storage"), [(2, MemoryStorageType.kDevice),
                                                      (13, MemoryStorageType.kCudaManaged)])
def test_from_dlpack_wraps_gpu_memory_through_the_device_backend(monkeypatch, device_type, storage):
    from gxf.std import memory_storage

    backend = DescribingBackend()
    monkeypatch.setitem(memory_storage._backends, storage, backend)
    tensor = Tensor.from_dlpack(DescribedDeviceArray(device_type))
    assert tensor.storage_type() is storage and tensor.pointer() == 0x7F0000001000
    assert tensor.element_type() is PrimitiveType.kInt16 and tensor.strides() == (2,)
    assert tensor.__dlpack_device__() == (device_type, 0)
    assert tensor.__cuda_array_interface__["data"] == (0x7F0000001000, True)
    assert tensor.__dlpack__(stream=5) == "capsule" and backend.exported == [(tensor, 5)]


def test_arrays_made_from_a_host_view_keep_the_tensor_alive(allocator):
    tensor = Tensor()
    tensor.reshape([3], PrimitiveType.kInt32, MemoryStorageType.kHost, allocator)
    view = np.asarray(HostView(tensor, tensor.__array_interface__))
    view[:] = [1, 2, 3]
    del tensor
    assert view.base._tensor.element_count() == 3 and view.tolist() == [1, 2, 3]


# --- tensor_messages ----------------------------------------------------------------------------------------
def test_check_message_accepts_message_entities_and_names_the_method_otherwise():
    check_message_entity(MessageEntity(), "add_to_entity")
    with pytest.raises(TensorError, match=r"Tensor.get_from_entity\(\) needs a message entity") as info:
        check_message_entity([1, 2], "get_from_entity")
    assert "MessageEntity(context)" in info.value.hint


# --- the Tensor they make up --------------------------------------------------------------------------------
def test_tensor_is_made_of_the_interop_and_message_parts_and_re_exports_its_public_names():
    import gxf.std.tensor as tensor_module
    import gxf.std.tensor_layout as layout_module

    assert issubclass(Tensor, ArrayInterop) and issubclass(Tensor, TensorMessages)
    assert tensor_module.TensorError is layout_module.TensorError
    assert tensor_module.TensorDescription is layout_module.TensorDescription
    assert set(tensor_module.__all__) == {"Tensor", "TensorDescription", "TensorError"}
    assert Tensor.type_name() == "nvidia::gxf::Tensor"


def test_the_static_helpers_make_tensors_even_when_called_on_a_subclass():
    class LabelledTensor(Tensor):
        pass

    message = MessageEntity()
    made = LabelledTensor.add_to_entity(message, "made")
    wrapped = LabelledTensor.as_tensor(np.zeros(2))
    assert made.__class__ is Tensor and wrapped.__class__ is Tensor
    message.add(LabelledTensor(), "labelled")
    assert Tensor.get_from_entity(message, "labelled").__class__ is LabelledTensor
    assert [t.name for t in Tensor.find_all_from_entity(message)] == ["made", "labelled"]


def test_importing_the_tensor_modules_does_not_import_numpy():
    code = ("import sys\n"
            "import gxf.std.tensor_layout, gxf.std.array_interop, gxf.std.tensor_messages, gxf.std.tensor\n"
            "gxf.std.tensor.Tensor()\n"
            "print('numpy' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
