"""GXF's CUDA test codelets (``nvidia::gxf::test::cuda::*``), so that GXF's CUDA test graphs run.

They do their device work through the active backend (``gxf.cuda.backend``): CuPy (with cuBLAS for
the dot product) on a GPU, the host emulation in tests. Their work is queued on the CUDA stream of the
message (a CudaStreamId) and is asynchronous: a consumer waits for it with a CudaStreamSchedulingTerm,
CudaEventSchedulingTerm or a CudaStreamSync before reading.
"""

from __future__ import annotations

import threading

from gxf.core import ExecutionError, Handle, MessageEntity, Parameter
from gxf.std.allocator import Allocator
from gxf.std.codelet import Codelet
from gxf.std.memory_storage import DeviceUnavailableError, MemoryStorageType
from gxf.std.primitive_type import PrimitiveType, primitive_type_size
from gxf.std.queue import Receiver, Transmitter
from gxf.std.shape import Shape
from gxf.std.tensor import Tensor, TensorDescription

from .backend import backend, device_array
from .cuda_allocator import CudaAllocator
from .cuda_buffer import DEFAULT_CUDA_BUFFER_NAME, CudaBuffer, CudaBufferState
from .cuda_event import CudaEvent
from .cuda_stream import CudaStream, CudaStreamId, CudaStreamPool, stream_of_message

STREAM_NAME = "CudaStream0"
INIT_TENSOR_SHAPE = [1024, 2048]


def _describe(name: str, storage_type, shape, element_type) -> TensorDescription:
    """A dense tensor's description (GXF's TensorDescription with its bytes per element filled in)."""
    return TensorDescription(name, storage_type, shape, element_type, primitive_type_size(element_type))


def _fail(codelet, message: str, hint: str | None = None):
    return ExecutionError(f"{codelet.describe_self()}: {message}", codelet.location, hint)


def _needs_device(codelet, use, dev_id: int = 0):
    """Runs ``use()`` (the codelet's first use of the GPU), naming the codelet if the GPU is missing."""
    try:
        backend().check_device(dev_id)
        return use()
    except DeviceUnavailableError as exc:
        raise DeviceUnavailableError(f"{codelet.describe_self()} needs a GPU: {exc.message}",
                                     codelet.location, exc.hint) from None


class StreamBasedOps(Codelet, type_name="nvidia::gxf::test::cuda::StreamBasedOps",
                     uuid="638a1752-49f0-4a31-8217-81ce387896db", abstract=True):
    """Base of the stream-based test codelets: streams, tensors and events of messages."""

    def get_stream(self, message) -> CudaStream:
        """The CudaStream the message's CudaStreamId names."""
        stream = stream_of_message(message, self.context)
        if stream is None:
            raise _fail(self, "the message names no CUDA stream (no CudaStreamId)",
                        "publish the input with a CudaStreamId (StreamTensorGenerator adds one)")
        return stream

    @staticmethod
    def add_stream(message, stream: CudaStream, name: str | None = None) -> CudaStreamId:
        """Adds a CudaStreamId naming ``stream`` to ``message``."""
        stream_id = CudaStreamId.add_to_entity(message, name)
        stream_id.stream_cid = stream.cid
        return stream_id

    @staticmethod
    def add_tensor(message, pool: Allocator, description: TensorDescription) -> Tensor:
        tensor = Tensor.add_to_entity(message, description.name)
        tensor.reshape(description, pool)
        return tensor

    def init_ops_event(self) -> None:
        """Makes the codelet's event, shared by the events it adds to messages."""
        if getattr(self, "_ops_event", None) is None:
            event = CudaEvent()
            event.init(0)
            self._ops_event = event

    def add_new_event(self, message, name: str | None = None) -> CudaEvent:
        """Adds a CudaEvent (holding a fresh event of the codelet's device) to ``message``."""
        self.init_ops_event()
        event = message.add(CudaEvent, name or "")
        event.init(self._ops_event.dev_id())
        return event


