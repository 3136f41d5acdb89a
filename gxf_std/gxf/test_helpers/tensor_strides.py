"""TestTensorStrides: checks that tensors keep the strides they were made with."""

from __future__ import annotations

from gxf.core import Handle, Parameter
from gxf.std.allocator import Allocator
from gxf.std.codelet import Codelet
from gxf.std.memory_storage import MemoryStorageType
from gxf.std.primitive_type import PrimitiveType

from .checks import check_equal
from .tensor_support import compute_row_strides, compute_strides, create_tensor_map, describe

SHAPE = (2, 3, 4)


class TestTensorStrides(Codelet, type_name="nvidia::gxf::test::TestTensorStrides",
                        uuid="92002082-6023-11eb-aeea-03cedbfc916f"):
    """Makes tensors with padded and dense layouts and checks their strides and sizes.

    Each tick makes three tensors of shape [2, 3, 4] from ``pool``: ``foo`` (float32, rows aligned to
    256 bytes: strides 256, 16, 4), ``bar`` (float32, steps 256, 64, 8: strides 256, 64, 8) and ``zoo``
    (float64, dense: strides 96, 32, 8), and checks each tensor's rank, strides and bytes_size. A
    mismatch fails the run.
    """

    __test__ = False  # not a pytest test class

    pool = Parameter(Handle(Allocator), description="Where the tensors' memory comes from")

    def tick(self) -> None:
        host = MemoryStorageType.kHost
        message = create_tensor_map(self.context, self.pool, [
            describe("foo", host, SHAPE, PrimitiveType.kFloat32, compute_row_strides(SHAPE, 256, 4)),
            describe("bar", host, SHAPE, PrimitiveType.kFloat32, compute_strides(SHAPE, (256, 64, 8))),
            describe("zoo", host, SHAPE, PrimitiveType.kFloat64),
        ])
        for name, strides, bytes_size in (("foo", (256, 16, 4), 2 * 256), ("bar", (256, 64, 8), 2 * 256),
                                          ("zoo", (3 * 4 * 8, 4 * 8, 8), 2 * 3 * 4 * 8)):
            tensor = message.find(name)
            check_equal(tensor.rank(), 3, f"the rank of '{name}'")
            check_equal(tuple(tensor.stride(i) for i in range(3)), strides, f"the strides of '{name}'")
            check_equal(tensor.bytes_size(), bytes_size, f"the bytes_size of '{name}'")
