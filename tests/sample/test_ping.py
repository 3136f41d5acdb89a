"""PingTx and PingRx: one message per tick, timestamped from the optional clock, logged at INFO."""

import logging

import pytest

from gxf.core import ExecutionError
from gxf.sample import PingRx, PingTx
from gxf.std.timestamp import Timestamp

PING = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - name: ping
      type: nvidia::gxf::PingTx
      parameters:
        signal: signal
        {clock}
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


def ping_graph(count=10, clock=""):
    return PING.replace("{count}", str(count)).replace("{clock}", clock)


def test_every_ping_sent_is_received(run_graph):
    context = run_graph(ping_graph(count=10))
    assert context.find_component("tx/ping").count == 10
    assert context.find_component("rx/ping").count == 10


def test_ping_carries_the_clock_time_as_acquisition_time():
    from gxf.core import Context, MessageEntity
    from gxf.std.clock import ManualClock
    from gxf.std.double_buffer import DoubleBufferTransmitter

    with Context() as context:
        entity = context.create_entity("tx")
        clock = entity.add(ManualClock, "clock", initial_timestamp=1234)
        clock.initialize()
        signal = entity.add(DoubleBufferTransmitter, "signal", capacity=2)
        signal.initialize()
        ping = entity.add(PingTx, "ping", signal=signal, clock=clock)
        ping.initialize()
        ping.start()
        ping.tick()
        message = signal.peek_back(0)
        assert isinstance(message, MessageEntity)
        assert message.get(Timestamp).acqtime == 1234
        ping.clock = None
        ping.tick()
        assert signal.peek_back(1).get(Timestamp).acqtime == 0


def test_pings_are_logged_at_info(run_graph, caplog):
    with caplog.at_level(logging.INFO, logger="gxf"):
        run_graph(ping_graph(count=3))
    sent = [r.getMessage() for r in caplog.records if "Message Sent" in r.getMessage()]
    received = [r.getMessage() for r in caplog.records if "Message Received" in r.getMessage()]
    assert sent == ["[tx/ping] Message Sent: 1", "[tx/ping] Message Sent: 2", "[tx/ping] Message Sent: 3"]
    assert received == ["[rx/ping] Message Received: 1", "[rx/ping] Message Received: 2",
                        "[rx/ping] Message Received: 3"]


def test_nothing_is_logged_below_info(run_graph, caplog):
    with caplog.at_level(logging.WARNING, logger="gxf"):
        run_graph(ping_graph(count=3))
    assert not [r for r in caplog.records if "Message" in r.getMessage()]


def test_ping_rx_fails_when_ticked_without_a_message(run_graph):
    with pytest.raises(ExecutionError) as info:
        run_graph("""
            name: rx
            components:
            - name: signal
              type: nvidia::gxf::DoubleBufferReceiver
            - name: ping
              type: nvidia::gxf::PingRx
              parameters:
                signal: signal
            - type: nvidia::gxf::CountSchedulingTerm
              parameters:
                count: 1
            """)
    assert "codelet 'rx/ping' (nvidia::gxf::PingRx) failed in tick()" in str(info.value)
    assert "no message available on 'rx/signal'" in str(info.value)


def test_types_have_gxf_names_and_uuids():
    assert PingTx.type_name() == "nvidia::gxf::PingTx"
    assert PingTx._gxf_uuid == "568ba758-1688-11ec-9621-0242ac130002"
    assert PingRx._gxf_uuid == "a7fc439a-1688-11ec-9621-0242ac130002"
    assert PingTx.parameters()["clock"].optional and PingTx.parameters()["signal"].required
