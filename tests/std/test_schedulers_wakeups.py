"""MultiThreadScheduler and EventBasedScheduler coalesce wake-ups: on a fan-out / fan-in graph an entity is
looked at about once per tick, not once per event that concerns it, and polling skips entities whose terms
all end their wait through events."""

from __future__ import annotations

import collections

import pytest

from gxf.core import Context
from gxf.sample.ping import PingRx, PingTx
from gxf.std.connection import Connection
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.entity_executor import EntityItem
from gxf.std.message_codelets import Broadcast, Forward, Gather
from gxf.std.scheduling_terms import (CountSchedulingTerm, DownstreamReceptiveSchedulingTerm,
                                      MessageAvailableSchedulingTerm)

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

WIDTH = 8
MESSAGES = 200


def _transmitter(entity, name: str, capacity: int = 1):
    tx = entity.add(DoubleBufferTransmitter, name, capacity=capacity)
    entity.add(DownstreamReceptiveSchedulingTerm, f"{name}_receptive", transmitter=tx, min_size=capacity)
    return tx


def _receiver(entity, name: str, capacity: int = 1):
    rx = entity.add(DoubleBufferReceiver, name, capacity=capacity)
    entity.add(MessageAvailableSchedulingTerm, f"{name}_available", receiver=rx, min_size=1)
    return rx


def fan_graph(ctx: Context, messages: int):
    """tx -> broadcast (8 transmitters) -> 8 forwards -> gather (8 receivers) -> rx (capacity 8)."""
    edges = []
    tx = ctx.create_entity("tx")
    signal = _transmitter(tx, "signal")
    tx.add(PingTx, "ping", signal=signal)
    tx.add(CountSchedulingTerm, "count", count=messages)
    broadcast = ctx.create_entity("broadcast")
    source = _receiver(broadcast, "in")
    edges.append((signal, source))
    outs = [_transmitter(broadcast, f"out_{i}") for i in range(WIDTH)]
    broadcast.add(Broadcast, "broadcast", source=source)
    gather = ctx.create_entity("gather")
    ins = [_receiver(gather, f"in_{i}") for i in range(WIDTH)]
    sink = _transmitter(gather, "out", capacity=WIDTH)
    gather.add(Gather, "gather", sink=sink)
    for i in range(WIDTH):
        forward = ctx.create_entity(f"forward_{i}")
        inbox = _receiver(forward, "in")
        outbox = _transmitter(forward, "out")
        forward.add(Forward, "forward", **{"in": inbox, "out": outbox})
        edges += [(outs[i], inbox), (outbox, ins[i])]
    rx = ctx.create_entity("rx")
    ping_rx = rx.add(PingRx, "ping", signal=_receiver(rx, "signal", capacity=WIDTH))
    edges.append((sink, rx.find("signal")))
    for number, (source_queue, target_queue) in enumerate(edges):
        ctx.create_entity(f"edge_{number}").add(Connection, source=source_queue, target=target_queue)
    return ping_rx


@pytest.fixture
def executions(monkeypatch):
    """Counts EntityItem.execute calls per entity name (each entity runs on one thread at a time)."""
    counts: dict = collections.defaultdict(list)
    execute = EntityItem.execute

    def counted(self, timestamp):
        counts[self.name].append(None)  # list.append is atomic under concurrent threads
        return execute(self, timestamp)

    monkeypatch.setattr(EntityItem, "execute", counted)
    return counts


@pytest.mark.parametrize("kind", S.THREADED)
@pytest.mark.parametrize("workers", [1, 2])
def test_fan_in_and_fan_out_entities_are_looked_at_once_per_tick_not_per_event(kind, workers, executions):
    with Context() as ctx:
        ping_rx = fan_graph(ctx, MESSAGES)
        S.add_scheduler(ctx, kind, worker_thread_number=workers)
        S.run(ctx)
        assert ping_rx.count == MESSAGES * WIDTH
        count = {name: len(calls) for name, calls in executions.items()}
    # Every message ticks tx, broadcast, the 8 forwards and gather once and rx 8 times: 19 ticks. Without
    # coalescing, gather was looked at for each of its 8 arrivals and each departure from rx, and broadcast
    # for each of its 8 downstream receptions (43 executions per message).
    assert count["gather"] <= MESSAGES * 1.2
    assert count["broadcast"] <= MESSAGES * 1.2
    assert all(count[f"forward_{i}"] <= MESSAGES * 1.2 for i in range(WIDTH))
    assert sum(count.values()) <= MESSAGES * (19 + 2)


@pytest.mark.parametrize("kind", S.THREADED)
def test_an_entity_whose_count_runs_out_while_its_queue_is_empty_still_stops(kind):
    # rx may tick 3 times; after its third tick its queue is empty and its count is spent: it must stop
    # (NEVER) then, not wait for a message that would never come.
    with Context() as ctx:
        ping_tx, ping_rx = S.ping_graph(ctx, 3)
        ctx.find_entity("rx").add(CountSchedulingTerm, "limit", count=3)
        S.add_scheduler(ctx, kind, stop_on_deadlock=False, max_duration_ms=60_000)
        S.run(ctx)
        assert ping_rx.count == 3
        assert ping_tx.count == 3
