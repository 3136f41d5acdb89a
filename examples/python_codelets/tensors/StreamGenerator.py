"""StreamGenerator: each tick, a message of two host tensors and a message of two tensors on the GPU.

The tensors are ``rows x 1`` float32, shaped with a TensorDescription and given memory by the
codelet's allocators (``allocators: [host pool, device pool]``); tick ``n`` fills them with
``n, n+1, n+2, ...``. The host message goes out on the first transmitter, the device message on the
second, with a CudaStreamId naming the CUDA stream (from ``cuda_stream_pool``) its data was written on.

With ``codelet_params: {device: false}`` the second message holds host tensors too and no CUDA stream
is used: the graph then runs without gxf-cuda, CuPy or a GPU (stream_host.yaml).
"""

import numpy as np

from gxf.core import MessageEntity
from gxf.python_codelet import CodeletAdapter
from gxf.std import MemoryStorageType, PrimitiveType, Shape, Tensor, TensorDescription


class StreamGenerator(CodeletAdapter):
    """Publishes a host message and a device (or, with ``device: false``, a second host) message per tick."""

    def start(self):
        params = self.get_params()
        self.rows = int(params.get("rows", 1024))
        self.on_device = bool(params.get("device", True))
        transmitters = self.get_transmitters()
        allocators = self.get_allocators()
        if len(transmitters) != 2 or len(allocators) != 2:
            raise ValueError("StreamGenerator needs two transmitters (host, device) and two allocators "
                             f"(host, device); it has {len(transmitters)} and {len(allocators)}")
        self.host_out, self.device_out = transmitters
        self.host_allocator, self.device_allocator = allocators
        self.second_storage = MemoryStorageType.kDevice if self.on_device else MemoryStorageType.kHost
        self.stream = None
        if self.on_device:
            pool = self.get_cuda_stream_pool()
            if pool is None:
                raise ValueError("device: true needs a cuda_stream_pool (or set device: false)")
            self.stream_cid, self.stream = pool.allocate_stream()
        self.generated = 0

    def description(self, name, storage):
        return TensorDescription(name=name, storage_type=storage, shape=Shape([self.rows, 1]),
                                 element_type=PrimitiveType.kFloat32, bytes_per_element=4)

    def tick(self):
        values = np.arange(self.generated, self.generated + self.rows, dtype=np.float32).reshape(self.rows, 1)
        host_message = MessageEntity(self.context())
        for name in ("host_tensor", "host_tensor2"):
            tensor = Tensor.add_to_entity(host_message, name)
            tensor.reshape(self.description(name, MemoryStorageType.kHost), self.host_allocator)
            np.asarray(tensor)[...] = values

        device_message = MessageEntity(self.context())
        for name in ("device_tensor", "device_tensor2"):
            tensor = Tensor.add_to_entity(device_message, name)
            tensor.reshape(self.description(name, self.second_storage), self.device_allocator)
            if self.on_device:
                self.write_on_stream(tensor, values)
            else:
                np.asarray(tensor)[...] = values
        if self.on_device:
            from gxf.cuda import CudaStreamId  # only the device half needs gxf-cuda

            CudaStreamId.add_to_entity(device_message, "stream").stream_cid = self.stream_cid

        self.host_out.publish(host_message)
        self.device_out.publish(device_message)
        self.generated += 1

    def write_on_stream(self, tensor, values):
        import cupy

        with self.stream.stream():
            cupy.asarray(tensor)[...] = cupy.asarray(values)

    def stop(self):
        if self.stream is not None:
            self.get_cuda_stream_pool().release_stream(self.stream_cid)
