"""PingTxAsync and PingRxAsync: a sender and a receiver running at different rates.

They are meant for channels where the receiver always sees the latest message (GXF's asynchronous
lock-free buffer): the sender numbers its messages, and the receiver counts the distinct numbers it
saw and checks that they only grow and stay within a range. They also work over ordinary queues.
"""

from __future__ import annotations

import logging
import time

from gxf.core import Component, Handle, MessageEntity, Parameter
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter


class Count(Component):
    """The sequence number a PingTxAsync message carries (component name ``count``)."""

    def __init__(self, value: int = 0) -> None:
        Component.__init__(self, "count")
        self.value = value

    def __repr__(self) -> str:
        return f"<Count {self.value}>"


class PingTxAsync(Codelet, type_name="nvidia::gxf::PingTxAsync", uuid="986417b4-4f15-46b3-bb24-26382858d1db"):
    """Publishes numbered messages, pausing before each, to pair with a receiver running at another pace.

    Each tick sleeps ``sleep_time_us`` (real time, so that sender and receiver run at different rates),
    then publishes a message with a ``count`` component numbering it from 1. Logs ``Message Sent: <n>``
    at INFO, and ``Sent <n> unique messages`` when it stops.
    """

    signal = Parameter(Handle(Transmitter), description="Where the messages go")
    sleep_time_us = Parameter(int, 10, "Pause before each message, in microseconds")

    def initialize(self) -> None:
        if self.sleep_time_us < 0:
            raise ValueError(f"sleep_time_us must not be negative, got {self.sleep_time_us}")
        self.count = 0

    def start(self) -> None:
        self._log = self.logger.isEnabledFor(logging.INFO)

    def tick(self) -> None:
        if self.sleep_time_us:
            time.sleep(self.sleep_time_us / 1e6)
        self.count += 1
        message = MessageEntity(self.context)
        count = Count(self.count)
        count.entity = message
        message.components.append(count)
        self.signal.publish(message)
        if self._log:
            self.logger.info("Message Sent: %d", self.count)

    def stop(self) -> None:
        self.logger.info("Sent %d unique messages", self.count)


class PingRxAsync(Codelet, type_name="nvidia::gxf::PingRxAsync", uuid="7720a88e-28f8-4a84-b6d0-8c39e8014ef4"):
    """Takes numbered messages, pausing before each, and checks that the numbers make sense.

    Each tick sleeps ``sleep_time_us`` (real time), then receives. A tick without a message is fine
    (the sender may not have sent yet). A number smaller than the last one, or outside
    [verification_range_min, verification_range_max], is a data-integrity error; as in GXF it is
    logged at ERROR and the run goes on (``integrity_errors`` counts them). Logs
    ``Received <n> unique messages`` when it stops.
    """

    signal = Parameter(Handle(Receiver), description="Where the messages come from")
    sleep_time_us = Parameter(int, 1000, "Pause before each receive, in microseconds")
    verification_range_min = Parameter(int, 0, "Lowest message number accepted as valid")
    verification_range_max = Parameter(int, 500, "Highest message number accepted as valid")

    def initialize(self) -> None:
        if self.sleep_time_us < 0:
            raise ValueError(f"sleep_time_us must not be negative, got {self.sleep_time_us}")
        self.unique_received = 0
        self.last_received = -1
        self.integrity_errors = 0

    def start(self) -> None:
        self._log = self.logger.isEnabledFor(logging.INFO)

    def tick(self) -> None:
        if self.sleep_time_us:
            time.sleep(self.sleep_time_us / 1e6)
        message = self.signal.receive()
        if message is None:
            if self._log:
                self.logger.info("first message is not yet received.")
            return
        count = message.find("count")
        if count is None or not hasattr(count, "value"):
            raise RuntimeError("the message has no 'count' component: connect a PingTxAsync")
        value = count.value
        if self._log:
            self.logger.info("Retrieved: %d", value)
        if value == self.last_received:
            return
        if value < self.last_received:
            self.integrity_errors += 1
            self.logger.error("Received value %d is less than the last received value %d. Data integrity "
                              "error.", value, self.last_received)
        self.last_received = value
        if not self.verification_range_min <= value <= self.verification_range_max:
            self.integrity_errors += 1
            self.logger.error("Received value %d is not in the expected range [%d, %d]. Data integrity "
                              "error.", value, self.verification_range_min, self.verification_range_max)
        self.unique_received += 1

    def stop(self) -> None:
        self.logger.info("Received %d unique messages", self.unique_received)
