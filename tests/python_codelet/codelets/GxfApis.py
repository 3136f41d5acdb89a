"""Uses GXF's Python API the way GXF codelet files do: X.get(context, cid, name) for a clock, an
allocator, scheduling terms and a CUDA stream pool; tensors; publish/receive/size."""
import numpy as np

from gxf.core import MessageEntity
from gxf.cuda import CudaStreamId, CudaStreamPool
from gxf.python_codelet import CodeletAdapter
from gxf.std import (Allocator, BooleanSchedulingTerm, Clock, CountSchedulingTerm, MemoryStorageType,
                     PeriodicSchedulingTerm, PrimitiveType, Receiver, SchedulingConditionType, Shape,
                     TargetTimeSchedulingTerm, Tensor, TensorDescription, Transmitter)


class GatedLoop(CodeletAdapter):
    """Sends itself a tensor each tick; turns its BooleanSchedulingTerm off after ``stop_after`` ticks."""

    def start(self):
        self.params = self.get_params()
        context, cid = self.context(), self.cid()
        self.tx = Transmitter.get(context, cid, self.params["transmitter"])
        self.rx = Receiver.get(context, cid, self.params["receiver"])
        self.clock = Clock.get(context, cid, self.params["clock"])
        self.allocator = Allocator.get(context, cid, self.params["allocator"])
        self.gate = BooleanSchedulingTerm.get(context, cid, self.params["gate"])
        self.count = CountSchedulingTerm.get(context, cid, self.params["count"])
        self.period = PeriodicSchedulingTerm.get(context, cid, self.params["period"])
        self.stream_pool = CudaStreamPool.get(context, cid, self.params["stream_pool"])
        self.stream_cid, _ = self.stream_pool.allocate_stream()
        self.recess_ns = self.period.recess_period_ns()
        self.log = []

    def tick(self):
        backlog = self.rx.size()
        received = self.rx.receive()
        values = None if received is None else np.asarray(Tensor.get_from_entity(received, "data"))[:, 0].tolist()
        self.log.append((self.clock.timestamp(), self.clock.time(), backlog, values,
                         self.count.check()[0] == SchedulingConditionType.READY,
                         self.period.last_run_timestamp(), self.gate.check_tick_enable()))
        message = MessageEntity(self.context())
        description = TensorDescription(name="data", storage_type=MemoryStorageType.kHost, shape=Shape([3, 1]),
                                        element_type=PrimitiveType.kInt32, bytes_per_element=4)
        tensor = Tensor.add_to_entity(message, description.name)
        tensor.reshape(description, self.allocator)
        np.asarray(tensor)[:, 0] = [self.get_execution_count()] * 3
        CudaStreamId.add_to_entity(message, "stream").stream_cid = self.stream_cid
        self.tx.publish(message, self.clock.timestamp())
        if self.get_execution_count() == int(self.params["stop_after"]):
            self.gate.make_disable_tick()


class ScheduledTick(CodeletAdapter):
    """Asks its TargetTimeSchedulingTerm for the next tick ``delay`` ns after the current one."""

    def start(self):
        self.params = self.get_params()
        self.term = TargetTimeSchedulingTerm.get(self.context(), self.cid(), self.params["scheduling_term"])
        self.delay = int(self.params["delay"])
        self.term.set_next_target_time(self.get_execution_timestamp())
        self.ticks = []

    def tick(self):
        self.ticks.append(self.get_execution_timestamp())
        self.term.set_next_target_time(self.get_execution_timestamp() + self.delay)
