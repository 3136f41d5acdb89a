"""Clocks: the scheduler's notion of time. ``time()`` in seconds, ``timestamp()`` in nanoseconds."""

from __future__ import annotations

import threading
import time as _time

from gxf.core import Component, Parameter


class Clock(Component, type_name="nvidia::gxf::Clock", uuid="779e61c2-ae70-441d-a26c-8ca64b39f8e7",
            abstract=True):
    """Interface of every clock."""

    # True for clocks whose time jumps to the next due event instead of passing (time-compressed runs).
    jumps = False

    def time(self) -> float:
        return self.timestamp() / 1e9

    def timestamp(self) -> int:
        raise NotImplementedError

    def sleep_for(self, duration_ns: int, wake: threading.Event | None = None) -> None:
        self.sleep_until(self.timestamp() + int(duration_ns), wake)

    def sleep_until(self, target_ns: int, wake: threading.Event | None = None) -> None:
        """Returns once the clock reads ``target_ns`` (or at once when ``wake`` is set)."""
        raise NotImplementedError

    def get(self) -> Clock:  # noqa: D401 - GXF's Handle-like accessor used by some codelets
        return self


class RealtimeClock(Clock, type_name="nvidia::gxf::RealtimeClock", uuid="7b170b7b-cf1a-4f3f-997c-bfea25342381"):
    """Wall-clock time, optionally offset and scaled; sleeping really waits."""

    initial_time_offset = Parameter(float, 0.0, "Initial time offset in seconds added to the clock")
    initial_time_scale = Parameter(float, 1.0, "Speed of time: 2.0 runs the clock twice as fast as real time")
    use_time_since_epoch = Parameter(bool, False, "Start at the time since the Unix epoch instead of zero")

    def initialize(self) -> None:
        if self.initial_time_scale <= 0:
            raise ValueError("initial_time_scale must be positive")
        self._scale = self.initial_time_scale
        self._reference = _time.monotonic_ns()
        start = _time.time_ns() if self.use_time_since_epoch else 0
        self._offset = start + int(self.initial_time_offset * 1e9)

    def timestamp(self) -> int:
        return self._offset + int((_time.monotonic_ns() - self._reference) * self._scale)

    def set_time_scale(self, scale: float) -> None:
        """Changes the speed of time from now on."""
        if scale <= 0:
            raise ValueError("time scale must be positive")
        now = self.timestamp()
        self._reference = _time.monotonic_ns()
        self._offset = now
        self._scale = scale

    def sleep_until(self, target_ns: int, wake: threading.Event | None = None) -> None:
        while True:
            remaining = (target_ns - self.timestamp()) / self._scale / 1e9
            if remaining <= 0:
                return
            if wake is None:
                _time.sleep(remaining)
            elif wake.wait(remaining):
                return


class ManualClock(Clock, type_name="nvidia::gxf::ManualClock", uuid="52fa1f97-eba8-472a-a8ca-4cff1a2c440f"):
    """Time that jumps: sleeping moves the clock to the target at once (time-compressed runs)."""

    initial_timestamp = Parameter(int, 0, "The initial time in nanoseconds")
    jumps = True

    def initialize(self) -> None:
        self._now = self.initial_timestamp

    def timestamp(self) -> int:
        return self._now

    def sleep_until(self, target_ns: int, wake: threading.Event | None = None) -> None:
        if target_ns > self._now:
            self._now = int(target_ns)

    def advance_to(self, target_ns: int) -> None:
        self.sleep_until(target_ns)
