"""PingBatchRx: receives a batch of messages each tick."""

from __future__ import annotations

import logging

from gxf.core import Handle, Parameter
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver


def receive_batch(codelet, receiver, batch_size: int, assert_full_batch: bool) -> int:
    """Receives up to ``batch_size`` messages; raises when one is missing and the batch must be full."""
    received = 0
    for index in range(batch_size):
        if receiver.receive() is None:
            if assert_full_batch:
                raise RuntimeError(f"batch incomplete: message {index + 1} of {batch_size} is not available "
                                   f"on '{receiver.handle_text()}' (set assert_full_batch: false to allow "
                                   "partial batches)")
            continue
        received += 1
    return received


class PingBatchRx(Codelet, type_name="nvidia::gxf::PingBatchRx", uuid="75acc5ca-eaaa-11ed-a05b-0242ac120003"):
    """Takes a fixed-size batch of messages per tick.

    Each tick takes ``batch_size`` messages from ``signal``; with ``assert_full_batch`` (the default) a
    missing message fails the run. Pair it with a MessageAvailableSchedulingTerm whose ``min_size`` is
    the batch size so that it ticks only when a full batch is there.
    """

    signal = Parameter(Handle(Receiver), description="Where the messages come from")
    batch_size = Parameter(int, description="Messages taken per tick")
    assert_full_batch = Parameter(bool, True, "Fail the run when a tick finds fewer than batch_size messages")

    def initialize(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        self.received = 0

    def start(self) -> None:
        self._debug = self.logger.isEnabledFor(logging.DEBUG)

    def tick(self) -> None:
        count = receive_batch(self, self.signal, self.batch_size, self.assert_full_batch)
        self.received += count
        if self._debug:
            self.logger.debug("received a batch of %d messages", count)
