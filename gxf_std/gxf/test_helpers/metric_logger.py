"""TestMetricLogger: records into nine Metric components and checks how each aggregates."""

from __future__ import annotations

import math

from gxf.core import Handle, Parameter
from gxf.std.codelet import Codelet
from gxf.std.metric import Metric

from .checks import CheckFailed


def _mean():
    state = [0, 0.0]

    def aggregate(sample: float) -> float:
        state[0] += 1
        state[1] += sample
        return state[1] / state[0]
    return aggregate


def _rms():
    state = [0, 0.0]

    def aggregate(sample: float) -> float:
        state[0] += 1
        state[1] += sample * sample
        return math.sqrt(state[1] / state[0])
    return aggregate


def _running(pick, start: float):
    state = [start]

    def aggregate(sample: float) -> float:
        state[0] = pick(state[0], sample)
        return state[0]
    return aggregate


# (parameter, aggregation function set in start() or None to keep the graph's policy, sample sign,
#  expected aggregate after 100 ticks, expected evaluate_success), as GXF's test has them.
METRICS = (
    ("sample_metric_parameter", None, 1, 49.5, True),
    ("sample_metric_mean", _mean, 1, 49.5, True),
    ("sample_metric_rms", _rms, 1, 57.301832, True),
    ("sample_metric_abs_max", lambda: _running(lambda a, s: max(a, abs(s)), 0.0), -1, 99.0, True),
    ("sample_metric_max", lambda: _running(max, -math.inf), 1, 99.0, True),
    ("sample_metric_min", lambda: _running(min, math.inf), 1, 0.0, True),
    ("sample_metric_sum", lambda: _running(lambda a, s: a + s, 0.0), 1, 4950.0, True),
    ("sample_metric_fixed", lambda: (lambda s: s), 1, 99.0, True),
    ("sample_metric_fail_threshold", None, 1, 4950.0, False),
)


class TestMetricLogger(Codelet, type_name="nvidia::gxf::test::TestMetricLogger",
                       uuid="557d6478-5a86-4052-a2ac-f94edb0341ca"):
    """Feeds known samples to Metric components and checks what each one computes.

    Gives seven of its metrics an aggregation function (mean, root mean square, absolute maximum,
    maximum, minimum, sum, latest sample) and leaves two with the policy the graph sets. Tick n records
    n (-n for abs_max) into each. When it stops, after 100 ticks, each aggregate must be the expected
    one (mean 49.5, rms 57.301832, ...) and all metrics but ``sample_metric_fail_threshold`` must lie
    within their thresholds, or the run fails naming the metric.
    """

    __test__ = False  # not a pytest test class

    locals().update({name: Parameter(Handle(Metric), description=f"Metric '{name}'")
                     for name, *_ in METRICS})

    def start(self) -> None:
        self.tick_count = 0.0
        for name, factory, *_ in METRICS:
            if factory is not None:
                getattr(self, name).set_aggregation_function(factory())

    def tick(self) -> None:
        value = self.tick_count
        for name, _, sign, *_ in METRICS:
            getattr(self, name).record(sign * value)
        self.tick_count += 1.0

    def stop(self) -> None:
        for name, _, _, expected, success in METRICS:
            metric = getattr(self, name)
            value = metric.get_aggregated_value()
            if value is None or abs(value - expected) > 1e-4:
                raise CheckFailed(f"{name} aggregates to {value}, expected {expected}")
            if metric.evaluate_success() != success:
                raise CheckFailed(f"{name} evaluates as {'a success' if not success else 'a failure'}, "
                                  f"expected {'a success' if success else 'a failure'}")