class StreamTensorGenerator(StreamBasedOps, type_name="nvidia::gxf::test::cuda::StreamTensorGenerator",
                            uuid="3a5f0f09-7bcf-49c3-a543-7e488fa251f7"):
    """Publishes two device tensors with a CudaStreamId on ``cuda_tx`` and the same two on the host.

    Each tick fills two host tensors "host_tensor" with ``(j % 100) + 1`` and copies them, on the
    codelet's stream, into two device tensors "cuda_tensor"; the device message names the stream
    ("CudaStream0"). ``shape`` is this project's addition (GXF always uses 1024 x 2048).
    """

    cuda_tx = Parameter(Handle(Transmitter), description="Where the device tensors go")
    host_tx = Parameter(Handle(Transmitter), optional=True, description="Where the host tensors go")
    cuda_tensor_pool = Parameter(Handle(Allocator), description="Device memory of the device tensors")
    host_tensor_pool = Parameter(Handle(Allocator), description="Host memory of the host tensors")
    stream_pool = Parameter(Handle(CudaStreamPool), description="The pool the codelet's stream comes from")
    shape = Parameter(list[int], INIT_TENSOR_SHAPE, "Shape of the tensors (GXF's is 1024 x 2048)")

    def start(self) -> None:
        self._stream = self.stream_pool.allocate_stream()[1]
        self._values = None
        try:
            _needs_device(self, self._stream.device_stream, self._stream.dev_id())
        except DeviceUnavailableError:
            self.stop()
            raise

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.sync_stream()
            self.stream_pool.release_stream(stream)

    def tick(self) -> None:
        import numpy

        shape = Shape(self.shape)
        if self._values is None:
            values = (numpy.arange(shape.size()) % 100) + 1.0
            self._values = values.astype(numpy.float32).reshape(shape.dims)
        device_message, host_message = MessageEntity(self.context), MessageEntity(self.context)
        gpu, stream = backend(), self._stream.device_stream()
        for _ in range(2):
            device_tensor = self.add_tensor(device_message, self.cuda_tensor_pool, _describe(
                "cuda_tensor", MemoryStorageType.kDevice, shape, PrimitiveType.kFloat32))
            host_tensor = self.add_tensor(host_message, self.host_tensor_pool, _describe(
                "host_tensor", MemoryStorageType.kHost, shape, PrimitiveType.kFloat32))
            numpy.asarray(host_tensor)[...] = self._values
            gpu.copy(device_tensor.pointer(), host_tensor.pointer(), device_tensor.size(), stream,
                     keep=(device_tensor, host_tensor))
        self.add_stream(device_message, self._stream, STREAM_NAME)
        self.cuda_tx.publish(device_message)
        if self.host_tx is not None:
            self.host_tx.publish(host_message)


class _DotProduct(Codelet, abstract=True):
    """Row-wise dot products of the two rank-2 float tensors of each message, published as one tensor."""

    tx = Parameter(Handle(Transmitter), description="Where the dot products go")
    rx = Parameter(Handle(Receiver), description="Where the pairs of tensors come in")
    tensor_pool = Parameter(Handle(Allocator), description="Memory of the result tensors")
    out_name = ""

    def tick(self) -> None:
        message = self.rx.receive()
        if message is None:
            raise _fail(self, "ticked without a message", "add a MessageAvailableSchedulingTerm on 'rx'")
        tensors = Tensor.find_all_from_entity(message)
        if len(tensors) != 2 or any(t.rank() != 2 for t in tensors):
            raise _fail(self, f"needs two rank-2 tensors, the message has {len(tensors)} "
                        f"({[list(t.shape().dims) for t in tensors]})")
        first = tensors[0]
        rows = first.shape().dimension(0)
        output = MessageEntity(self.context)
        result = StreamBasedOps.add_tensor(output, self.tensor_pool, _describe(
            self.out_name, first.storage_type(), Shape([rows]), first.element_type()))
        self.compute(tensors[0], tensors[1], result, message, output)
        self.tx.publish(output)


