"""Tensors: shape, element types, strides, memory from allocators, and zero-copy exchange with NumPy."""

from __future__ import annotations

import ctypes
import subprocess
import sys

import numpy as np
import pytest

from gxf.core import GxfError, MessageEntity
from gxf.std import (DeviceUnavailableError, MemoryStorageType, PrimitiveType, Shape, Tensor,
                     TensorDescription, TensorError, UnboundedAllocator)
from gxf.std.primitive_type import primitive_type_size

NUMPY_TYPES = {
    PrimitiveType.kInt8: np.int8, PrimitiveType.kUnsigned8: np.uint8,
    PrimitiveType.kInt16: np.int16, PrimitiveType.kUnsigned16: np.uint16,
    PrimitiveType.kInt32: np.int32, PrimitiveType.kUnsigned32: np.uint32,
    PrimitiveType.kInt64: np.int64, PrimitiveType.kUnsigned64: np.uint64,
    PrimitiveType.kFloat16: np.float16, PrimitiveType.kFloat32: np.float32,
    PrimitiveType.kFloat64: np.float64, PrimitiveType.kComplex64: np.complex64,
    PrimitiveType.kComplex128: np.complex128,
}


@pytest.fixture
def allocator():
    alloc = UnboundedAllocator()
    alloc.name = "alloc"
    alloc.initialize()
    yield alloc
    alloc.deinitialize()


def address(array) -> int:
    return array.__array_interface__["data"][0]


# --- PrimitiveType and Shape ----------------------------------------------------------------------------
def test_primitive_types_have_gxf_names_and_values():
    assert [(t.name, t.value) for t in PrimitiveType] == [
        ("kCustom", 0), ("kInt8", 1), ("kUnsigned8", 2), ("kInt16", 3), ("kUnsigned16", 4), ("kInt32", 5),
        ("kUnsigned32", 6), ("kInt64", 7), ("kUnsigned64", 8), ("kFloat32", 9), ("kFloat64", 10),
        ("kComplex64", 11), ("kComplex128", 12), ("kFloat16", 13)]


def test_primitive_type_sizes_follow_gxf():
    assert primitive_type_size(PrimitiveType.kCustom) == 0
    for ptype, np_type in NUMPY_TYPES.items():
        assert primitive_type_size(ptype) == np.dtype(np_type).itemsize


def test_memory_storage_types_have_gxf_values():
    assert [(t.name, t.value) for t in MemoryStorageType] == [
        ("kHost", 0), ("kDevice", 1), ("kSystem", 2), ("kCudaManaged", 3)]


def test_shape_rank_size_and_dimension_follow_gxf():
    shape = Shape([2, 3, 4])
    assert (shape.rank(), shape.size(), shape.dimension(1), shape.dimension(5)) == (3, 24, 3, 1)
    empty = Shape()
    assert (empty.rank(), empty.size(), empty.dimension(0)) == (0, 0, 0)
    assert Shape([2, 3]) == Shape((2, 3)) == [2, 3]
    assert Shape([2, 3]) != Shape([3, 2])
    assert not Shape([2, 0]).valid() and Shape([1]).valid()


def test_shape_refuses_more_than_eight_dimensions():
    Shape([1] * 8)
    with pytest.raises(GxfError, match="at most 8"):
        Shape([1] * 9)


# --- reshape through an allocator ----------------------------------------------------------------------
def test_reshape_custom_allocates_dense_memory_and_sets_the_layout(allocator):
    tensor = Tensor()
    tensor.reshape_custom(Shape([2, 3]), PrimitiveType.kFloat32, 4, None, MemoryStorageType.kHost, allocator)
    assert tensor.shape() == Shape([2, 3])
    assert (tensor.rank(), tensor.element_count(), tensor.bytes_per_element()) == (2, 6, 4)
    assert tensor.element_type() is PrimitiveType.kFloat32
    assert tensor.storage_type() is MemoryStorageType.kHost
    assert (tensor.stride(0), tensor.stride(1), tensor.stride(2)) == (12, 4, 0)
    assert tensor.size() == 24 and tensor.is_contiguous()
    assert tensor.pointer() != 0


