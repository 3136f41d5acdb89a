"""HostRowSums: the reference computation on the CPU - the row sums of the first host tensor of a message."""

import numpy as np

from gxf.core import MessageEntity
from gxf.python_codelet import CodeletAdapter
from gxf.std import MemoryStorageType, PrimitiveType, Shape, Tensor, TensorDescription


class HostRowSums(CodeletAdapter):
    """Publishes the row sums of the first tensor of each message, computed with NumPy."""

    def start(self):
        (self.rx,), (self.tx,) = self.get_receivers(), self.get_transmitters()
        (self.pool,) = self.get_allocators()

    def tick(self):
        message = self.rx.receive()
        values = np.asarray(Tensor.find_all_from_entity(message)[0])
        output = MessageEntity(self.context())
        sums = Tensor.add_to_entity(output, "host_row_sums")
        sums.reshape(TensorDescription(name="host_row_sums", storage_type=MemoryStorageType.kHost,
                                       shape=Shape([values.shape[0]]), element_type=PrimitiveType.kFloat32,
                                       bytes_per_element=4), self.pool)
        np.asarray(sums)[...] = values.sum(axis=1)
        self.tx.publish(output)
