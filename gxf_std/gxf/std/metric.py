"""Metric: a named figure codelets record samples into, aggregated and checked against a range."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

from gxf.core import Component, ExecutionError, Parameter, ParameterError

AGGREGATION_POLICIES = ("mean", "root_mean_square", "abs_max", "max", "min", "sum", "fixed")


def _mean():
    count, total = 0, 0.0

    def aggregate(sample: float) -> float:
        nonlocal count, total
        count += 1
        total += sample
        return total / count
    return aggregate


def _root_mean_square():
    count, total = 0, 0.0

    def aggregate(sample: float) -> float:
        nonlocal count, total
        count += 1
        total += sample * sample
        return math.sqrt(total / count)
    return aggregate


def _running(pick, start: float):
    value = start

    def aggregate(sample: float) -> float:
        nonlocal value
        value = pick(value, sample)
        return value
    return aggregate


_FACTORIES = {
    "mean": _mean,
    "root_mean_square": _root_mean_square,
    "abs_max": lambda: _running(lambda a, s: max(a, abs(s)), -math.inf),
    "max": lambda: _running(max, -math.inf),
    "min": lambda: _running(min, math.inf),
    "sum": lambda: _running(lambda a, s: a + s, 0.0),
    "fixed": lambda: (lambda sample: sample),
}


class Metric(Component, type_name="nvidia::gxf::Metric", uuid="f7cef803-5beb-46f1-186a-05d3919842ac"):
    """Gathers samples of one measured quantity, reduces them to a single value and checks it against bounds.

    Codelets ``record(sample)``; the aggregation policy (or a function given to
    ``set_aggregation_function``, called with each sample and returning the new aggregate) folds the
    samples into one value. When the graph is deinitialized a metric that has samples and lies outside
    ``[lower_threshold, upper_threshold]`` fails the run with an error naming it.
    """

    aggregation_policy = Parameter(Literal[AGGREGATION_POLICIES], optional=True,
                                   description="How the samples are reduced to one value: mean, "
                                   "root_mean_square, abs_max, max, min, sum or fixed (the latest sample)")
    lower_threshold = Parameter(float, optional=True, description="Smallest acceptable aggregated value")
    upper_threshold = Parameter(float, optional=True, description="Largest acceptable aggregated value")

    def initialize(self) -> None:
        lower, upper = self.lower_threshold, self.upper_threshold
        if lower is not None and upper is not None and lower > upper:
            raise ParameterError(f"{self.describe_self()}: lower_threshold {lower} is above upper_threshold "
                                 f"{upper}", self.location, "swap the thresholds")
        self._aggregate: Callable[[float], float] | None = None
        self._value: float | None = None
        if self.aggregation_policy is not None:
            self._aggregate = _FACTORIES[self.aggregation_policy]()

    def set_aggregation_function(self, function: Callable[[float], float]) -> None:
        """Uses ``function(sample) -> aggregate`` (it keeps its own state) instead of a policy."""
        if self._aggregate is not None:
            raise ExecutionError(f"{self.describe_self()} already has an aggregation function",
                                 self.location, "leave 'aggregation_policy' unset to give a custom function")
        self._aggregate = function

    def record(self, sample: float) -> None:
        """Adds a sample to the aggregate."""
        aggregate = self._aggregate
        if aggregate is None:
            raise ExecutionError(f"{self.describe_self()} has no aggregation function to record a sample",
                                 self.location, "set 'aggregation_policy' or call set_aggregation_function()")
        self._value = float(aggregate(float(sample)))

    def get_aggregated_value(self) -> float | None:
        """The aggregate so far; None before the first sample."""
        return self._value

    def get_lower_threshold(self) -> float | None:
        return self.lower_threshold

    def get_upper_threshold(self) -> float | None:
        return self.upper_threshold

    def evaluate_success(self) -> bool:
        """True when the aggregate lies within the thresholds (or none is set). Needs a sample."""
        value = self._value
        if value is None:
            raise ExecutionError(f"{self.describe_self()} has no samples to evaluate", self.location)
        lower, upper = self.lower_threshold, self.upper_threshold
        return (lower is None or value >= lower) and (upper is None or value <= upper)

    def reset(self) -> None:
        """Forgets the aggregate (a policy's running state starts over too)."""
        self._value = None
        if self.aggregation_policy is not None:
            self._aggregate = _FACTORIES[self.aggregation_policy]()

    def deinitialize(self) -> None:
        if self._value is not None and not self.evaluate_success():
            raise ExecutionError(
                f"metric '{self.handle_text()}' is {self._value:g}, outside its expected range "
                f"[{_bound(self.lower_threshold)}, {_bound(self.upper_threshold)}]", self.location,
                "the graph produced values out of range; adjust the graph or the metric's thresholds")


def _bound(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