def test_reshape_with_a_tensor_description_or_shape_type_and_storage(allocator):
    described = Tensor()
    description = TensorDescription("t", MemoryStorageType.kSystem, Shape([4, 2]), PrimitiveType.kInt16, 2)
    described.reshape(description, allocator)
    assert (described.shape(), described.storage_type(), described.size()) == (
        Shape([4, 2]), MemoryStorageType.kSystem, 16)
    typed = Tensor()
    typed.reshape([3], PrimitiveType.kFloat64, MemoryStorageType.kHost, allocator)
    assert (typed.bytes_per_element(), typed.size(), typed.strides()) == (8, 24, (8,))


def test_a_description_without_strides_is_dense_through_reshape_and_zeros_through_reshape_custom(allocator):
    # as GXF's binding: reshape(description) leaves the unset strides unset (dense), while reading
    # description.strides gives eight zeros that reshape_custom passes on; the memory is the elements'
    description = TensorDescription("t", MemoryStorageType.kHost, Shape([1024, 1]), PrimitiveType.kFloat32, 4)
    dense = Tensor()
    dense.reshape(description, allocator)
    assert dense.strides() == (4, 4) and dense.get_tensor_info()[5] == [4, 4]
    custom = Tensor()
    custom.reshape_custom(description.shape, description.element_type, description.bytes_per_element,
                          description.strides, description.storage_type, allocator)
    info = custom.get_tensor_info()
    assert (info[1], info[3], info[4], info[5]) == (4096, 2, [1024, 1], [0, 0])
    assert custom.size() == 4096


def test_reshape_with_padded_row_strides(allocator):
    tensor = Tensor()
    tensor.reshape_custom([3, 5], PrimitiveType.kUnsigned8, 1, [8, 1], MemoryStorageType.kHost, allocator)
    assert tensor.strides() == (8, 1) and not tensor.is_contiguous()
    assert tensor.size() == 8 * 2 + 5
    view = np.asarray(tensor)
    assert view.shape == (3, 5) and view.strides == (8, 1)
    view[...] = np.arange(15, dtype=np.uint8).reshape(3, 5)
    raw = np.ctypeslib.as_array((ctypes.c_uint8 * tensor.size()).from_address(tensor.pointer()))
    assert list(raw[8:13]) == [5, 6, 7, 8, 9]


def test_reshape_takes_strides_from_a_longer_array_as_gxf_passes_eight(allocator):
    tensor = Tensor()
    tensor.reshape_custom([2, 2], PrimitiveType.kInt32, 4, [16, 4, 0, 0, 0, 0, 0, 0],
                          MemoryStorageType.kHost, allocator)
    assert tensor.strides() == (16, 4)


def test_bytes_per_element_of_several_values_shows_as_a_last_dimension(allocator):
    # StreamGenerator's tensors: 1024 x 1 elements of 32 bytes, each eight float32 values.
    tensor = Tensor()
    tensor.reshape_custom(Shape([1024, 1]), PrimitiveType.kFloat32, 32, None, MemoryStorageType.kHost,
                          allocator)
    assert tensor.size() == 32768 and tensor.strides() == (32, 32)
    assert np.asarray(tensor).shape == (1024, 1, 8)
    _, size, dtype, rank, dims, strides = tensor.get_tensor_info()
    assert (size, dtype, rank, dims, strides) == (32768, np.dtype(np.float32), 2, [1024, 1], [32, 32])


@pytest.mark.parametrize("ptype", list(NUMPY_TYPES), ids=lambda t: t.name)
def test_every_primitive_type_round_trips_through_numpy(allocator, ptype):
    tensor = Tensor()
    tensor.reshape([2, 3], ptype, MemoryStorageType.kHost, allocator)
    view = np.asarray(tensor)
    assert view.dtype == NUMPY_TYPES[ptype] and view.shape == (2, 3)
    values = np.arange(6).reshape(2, 3).astype(NUMPY_TYPES[ptype])
    view[...] = values
    np.testing.assert_array_equal(np.asarray(tensor), values)
    assert Tensor.as_tensor(values).element_type() is ptype


def test_custom_elements_are_raw_bytes(allocator):
    tensor = Tensor()
    tensor.reshape_custom([4], PrimitiveType.kCustom, 3, None, MemoryStorageType.kHost, allocator)
    assert np.asarray(tensor).dtype == np.dtype("V3") and tensor.size() == 12


def test_reshape_releases_the_previous_memory_first(allocator):
    from gxf.std import BlockMemoryPool

    pool = BlockMemoryPool()
    pool.set_params(block_size=64, num_blocks=1)
    pool.initialize()
    tensor = Tensor()
    tensor.reshape([4], PrimitiveType.kInt32, MemoryStorageType.kHost, pool)
    tensor.reshape([8], PrimitiveType.kInt32, MemoryStorageType.kHost, pool)  # the one block, again
    assert tensor.element_count() == 8 and pool.available_blocks() == 0
    del tensor
    assert pool.available_blocks() == 1