class CublasDotProduct(StreamBasedOps, _DotProduct, type_name="nvidia::gxf::test::cuda::CublasDotProduct",
                       uuid="fbe00493-9d8d-4b4e-9d85-e9fddee218be"):
    """Dot products on the GPU, queued on the input's stream (a batched cuBLAS product through CuPy).

    The output message names the same stream and carries an event "cudotproduct_event" recorded
    after the products.
    """

    out_name = "cublasdotproduct_tensor"

    def start(self) -> None:
        self.init_ops_event()
        _needs_device(self, self._ops_event.device_event)

    def compute(self, first, second, result, message, output) -> None:
        stream = self.get_stream(message)
        self.add_stream(output, stream)
        xp = backend().xp
        a, b, out = device_array(first), device_array(second), device_array(result)

        def products():
            # (rows, 1, columns) @ (rows, columns, 1): one batched GEMM (cuBLAS on a GPU)
            out[...] = xp.matmul(a[:, None, :], b[:, :, None]).reshape(out.shape)

        stream.run(products)
        self.add_new_event(output, "cudotproduct_event").record(stream)


class HostDotProduct(_DotProduct, type_name="nvidia::gxf::test::cuda::HostDotProduct",
                     uuid="d877d6f9-b72e-414b-8e9c-52a5aa0bcc1c"):
    """Dot products on the CPU (host tensors): the reference the GPU result is verified against."""

    out_name = "host_dotproduct_tensor"

    def compute(self, first, second, result, message, output) -> None:
        import numpy

        x, y = numpy.asarray(first), numpy.asarray(second)
        numpy.asarray(result)[...] = numpy.einsum("ij,ij->i", x, y)


class MemCpy2Host(StreamBasedOps, type_name="nvidia::gxf::test::cuda::MemCpy2Host",
                  uuid="42868729-12cd-4cae-b0ea-83d18715d774"):
    """Copies the first tensor of each message to host memory, asynchronously on the message's stream.

    The output names the same stream and carries an event "memcpy_event" recorded after the copy,
    so that a consumer can wait for either.
    """

    tx = Parameter(Handle(Transmitter), description="Where the host tensors go")
    rx = Parameter(Handle(Receiver), description="Where the device tensors come in")
    tensor_pool = Parameter(Handle(Allocator), description="Host memory of the copies")

    def start(self) -> None:
        self.init_ops_event()
        _needs_device(self, self._ops_event.device_event)

    def tick(self) -> None:
        message = self.rx.receive()
        if message is None:
            raise _fail(self, "ticked without a message", "add a MessageAvailableSchedulingTerm on 'rx'")
        tensor = message.get(Tensor)
        if tensor is None:
            raise _fail(self, "the message holds no tensor")
        output = MessageEntity(self.context)
        copy = self.add_tensor(output, self.tensor_pool, _describe(
            tensor.name, MemoryStorageType.kHost, tensor.shape(), tensor.element_type()))
        stream = self.get_stream(message)
        self.add_stream(output, stream)
        backend().copy(copy.pointer(), tensor.pointer(), tensor.size(), stream.device_stream(),
                       keep=(copy, tensor))
        self.add_new_event(output, "memcpy_event").record(stream)
        self.tx.publish(output)


