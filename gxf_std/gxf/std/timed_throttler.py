"""TimedThrottler: replays messages at the pace their timestamps say."""

from __future__ import annotations

from gxf.core import ExecutionError, Handle, Parameter

from .clock import Clock
from .codelet import Codelet
from .queue import Receiver, Transmitter
from .timestamp import Timestamp


class TimedThrottler(Codelet, type_name="nvidia::gxf::TimedThrottler",
                     uuid="ccf7729c-f62c-4250-5cf7-f4f3ec80454b"):
    """Passes messages on at the times their acqtime says, so that they leave at the pace they were made.

    Each tick publishes the message taken on the previous tick, then takes the next one from
    ``receiver`` and asks ``scheduling_term`` (a TargetTimeSchedulingTerm) to tick again at its acqtime.
    Timestamps are moved from ``throttling_clock`` to ``execution_clock``: both acqtime and pubtime
    get the offset between the two clocks when the codelet started. The entity needs a
    MessageAvailableSchedulingTerm on ``receiver`` besides the target-time term.
    """

    transmitter = Parameter(Handle(Transmitter), description="Where messages go, each at its time")
    receiver = Parameter(Handle(Receiver), description="Where the messages to pace come from")
    execution_clock = Parameter(Handle(Clock), description="The scheduler's clock, on which messages are "
                                "sent")
    throttling_clock = Parameter(Handle(Clock), description="The clock the incoming acqtimes were taken "
                                 "from")
    scheduling_term = Parameter(Handle("nvidia::gxf::TargetTimeSchedulingTerm"),
                                description="The TargetTimeSchedulingTerm that makes the codelet run "
                                "at each message's time")

    def start(self) -> None:
        now = self.execution_clock.timestamp()
        self._offset = now - self.throttling_clock.timestamp()
        self._cached = None
        self.scheduling_term.set_next_target_time(now)

    def tick(self) -> None:
        cached, self._cached = self._cached, None
        if cached is not None:
            self.transmitter.publish(cached)
        message = self.receiver.receive()
        if message is None:
            return
        stamp = Timestamp.get_from_entity(message, None)
        if stamp is None:
            raise ExecutionError(f"{self.describe_self()}: a message on '{self.receiver.handle_text()}' has "
                                 "no Timestamp to throttle by", self.location,
                                 "publish messages with a transmitter, which adds one")
        stamp.acqtime += self._offset
        stamp.pubtime += self._offset
        self._cached = message
        self.scheduling_term.set_next_target_time(stamp.acqtime)

    def stop(self) -> None:
        self._cached = None
