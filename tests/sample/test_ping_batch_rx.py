"""PingBatchRx: batch_size messages per tick; a partial batch fails unless assert_full_batch is off."""

import textwrap

import pytest

from gxf.core import Context, ExecutionError, ParameterError, load_graph_text

GRAPH = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - type: nvidia::gxf::PingTx
      parameters:
        signal: signal
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: {count}
    - type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
      parameters:
        transmitter: signal
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
      parameters:
        capacity: 4
    - name: batch
      type: nvidia::gxf::PingBatchRx
      parameters:
        signal: signal
        batch_size: {batch}
        assert_full_batch: {full}
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: signal
        min_size: {min_size}
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: tx/signal
        target: rx/signal
    """


def graph(count, batch, min_size, full="true"):
    return (GRAPH.replace("{count}", str(count)).replace("{batch}", str(batch))
            .replace("{min_size}", str(min_size)).replace("{full}", full))


def test_ticks_once_per_full_batch(run_graph):
    context = run_graph(graph(count=12, batch=3, min_size=3))
    batch = context.find_component("rx/batch")
    assert batch.received == 12
    assert batch.get_execution_count() == 4


def test_leftover_messages_short_of_a_batch_do_not_tick_it(run_graph):
    context = run_graph(graph(count=7, batch=3, min_size=3))
    batch = context.find_component("rx/batch")
    assert batch.get_execution_count() == 2 and batch.received == 6
    signal = context.find_component("rx/signal")
    assert signal.size() + signal.back_size() == 1


def test_partial_batch_fails_by_default(run_graph):
    with pytest.raises(ExecutionError,
                       match=r"batch incomplete: message 2 of 3 is not available on 'rx/signal'"):
        run_graph(graph(count=2, batch=3, min_size=1))


def test_partial_batch_is_taken_when_allowed(run_graph):
    context = run_graph(graph(count=2, batch=3, min_size=1, full="false"))
    batch = context.find_component("rx/batch")
    assert batch.received == 2 and batch.get_execution_count() == 2


def test_batch_size_must_be_given_and_positive():
    with Context() as context:
        load_graph_text(context, textwrap.dedent(graph(count=1, batch=0, min_size=1)))
        with pytest.raises(ExecutionError, match="batch_size must be at least 1, got 0"):
            context.activate()
    with Context() as context:
        load_graph_text(context, textwrap.dedent("""
            components:
            - name: signal
              type: nvidia::gxf::DoubleBufferReceiver
            - type: nvidia::gxf::PingBatchRx
              parameters:
                signal: signal
            """))
        with pytest.raises(ParameterError, match="missing required parameter 'batch_size'"):
            context.activate()
