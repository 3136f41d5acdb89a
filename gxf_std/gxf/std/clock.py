"""Clocks: the scheduler's notion of time. ``time()`` in seconds, ``timestamp()`` in nanoseconds.

Three clocks, as in GXF:

- ``RealtimeClock``: wall-clock time (optionally offset and scaled); sleeping really waits.
- ``ManualClock``: time that only moves when the scheduler jumps it to the next due event
  (time-compressed runs) or when someone calls ``advance_to``/``advance_by``.
- ``SyntheticClock``: time injected from outside (a simulator, a test thread) with ``advance_to`` /
  ``advance_by``; ``sleep_until`` blocks until someone advances the clock far enough.

Schedulers that keep several threads use two more things of a clock: ``real_delay(target)`` says how
long to really wait until the clock reads ``target`` (None: unknown, wait for an advance), and
listeners (``add_listener``) are called whenever the clock is moved from outside the scheduler.
"""

from __future__ import annotations

import threading
import time as _time

from gxf.core import Component, GxfError, Parameter

from .scheduling_term import bad_parameter


class Clock(Component, type_name="nvidia::gxf::Clock", uuid="779e61c2-ae70-441d-a26c-8ca64b39f8e7",
            abstract=True):
    """Base of the clocks: components that tell the current time and can sleep until a given time."""

    # True for clocks whose time jumps to the next due event instead of passing (time-compressed runs).
    jumps = False
    _listeners: tuple = ()

    def time(self) -> float:
        """The current time in seconds."""
        return self.timestamp() / 1e9

    def timestamp(self) -> int:
        """The current time in nanoseconds."""
        raise NotImplementedError

    def sleep_for(self, duration_ns: int, wake: threading.Event | None = None) -> None:
        """Waits until the clock has moved on by ``duration_ns`` (see ``sleep_until``)."""
        self.sleep_until(self.timestamp() + int(duration_ns), wake)

    def sleep_until(self, target_ns: int, wake: threading.Event | None = None) -> None:
        """Returns once the clock reads ``target_ns``, or earlier when ``wake`` is set."""
        raise NotImplementedError

    def real_delay(self, target_ns: int) -> float | None:
        """Seconds of real time until the clock reads ``target_ns``; None when only an advance tells."""
        return 0.0

    # --- listeners: schedulers waiting on this clock -------------------------------------------------
    def add_listener(self, callback) -> None:
        """Calls ``callback()`` whenever the clock is moved from outside (``advance_to`` and the like)."""
        self._listeners = self._listeners + (callback,)

    def remove_listener(self, callback) -> None:
        self._listeners = tuple(c for c in self._listeners if c is not callback)

    def _moved(self) -> None:
        for callback in self._listeners:
            callback()


