"""VerifyEqual: receives one message on each of its two receivers and checks their tensors are equal.

The tensors of the two messages are compared in order: same shape, same element type, same values.
A tensor in device memory is copied to the host first, after waiting for the CUDA stream its message
names (CudaStreamId), if any. ``expected`` (codelet_params) is the number of pairs to see by stop().
"""

import numpy as np

from gxf.python_codelet import CodeletAdapter
from gxf.std import MemoryStorageType, Tensor


class VerifyEqual(CodeletAdapter):
    """Fails the graph when the two messages of a tick hold different tensors."""

    def start(self):
        receivers = self.get_receivers()
        if len(receivers) != 2:
            raise ValueError(f"VerifyEqual needs two receivers, it has {len(receivers)}")
        self.first, self.second = receivers
        self.expected = self.get_params().get("expected")
        self.compared = 0

    def tick(self):
        first, second = self.first.receive(), self.second.receive()
        tensors = Tensor.find_all_from_entity(first)
        others = Tensor.find_all_from_entity(second)
        if not tensors or len(tensors) != len(others):
            raise AssertionError(f"the messages hold {len(tensors)} and {len(others)} tensors")
        for index, (tensor, other) in enumerate(zip(tensors, others)):
            if tensor.shape() != other.shape() or tensor.element_type() != other.element_type():
                raise AssertionError(f"tensor {index}: {tensor.shape()} {tensor.element_type().name} vs "
                                     f"{other.shape()} {other.element_type().name}")
            if not np.array_equal(self.on_host(first, tensor), self.on_host(second, other)):
                raise AssertionError(f"tensor {index} ('{tensor.name}' and '{other.name}') differ")
        self.compared += 1

    def on_host(self, message, tensor):
        """The tensor's values as a NumPy array (copied from the GPU when on device)."""
        if tensor.storage_type() != MemoryStorageType.kDevice:
            return np.asarray(tensor)
        import cupy
        from gxf.cuda import CudaStreamId

        stream_ids = [c for c in message.components if isinstance(c, CudaStreamId)]
        for stream_id in stream_ids:  # the producer's work must be done before reading
            self.context().component(stream_id.stream_cid).sync_stream()
        return cupy.asarray(tensor).get()

    def stop(self):
        if self.expected is not None and self.compared != self.expected:
            raise AssertionError(f"expected {self.expected} pairs of messages, compared {self.compared}")
