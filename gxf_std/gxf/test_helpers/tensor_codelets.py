"""Codelets that make, compare and print tensor messages: TensorGenerator, TensorComparator, PrintTensor
and Print."""

from __future__ import annotations

import enum
import logging
import sys
import time

from gxf.core import Handle, Parameter
from gxf.std.allocator import Allocator
from gxf.std.codelet import Codelet
from gxf.std.memory_storage import HOST_ACCESSIBLE, MemoryStorageType
from gxf.std.primitive_type import PrimitiveType
from gxf.std.queue import Receiver, Transmitter
from gxf.std.tensor import Tensor
from gxf.std.timestamp import Timestamp

from .checks import CheckFailed
from .fixed_types import INT32
from .tensor_support import fill, host_array

# TensorGenerator draws from a fixed seed, as GXF's default-constructed random engine does: two
# generators with the same parameters publish the same tensors.
GENERATOR_SEED = 5489


class TensorGenerator(Codelet, type_name="nvidia::gxf::test::TensorGenerator",
                      uuid="d2abde61-ff76-ea8b-fdc7-4e01d70259af"):
    """Publishes messages of random float32 tensors, optionally with a Timestamp.

    Each tick publishes a message with ``number_of_tensors`` float32 tensors named ``tensor_name`` of
    ``shape``, in ``storage_type`` memory from ``allocator``, filled with random values, and (with
    ``enable_timestamps``) a Timestamp named ``timestamp_name`` whose acqtime and pubtime are the
    system time in ns before and after the tensors were made.
    """

    output = Parameter(Handle(Transmitter), description="Where the tensor messages go")
    allocator = Parameter(Handle(Allocator), description="Where the tensors' memory comes from")
    shape = Parameter(list[INT32], description="Dimensions of every tensor")
    storage_type = Parameter(int, int(MemoryStorageType.kHost),
                             "Memory the tensors are made in: 0 host, 1 device, 2 system")
    enable_timestamps = Parameter(bool, True, "Add a Timestamp to each message")
    tensor_name = Parameter(str, "tensor", "Component name of the tensors in each message")
    timestamp_name = Parameter(str, "timestamp", "Component name of the Timestamp in each message")
    number_of_tensors = Parameter(INT32, 1, "Tensors per message")

    def initialize(self) -> None:
        if len(self.shape) > 8:
            raise ValueError(f"shape {self.shape} has more than 8 dimensions")
        if any(dim < 0 for dim in self.shape):
            raise ValueError(f"shape {self.shape} has a negative dimension")
        self._storage = MemoryStorageType(self.storage_type)

    def start(self) -> None:
        import numpy

        self._numpy = numpy
        self._random = numpy.random.default_rng(GENERATOR_SEED)
        info = numpy.finfo(numpy.float32)
        self._low, self._high = float(info.tiny), float(info.max)

    def tick(self) -> None:
        from gxf.core import MessageEntity

        message = MessageEntity(self.context)
        acqtime = time.time_ns()
        for _ in range(self.number_of_tensors):
            tensor = Tensor.add_to_entity(message, self.tensor_name)
            tensor.reshape(self.shape, PrimitiveType.kFloat32, self._storage, self.allocator)
            values = self._random.uniform(self._low, self._high, tuple(self.shape))
            fill(tensor, values.astype(self._numpy.float32))
        if self.enable_timestamps:
            stamp = message.add(Timestamp, self.timestamp_name)
            stamp.acqtime = acqtime
            stamp.pubtime = time.time_ns()
        self.output.publish(message)


# GXF writes the last choice "None", which cannot be a Python attribute name.
CompareTimestamp = enum.IntEnum("CompareTimestamp", [("PubtimeOnly", 0), ("AcqtimeOnly", 1),
                                                     ("PubtimeAndAcqtime", 2), ("None", 3)])
CompareTimestamp.__doc__ = "Which Timestamp fields TensorComparator compares (GXF's names and values)."