class RealtimeClock(Clock, type_name="nvidia::gxf::RealtimeClock",
                    uuid="7b170b7b-cf1a-4f3f-997c-bfea25342381"):
    """A clock that follows real time, read from the system's monotonic clock.

    Time starts at ``initial_time_offset`` seconds (plus the time since the Unix epoch with
    ``use_time_since_epoch``) when the clock is initialized and runs ``initial_time_scale`` times as
    fast as real time.
    """

    initial_time_offset = Parameter(float, 0.0, "What the clock reads when it starts, in seconds (added to "
                                    "the Unix time with use_time_since_epoch)")
    initial_time_scale = Parameter(float, 1.0, "Speed of the clock relative to real time until it is "
                                   "changed: 2.0 makes it run twice as fast")
    use_time_since_epoch = Parameter(bool, False, "Start the clock at the current Unix time plus "
                                     "initial_time_offset instead of at initial_time_offset alone")

    def preflight(self) -> None:
        if self.initial_time_scale <= 0:
            raise bad_parameter(self, "initial_time_scale",
                                f"must be positive, got {self.initial_time_scale}",
                                "use a scale > 0, e.g. 1.0 for real time")

    def initialize(self) -> None:
        self._scale = float(self.initial_time_scale)
        self._reference = _time.monotonic_ns()
        start = _time.time_ns() if self.use_time_since_epoch else 0
        self._offset = start + int(self.initial_time_offset * 1e9)

    def timestamp(self) -> int:
        return self._offset + int((_time.monotonic_ns() - self._reference) * self._scale)

    def set_time_scale(self, scale: float) -> None:
        """Changes the speed of time from now on (GXF's ``setTimeScale``)."""
        if scale <= 0:
            raise GxfError(f"{self.describe_self()}: the time scale must be positive, got {scale}",
                           self.location)
        now = self.timestamp()
        self._reference = _time.monotonic_ns()
        self._offset = now
        self._scale = float(scale)
        self._moved()

    def real_delay(self, target_ns: int) -> float:
        return max(0.0, (target_ns - self.timestamp()) / self._scale / 1e9)

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
    """A clock that ignores real time and moves only when something asks it to.

    Sleeping moves the clock to the target at once, so schedulers run time-compressed: entities due
    at 100 ms intervals tick in immediate succession while the clock reads 0, 100, 200 ms...
    ``advance_to``/``advance_by`` move it from outside. It never goes backwards.
    """

    initial_timestamp = Parameter(int, 0, "Time the clock shows at start, in nanoseconds")
    jumps = True

    def initialize(self) -> None:
        self._now = int(self.initial_timestamp)

    def timestamp(self) -> int:
        return self._now

    def sleep_until(self, target_ns: int, wake: threading.Event | None = None) -> None:
        if target_ns > self._now:
            self._now = int(target_ns)

    def advance_to(self, target_ns: int) -> None:
        """Moves the clock to ``target_ns`` (not backwards)."""
        if target_ns < self._now:
            raise GxfError(f"{self.describe_self()}: cannot go back from {self._now} ns to {target_ns} ns",
                           self.location, "a clock never goes backwards")
        self._now = int(target_ns)
        self._moved()

    def advance_by(self, delta_ns: int) -> None:
        """Moves the clock on by ``delta_ns`` (>= 0)."""
        self.advance_to(self._now + int(delta_ns))


class SyntheticClock(Clock, type_name="nvidia::gxf::SyntheticClock",
                     uuid="9a2bfd7b-2d84-79b4-bc71-f47eb53f28c8"):
    """A clock set from outside the scheduler, for example to follow a simulator's time.

    Another component or thread drives it with ``advance_to(ns)`` / ``advance_by(ns)``; anyone in
    ``sleep_until`` wakes up when the clock gets there. Schedulers using it wait for those advances
    rather than for real time.
    """

    initial_timestamp = Parameter(int, 0, "Time the clock shows at start, in nanoseconds")

    def initialize(self) -> None:
        self._now = int(self.initial_timestamp)
        self._condition = threading.Condition()
        self._wakes: set = set()

    def deinitialize(self) -> None:
        self._wake_all()

    def timestamp(self) -> int:
        return self._now

    def real_delay(self, target_ns: int) -> float | None:
        return 0.0 if target_ns <= self._now else None

    def sleep_until(self, target_ns: int, wake: threading.Event | None = None) -> None:
        """Blocks until the clock reads ``target_ns``; with ``wake``, also returns once it is set
        (an advance that falls short of the target sets it too, so callers re-check)."""
        if wake is None:
            with self._condition:
                while self._now < target_ns:
                    self._condition.wait()
            return
        if self._now >= target_ns:
            return
        self._wakes.add(wake)
        try:
            if self._now < target_ns:
                wake.wait()
        finally:
            self._wakes.discard(wake)

    def advance_to(self, target_ns: int) -> None:
        """Moves the clock to ``target_ns`` (not backwards) and wakes everyone waiting on it."""
        with self._condition:
            if target_ns < self._now:
                raise GxfError(f"{self.describe_self()}: cannot go back from {self._now} ns to {target_ns} "
                               "ns", self.location, "a clock never goes backwards")
            self._now = int(target_ns)
        self._wake_all()

    def advance_by(self, delta_ns: int) -> None:
        """Moves the clock on by ``delta_ns`` (>= 0)."""
        with self._condition:
            target = self._now + int(delta_ns)
        self.advance_to(target)

    def _wake_all(self) -> None:
        with self._condition:
            self._condition.notify_all()
        for wake in list(self._wakes):
            wake.set()
        self._moved()
