"""HostVerifyEqual: the style of GXF's Python CUDA tests - a Python codelet comparing two host tensors.

Its receivers come by name in ``codelet_params`` (``receiver0``, ``receiver1``) and are looked up with
``Receiver.get(context, cid, name)``, as GXF's Python codelets do; device tensors are refused (the
graph must copy them to the host and synchronize the stream first). ``expected`` pairs by stop().
"""

import numpy as np

from gxf.python_codelet import CodeletAdapter
from gxf.std import MemoryStorageType, Receiver, Tensor


class HostVerifyEqual(CodeletAdapter):
    """Fails the run when the first tensors of the two messages of a tick differ."""

    def start(self):
        params = self.get_params()
        self.receivers = [Receiver.get(self.context(), self.cid(), params[f"receiver{i}"]) for i in (0, 1)]
        self.expected = int(params["expected"])
        self.compared = 0

    def tick(self):
        first, second = (Tensor.find_all_from_entity(rx.receive())[0] for rx in self.receivers)
        if first.shape() != second.shape() or first.element_type() != second.element_type():
            raise AssertionError(f"{first.shape()} {first.element_type()} vs {second.shape()} "
                                 f"{second.element_type()}")
        for tensor in (first, second):
            if tensor.storage_type() != MemoryStorageType.kHost:
                raise RuntimeError(f"tensor '{tensor.name}' is in {tensor.storage_type().name} memory: "
                                   "copy it to the host first")
        if not np.array_equal(np.asarray(first), np.asarray(second)):
            raise AssertionError(f"'{first.name}' and '{second.name}' differ")
        self.compared += 1

    def stop(self):
        if self.compared != self.expected:
            raise AssertionError(f"expected {self.expected} pairs, compared {self.compared}")
