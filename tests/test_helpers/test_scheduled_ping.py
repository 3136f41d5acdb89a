"""ScheduledPingTx, TestTimestampTx and TestTimestampRx: pings on a self-set schedule."""

import pytest

from gxf.core import ExecutionError

SCHEDULED = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - name: target
      type: nvidia::gxf::TargetTimeSchedulingTerm
      parameters:
        clock: scheduler/clock
    - name: ping
      type: {tx_type}
      parameters:
        delay: 2000000
        execution_clock: scheduler/clock
        signal: signal
        scheduling_term: target
        {offset}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 4
    - name: offset
      type: nvidia::gxf::ManualClock
      parameters:
        initial_timestamp: 1000
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
      parameters:
        capacity: 4
    {rx}
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: tx/signal
        target: rx/signal
    """


def graph(tx_type="nvidia::gxf::test::ScheduledPingTx", offset="", rx=""):
    return SCHEDULED.replace("{tx_type}", tx_type).replace("{offset}", offset).replace("{rx}", rx)


def test_scheduled_ping_tx_ticks_every_delay_and_stamps_the_next_target(run_graph):
    context = run_graph(graph())
    rx = context.find_component("rx/signal")
    # The rx entity has no codelet, so it never runs: the pings stay in the receiver's back stage.
    stamps = [rx.peek_back(i).find("timestamp") for i in range(rx.back_size())]
    assert [s.acqtime for s in stamps] == [2_000_000, 4_000_000, 6_000_000, 8_000_000]
    assert context.find_component("scheduler/clock").timestamp() == 6_000_000  # fourth tick at 6 ms


def test_scheduled_ping_tx_adds_the_offset_clock(run_graph):
    context = run_graph(graph(offset="offset_clock: offset"))
    rx = context.find_component("rx/signal")
    message = rx.peek_back(0)
    assert message.find("timestamp").acqtime == 2_001_000


def test_timestamp_rx_accepts_messages_exactly_delay_apart(run_graph):
    rx = """- name: check
      type: nvidia::gxf::test::TestTimestampRx
      parameters:
        signal: signal
        delay: 2000000
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: signal"""
    context = run_graph(graph("nvidia::gxf::test::TestTimestampTx", rx=rx))
    check = context.find_component("rx/check")
    assert check.checked == 3 and check.last_acqtime == 6_000_000 and check.last_pubtime == 6_000_000
    with pytest.raises(ExecutionError, match="pubtime 2000000 is not 1000000 ns after the previous 0"):
        run_graph(graph("nvidia::gxf::test::TestTimestampTx",
                        rx=rx.replace("delay: 2000000", "delay: 1000000")))


def test_timestamp_rx_needs_a_timestamp():
    from gxf.core import Context, MessageEntity
    from gxf.test_helpers.scheduled_ping import TestTimestampRx
    from gxf.test_helpers.checks import CheckFailed

    with Context() as context:
        entity = context.create_entity("e")
        rx = entity.add("nvidia::gxf::DoubleBufferReceiver", "signal")
        rx.initialize()
        check = entity.add(TestTimestampRx, "check", signal=rx, delay=1)
        check.initialize()
        rx.push_io(MessageEntity(context))
        rx.sync()
        with pytest.raises(CheckFailed, match="the message has no Timestamp"):
            check.tick()
