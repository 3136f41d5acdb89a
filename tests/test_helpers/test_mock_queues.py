"""MockTransmitter / MockReceiver: usable in place of double-buffer queues, counting what passes and
failing the run when messages are left behind or a fail_on_* parameter says so."""

import logging

import pytest

from gxf.core import Context, ExecutionError, MessageEntity
from gxf.std.connection import connect
from gxf.std.queue import QueueFull, Receiver, Transmitter
from gxf.std.timestamp import Timestamp
from gxf.test_helpers.mock_queues import MockQueueFailure, MockReceiver, MockTransmitter

PING = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::test::MockTransmitter
      parameters:
        max_capacity: 1
    - type: nvidia::gxf::PingTx
      parameters:
        signal: signal
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 6
    - type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
      parameters:
        transmitter: signal
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::test::MockReceiver
      parameters:
        max_capacity: 2
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


def test_mock_queues_carry_pings_with_the_standard_terms(run_graph, caplog):
    context = run_graph(PING)
    tx, rx = context.find_component("tx/signal"), context.find_component("rx/signal")
    assert isinstance(tx, Transmitter) and isinstance(rx, Receiver)
    assert (tx.published, tx.syncs, tx.peak) == (6, 6, 1)
    assert (rx.received, rx.syncs, rx.peak) == (6, 6, 1)
    assert context.find_component("rx/ping").count == 6
    with caplog.at_level(logging.INFO, logger="gxf"):
        context.deactivate()
    assert "[tx/signal] Entities Published: 6 { Syncs: 6 | Peak: 1 }" in caplog.text
    assert "[rx/signal] Entities Received: 6 { Syncs: 6 | Peak: 1 }" in caplog.text


def _pair(context, **rx_params):
    entity = context.create_entity("e")
    tx = entity.add(MockTransmitter, "tx")
    rx = entity.add(MockReceiver, "rx", **rx_params)
    tx.initialize()
    rx.initialize()
    connect(tx, rx)
    return tx, rx


def test_published_messages_are_stamped_held_and_delivered_on_sync_outbox():
    with Context() as context:
        tx, rx = _pair(context)
        events = []
        rx.add_arrival_listener(lambda: events.append("push"))
        rx.add_departure_listener(lambda: events.append("pop"))
        first, second = MessageEntity(context), MessageEntity(context)
        tx.publish(first, 42)
        tx.publish(second)
        assert tx.size() == 2 and tx.back_size() == 0 and rx.size() == 0
        assert first.get(Timestamp).acqtime == 42
        tx.sync_outbox()
        assert tx.size() == 0 and rx.size() == 2 and rx.back_size() == 0 and tx.syncs == 1
        assert rx.peek(0) is first and rx.peek(1) is second and rx.peek(2) is None and rx.peek_back() is None
        assert rx.receive() is first and rx.receive() is second and rx.receive() is None
        assert events == ["push", "push", "pop", "pop"]
        assert rx.received == 2 and rx.peak == 2


def test_capacity_is_unbounded_unless_max_capacity_is_set():
    with Context() as context:
        tx, rx = _pair(context, max_capacity=1)
        assert tx.capacity() > 2**62 and rx.capacity() == 1
        rx.push_io(MessageEntity(context))
        with pytest.raises(QueueFull, match=r"queue 'e/rx' is full \(max_capacity 1\)"):
            rx.push_io(MessageEntity(context))


def test_leftover_messages_fail_teardown_unless_ignored():
    with Context() as context:
        entity = context.create_entity("e")
        tx = entity.add(MockTransmitter, "tx")
        tx.initialize()
        tx.publish(MessageEntity(context))
        tx.sync_outbox()  # not connected: kept
        with pytest.raises(AssertionError, match=r"Unpublished Entities: 1"):
            tx.deinitialize()
        tx.ignore_unpublished_entities = True
        tx.deinitialize()
        rx = entity.add(MockReceiver, "rx")
        rx.initialize()
        rx.push_io(MessageEntity(context))
        with pytest.raises(AssertionError, match=r"Unreceived Entities: 1"):
            rx.deinitialize()
        rx.ignore_unreceived_entities = True
        rx.deinitialize()


@pytest.mark.parametrize("operation", ["publish", "sync", "receive"])
def test_fail_on_parameters_make_the_operation_fail(operation):
    with Context() as context:
        tx, rx = _pair(context)
        target = rx if operation == "receive" else tx
        target.set_param(f"fail_on_{operation}", True)
        call = {"publish": lambda: tx.publish(MessageEntity(context)), "sync": tx.sync,
                "receive": rx.receive}[operation]
        with pytest.raises(MockQueueFailure, match=rf"{operation}\(\) of 'e/{target.name}' fails"):
            call()


def test_failing_sync_fails_the_run_naming_the_queue(run_graph):
    with pytest.raises(ExecutionError) as info:
        run_graph(PING.replace("max_capacity: 1", "max_capacity: 1\n        fail_on_sync: true\n"
                                "        ignore_unpublished_entities: true"))
    assert "sync() of 'tx/signal' fails (fail_on_sync is set)" in str(info.value)
