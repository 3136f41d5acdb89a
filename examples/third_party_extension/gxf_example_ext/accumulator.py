"""Accumulator: running statistics of the values it is given."""

from __future__ import annotations

import math
from collections import deque

from gxf.core import Component, Parameter


class Accumulator(Component, type_name="example::Accumulator", uuid="ff6d5b04-5b63-4700-aa92-29b22fcd4268"):
    """Keeps running statistics (count, sum, mean, min, max) of the values given to ``add()``.

    ``count`` and ``total`` cover every value; ``mean``, ``minimum`` and ``maximum`` cover the last
    ``window`` values (all of them when ``window`` is 0).
    """

    window = Parameter(int, 0, "How many recent values mean/min/max cover; 0 for all of them")
    initial = Parameter(float, 0.0, "The total before any value is added")

    def initialize(self) -> None:
        if self.window < 0:
            raise ValueError(f"window must be 0 or more, not {self.window}")
        self.reset()

    def reset(self) -> None:
        """Forgets every value added so far."""
        self.count = 0
        self.total = self.initial
        self._recent: deque[float] = deque(maxlen=self.window or None)

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self._recent.append(value)

    @property
    def mean(self) -> float:
        return sum(self._recent) / len(self._recent) if self._recent else math.nan

    @property
    def minimum(self) -> float:
        return min(self._recent) if self._recent else math.nan

    @property
    def maximum(self) -> float:
        return max(self._recent) if self._recent else math.nan
