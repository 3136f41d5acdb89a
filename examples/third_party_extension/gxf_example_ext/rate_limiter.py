"""RateLimiter: lets events through at a bounded rate."""

from __future__ import annotations

from gxf.core import Component, Frequency, Handle, Parameter

from .accumulator import Accumulator


class RateLimiter(Component, type_name="example::RateLimiter", uuid="20c173b5-bbba-4307-bad3-ac9721f4de2b"):
    """Lets at most ``max_rate`` events per second through, with bursts of up to ``burst`` events.

    A token bucket: it holds up to ``burst`` tokens, refilled at ``max_rate`` per second; each event
    that passes takes one. Events that pass are added to ``accumulator``, when one is given.
    """

    max_rate = Parameter(Frequency, description="Sustained events per second, e.g. \"20Hz\"")
    burst = Parameter(int, 1, "How many events may pass at once after a quiet spell")
    accumulator = Parameter(Handle(Accumulator), optional=True,
                            description="Receives the value of every event that passes")

    def initialize(self) -> None:
        if self.burst < 1:
            raise ValueError(f"burst must be 1 or more, not {self.burst}")
        self._tokens = float(self.burst)
        self._last_ns: int | None = None
        self.passed = 0
        self.dropped = 0

    def allow(self, now_ns: int, value: float = 1.0) -> bool:
        """Whether an event at time ``now_ns`` (nanoseconds) may pass; counts it either way."""
        if self._last_ns is not None and now_ns > self._last_ns:
            refill = (now_ns - self._last_ns) * 1e-9 * self.max_rate
            self._tokens = min(float(self.burst), self._tokens + refill)
        if self._last_ns is None or now_ns > self._last_ns:
            self._last_ns = now_ns
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            self.passed += 1
            if self.accumulator is not None:
                self.accumulator.add(value)
            return True
        self.dropped += 1
        return False
