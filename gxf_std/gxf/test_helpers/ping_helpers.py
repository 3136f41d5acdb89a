"""Receivers that check or just drain: PingBatchRx, PingPollRx and Pop."""

from __future__ import annotations

from gxf.core import Handle, Parameter
from gxf.sample.ping_batch_rx import receive_batch
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver

from .checks import CheckFailed


class PingBatchRx(Codelet, type_name="nvidia::gxf::test::PingBatchRx",
                  uuid="85058d3a-5539-11eb-be0b-873d2618d774"):
    """Takes a fixed-size batch of messages per tick.

    Each tick takes ``batch_size`` messages from ``signal``; with ``assert_full_batch`` (the default) a
    missing one fails the run. The same as the sample extension's nvidia::gxf::PingBatchRx.
    """

    signal = Parameter(Handle(Receiver), description="Where the messages come from")
    batch_size = Parameter(int, description="Messages taken per tick")
    assert_full_batch = Parameter(bool, True, "Fail the run when a tick finds fewer than batch_size messages")

    def initialize(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        self.received = 0

    def tick(self) -> None:
        self.received += receive_batch(self, self.signal, self.batch_size, self.assert_full_batch)


class PingPollRx(Codelet, type_name="nvidia::gxf::test::PingPollRx",
                 uuid="64866edc-725b-11eb-9dfa-37dfe2305968"):
    """Takes a message whenever one is there and checks the total when the entity stops.

    Each tick receives a message if there is one (an empty tick is fine). When the entity stops, the
    number received must equal ``expected_counter``, or the run fails.
    """

    signal = Parameter(Handle(Receiver), description="Where the messages come from")
    expected_counter = Parameter(int, description="How many messages must have been received by stop()")

    def start(self) -> None:
        self.counter = 0

    def tick(self) -> None:
        if self.signal.receive() is not None:
            self.counter += 1

    def stop(self) -> None:
        if self.counter != self.expected_counter:
            raise CheckFailed(f"counter does not match: {self.counter} vs {self.expected_counter}")


class Pop(Codelet, type_name="nvidia::gxf::test::Pop", uuid="6019517f-6084-4d1b-9eff-178d6891e9e8"):
    """Takes one message per tick and discards it.

    Each tick takes one message from ``message`` (if any) and drops it.
    """

    message = Parameter(Handle(Receiver), description="Where the messages to discard come from")

    def initialize(self) -> None:
        self.popped = 0

    def tick(self) -> None:
        if self.message.receive() is not None:
            self.popped += 1
