"""PingTx's trigger_interrupt_after_ms stops the graph's run once that much time has passed since start."""

import pytest

from gxf.core import ExecutionError
from gxf.sample import PingTx
from gxf.std import SchedulerInterrupted

GRAPH = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - name: ping
      type: nvidia::gxf::PingTx
      parameters:
        signal: signal
        clock: scheduler/clock
        {interrupt}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 1000
    - type: nvidia::gxf::PeriodicSchedulingTerm
      parameters:
        recess_period: 10ms
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
      parameters:
        capacity: 1000
    - name: ping
      type: nvidia::gxf::PingRx
      parameters:
        signal: signal
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: signal
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: tx/signal
        target: rx/signal
    """


def test_the_run_is_interrupted_after_that_many_clock_milliseconds(run_graph):
    # an interrupted run ends as any interrupted run does (exit code 130), not as a failure
    with pytest.raises(SchedulerInterrupted):
        run_graph(GRAPH.replace("{interrupt}", "trigger_interrupt_after_ms: 50"))
    # ticks at 0, 10, ..., 50 ms of ManualClock time: the sixth tick finds 50 ms passed and interrupts
    assert run_graph.contexts[-1].find_component("tx/ping").count == 6


def test_without_the_parameter_the_run_goes_to_the_end(run_graph):
    context = run_graph(GRAPH.replace("{interrupt}", ""))
    assert context.find_component("tx/ping").count == 1000


def test_a_negative_delay_is_refused(run_graph):
    with pytest.raises(ExecutionError, match="trigger_interrupt_after_ms is -1"):
        run_graph(GRAPH.replace("{interrupt}", "trigger_interrupt_after_ms: -1"))


def test_parameter_is_optional_int():
    param = PingTx.parameters()["trigger_interrupt_after_ms"]
    assert param.optional
