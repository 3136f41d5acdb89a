"""Queues: double-buffer staging, the three overflow policies, async buffers, the GXF Python accessors."""

from __future__ import annotations

import logging
import threading

import pytest

from gxf.core import Context, Entity, HandleError, MessageEntity, ParameterError
from gxf.std.async_buffer import AsyncBufferReceiver, AsyncBufferTransmitter
from gxf.std.connection import connect
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.queue import QueueFull, Receiver, Transmitter


def make(cls, entity_name="node", name="q", **params):
    """A queue component inside an entity, initialized."""
    entity = Entity(None, entity_name)
    queue = entity.add(cls, name, **params)
    queue.initialize()
    return queue


def messages(n):
    return [MessageEntity() for _ in range(n)]


# --- double-buffer staging ------------------------------------------------------------------------------
def test_arrived_messages_stay_in_the_back_stage_until_sync():
    rx = make(DoubleBufferReceiver, capacity=2)
    a, b = messages(2)
    rx.push_io(a)
    assert (rx.size(), rx.back_size()) == (0, 1)
    assert rx.receive() is None
    assert rx.peek() is None and rx.peek_back() is a
    rx.push_io(b)
    rx.sync()
    assert (rx.size(), rx.back_size()) == (2, 0)
    assert rx.peek(0) is a and rx.peek(1) is b and rx.peek(2) is None
    assert rx.receive() is a and rx.receive() is b and rx.receive() is None


def test_published_messages_leave_only_when_the_outbox_syncs():
    tx = make(DoubleBufferTransmitter, capacity=3)
    rx = make(DoubleBufferReceiver, capacity=3)
    connect(tx, rx)
    a, b = messages(2)
    tx.publish(a)
    tx.publish(b)
    assert (tx.back_size(), tx.size(), rx.back_size()) == (2, 0, 0)
    tx.sync_outbox()
    assert (tx.back_size(), tx.size(), rx.back_size(), rx.size()) == (0, 0, 2, 0)
    rx.sync()
    assert [rx.receive(), rx.receive()] == [a, b]


def test_transmitter_sync_then_sync_io_is_the_same_as_sync_outbox():
    tx = make(DoubleBufferTransmitter, capacity=2)
    rx = make(DoubleBufferReceiver, capacity=2)
    connect(tx, rx)
    a, = messages(1)
    tx.publish(a)
    tx.sync()
    assert (tx.back_size(), tx.size()) == (0, 1)
    assert tx.peek() is a
    tx.sync_io()
    assert tx.size() == 0 and rx.peek_back() is a


def test_defaults_follow_gxf_capacity_1_policy_fault():
    rx = make(DoubleBufferReceiver)
    assert rx.capacity() == 1 and rx.policy == 2
    assert DoubleBufferTransmitter.parameters()["capacity"].default == 1


# --- overflow policies ----------------------------------------------------------------------------------
def test_policy_pop_drops_the_oldest_in_the_back_stage_and_counts_it():
    rx = make(DoubleBufferReceiver, capacity=2, policy=0)
    a, b, c = messages(3)
    for m in (a, b, c):
        rx.push_io(m)
    assert [rx.peek_back(0), rx.peek_back(1)] == [b, c]
    assert rx.dropped == 1


def test_policy_pop_drops_the_oldest_of_the_main_stage_on_sync():
    rx = make(DoubleBufferReceiver, capacity=2, policy=0)
    a, b, c, d = messages(4)
    rx.push_io(a)
    rx.push_io(b)
    rx.sync()
    rx.push_io(c)
    rx.push_io(d)
    rx.sync()
    assert [rx.receive(), rx.receive(), rx.receive()] == [c, d, None]
    assert rx.dropped == 2


def test_policy_reject_refuses_the_newest_in_both_stages():
    rx = make(DoubleBufferReceiver, capacity=2, policy=1)
    a, b, c, d = messages(4)
    for m in (a, b, c):
        rx.push_io(m)
    assert [rx.peek_back(0), rx.peek_back(1)] == [a, b]
    rx.sync()
    rx.push_io(d)
    rx.sync()
    assert [rx.receive(), rx.receive(), rx.receive()] == [a, b, None]
    assert rx.dropped == 2


def test_a_drop_is_warned_once_then_only_counted(caplog):
    rx = make(DoubleBufferReceiver, "cam", "frames", capacity=1, policy=1)
    with caplog.at_level(logging.WARNING, logger="gxf"):
        for m in messages(5):
            rx.push_io(m)
    warnings = [r for r in caplog.records if "queue full" in r.getMessage()]
    assert len(warnings) == 1
    assert "[cam/frames]" in warnings[0].getMessage() and "policy 1 = reject" in warnings[0].getMessage()
    assert rx.dropped == 4


def test_policy_fault_on_a_full_back_stage_is_an_error_naming_the_queue():
    rx = make(DoubleBufferReceiver, "camera", "frames", capacity=1, policy=2)
    rx.push_io(MessageEntity())
    with pytest.raises(QueueFull) as info:
        rx.push_io(MessageEntity())
    text = str(info.value)
    assert ("queue 'camera/frames' (nvidia::gxf::DoubleBufferReceiver) is full (back stage, capacity 1)"
            in text)
    assert "policy is 2 (fault)" in text and "hint:" in text


def test_policy_fault_on_sync_into_a_full_main_stage_is_an_error():
    tx = make(DoubleBufferTransmitter, "src", "out", capacity=1)
    tx.publish(MessageEntity())
    tx.sync()
    tx.publish(MessageEntity())
    with pytest.raises(QueueFull, match=r"queue 'src/out' .* full \(main stage, capacity 1\)"):
        tx.sync()