class VerifyEqual(Codelet, type_name="nvidia::gxf::test::cuda::VerifyEqual",
                  uuid="e578e5bd-1543-4de4-8ed6-25fd24354ac0"):
    """Checks that the first tensors of a message on each receiver are equal host tensors.

    Same shape, element type and storage (host), different names, and every pair of values within
    float32's epsilon; a difference fails the run naming the first differing element.
    """

    rx0 = Parameter(Handle(Receiver), description="First receiver of tensors")
    rx1 = Parameter(Handle(Receiver), description="Second receiver of tensors")

    def initialize(self) -> None:
        self.count = 0

    def tick(self) -> None:
        import numpy

        first, second = self.rx0.receive(), self.rx1.receive()
        if first is None or second is None:
            raise _fail(self, "ticked without a message on each receiver",
                        "add a MessageAvailableSchedulingTerm on rx0 and on rx1")
        a, b = first.get(Tensor), second.get(Tensor)
        if a is None or b is None:
            raise _fail(self, "each message must hold a tensor")
        if a.name == b.name:
            raise _fail(self, f"the two tensors are both called '{a.name}'")
        if a.shape() != b.shape() or a.element_type() != b.element_type():
            raise _fail(self, f"tensors differ in layout: {a.shape()} {a.element_type().name} vs {b.shape()} "
                        f"{b.element_type().name}")
        if a.storage_type() != MemoryStorageType.kHost or b.storage_type() != MemoryStorageType.kHost:
            raise _fail(self, f"tensors must be in host memory, they are in {a.storage_type().name} and "
                        f"{b.storage_type().name}", "copy them to the host first (MemCpy2Host)")
        x, y = numpy.asarray(a).ravel(), numpy.asarray(b).ravel()
        differ = numpy.flatnonzero(numpy.abs(x - y) > numpy.finfo(numpy.float32).eps)
        if differ.size:
            index = int(differ[0])
            raise _fail(self, f"frame {self.count}: data0[{index}] is {x[index]} but data1 is {y[index]} "
                        f"({differ.size} elements differ)")
        self.count += 1


