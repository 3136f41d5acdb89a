"""CudaStreamSync: waits for the CUDA streams a message names, then passes the message on."""

from __future__ import annotations

from gxf.core import ExecutionError, Handle, HandleError, Parameter
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter

from .cuda_stream import CudaStream, CudaStreamId


class CudaStreamSync(Codelet, type_name="nvidia::gxf::CudaStreamSync",
                     uuid="0d1d8142-6648-485d-97d5-277eed00129c"):
    """Synchronizes every CUDA stream named by the CudaStreamIds of each message, then forwards it.

    Each tick receives one message from ``rx``, waits until the work queued on each stream its
    CudaStreamIds name is done (an id without a stream is skipped with a warning), and publishes the
    message on ``tx`` when one is given. Downstream entities can then read the message's device data
    (or host data copied asynchronously) without knowing about streams.
    """

    rx = Parameter(Handle(Receiver), description="Where the messages come in")
    tx = Parameter(Handle(Transmitter), optional=True, description="Where the messages go once their "
                   "streams are synchronized (none: they are dropped)")

    def tick(self) -> None:
        message = self.rx.receive()
        if message is None:
            raise ExecutionError(f"{self.describe_self()} ticked without a message to receive",
                                 self.location, "add a MessageAvailableSchedulingTerm on its receiver 'rx'")
        for stream_id in message.components:
            if not isinstance(stream_id, CudaStreamId):
                continue
            if not stream_id.stream_cid:
                self.logger.warning("CudaStreamId '%s' names no stream: skipped", stream_id.name)
                continue
            try:
                stream = self.context.component(stream_id.stream_cid)
            except HandleError:
                stream = None
            if not isinstance(stream, CudaStream):
                raise ExecutionError(f"{self.describe_self()}: CudaStreamId '{stream_id.name}' names "
                                     f"component {stream_id.stream_cid}, which is not a CudaStream",
                                     self.location,
                                     "set stream_cid to a cid from CudaStreamPool.allocate_stream()")
            stream.sync_stream()
            if self.logger.isEnabledFor(10):
                self.logger.debug("synchronized stream %s", stream.handle_text())
        tx = self.tx
        if tx is not None:
            tx.publish(message)
