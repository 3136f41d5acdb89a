"""Synchronization: passes on messages of several inputs only as sets with matching acquisition times."""

from __future__ import annotations

from gxf.core import ExecutionError, Handle, Parameter, ParameterError

from .codelet import Codelet
from .queue import Receiver, Transmitter
from .timestamp import Timestamp


def _acqtime(codelet, receiver, message) -> int:
    stamp = Timestamp.get_from_entity(message, None)
    if stamp is None:
        raise ExecutionError(f"{codelet.describe_self()}: a message on '{receiver.handle_text()}' has no "
                             "Timestamp", codelet.location,
                             "publish messages with a transmitter, which adds one")
    return stamp.acqtime


class Synchronization(Codelet, type_name="nvidia::gxf::Synchronization",
                      uuid="f1cb80d6-e5ec-4dba-9f9e-b06b0def4443"):
    """Matches up messages from several inputs by acquisition time and passes on each complete set.

    Each tick looks at the messages waiting on every input (oldest first). The candidate time is the
    latest of the inputs' oldest acqtimes. If every input holds a message within ``sync_threshold`` of
    it, one such message per input is published on the output of the same index; messages older than
    the candidate minus the threshold are dropped as stale (counted in ``dropped``). Otherwise newer
    messages are kept to wait for their partners. Every input must hold a message when the entity ticks:
    give it a MessageAvailableSchedulingTerm per input.
    """

    inputs = Parameter(list[Handle(Receiver)], description="The receivers to match messages from; as many "
                       "as there are outputs")
    outputs = Parameter(list[Handle(Transmitter)], description="Where each matched message goes, one per "
                        "input in the same order")
    sync_threshold = Parameter(int, 0, "Largest difference in acqtime (ns) for messages to count as matching "
                               "(default 0: identical acqtimes)")

    def preflight(self) -> None:
        if len(self.inputs) != len(self.outputs):
            raise ParameterError(f"{self.describe_self()}: {len(self.inputs)} inputs but {len(self.outputs)} "
                                 "outputs; their numbers must match", self.location,
                                 "list one output per input, in the same order")
        if len(self.inputs) < 2:
            raise ParameterError(f"{self.describe_self()}: needs at least 2 inputs, got {len(self.inputs)}",
                                 self.location, "list the receivers to synchronize under 'inputs'")
        if self.sync_threshold < 0:
            raise ParameterError(f"{self.describe_self()}: sync_threshold must not be negative",
                                 self.location, "give a threshold in nanoseconds, 0 or more")

    def initialize(self) -> None:
        self.dropped = 0

    def tick(self) -> None:
        threshold = self.sync_threshold
        times = []
        for rx in self.inputs:
            count = rx.size()
            if count == 0:
                raise ExecutionError(
                    f"{self.describe_self()}: input '{rx.handle_text()}' has no message to synchronize",
                    self.location, "add a MessageAvailableSchedulingTerm for each input to the entity")
            times.append([_acqtime(self, rx, rx.peek(i)) for i in range(count)])
        latest = max(t[0] for t in times)
        lower = upper = latest
        matched = 0
        for acqtimes in times:
            for t in acqtimes:
                if t <= lower + threshold and t >= upper - threshold:
                    matched += 1
                    lower, upper = min(lower, t), max(upper, t)
                    break
        complete = matched == len(times)
        for rx, tx, acqtimes in zip(self.inputs, self.outputs, times):
            for t in acqtimes:  # oldest first, matching the order receive() takes them
                if t < latest - threshold:
                    rx.receive()
                    self.dropped += 1
                elif complete and t <= latest + threshold:
                    tx.publish(rx.receive())
                    break
                else:
                    break