@pytest.mark.parametrize("args, message", [
    (([2], PrimitiveType.kFloat32, 4, None, MemoryStorageType.kHost, "no allocator"), "needs an Allocator"),
    (([2], PrimitiveType.kFloat32, 0, None, MemoryStorageType.kHost, None), "bytes_per_element must be"),
    (([2], PrimitiveType.kFloat32, 2, None, MemoryStorageType.kHost, None), "smaller than one kFloat32"),
    (([2], 99, 4, None, MemoryStorageType.kHost, None), "not a valid PrimitiveType"),
    (([-2], PrimitiveType.kFloat32, 4, None, MemoryStorageType.kHost, None), "negative dimension"),
    (([2, 2], PrimitiveType.kFloat32, 4, [4], MemoryStorageType.kHost, None), "1 strides were given"),
    (([2], PrimitiveType.kFloat32, 4, None, 7, None), "not a MemoryStorageType"),
])
def test_bad_reshape_arguments_raise_a_clear_error(allocator, args, message):
    args = list(args)
    if args[5] is None:
        args[5] = allocator
    with pytest.raises(TensorError, match=message):
        Tensor().reshape_custom(*args)


# --- zero-copy exchange with NumPy ----------------------------------------------------------------------
def test_numpy_views_a_tensor_without_a_copy(allocator):
    tensor = Tensor()
    tensor.reshape([2, 3], PrimitiveType.kInt32, MemoryStorageType.kHost, allocator)
    first = np.asarray(tensor)
    assert address(first) == tensor.pointer()
    first[...] = [[1, 2, 3], [4, 5, 6]]
    second = np.asarray(tensor)
    assert address(second) == tensor.pointer()
    np.testing.assert_array_equal(second, [[1, 2, 3], [4, 5, 6]])
    assert np.array(tensor).tolist() == [[1, 2, 3], [4, 5, 6]]  # np.array copies, as it should
    assert address(np.array(tensor)) != tensor.pointer()


def test_as_tensor_wraps_a_numpy_array_without_a_copy():
    array = np.arange(12, dtype=np.float64).reshape(3, 4)
    tensor = Tensor.as_tensor(array)
    assert tensor.pointer() == address(array)
    assert (tensor.shape(), tensor.strides(), tensor.storage_type()) == (
        Shape([3, 4]), (32, 8), MemoryStorageType.kSystem)
    np.asarray(tensor)[0, 0] = 42.0
    assert array[0, 0] == 42.0
    array[2, 3] = -1.0
    assert np.asarray(tensor)[2, 3] == -1.0


def test_as_tensor_keeps_strided_views_and_their_memory_alive():
    base = np.arange(20, dtype=np.int16).reshape(4, 5)
    column_pairs = base[:, ::2]
    tensor = Tensor.as_tensor(column_pairs)
    assert tensor.strides() == (10, 4) and tensor.pointer() == address(column_pairs)
    del base, column_pairs
    np.testing.assert_array_equal(np.asarray(tensor), np.arange(20, dtype=np.int16).reshape(4, 5)[:, ::2])


def test_as_tensor_accepts_buffer_protocol_objects():
    data = bytearray(b"\x01\x02\x03")
    tensor = Tensor.as_tensor(data)
    assert tensor.element_type() is PrimitiveType.kUnsigned8 and tensor.shape() == [3]
    np.asarray(tensor)[1] = 9
    assert data == bytearray(b"\x01\x09\x03")


def test_as_tensor_of_readonly_memory_stays_readonly():
    tensor = Tensor.as_tensor(b"abc")
    view = np.asarray(tensor)
    assert not view.flags.writeable
    with pytest.raises(ValueError):
        view[0] = 1


def test_as_tensor_refuses_objects_without_memory():
    with pytest.raises(TensorError, match="cannot make a Tensor from object"):
        Tensor.as_tensor(object())


