"""PingPollRx, test::PingBatchRx and Pop: receivers that check counts or just drain."""

import pytest

from gxf.core import ExecutionError

SENDER = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - type: nvidia::gxf::PingTx
      parameters:
        signal: signal
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 5
    - type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
      parameters:
        transmitter: signal
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: tx/signal
        target: rx/signal
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
      parameters:
        capacity: 5
    """


def test_ping_poll_rx_counts_what_its_polls_find(run_graph):
    context = run_graph(SENDER + """
    - name: poll
      type: nvidia::gxf::test::PingPollRx
      parameters:
        signal: signal
        expected_counter: 5
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 9
    """)
    poll = context.find_component("rx/poll")
    assert poll.counter == 5 and poll.get_execution_count() == 9


def test_ping_poll_rx_fails_at_stop_on_a_wrong_count(run_graph):
    with pytest.raises(ExecutionError) as info:
        run_graph(SENDER + """
    - name: poll
      type: nvidia::gxf::test::PingPollRx
      parameters:
        signal: signal
        expected_counter: 4
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 9
    """)
    assert "codelet 'rx/poll' (nvidia::gxf::test::PingPollRx) failed in stop()" in str(info.value)
    assert "counter does not match: 5 vs 4" in str(info.value)


def test_test_ping_batch_rx_takes_full_batches(run_graph):
    context = run_graph(SENDER + """
    - name: batch
      type: nvidia::gxf::test::PingBatchRx
      parameters:
        signal: signal
        batch_size: 5
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: signal
        min_size: 5
    """)
    batch = context.find_component("rx/batch")
    assert batch.received == 5 and batch.get_execution_count() == 1


def test_pop_drains_one_message_per_tick(run_graph):
    context = run_graph(SENDER + """
    - name: pop
      type: nvidia::gxf::test::Pop
      parameters:
        message: signal
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: signal
    """)
    pop = context.find_component("rx/pop")
    assert pop.popped == 5 and pop.get_execution_count() == 5
    signal = context.find_component("rx/signal")
    assert signal.size() + signal.back_size() == 0
