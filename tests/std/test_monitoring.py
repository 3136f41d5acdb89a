"""Monitoring: Monitor components, JobStatistics, Metric, and the GPUDevice resource."""

from __future__ import annotations

import json
import logging
import math

import pytest

from gxf.core import Context, ExecutionError, Handle, Parameter, ParameterError, load_graph_text
from gxf.std.clock import ManualClock
from gxf.std.codelet import Codelet
from gxf.std.gpu_device import GPUDevice, find_gpu_device
from gxf.std.greedy_scheduler import GreedyScheduler
from gxf.std.job_statistics import JobStatistics, percentile
from gxf.std.metric import Metric
from gxf.std.monitor import Monitor
from gxf.std.scheduling_terms import CountSchedulingTerm, PeriodicSchedulingTerm


class RecordingMonitor(Monitor):
    def initialize(self):
        self.calls = []

    def on_execute(self, eid, timestamp, ok):
        self.calls.append((eid, timestamp, ok))


class Work(Codelet):
    """Advances ``busy_clock`` by ``cost`` ns per tick, or ``costs[i]`` at tick i (simulated work); fails
    on tick ``fail_at``; records ``samples[i]`` into ``metric``."""

    busy_clock = Parameter(Handle(ManualClock), optional=True)
    cost = Parameter(int, 0)
    costs = Parameter(list, [])
    fail_at = Parameter(int, 0)
    metric = Parameter(Handle(Metric), optional=True)
    samples = Parameter(list, [])

    def tick(self):
        count = self.get_execution_count()
        if count == self.fail_at:
            raise RuntimeError("the work broke")
        if self.busy_clock is not None:
            cost = self.costs[count - 1] if self.costs else self.cost
            self.busy_clock.advance_to(self.busy_clock.timestamp() + cost)
        if self.metric is not None:
            self.metric.record(self.samples[count - 1])


def graph(ctx, **scheduler_params):
    sched = ctx.create_entity("sched")
    clock = sched.add(ManualClock, "clock")
    sched.add(GreedyScheduler, "s", clock=clock, stop_on_deadlock=True, max_duration_ms=10_000,
              **scheduler_params)
    return sched.find("s"), clock


def worker(ctx, name, ticks, period=None, **params):
    entity = ctx.create_entity(name)
    codelet = entity.add(Work, "work", **params)
    entity.add(CountSchedulingTerm, count=ticks)
    if period:
        entity.add(PeriodicSchedulingTerm, recess_period=period)
    return codelet


# --- Monitor ----------------------------------------------------------------------------------------------
def test_every_monitor_is_told_of_every_execution_with_its_entity_and_time():
    with Context() as ctx:
        graph(ctx)
        a = worker(ctx, "a", 3, period="2ms")
        b = worker(ctx, "b", 2, period="5ms")
        watch = ctx.create_entity("watch")
        first = watch.add(RecordingMonitor, "first")
        second = watch.add(RecordingMonitor, "second")
        ctx.run()
        expected = sorted([(a.eid, t, True) for t in (0, 2_000_000, 4_000_000)] +
                          [(b.eid, t, True) for t in (0, 5_000_000)], key=lambda c: c[1])
        assert sorted(first.calls, key=lambda c: c[1]) == expected
        assert second.calls == first.calls


def test_a_failing_tick_is_reported_to_monitors_as_not_ok():
    with Context() as ctx:
        graph(ctx)
        w = worker(ctx, "w", 5, fail_at=3)
        monitor = ctx.create_entity("watch").add(RecordingMonitor, "m")
        with pytest.raises(ExecutionError, match="the work broke"):
            ctx.run()
        assert [ok for _, _, ok in monitor.calls] == [True, True, False]
        assert {eid for eid, _, _ in monitor.calls} == {w.eid}


def test_without_monitors_the_executor_has_no_observers():
    with Context() as ctx:
        scheduler, _ = graph(ctx)
        worker(ctx, "w", 2)
        ctx.activate()
        assert all(item.observers == () and item.failure_observers == () for item in scheduler.executor.items)


# --- JobStatistics ----------------------------------------------------------------------------------------
def statistics_graph(ctx, tmp_path, codelet_statistics=True):
    graph(ctx)
    misc = ctx.create_entity("misc")
    busy = misc.add(ManualClock, "busy")
    stats = misc.add(JobStatistics, "stats", clock=busy, codelet_statistics=codelet_statistics,
                     json_file_path=str(tmp_path / "stats.json"))
    worker(ctx, "fast", 4, busy_clock=busy, cost=1_000_000)
    worker(ctx, "slow", 4, busy_clock=busy, cost=3_000_000)
    return stats