class CudaAsyncBufferGenerator(Codelet, type_name="nvidia::gxf::test::cuda::CudaAsyncBufferGenerator",
                               uuid="29319078-5f1a-11ef-a3d0-97895e79aba6"):
    """Publishes a CudaBuffer per tick, allocated and filled with random floats on a stream of the pool."""

    signal = Parameter(Handle(Transmitter), description="Where the messages with buffers go")
    allocator = Parameter(Handle(CudaAllocator), description="Serves the device memory asynchronously")
    stream_pool = Parameter(Handle(CudaStreamPool), description="Where each buffer's stream comes from")
    size = Parameter(int, 1, "Bytes of each CudaBuffer")

    def initialize(self) -> None:
        import numpy

        self._random = numpy.random.default_rng(0)
        self.sent = 0

    def start(self) -> None:
        _needs_device(self, lambda: None)

    def tick(self) -> None:
        import numpy

        message = MessageEntity(self.context)
        buffer = message.add(CudaBuffer, DEFAULT_CUDA_BUFFER_NAME)
        buffer.resize_async(self.allocator, self.stream_pool, self.size)
        values = self._random.uniform(0.0, 1.0, self.size // 4).astype(numpy.float32)
        backend().copy(buffer.pointer(), values.ctypes.data, values.nbytes, buffer.stream().device_stream(),
                       keep=values)
        self.signal.publish(message)
        self.sent += 1
        self.logger.info("Message Sent")


class Convolve2D(Codelet, type_name="nvidia::gxf::test::cuda::Convolve2D",
                 uuid="4f224020-5f1a-11ef-a0be-4fd9265eca79"):
    """Convolves each incoming CudaBuffer (a 32 x 32 float image) with ``kernel``, on the buffer's stream.

    The output buffer takes over the input's stream (its CudaStreamId names it); the input message is
    kept until a host callback says the convolution is done, and let go at the next tick.
    """

    kernel = Parameter(list[list[float]], description="The square kernel, as a list of rows")
    output = Parameter(Handle(Transmitter), description="Where the convolved buffers go")
    input = Parameter(Handle(Receiver), description="Where the buffers come in")
    allocator = Parameter(Handle(CudaAllocator), description="Serves the device memory asynchronously")

    WIDTH = HEIGHT = 32

    def start(self) -> None:
        import numpy

        size = len(self.kernel)
        if size == 0 or any(len(row) != size for row in self.kernel):
            raise _fail(self, f"kernel must be square, got rows of {[len(r) for r in self.kernel]}")
        host = numpy.asarray(self.kernel, numpy.float32)
        self._kernel_block = _needs_device(
            self, lambda: self.allocator.allocate(host.nbytes, MemoryStorageType.kDevice))
        backend().copy(self._kernel_block.address, host.ctypes.data, host.nbytes)
        self._kernel = backend().array(self._kernel_block.address, host.shape, host.dtype,
                                       (4 * size, 4), self._kernel_block)
        self._lock = threading.Lock()
        self._in_flight: dict = {}
        self._done: list = []
        self.count = 0

    def stop(self) -> None:
        self._in_flight.clear()
        self._kernel = None
        block, self._kernel_block = self._kernel_block, None
        if block is not None:
            self.allocator.free(block)

    def tick(self) -> None:
        with self._lock:
            done, self._done = self._done, []
        for eid in done:
            self._in_flight.pop(eid, None)
        message = self.input.receive()
        if message is None:
            raise _fail(self, "ticked without a message", "add a MessageAvailableSchedulingTerm on 'input'")
        self.count += 1
        source = message.get(CudaBuffer)
        if source is None:
            raise _fail(self, "the message holds no CudaBuffer")
        output = MessageEntity(self.context)
        target = output.add(CudaBuffer, DEFAULT_CUDA_BUFFER_NAME)
        stream = source.transfer_stream_ownership()
        target.resize_async(self.allocator, source.stream_pool(), source.size(), stream)
        xp, kernel = backend().xp, self._kernel
        image, result = source.array().reshape(self.HEIGHT, self.WIDTH), target.array().reshape(self.HEIGHT,
                                                                                                 self.WIDTH)

        def convolve():
            k = kernel.shape[0]
            center = k // 2
            padded = xp.pad(image, ((center, k - 1 - center), (center, k - 1 - center)))
            total = xp.zeros_like(image)
            for i in range(k):
                for j in range(k):
                    total += padded[i:i + self.HEIGHT, j:j + self.WIDTH] * kernel[i, j]
            result[...] = total

        stream.run(convolve)
        self._in_flight[message.eid] = message  # the input's memory must live until the kernel is done
        source.register_callback_on_stream(lambda eid=message.eid: self._release(eid))
        StreamBasedOps.add_stream(output, stream)
        self.output.publish(output)

    def _release(self, eid) -> None:
        # A host callback: the message cannot be freed here (freeing device memory is a GPU call).
        with self._lock:
            self._done.append(eid)


class CudaBufferRx(Codelet, type_name="nvidia::gxf::test::cuda::CudaBufferRx",
                   uuid="7468fe00-5f7e-11ef-bd4d-2ba0f2a6467a"):
    """Takes a message with a CudaBuffer per tick and checks that the buffer's data is available."""

    signal = Parameter(Handle(Receiver), description="Where the messages with buffers come in")

    def initialize(self) -> None:
        self.count = 0

    def tick(self) -> None:
        message = self.signal.receive()
        if message is None:
            raise _fail(self, "ticked without a message")
        self.count += 1
        self.logger.info("Message Received: %d", self.count)
        buffer = message.get(CudaBuffer)
        if buffer is None:
            raise _fail(self, "the message holds no CudaBuffer")
        if buffer.state() is not CudaBufferState.DATA_AVAILABLE:
            raise _fail(self, f"CudaBuffer found in an invalid state {buffer.state().name}",
                        "gate the entity with a CudaStreamSchedulingTerm or a "
                        "CudaBufferAvailableSchedulingTerm")


COMPONENTS = [StreamBasedOps, StreamTensorGenerator, CublasDotProduct, HostDotProduct, MemCpy2Host,
              VerifyEqual, CudaAsyncBufferGenerator, Convolve2D, CudaBufferRx]
