"""Tensor probes: a source that allocates a tensor per message from an allocator, and a sink.

Both record the address of each tensor's memory (``Tensor.pointer()``), so the harness can check that
the sink saw the very buffers the source allocated, i.e. that nothing on the way copied the data. The
tensor classes are imported when the probes start, so this extension loads even where gxf.std has no
tensors yet (the workload is then skipped).
"""

from __future__ import annotations

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter

ALLOCATOR = "nvidia::gxf::Allocator"


class TensorSource(Codelet, type_name="gxf::benchmarks::TensorSource", uuid="dad8167b-9258-4b82-b9e4-633f1431dfd6"):
    """Publishes a message with one float32 tensor of ``shape`` allocated from ``allocator`` each tick."""

    signal = Parameter(Handle(Transmitter), description="Where the messages go")
    allocator = Parameter(Handle(ALLOCATOR), description="Where the tensors' memory comes from")
    shape = Parameter(list[int], description="Tensor shape (float32 elements)")

    def initialize(self) -> None:
        self.addresses: list[int] = []

    def start(self) -> None:
        from gxf.std.memory_storage import MemoryStorageType
        from gxf.std.primitive_type import PrimitiveType
        from gxf.std.shape import Shape
        from gxf.std.tensor import Tensor

        self._tensor = Tensor
        self._shape = Shape(self.shape)
        self._float32 = PrimitiveType.kFloat32
        self._host = MemoryStorageType.kHost

    def tick(self) -> None:
        message = MessageEntity(self.context)
        tensor = self._tensor.add_to_entity(message, "tensor")
        tensor.reshape(self._shape, self._float32, self._host, self.allocator)
        self.addresses.append(tensor.pointer())
        self.signal.publish(message)


class TensorSink(Codelet, type_name="gxf::benchmarks::TensorSink", uuid="8bf93d9c-fe03-49ad-aa03-cbec894b0584"):
    """Receives a message each tick and records the address and size of its tensor."""

    signal = Parameter(Handle(Receiver), description="Where the messages come from")

    def initialize(self) -> None:
        self.addresses: list[int] = []
        self.bytes = 0

    def start(self) -> None:
        from gxf.std.tensor import Tensor

        self._tensor = Tensor

    def tick(self) -> None:
        message = self.signal.receive()
        if message is None:
            raise RuntimeError("ticked without a message to receive")
        tensor = self._tensor.get_from_entity(message, "tensor")
        self.addresses.append(tensor.pointer())
        self.bytes += tensor.size()


COMPONENTS: list = [TensorSource, TensorSink]