def test_job_statistics_json_has_counts_times_and_load_per_entity_and_codelet(tmp_path):
    with Context() as ctx:
        statistics_graph(ctx, tmp_path)
        ctx.run()
    data = json.loads((tmp_path / "stats.json").read_text())
    entities = {e["name"]: e for e in data["entities"]}
    assert set(entities) == {"fast", "slow"}
    fast, slow = entities["fast"], entities["slow"]
    assert (fast["count"], slow["count"]) == (4, 4)
    assert (fast["execution_time_median_ms"], fast["execution_time_90_ms"],
            fast["execution_time_max_ms"]) == (1.0, 1.0, 1.0)
    assert (slow["execution_time_median_ms"], slow["execution_time_max_ms"], slow["execution_time_ms"]) == (
        3.0, 3.0, 12.0)
    # fast runs 1 ms then waits 3 ms for slow: 4 ms busy of 13 ms; slow waits 1 ms: 12 ms of 15 ms
    assert fast["load_percentage"] == pytest.approx(100 * 4 / 13, abs=1e-4)
    assert slow["load_percentage"] == pytest.approx(80.0)
    assert fast["variation_median_ns"] == fast["variation_max_ns"] == 0  # ManualClock: never late
    codelets = {c["name"]: c["entity"] for c in data["codelets"]}
    assert codelets["slow"] == [{"codelet_name": "work", "count": 4, "execution_time_mean_ms": 3.0,
                                 "execution_time_90_ms": 3.0, "execution_time_max_ms": 3.0,
                                 "tick_frequency_per_ms": 0.33333}]
    assert codelets["fast"][0]["tick_frequency_per_ms"] == 1.0


def test_job_statistics_without_codelet_statistics_leaves_codelets_alone(tmp_path):
    with Context() as ctx:
        stats = statistics_graph(ctx, tmp_path, codelet_statistics=False)
        ctx.run()
        assert stats.entity_statistics("fast")["count"] == 4
        assert all("tick" not in c.__dict__ for c in ctx.components(Work))
    data = json.loads((tmp_path / "stats.json").read_text())
    assert data["codelets"] == []


def test_job_statistics_restores_the_codelets_it_timed(tmp_path):
    with Context() as ctx:
        statistics_graph(ctx, tmp_path)
        ctx.run()
        assert all("tick" in c.__dict__ for c in ctx.components(Work))
    assert all("tick" not in c.__dict__ for c in ctx.components(Work))


def test_job_statistics_percentiles_cover_the_last_event_history_count_executions():
    assert percentile([5, 1, 4, 2, 3], 0.5) == 3
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([], 0.9) == 0.0
    with Context() as ctx:
        graph(ctx)
        busy = ctx.create_entity("misc").add(ManualClock, "busy")
        stats = ctx.create_entity("m").add(JobStatistics, "stats", clock=busy, event_history_count=2)
        entity = ctx.create_entity("w")
        entity.add(Work, "work", busy_clock=busy, costs=[5_000_000, 5_000_000, 1_000_000])
        entity.add(CountSchedulingTerm, count=3)
        ctx.run()
        entry = stats.entity_statistics("w")
        # the median covers the last two ticks (5 ms, 1 ms); count, maximum and total cover all three
        assert (entry["count"], entry["execution_time_median_ms"]) == (3, 1.0)
        assert (entry["execution_time_max_ms"], entry["execution_time_ms"]) == (5.0, 11.0)


def test_job_statistics_refuses_an_unwritable_json_file(tmp_path):
    ctx = Context()
    graph(ctx)
    busy = ctx.create_entity("misc").add(ManualClock, "busy")
    ctx.create_entity("m").add(JobStatistics, "stats", clock=busy,
                               json_file_path=str(tmp_path / "missing" / "stats.json"))
    worker(ctx, "w", 1)
    ctx.run()
    with pytest.raises(ParameterError, match="component 'm/stats' .* cannot write json_file_path"):
        ctx.deactivate()


# --- Metric -----------------------------------------------------------------------------------------------
def metric_graph(ctx, samples, **metric_params):
    graph(ctx)
    metric = ctx.create_entity("metrics").add(Metric, "latency", **metric_params)
    worker(ctx, "w", len(samples), metric=metric, samples=samples)
    return metric


def test_a_metric_within_its_thresholds_passes():
    with Context() as ctx:
        metric = metric_graph(ctx, [1, 2, 3, 4], aggregation_policy="mean", lower_threshold=2,
                              upper_threshold=3)
        ctx.run()
        assert metric.get_aggregated_value() == 2.5 and metric.evaluate_success()