@pytest.mark.parametrize("params, words", [
    ({"capacity": 0}, "parameter 'capacity' of component 'node/in' (nvidia::gxf::DoubleBufferReceiver): "
                      "must be at least 1, got 0"),
    ({"policy": 3}, "parameter 'policy' of component 'node/in' (nvidia::gxf::DoubleBufferReceiver): "
                    "must be one of 0, 1, 2, got 3")])
def test_bad_capacity_or_policy_is_a_parameter_error_naming_the_queue(params, words):
    # Their declared range: refused as soon as they are set (so gxf validate refuses them too).
    entity = Entity(None, "node")
    with pytest.raises(ParameterError) as info:
        entity.add(DoubleBufferReceiver, "in", **params)
    assert words in str(info.value)


def test_a_transmitter_without_receivers_counts_and_warns_about_discarded_messages(caplog):
    tx = make(DoubleBufferTransmitter, "src", "out", capacity=4)
    with caplog.at_level(logging.WARNING, logger="gxf"):
        for _ in range(2):
            tx.publish(MessageEntity())
            tx.publish(MessageEntity())
            tx.sync_outbox()
    assert tx.dropped == 4
    assert sum("not connected to any receiver" in r.getMessage() for r in caplog.records) == 1


# --- notifications --------------------------------------------------------------------------------------
def test_delivery_and_consumption_call_the_receiver_hooks():
    rx = make(DoubleBufferReceiver, capacity=2)
    events = []
    rx.add_arrival_listener(lambda: events.append("push"))
    rx.add_departure_listener(lambda: events.append("pop"))
    rx.push_io(MessageEntity())
    rx.sync()
    assert events == ["push"]
    rx.receive()
    rx.receive()  # empty: nothing consumed, no event
    assert events == ["push", "pop"]


# --- concurrent producers ---------------------------------------------------------------------------------
def test_producers_on_other_threads_lose_nothing_while_the_consumer_syncs():
    rx = make(DoubleBufferReceiver, capacity=100_000, policy=2)
    per_thread, threads = 5000, 4
    received = []
    done = threading.Event()

    def produce():
        for _ in range(per_thread):
            rx.push_io(MessageEntity())

    workers = [threading.Thread(target=produce) for _ in range(threads)]
    for w in workers:
        w.start()
    while not done.is_set():
        if not any(w.is_alive() for w in workers):
            done.set()
        rx.sync()
        while (m := rx.receive()) is not None:
            received.append(m)
    rx.sync()
    while (m := rx.receive()) is not None:
        received.append(m)
    assert len(received) == per_thread * threads
    assert len({id(m) for m in received}) == per_thread * threads


# --- async buffers ----------------------------------------------------------------------------------------
def test_async_buffer_receiver_keeps_only_the_freshest_message_and_receiving_does_not_consume():
    rx = make(AsyncBufferReceiver)
    assert (rx.size(), rx.back_size(), rx.capacity()) == (0, 0, 1)
    assert rx.receive() is None
    a, b, c = messages(3)
    for m in (a, b):
        rx.push_io(m)
    rx.sync()
    assert (rx.size(), rx.back_size(), rx.capacity()) == (1, 0, 2)
    assert rx.receive() is b and rx.receive() is b
    rx.push_io(c)
    assert rx.receive() is c and rx.peek() is c and rx.peek_back() is None


def test_async_buffer_transmitter_replaces_an_unsent_message_and_delivers_the_latest():
    tx = make(AsyncBufferTransmitter)
    rx = make(DoubleBufferReceiver, capacity=5)
    connect(tx, rx)
    a, b = messages(2)
    tx.publish(a, acqtime=1)
    tx.publish(b, acqtime=2)
    assert (tx.size(), tx.back_size(), tx.capacity(), tx.replaced) == (1, 0, 2, 1)
    tx.sync_outbox()
    assert tx.size() == 0
    rx.sync()
    assert rx.receive() is b and rx.receive() is None
    assert b.find("timestamp").acqtime == 2


def test_async_buffer_receiver_takes_producers_on_other_threads_and_notifies():
    rx = make(AsyncBufferReceiver)
    pushes = []
    rx.add_arrival_listener(lambda: pushes.append(1))
    last = []

    def produce():
        for _ in range(1000):
            m = MessageEntity()
            rx.push_io(m)
        last.append(m)

    worker = threading.Thread(target=produce)
    worker.start()
    worker.join()
    assert rx.receive() is last[0]
    assert len(pushes) == 1000 and rx.received_count == 1000


# --- GXF's Python accessors -------------------------------------------------------------------------------
def test_transmitter_and_receiver_get_find_queues_by_name_like_gxf_python():
    with Context() as ctx:
        tx_entity = ctx.create_entity("tx")
        out = tx_entity.add(DoubleBufferTransmitter, "signal")
        marker = tx_entity.add(DoubleBufferReceiver, "feedback")
        rx_entity = ctx.create_entity("rx")
        inp = rx_entity.add(DoubleBufferReceiver, "signal")
        assert Transmitter.get(ctx, marker.cid, "signal") is out
        assert Receiver.get(ctx, out.cid, "feedback") is marker
        assert Receiver.get(ctx, out.cid, "rx/signal") is inp
        with pytest.raises(HandleError, match="'tx/signal' is a nvidia::gxf::DoubleBufferTransmitter, not a "
                           "nvidia::gxf::Receiver"):
            Receiver.get(ctx, marker.cid, "signal")
        with pytest.raises(HandleError, match="'rx/signal' is a nvidia::gxf::DoubleBufferReceiver, not a "
                           "nvidia::gxf::Transmitter"):
            Transmitter.get(ctx, out.cid, "rx/signal")