def test_dlpack_both_ways_without_a_copy(allocator):
    tensor = Tensor()
    tensor.reshape([5], PrimitiveType.kUnsigned16, MemoryStorageType.kSystem, allocator)
    assert tensor.__dlpack_device__() == (1, 0)
    from_tensor = np.from_dlpack(tensor)
    assert address(from_tensor) == tensor.pointer()
    from_tensor[...] = [1, 2, 3, 4, 5]
    array = np.arange(6, dtype=np.float32)
    wrapped = Tensor.from_dlpack(array)
    assert wrapped.pointer() == address(array) and wrapped.storage_type() is MemoryStorageType.kSystem
    np.testing.assert_array_equal(np.from_dlpack(wrapped), array)
    np.testing.assert_array_equal(np.asarray(tensor), [1, 2, 3, 4, 5])


def test_numpy_views_keep_memory_valid_after_reshape(allocator):
    tensor = Tensor()
    tensor.reshape([3], PrimitiveType.kInt64, MemoryStorageType.kHost, allocator)
    view = np.asarray(tensor)
    view[...] = [7, 8, 9]
    tensor.reshape([100], PrimitiveType.kInt64, MemoryStorageType.kHost, allocator)
    np.asarray(tensor)[...] = 0
    assert view.tolist() == [7, 8, 9]


def test_an_empty_tensor_exports_an_empty_array():
    tensor = Tensor()
    assert (tensor.rank(), tensor.size(), tensor.element_count()) == (0, 0, 0)
    assert np.asarray(tensor).shape == (0,)


def test_the_deprecated_constructor_wraps_a_numpy_array_as_host_memory():
    array = np.ones((2, 2), dtype=np.uint8)
    tensor = Tensor(array)
    assert tensor.pointer() == address(array) and tensor.storage_type() is MemoryStorageType.kHost
    with pytest.raises(TensorError, match="Tensor.as_tensor"):
        Tensor([1, 2, 3])


# --- describing a tensor ---------------------------------------------------------------------------------
def test_get_tensor_info_returns_a_pointer_capsule_and_the_layout(allocator):
    tensor = Tensor()
    tensor.reshape([2, 4], PrimitiveType.kComplex64, MemoryStorageType.kHost, allocator)
    capsule, size, dtype, rank, dims, strides = tensor.get_tensor_info()
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    assert get_pointer(capsule, None) == tensor.pointer()
    assert (size, dtype, rank, dims, strides) == (64, np.dtype(np.complex64), 2, [2, 4], [32, 8])
    assert Tensor().get_tensor_info()[0] is None


def test_get_tensor_description(allocator):
    tensor = Tensor()
    tensor.name = "image"
    tensor.reshape_custom([4, 4, 3], PrimitiveType.kUnsigned8, 1, None, MemoryStorageType.kSystem, allocator)
    description = tensor.get_tensor_description()
    assert (description.name, description.storage_type, description.shape, description.element_type,
            description.bytes_per_element, description.strides) == (
        "image", MemoryStorageType.kSystem, Shape([4, 4, 3]), PrimitiveType.kUnsigned8, 1, (12, 3, 1))
    assert (description.shape.rank(), description.shape.size()) == (3, 48)


def test_tensor_description_without_strides_leaves_them_unset():
    description = TensorDescription(name="host_tensor", storage_type=MemoryStorageType.kHost,
                                    shape=Shape([1024, 1]), element_type=PrimitiveType.kFloat32,
                                    bytes_per_element=4)
    assert description.layout_strides is None and description.shape == [1024, 1]
    assert description.strides == (0,) * 8  # what GXF's binding reads from the unset array


# --- tensors in messages ---------------------------------------------------------------------------------
def test_add_get_and_find_tensors_in_a_message(allocator):
    message = MessageEntity()
    first = Tensor.add_to_entity(message, "first")
    second = Tensor.add_to_entity(message, Tensor.as_tensor(np.zeros(3)), "second")
    assert Tensor.get_from_entity(message, "first") is first
    assert Tensor.get_from_entity(message, "second") is second and second.name == "second"
    assert Tensor.get_from_entity(message) is first
    assert Tensor.find_all_from_entity(message) == [first, second]
    assert first.entity is message


def test_adding_a_tensor_of_another_message_moves_its_contents():
    array = np.arange(4)
    source = MessageEntity()
    original = Tensor.add_to_entity(source, Tensor.as_tensor(array), "t")
    target = MessageEntity()
    moved = Tensor.add_to_entity(target, original, "t")
    assert moved is not original and moved.pointer() == address(array)
    assert original.size() == 0 and original.rank() == 0