def test_a_metric_out_of_range_is_reported_not_a_run_failure(caplog):
    ctx = Context()
    metric = metric_graph(ctx, [1, 2, 5, 4], aggregation_policy="max", upper_threshold=3)
    ctx.run()
    assert metric.evaluate_success() is False
    with caplog.at_level(logging.WARNING, logger="gxf"):
        ctx.deactivate()  # does not raise
    assert any("metric 'metrics/latency' is 5, outside its expected range [-, 3]" in r.getMessage()
               and r.levelno == logging.WARNING for r in caplog.records)


def test_a_metric_within_range_logs_nothing_at_teardown(caplog):
    ctx = Context()
    metric_graph(ctx, [1, 2], aggregation_policy="max", upper_threshold=3)
    ctx.run()
    with caplog.at_level(logging.WARNING, logger="gxf"):
        ctx.deactivate()
    assert not [r for r in caplog.records if "outside its expected range" in r.getMessage()]


@pytest.mark.parametrize("policy, expected", [
    ("mean", 0.5), ("root_mean_square", math.sqrt((16 + 9 + 6.25) / 3)), ("abs_max", 4.0), ("max", 3.0),
    ("min", -4.0),
    ("sum", 1.5), ("fixed", 2.5)])
def test_each_aggregation_policy(policy, expected):
    metric = Metric()
    metric.set_params(aggregation_policy=policy)
    metric.initialize()
    assert metric.get_aggregated_value() is None
    for sample in (-4, 3, 2.5):
        metric.record(sample)
    assert metric.get_aggregated_value() == pytest.approx(expected)
    metric.reset()
    metric.record(1)
    assert metric.get_aggregated_value() == 1.0


def test_a_custom_aggregation_function_and_its_misuse(caplog):
    metric = Metric()
    metric.name = "m"
    metric.initialize()
    with pytest.raises(ExecutionError, match="has no aggregation function to record a sample"):
        metric.record(1)
    seen = []
    metric.set_aggregation_function(lambda s: (seen.append(s), len(seen))[1])
    metric.record(7)
    metric.record(8)
    assert metric.get_aggregated_value() == 2.0 and seen == [7.0, 8.0]
    with caplog.at_level(logging.WARNING, logger="gxf"):
        metric.set_aggregation_function(lambda s: s)  # warned about and ignored: the first one stays
    assert any("already has an aggregation function" in r.getMessage() for r in caplog.records)
    metric.record(9)
    assert metric.get_aggregated_value() == 3.0 and seen == [7.0, 8.0, 9.0]


def test_an_aggregation_function_does_not_replace_a_policy(caplog):
    metric = Metric()
    metric.set_params(aggregation_policy="sum")
    metric.initialize()
    with caplog.at_level(logging.WARNING, logger="gxf"):
        metric.set_aggregation_function(lambda s: -1.0)
    metric.record(2)
    metric.record(3)
    assert metric.get_aggregated_value() == 5.0
    assert any("already has an aggregation function" in r.getMessage() for r in caplog.records)


def test_metric_parameters_are_checked():
    metric = Metric()
    metric.name = "m"
    with pytest.raises(ParameterError, match="expected one of"):
        metric.set_param("aggregation_policy", "median")
    metric.set_params(lower_threshold=5, upper_threshold=1)
    with pytest.raises(ParameterError, match="lower_threshold 5.0 is above upper_threshold 1.0"):
        metric.preflight()


# --- GPUDevice --------------------------------------------------------------------------------------------
GPU_GRAPH = """
name: infer
components:
- name: gpu
  type: nvidia::gxf::GPUDevice
  parameters: {dev_id: 1}
---
name: other
components:
- type: nvidia::gxf::GPUDevice
---
name: sched
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters: {clock: clock}
"""


def test_a_gpu_device_is_declared_without_a_gpu():
    with Context() as ctx:
        load_graph_text(ctx, GPU_GRAPH)
        ctx.activate()
        assert find_gpu_device(ctx.find_entity("infer")).device_id() == 1
        assert find_gpu_device(ctx.find_entity("other")).dev_id == 0
        assert find_gpu_device(ctx.find_entity("sched")) is None
    assert ctx.registry.component_type("nvidia::gxf::GPUDevice").base == "nvidia::gxf::ResourceBase"


def test_a_negative_device_id_is_refused():
    with Context() as ctx:
        load_graph_text(ctx, GPU_GRAPH.replace("dev_id: 1", "dev_id: -1"))
        with pytest.raises(ParameterError, match="component 'infer/gpu' .* dev_id must not be negative"):
            ctx.activate()
    assert isinstance(GPUDevice(), GPUDevice)