class TensorComparator(Codelet, type_name="nvidia::gxf::test::TensorComparator",
                       uuid="e99f8fe0-c7ab-9674-c4ef-5778874b7c3f"):
    """Checks that two inputs deliver identical tensor messages, pair by pair.

    Each tick receives one message from ``expected`` and one from ``actual``. Their Timestamps must
    match in number, names and (per ``compare_timestamp``) pubtime and/or acqtime; their tensors in
    number, names, storage type, element type, bytes per element, shape and every element (bitwise).
    Any difference, or a missing message, fails the run naming what differs.
    """

    expected = Parameter(Handle(Receiver), description="Where the reference messages come from")
    actual = Parameter(Handle(Receiver), description="Where the messages to check come from")
    compare_timestamp = Parameter(CompareTimestamp, CompareTimestamp.PubtimeAndAcqtime,
                                  "Which Timestamp times must agree: PubtimeOnly, AcqtimeOnly, "
                                  "PubtimeAndAcqtime, None")

    def initialize(self) -> None:
        self.compared = 0

    def tick(self) -> None:
        expected = self._receive(self.expected)
        actual = self._receive(self.actual)
        mode = CompareTimestamp(self.compare_timestamp)
        if mode != CompareTimestamp["None"]:
            self._compare_timestamps(expected.find_all(Timestamp), actual.find_all(Timestamp), mode)
        self._compare_tensors(expected.find_all(Tensor), actual.find_all(Tensor))
        self.compared += 1

    @staticmethod
    def _receive(receiver):
        message = receiver.receive()
        if message is None:
            raise CheckFailed(f"no message available on '{receiver.handle_text()}'")
        return message

    @staticmethod
    def _compare_timestamps(expected, actual, mode) -> None:
        if len(actual) != len(expected):
            raise CheckFailed(f"the actual message has {len(actual)} timestamps, the expected one "
                              f"{len(expected)}")
        for want, got in zip(expected, actual):
            if got.name != want.name:
                raise CheckFailed(f"timestamp '{got.name}' where '{want.name}' was expected")
            if mode in (CompareTimestamp.PubtimeAndAcqtime, CompareTimestamp.PubtimeOnly) \
                    and got.pubtime != want.pubtime:
                raise CheckFailed(f"timestamp '{want.name}': pubtime {got.pubtime}, expected {want.pubtime}")
            if mode in (CompareTimestamp.PubtimeAndAcqtime, CompareTimestamp.AcqtimeOnly) \
                    and got.acqtime != want.acqtime:
                raise CheckFailed(f"timestamp '{want.name}': acqtime {got.acqtime}, expected {want.acqtime}")

    @staticmethod
    def _compare_tensors(expected, actual) -> None:
        if len(actual) != len(expected):
            raise CheckFailed(f"the actual message has {len(actual)} tensors, the expected one "
                              f"{len(expected)}")
        for want, got in zip(expected, actual):
            name = want.name
            if got.name != name:
                raise CheckFailed(f"tensor '{got.name}' where '{name}' was expected")
            for what in ("storage_type", "element_type", "bytes_per_element", "shape"):
                have, should = getattr(got, what)(), getattr(want, what)()
                if have != should:
                    raise CheckFailed(f"tensor '{name}': {what} is {have!r}, expected {should!r}")
            have, should = host_array(got), host_array(want)
            if have.tobytes() != should.tobytes():
                differing = int((have.view("u1").reshape(-1) != should.view("u1").reshape(-1)).sum()) \
                    if have.flags.c_contiguous and should.flags.c_contiguous else None
                detail = f" ({differing} bytes differ)" if differing is not None else ""
                raise CheckFailed(f"tensor '{name}': the data differs{detail}")


_FORMATS = {
    PrimitiveType.kFloat32: "{:f}", PrimitiveType.kFloat64: "{:f}",
}


def format_tensor(tensor: Tensor) -> str:
    """``shape: (2, 3), name: 1, 2, 3, 4, 5, 6, `` as GXF's PrintTensor prints it."""
    dims = ", ".join(str(d) for d in tensor.shape().dims)
    head = f"shape: ({dims}), {tensor.name}: "
    if tensor.storage_type() not in HOST_ACCESSIBLE:
        return head + "[device-data]"
    element_type = tensor.element_type()
    if element_type in (PrimitiveType.kCustom, PrimitiveType.kFloat16, PrimitiveType.kComplex64,
                        PrimitiveType.kComplex128):
        return head + f"Unknown type {int(element_type)}"
    form = _FORMATS.get(element_type, "{}")
    values = host_array(tensor).reshape(-1).tolist()
    return head + "".join(form.format(v) + ", " for v in values)


class PrintTensor(Codelet, type_name="nvidia::gxf::test::PrintTensor",
                  uuid="c73d835e-bf5b-4a54-9cd5-370e1256b650"):
    """Writes the tensors of each message it receives to standard output.

    Each tick receives one message from ``tensors`` and prints a line per tensor to standard output:
    its shape, its name and every element (``[device-data]`` for device memory). ``silent`` only
    receives. A tick without a message fails the run.
    """

    tensors = Parameter(Handle(Receiver), description="Where the tensor messages come from")
    silent = Parameter(bool, False, "Receive the messages without printing anything")

    def tick(self) -> None:
        message = self.tensors.receive()
        if message is None:
            raise CheckFailed(f"no message available on '{self.tensors.handle_text()}'")
        if self.silent:
            return
        out = sys.stdout
        for tensor in message.find_all(Tensor):
            out.write(format_tensor(tensor) + "\n")
        out.flush()


class Print(Codelet, type_name="nvidia::gxf::test::Print", uuid="15ac607f-5539-42e0-b1f0-9b841e1f9ecd"):
    """Logs, at DEBUG, how many elements each tensor of a received message has.

    Each tick receives one message from ``message`` (a tick without one fails the run) and logs, at
    DEBUG, ``[<cid>] Received E<eid> with Tensor with <n> elements`` for each of its tensors.
    """

    message = Parameter(Handle(Receiver), description="Where the messages come from")

    def start(self) -> None:
        self._debug = self.logger.isEnabledFor(logging.DEBUG)

    def tick(self) -> None:
        message = self.message.receive()
        if message is None:
            raise CheckFailed(f"no message available on '{self.message.handle_text()}'")
        if self._debug:
            for tensor in message.find_all(Tensor):
                self.logger.debug("[%05d] Received E%05d with Tensor with %d elements", self.cid, message.eid,
                                  tensor.element_count())
