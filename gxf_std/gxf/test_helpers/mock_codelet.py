"""MockCodelet and Frame: a configurable source / processor / sink for exercising schedulers.

A SRC codelet creates frames, PROCESS codelets pass them on, a SINK codelet ends them and logs the
latency of each. Tick durations are drawn uniformly from [duration_lower_ms, duration_upper_ms].
"""

from __future__ import annotations

import logging
import random

from gxf.core import Component, Handle, MessageEntity, Parameter
from gxf.std.clock import Clock
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter

from .checks import CheckFailed

SRC, SINK, PROCESS = "SRC", "SINK", "PROCESS"
LATENCY = "LATENCY"  # the name of the Frame component in a message


class Frame(Component, type_name="nvidia::gxf::test::Frame", uuid="cd944caf-f32f-46cc-a8a7-44977a4805a6"):
    """The payload MockCodelet passes along: a frame number and the times spent on the frame.

    Fields: ``create_time`` (ns), ``first_process_time`` (ns, -1 until a PROCESS codelet saw it),
    ``process_duration`` (ns spent in PROCESS codelets), ``frame_id``, ``num_processed`` and ``end``
    (set by the SINK; a frame must not be processed after it ended).
    """

    def initialize(self) -> None:
        self.reset()

    def reset(self, create_time: int = 0, frame_id: int = 0) -> None:
        self.create_time = create_time
        self.first_process_time = -1
        self.process_duration = 0
        self.frame_id = frame_id
        self.num_processed = 0
        self.end = False


class MockCodelet(Codelet, type_name="nvidia::gxf::test::MockCodelet",
                  uuid="01401bae-1cf6-4e91-add0-0c88b988b04c"):
    """A stand-in pipeline stage: it makes, works on or consumes frames, for latency tests.

    ``mode`` SRC publishes a new Frame (component ``LATENCY``) each tick, PROCESS receives a frame,
    works, adds its work time to the frame and publishes it, SINK receives a frame, marks it ended and
    logs its latency at INFO. A frame seen again after it ended fails the run, as does a PROCESS or
    SINK tick without a message. When both duration bounds are set (not -1) each tick works for a
    random whole number of milliseconds in [duration_lower_ms, duration_upper_ms]; the work is spent
    on ``clock`` (GXF sleeps in real time; on a ManualClock the time passes without waiting).
    """

    mode = Parameter(str, PROCESS, "The stage's role: SRC (makes frames), PROCESS or SINK (ends them)")
    receiver = Parameter(Handle(Receiver), optional=True, description="Where frames come from (PROCESS, "
                         "SINK)")
    transmitter = Parameter(Handle(Transmitter), optional=True, description="Where frames go (SRC, "
                            "PROCESS)")
    clock = Parameter(Handle(Clock), description="The clock frame times are read from and work is spent on")
    duration_lower_ms = Parameter(int, -1, "Shortest simulated work per tick in ms (-1: no work)")
    duration_upper_ms = Parameter(int, -1, "Longest simulated work per tick in ms (-1: no work)")
    include_mock_latency = Parameter(bool, False, "Count the simulated work in the latency the SINK "
                                     "reports")

    def initialize(self) -> None:
        if self.mode not in (SRC, SINK, PROCESS):
            raise ValueError(f"mode must be SRC, PROCESS or SINK, got {self.mode!r}")
        if self.mode in (PROCESS, SINK) and self.receiver is None:
            raise ValueError(f"mode {self.mode} needs a 'receiver'")
        if self.mode in (PROCESS, SRC) and self.transmitter is None:
            raise ValueError(f"mode {self.mode} needs a 'transmitter'")
        self.transmit_count = 0
        self.receive_count = 0
        self.latencies_ms: list[float] = []

    def start(self) -> None:
        if self.duration_lower_ms > self.duration_upper_ms:
            raise ValueError(f"tick duration bounds misconfigured: lower {self.duration_lower_ms} > upper "
                             f"{self.duration_upper_ms}")
        self._random = None
        if self.duration_lower_ms != -1 and self.duration_upper_ms != -1:
            self._random = random.Random()
        self._tick = {SRC: self._src, SINK: self._sink, PROCESS: self._process}[self.mode]
        self._debug = self.logger.isEnabledFor(logging.DEBUG)

    def tick(self) -> None:
        self._tick()

    # --- modes -----------------------------------------------------------------------------------------
    def _work(self) -> None:
        if self._random is not None:
            ms = self._random.randint(self.duration_lower_ms, self.duration_upper_ms)
            if self._debug:
                self.logger.debug("Mock tick execution: %d ms", ms)
            self.clock.sleep_for(ms * 1_000_000)

    def _src(self) -> None:
        message = MessageEntity(self.context)
        self._work()
        now = self.clock.timestamp()
        self.transmit_count += 1
        frame = message.add(Frame, LATENCY)
        frame.reset(now, self.transmit_count)
        self.transmitter.publish(message, now)

    def _frame_of(self, message) -> Frame:
        if message is None:
            raise CheckFailed(f"no message available on '{self.receiver.handle_text()}'")
        frame = message.find(LATENCY)
        if not isinstance(frame, Frame):
            raise CheckFailed(f"the message has no Frame named '{LATENCY}': connect a MockCodelet in SRC "
                              "mode")
        if frame.end:
            raise CheckFailed(f"Frame[{frame.frame_id}] life cycle already ended")
        return frame

    def _process(self) -> None:
        start = self.clock.timestamp()
        message = self.receiver.receive()
        self.receive_count += 1
        frame = self._frame_of(message)
        self._work()
        end = self.clock.timestamp()
        frame.process_duration += end - start
        frame.num_processed += 1
        if frame.first_process_time == -1:
            frame.first_process_time = start
        self.transmitter.publish(message, end)
        self.transmit_count += 1

    def _sink(self) -> None:
        now = self.clock.timestamp()
        message = self.receiver.receive()
        self.receive_count += 1
        frame = self._frame_of(message)
        frame.end = True
        first = frame.first_process_time if frame.first_process_time != -1 else frame.create_time
        latency_ns = now - first
        if not self.include_mock_latency:
            latency_ns -= frame.process_duration
        latency = latency_ns / 1e6
        self.latencies_ms.append(latency)
        self.logger.info("frame: %d, latency: %.3f, end_time: %.4f, create_time: %.4f, "
                         "process_duration: %.4f, first_process: %.4f, num_processed: %d", frame.frame_id,
                         latency, now / 1e6, frame.create_time / 1e6, frame.process_duration / 1e6,
                         first / 1e6, frame.num_processed)
