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
    samples into one value. ``evaluate_success()`` says whether that value lies within
    ``[lower_threshold, upper_threshold]``. A value out of range is reported, never a failure of the
    run (as in GXF): ``evaluate_success()`` returns False, and when the graph is deinitialized the
    metric logs a warning naming it and its range. Whoever needs the run to fail on it (a test codelet,
    a script) checks ``evaluate_success()``.
    """

    aggregation_policy = Parameter(Literal[AGGREGATION_POLICIES], optional=True,
                                   description="How the samples are reduced to one value: mean, "
                                   "root_mean_square, abs_max, max, min, sum or fixed (the latest sample)")
    lower_threshold = Parameter(float, optional=True, description="Smallest acceptable aggregated value")
    upper_threshold = Parameter(float, optional=True, description="Largest acceptable aggregated value")

    def preflight(self) -> None:
        lower, upper = self.lower_threshold, self.upper_threshold
        if lower is not None and upper is not None and lower > upper:
            raise ParameterError(f"{self.describe_self()}: lower_threshold {lower} is above upper_threshold "
                                 f"{upper}", self.location, "swap the thresholds")

    def initialize(self) -> None:
        self._aggregate: Callable[[float], float] | None = None
        self._value: float | None = None
        if self.aggregation_policy is not None:
            self._aggregate = _FACTORIES[self.aggregation_policy]()

    def set_aggregation_function(self, function: Callable[[float], float]) -> None:
        """Uses ``function(sample) -> aggregate`` (it keeps its own state) instead of a policy.

        A metric keeps its first aggregation function: when it already has one (from
        ``aggregation_policy`` or an earlier call) a warning is logged and ``function`` is ignored.
        """
        if self._aggregate is not None:
            self.logger.warning("already has an aggregation function: the new one is ignored (leave "
                                "'aggregation_policy' unset to give a custom function)")
            return
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
        """Reports (logs, never raises) an aggregate outside the thresholds."""
        if self._value is not None and not self.evaluate_success():
            self.logger.warning("metric '%s' is %s, outside its expected range [%s, %s]", self.handle_text(),
                                f"{self._value:g}", _bound(self.lower_threshold), _bound(self.upper_threshold))


def _bound(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