def test_get_from_entity_names_the_tensors_present_when_one_is_missing():
    message = MessageEntity()
    Tensor.add_to_entity(message, "a")
    with pytest.raises(ValueError, match="no tensor named 'b'") as info:
        Tensor.get_from_entity(message, "b")
    assert isinstance(info.value, GxfError) and "tensors in it: a" in str(info.value)
    with pytest.raises(TensorError, match="needs a message entity"):
        Tensor.get_from_entity(None)


@pytest.mark.parametrize("np_type", list(NUMPY_TYPES.values()), ids=lambda t: np.dtype(t).name)
def test_add_np_array_as_tensor_copies_the_array_into_host_memory(allocator, np_type):
    array = np.array([[1, 2, 3], [4, 5, 6]]).astype(np_type)
    message = MessageEntity()
    tensor = Tensor.add_np_array_as_tensor_to_entity(message, "values", array, allocator)
    assert Tensor.get_from_entity(message, "values") is tensor
    assert tensor.storage_type() is MemoryStorageType.kHost and tensor.pointer() != address(array)
    array[0, 0] = 0
    np.testing.assert_array_equal(np.asarray(tensor), np.array([[1, 2, 3], [4, 5, 6]]).astype(np_type))


def test_add_np_array_without_an_allocator_copies_too():
    array = np.arange(6).reshape(2, 3)[:, ::2]  # not contiguous
    tensor = Tensor.add_np_array_as_tensor_to_entity(MessageEntity(), "t", array)
    assert tensor.is_contiguous() and np.asarray(tensor).tolist() == [[0, 2], [3, 5]]


# --- device memory without a GPU ------------------------------------------------------------------------
class ForeignDeviceArray:
    """Device memory described by another library (only the description: nothing reads the memory)."""

    @property
    def __cuda_array_interface__(self):
        return {"shape": (2, 3), "typestr": "<f4", "data": (0x7F0000000000, False), "strides": None,
                "version": 3}


def test_a_device_array_wraps_as_a_device_tensor_without_touching_memory():
    tensor = Tensor.as_tensor(ForeignDeviceArray())
    assert tensor.storage_type() is MemoryStorageType.kDevice
    assert (tensor.pointer(), tensor.shape(), tensor.strides()) == (0x7F0000000000, Shape([2, 3]), (12, 4))
    assert tensor.__dlpack_device__() == (2, 0)
    interface = tensor.__cuda_array_interface__
    assert (interface["data"], interface["shape"], interface["typestr"]) == ((0x7F0000000000, False), (2, 3),
                                                                             "<f4")
    assert not hasattr(tensor, "__array_interface__")
    with pytest.raises(TensorError, match="device memory"):
        np.asarray(tensor)


def test_host_tensors_have_no_cuda_array_interface(allocator):
    tensor = Tensor()
    tensor.reshape([2], PrimitiveType.kFloat32, MemoryStorageType.kHost, allocator)
    assert not hasattr(tensor, "__cuda_array_interface__")


@pytest.mark.skipif("cupy" in sys.modules or __import__("importlib").util.find_spec("cupy") is not None,
                    reason="CuPy is installed: device memory may work here")
def test_device_memory_without_cupy_says_what_to_install(allocator):
    with pytest.raises(DeviceUnavailableError) as info:
        Tensor().reshape([4], PrimitiveType.kFloat32, MemoryStorageType.kDevice, allocator)
    text = str(info.value)
    assert "pip install gxf-cuda[cupy]" in text and "GPU" in text


# --- the package --------------------------------------------------------------------------------------------
def test_import_gxf_std_and_its_tensor_api_does_not_import_numpy():
    code = ("import sys, gxf.std\n"
            "from gxf.std import (Transmitter, Receiver, Clock, Allocator, Tensor, TensorDescription,\n"
            "    Shape, PrimitiveType, MemoryStorageType, Timestamp, BlockMemoryPool, UnboundedAllocator,\n"
            "    Entity,\n"
            "    MemoryAvailableSchedulingTerm, TensorCopier, Codelet, GreedyScheduler, ManualClock)\n"
            "print('numpy' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_gxf_std_lists_the_public_names_of_its_modules():
    import gxf.std

    names = set(gxf.std.__all__)
    assert {"Tensor", "Allocator", "BlockMemoryPool", "Receiver", "DoubleBufferTransmitter",
            "GreedyScheduler", "connect"} <= names
    assert gxf.std.Tensor is Tensor
    with pytest.raises(AttributeError):
        gxf.std.NoSuchThing  # noqa: B018
