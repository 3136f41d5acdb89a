"""DeviceRowSums: sums each row of a device tensor on the GPU, in the order of the message's CUDA stream.

The input message (from StreamTensorGenerator) names the stream its tensor was written on with a
CudaStreamId. The reduction and the copy of the sums to host memory are queued on that same stream,
so they run after the producer's work without any wait on the host; the output message names the
stream too, so that its consumer can wait for the result with a CudaStreamSchedulingTerm.

The codelet is written against gxf.cuda's backend (``device_array``, ``stream.run``): on a GPU the
arrays are CuPy arrays and the work is asynchronous CUDA work; in the tests it runs on the host
emulation of a GPU. ``allocators: [device pool, host pool]``.
"""

from gxf.core import MessageEntity
from gxf.cuda import CudaStreamId, active_backend, device_array, stream_of_message
from gxf.python_codelet import CodeletAdapter
from gxf.std import MemoryStorageType, PrimitiveType, Shape, Tensor, TensorDescription


def row_vector(name, storage, rows):
    return TensorDescription(name=name, storage_type=storage, shape=Shape([rows]),
                             element_type=PrimitiveType.kFloat32, bytes_per_element=4)


class DeviceRowSums(CodeletAdapter):
    """Publishes the row sums of the first tensor of each message, computed on the GPU, in host memory."""

    def start(self):
        (self.rx,), (self.tx,) = self.get_receivers(), self.get_transmitters()
        self.device_pool, self.host_pool = self.get_allocators()
        self.reduced = 0

    def tick(self):
        message = self.rx.receive()
        tensor = Tensor.find_all_from_entity(message)[0]
        stream = stream_of_message(message, self.context())
        if stream is None:
            raise ValueError("DeviceRowSums needs messages that name their CUDA stream (a CudaStreamId)")
        rows = tensor.shape().dimension(0)
        sums = Tensor()
        sums.reshape(row_vector("device_sums", MemoryStorageType.kDevice, rows), self.device_pool)
        output = MessageEntity(self.context())
        result = Tensor.add_to_entity(output, "device_row_sums")
        result.reshape(row_vector("device_row_sums", MemoryStorageType.kHost, rows), self.host_pool)

        gpu = active_backend()
        source, target = device_array(tensor), device_array(sums)
        stream.run(lambda: gpu.xp.sum(source, axis=1, out=target))           # the reduction
        gpu.copy(result.pointer(), sums.pointer(), sums.size(), stream.device_stream(),
                 keep=(sums, result))                                         # device -> host, queued
        CudaStreamId.add_to_entity(output, "stream").stream_cid = stream.cid
        self.tx.publish(output)
        self.reduced += 1
