"""EntityMonitor (logs every execution) and TestMetricLogger (checks nine metrics' aggregates)."""

import logging

import pytest

from gxf.core import ExecutionError

PINGS = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - type: nvidia::gxf::PingTx
      parameters:
        signal: signal
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 3
    - type: nvidia::gxf::PeriodicSchedulingTerm
      parameters:
        recess_period: 5ms
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
    - type: nvidia::gxf::PingRx
      parameters:
        signal: signal
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: signal
    ---
    name: monitoring
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: tx/signal
        target: rx/signal
    - name: monitor
      type: nvidia::gxf::test::EntityMonitor
    """


def test_entity_monitor_logs_each_execution_with_its_time(run_graph, caplog):
    with caplog.at_level(logging.INFO, logger="gxf"):
        context = run_graph(PINGS)
    assert context.find_component("monitoring/monitor").executions == {"tx": 3, "rx": 3}
    lines = [r.getMessage() for r in caplog.records if "GXF_" in r.getMessage()]
    assert [line for line in lines if "tx:" in line] == [
        f"[monitoring/monitor] [t = {t:.1f}ms] tx: GXF_SUCCESS" for t in (0, 5, 10)]


def test_entity_monitor_reports_a_failed_execution(run_graph, caplog):
    with caplog.at_level(logging.INFO, logger="gxf"), pytest.raises(ExecutionError):
        run_graph(PINGS + """
    ---
    name: failing
    components:
    - type: nvidia::gxf::test::MockFailure
      parameters:
        num_max_ticks: 1
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 2
    """)
    lines = [r.getMessage() for r in caplog.records if "failing:" in r.getMessage()]
    assert [line.rsplit(" ", 1)[1] for line in lines] == ["GXF_SUCCESS", "GXF_FAILURE"]


METRICS = """
    name: metrics
    components:
    - name: sample_metric_parameter
      type: nvidia::gxf::Metric
      parameters: {aggregation_policy: mean}
    - name: sample_metric_mean
      type: nvidia::gxf::Metric
    - name: sample_metric_rms
      type: nvidia::gxf::Metric
    - name: sample_metric_abs_max
      type: nvidia::gxf::Metric
    - name: sample_metric_max
      type: nvidia::gxf::Metric
    - name: sample_metric_min
      type: nvidia::gxf::Metric
    - name: sample_metric_sum
      type: nvidia::gxf::Metric
    - name: sample_metric_fixed
      type: nvidia::gxf::Metric
    - name: sample_metric_fail_threshold
      type: nvidia::gxf::Metric
      parameters: {aggregation_policy: sum, upper_threshold: {upper}}
    - name: logger
      type: nvidia::gxf::test::TestMetricLogger
      parameters:
        sample_metric_parameter: sample_metric_parameter
        sample_metric_mean: sample_metric_mean
        sample_metric_rms: sample_metric_rms
        sample_metric_abs_max: sample_metric_abs_max
        sample_metric_max: sample_metric_max
        sample_metric_min: sample_metric_min
        sample_metric_sum: sample_metric_sum
        sample_metric_fixed: sample_metric_fixed
        sample_metric_fail_threshold: sample_metric_fail_threshold
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: {count}
    """


def test_metric_logger_finds_every_aggregate_as_expected(run_graph):
    context = run_graph(METRICS.replace("{upper}", "600.0").replace("{count}", "100"))
    values = {name: context.find_component(f"metrics/{name}").get_aggregated_value()
              for name in ("sample_metric_mean", "sample_metric_rms", "sample_metric_abs_max",
                           "sample_metric_min", "sample_metric_fixed")}
    assert values == pytest.approx({"sample_metric_mean": 49.5, "sample_metric_rms": 57.301832,
                                    "sample_metric_abs_max": 99.0, "sample_metric_min": 0.0,
                                    "sample_metric_fixed": 99.0}, abs=1e-4)
    # out of range on purpose: reported by evaluate_success() (and logged at teardown), not a failure
    assert context.find_component("metrics/sample_metric_fail_threshold").evaluate_success() is False


def test_metric_logger_fails_when_an_aggregate_is_off(run_graph):
    with pytest.raises(ExecutionError, match=r"failed in stop\(\): CheckFailed: sample_metric_parameter "
                                             r"aggregates to 4.5, expected 49.5"):
        run_graph(METRICS.replace("{upper}", "600.0").replace("{count}", "10"))


def test_metric_logger_expects_the_fail_threshold_metric_to_fail(run_graph):
    with pytest.raises(ExecutionError,
                       match="sample_metric_fail_threshold evaluates as a success, expected a failure"):
        run_graph(METRICS.replace("{upper}", "6000.0").replace("{count}", "100"))
