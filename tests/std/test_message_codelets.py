"""Forward, Broadcast, Gather, Synchronization, TimedThrottler and Vault inside running graphs."""

from __future__ import annotations

import threading

import pytest

from gxf.core import Context, ExecutionError, Handle, MessageEntity, Parameter, ParameterError
from gxf.core import load_graph_text
from gxf.std.clock import ManualClock
from gxf.std.codelet import Codelet
from gxf.std.connection import connect
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.greedy_scheduler import GreedyScheduler
from gxf.std.message_codelets import Broadcast, BroadcastMode, Forward, Gather
from gxf.std.primitives import Int64
from gxf.std.queue import Receiver, Transmitter
from gxf.std.scheduling_terms import (CountSchedulingTerm, MessageAvailableSchedulingTerm,
                                      PeriodicSchedulingTerm, TargetTimeSchedulingTerm)
from gxf.std.synchronization import Synchronization
from gxf.std.timed_throttler import TimedThrottler
from gxf.std.timestamp import as_timestamp
from gxf.std.vault import Vault


class Source(Codelet):
    """Publishes Int64 ``values[i]`` at tick i, with ``acqtimes[i]`` when given."""

    out = Parameter(Handle(Transmitter))
    values = Parameter(list, [])
    acqtimes = Parameter(list, [])

    def initialize(self):
        self.index = 0

    def tick(self):
        message = MessageEntity(self.context)
        message.add(Int64(self.values[self.index]), "value")
        self.out.publish(message, self.acqtimes[self.index] if self.acqtimes else None)
        self.index += 1


class Collect(Codelet):
    """Receives everything waiting on ``inp``; remembers the clock time of each tick."""

    inp = Parameter(Handle(Receiver))

    def initialize(self):
        self.got = []

    def tick(self):
        while (message := self.inp.receive()) is not None:
            self.got.append(message)


class Graph:
    def __init__(self, ctx, start=0):
        self.ctx = ctx
        sched = ctx.create_entity("sched")
        self.clock = sched.add(ManualClock, "clock", initial_timestamp=start)
        sched.add(GreedyScheduler, "s", clock=self.clock, stop_on_deadlock=True, max_duration_ms=10_000)

    def source(self, name, values, acqtimes=(), period=None, capacity=None):
        entity = self.ctx.create_entity(name)
        out = entity.add(DoubleBufferTransmitter, "out", capacity=capacity or max(len(values), 1))
        entity.add(Source, "gen", out=out, values=list(values), acqtimes=list(acqtimes))
        entity.add(CountSchedulingTerm, count=len(values))
        if period:
            entity.add(PeriodicSchedulingTerm, recess_period=period)
        return out

    def sink(self, name, capacity=16):
        entity = self.ctx.create_entity(name)
        inp = entity.add(DoubleBufferReceiver, "in", capacity=capacity)
        codelet = entity.add(Collect, "sink", inp=inp)
        entity.add(MessageAvailableSchedulingTerm, receiver=inp)
        return inp, codelet


def values_of(messages):
    return [m.get(Int64, "value").value for m in messages]


# --- Forward ----------------------------------------------------------------------------------------------
def test_forward_passes_each_message_on_unchanged():
    with Context() as ctx:
        g = Graph(ctx)
        src = g.source("src", [5, 6, 7])
        node = ctx.create_entity("fwd")
        inp = node.add(DoubleBufferReceiver, "in", capacity=4)
        out = node.add(DoubleBufferTransmitter, "out", capacity=4)
        node.add(Forward, "forward", out=out, **{"in": inp})
        node.add(MessageAvailableSchedulingTerm, receiver=inp)
        sink_in, sink = g.sink("dst")
        connect(src, inp)
        connect(out, sink_in)
        ctx.run()
        assert values_of(sink.got) == [5, 6, 7]


def test_forward_ticked_without_a_message_names_itself_and_the_fix():
    with Context() as ctx:
        g = Graph(ctx)
        node = ctx.create_entity("fwd")
        inp = node.add(DoubleBufferReceiver, "in")
        out = node.add(DoubleBufferTransmitter, "out")
        node.add(Forward, "forward", out=out, **{"in": inp})
        node.add(CountSchedulingTerm, count=1)
        del g
        with pytest.raises(ExecutionError) as info:
            ctx.run()
    text = str(info.value)
    assert "component 'fwd/forward' (nvidia::gxf::Forward) ticked but 'fwd/in' holds no message" in text
    assert "MessageAvailableSchedulingTerm" in text


def test_forward_reads_its_in_parameter_from_a_graph_file():
    assert Forward.parameters()["in"].attr == "in_"


# --- Broadcast --------------------------------------------------------------------------------------------
def broadcast_graph(ctx, mode):
    g = Graph(ctx)
    src = g.source("src", [1, 2, 3, 4, 5, 6, 7])
    node = ctx.create_entity("bcast")
    inp = node.add(DoubleBufferReceiver, "in", capacity=8)
    outs = [node.add(DoubleBufferTransmitter, f"out{i}", capacity=8) for i in range(3)]
    node.add(Broadcast, "broadcast", source=inp, mode=mode)
    node.add(MessageAvailableSchedulingTerm, receiver=inp)
    connect(src, inp)
    sinks = []
    for i, out in enumerate(outs):
        sink_in, sink = g.sink(f"dst{i}")
        connect(out, sink_in)
        sinks.append(sink)
    return sinks


def test_broadcast_sends_every_message_to_every_transmitter_of_its_entity():
    with Context() as ctx:
        sinks = broadcast_graph(ctx, "Broadcast")
        ctx.run()
        assert [values_of(s.got) for s in sinks] == [[1, 2, 3, 4, 5, 6, 7]] * 3
        assert sinks[0].got[0] is sinks[1].got[0] is sinks[2].got[0]


def test_round_robin_sends_each_message_to_the_next_transmitter_in_turn():
    with Context() as ctx:
        sinks = broadcast_graph(ctx, "RoundRobin")
        ctx.run()
        assert [values_of(s.got) for s in sinks] == [[1, 4, 7], [2, 5], [3, 6]]


def test_broadcast_mode_takes_gxf_names_and_refuses_others():
    with Context() as ctx:
        node = ctx.create_entity("b")
        broadcast = node.add(Broadcast, "x", mode="RoundRobin")
        assert broadcast.mode is BroadcastMode.RoundRobin
        with pytest.raises(ParameterError, match="parameter 'mode' of component 'b/x'"):
            broadcast.set_param("mode", "Scatter")
    assert Broadcast.parameters()["mode"].default is BroadcastMode.Broadcast


def test_broadcast_without_transmitters_is_refused_at_start():
    with Context() as ctx:
        Graph(ctx)
        node = ctx.create_entity("b")
        inp = node.add(DoubleBufferReceiver, "in")
        node.add(Broadcast, "x", source=inp)
        node.add(CountSchedulingTerm, count=1)
        with pytest.raises(ExecutionError, match="its entity has no transmitter to broadcast to"):
            ctx.run()


# --- Gather -----------------------------------------------------------------------------------------------
def gather_graph(ctx, limit, sources=None):
    """A Gather entity ticking once over three receivers that hold 1 2 3 | 11 12 13 | 21 (activated)."""
    g = Graph(ctx)
    node = ctx.create_entity("gather")
    inputs = [node.add(DoubleBufferReceiver, f"in{i}", capacity=8) for i in range(3)]
    out = node.add(DoubleBufferTransmitter, "out", capacity=24)
    params = {"sink": out, "tick_source_limit": limit}
    if sources is not None:
        params["sources"] = [inputs[i] for i in sources]
    node.add(Gather, "gather", **params)
    node.add(CountSchedulingTerm, count=1)
    sink_in, sink = g.sink("dst", capacity=24)
    connect(out, sink_in)
    ctx.activate()
    for i, rx in enumerate(inputs):
        for k in range(1, 4 if i < 2 else 2):
            rx.push_io(_value(i * 10 + k))
    return inputs, sink


def _value(v):
    message = MessageEntity()
    message.add(Int64(v), "value")
    return message


def test_gather_publishes_every_message_of_every_receiver_of_its_entity():
    with Context() as ctx:
        _, sink = gather_graph(ctx, limit=0)
        ctx.run()
        assert values_of(sink.got) == [1, 2, 3, 11, 12, 13, 21]


def test_gather_takes_at_most_tick_source_limit_messages_from_each_source_per_tick():
    with Context() as ctx:
        inputs, sink = gather_graph(ctx, limit=1)
        ctx.run()
        assert values_of(sink.got) == [1, 11, 21]
        assert [rx.size() for rx in inputs] == [2, 2, 0]


def test_gather_over_several_ticks_is_fair_between_sources():
    with Context() as ctx:
        g = Graph(ctx)
        fast = g.source("fast", list(range(100, 106)), capacity=6)
        slow = g.source("slow", [1, 2], capacity=2)
        node = ctx.create_entity("gather")
        rx_fast = node.add(DoubleBufferReceiver, "fast", capacity=8)
        rx_slow = node.add(DoubleBufferReceiver, "slow", capacity=8)
        out = node.add(DoubleBufferTransmitter, "out", capacity=4)
        node.add(Gather, "gather", sink=out, tick_source_limit=1)
        node.add(MessageAvailableSchedulingTerm, receiver=rx_fast)
        connect(fast, rx_fast)
        connect(slow, rx_slow)
        sink_in, sink = g.sink("dst", capacity=16)
        connect(out, sink_in)
        ctx.run()
        got = values_of(sink.got)
        assert sorted(got) == [1, 2, 100, 101, 102, 103, 104, 105]
        assert got.index(1) == 1 and got.index(2) == 3  # the slow source's messages are not left behind


def test_gather_sources_restricts_the_receivers():
    with Context() as ctx:
        _, sink = gather_graph(ctx, limit=0, sources=[1])
        ctx.run()
        assert values_of(sink.got) == [11, 12, 13]


# --- Synchronization --------------------------------------------------------------------------------------
def sync_graph(ctx, acq_a, acq_b, threshold=0):
    g = Graph(ctx)
    a = g.source("a", [100 + i for i in range(len(acq_a))], acq_a, period="1ms", capacity=8)
    b = g.source("b", [200 + i for i in range(len(acq_b))], acq_b, period="1ms", capacity=8)
    node = ctx.create_entity("sync")
    ins = [node.add(DoubleBufferReceiver, f"in{i}", capacity=8) for i in range(2)]
    outs = [node.add(DoubleBufferTransmitter, f"out{i}", capacity=8) for i in range(2)]
    codelet = node.add(Synchronization, "sync", inputs=ins, outputs=outs, sync_threshold=threshold)
    for rx in ins:
        node.add(MessageAvailableSchedulingTerm, receiver=rx)
    connect(a, ins[0])
    connect(b, ins[1])
    sinks = []
    for i, out in enumerate(outs):
        sink_in, sink = g.sink(f"dst{i}")
        connect(out, sink_in)
        sinks.append(sink)
    return codelet, sinks


def acqtimes_of(messages):
    return [as_timestamp(m)[0] for m in messages]


def test_synchronization_passes_on_only_messages_with_matching_acqtimes():
    with Context() as ctx:
        codelet, (s0, s1) = sync_graph(ctx, [0, 10, 20, 30], [10, 20, 25, 30])
        ctx.run()
        assert acqtimes_of(s0.got) == acqtimes_of(s1.got) == [10, 20, 30]
        assert values_of(s0.got) == [101, 102, 103] and values_of(s1.got) == [200, 201, 203]
        assert codelet.dropped == 2  # acqtime 0 on the first input, 25 on the second


def test_synchronization_threshold_pairs_nearby_acqtimes():
    with Context() as ctx:
        _, (s0, s1) = sync_graph(ctx, [100, 200, 300], [103, 198, 400], threshold=5)
        ctx.run()
        assert acqtimes_of(s0.got) == [100, 200] and acqtimes_of(s1.got) == [103, 198]


def test_synchronization_without_threshold_does_not_pair_nearby_acqtimes():
    with Context() as ctx:
        _, (s0, s1) = sync_graph(ctx, [100, 200], [103, 198])
        ctx.run()
        assert s0.got == [] and s1.got == []


@pytest.mark.parametrize("n_in, n_out, words", [(2, 1, "2 inputs but 1 outputs"), (1, 1, "needs at least 2")])
def test_synchronization_needs_as_many_outputs_as_inputs_and_at_least_two(n_in, n_out, words):
    with Context() as ctx:
        Graph(ctx)
        node = ctx.create_entity("sync")
        ins = [node.add(DoubleBufferReceiver, f"in{i}") for i in range(n_in)]
        outs = [node.add(DoubleBufferTransmitter, f"out{i}") for i in range(n_out)]
        node.add(Synchronization, "s", inputs=ins, outputs=outs)
        with pytest.raises(ParameterError, match=words):
            ctx.activate()


# --- TimedThrottler -----------------------------------------------------------------------------------------
class StampedCollect(Collect):
    """Also records the execution clock's time at each received message."""

    def initialize(self):
        super().initialize()
        self.times = []

    def tick(self):
        while (message := self.inp.receive()) is not None:
            self.got.append(message)
            self.times.append(self.get_execution_timestamp())


def test_timed_throttler_releases_messages_at_their_acqtime_on_the_execution_clock():
    with Context() as ctx:
        g = Graph(ctx, start=1_000_000_000)
        misc = ctx.create_entity("misc")
        recorded = misc.add(ManualClock, "recorded", initial_timestamp=0)
        src = g.source("player", [1, 2, 3, 4], acqtimes=[0, 10_000_000, 30_000_000, 31_000_000])
        node = ctx.create_entity("throttle")
        inp = node.add(DoubleBufferReceiver, "in", capacity=4)
        out = node.add(DoubleBufferTransmitter, "out", capacity=4)
        term = node.add(TargetTimeSchedulingTerm, "target", clock=g.clock)
        node.add(MessageAvailableSchedulingTerm, receiver=inp)
        node.add(TimedThrottler, "throttler", transmitter=out, receiver=inp, execution_clock=g.clock,
                 throttling_clock=recorded, scheduling_term=term)
        connect(src, inp)
        sink_in = ctx.create_entity("dst").add(DoubleBufferReceiver, "in", capacity=4)
        sink = sink_in.entity.add(StampedCollect, "sink", inp=sink_in)
        sink_in.entity.add(MessageAvailableSchedulingTerm, receiver=sink_in)
        connect(out, sink_in)
        ctx.run()
        offset = 1_000_000_000
        # the last message waits for a successor that never comes, as in GXF
        assert values_of(sink.got) == [1, 2, 3]
        assert sink.times == [offset, offset + 10_000_000, offset + 30_000_000]
        assert [as_timestamp(m) for m in sink.got] == [(offset + t, offset + t)
                                                      for t in (0, 10_000_000, 30_000_000)]


# --- Vault ------------------------------------------------------------------------------------------------
def vault_graph(ctx, count, max_waiting=10, drop=False, period=None, ticks=None):
    g = Graph(ctx)
    src = g.source("src", list(range(count)), period=period, capacity=count)
    node = ctx.create_entity("vault")
    inp = node.add(DoubleBufferReceiver, "in", capacity=count)
    vault = node.add(Vault, "vault", source=inp, max_waiting_count=max_waiting, drop_waiting=drop)
    node.add(MessageAvailableSchedulingTerm, receiver=inp)
    if ticks is not None:
        node.add(CountSchedulingTerm, count=ticks)
    connect(src, inp)
    return vault


def test_vault_store_blocking_returns_messages_to_another_thread_and_free_releases_them():
    with Context() as ctx:
        vault = vault_graph(ctx, 5, period="1ms")
        stored = []
        taker = threading.Thread(target=lambda: stored.extend(vault.store_blocking(5)))
        taker.start()
        ctx.run()
        taker.join(5)
        assert values_of(stored) == [0, 1, 2, 3, 4]
        assert (vault.waiting_count(), vault.stored_count()) == (0, 5)
        vault.free(stored[:2])
        vault.free([stored[2].eid])
        assert vault.stored_count() == 2


def test_vault_store_takes_what_waits_without_blocking():
    with Context() as ctx:
        vault = vault_graph(ctx, 4)
        ctx.run()
        assert vault.store(0) == []
        first = vault.store(3)
        assert values_of(first) == [0, 1, 2]
        assert values_of(vault.store(10)) == [3]
        assert vault.store_blocking_for(1, 1_000_000) == []  # times out: nothing left


def test_vault_with_drop_waiting_keeps_the_newest_max_waiting_count_messages():
    with Context() as ctx:
        vault = vault_graph(ctx, 6, max_waiting=2, drop=True)
        ctx.run()
        assert values_of(vault.store(10)) == [4, 5]
        assert vault.dropped == 4


def test_vault_without_drop_stops_pulling_when_max_waiting_count_is_reached():
    with Context() as ctx:
        vault = vault_graph(ctx, 6, max_waiting=2, drop=False, ticks=3)  # it would stay ready forever
        ctx.run()
        assert values_of(vault.store(10)) == [0, 1]
        assert vault.source.size() + vault.source.back_size() == 4 and vault.dropped == 0


def test_vault_store_blocking_returns_when_the_graph_is_torn_down():
    result = []
    with Context() as ctx:
        vault = vault_graph(ctx, 1)
        ctx.run()
        vault.store(1)
        waiter = threading.Thread(target=lambda: result.append(vault.store_blocking(3)))
        waiter.start()
    waiter.join(5)
    assert result == [[]]


def test_vault_callback_is_called_after_ticks_that_leave_messages_waiting():
    with Context() as ctx:
        vault = vault_graph(ctx, 3, period="1ms")
        vault.set_params(enable_callback=True)
        calls = []
        ctx.activate()
        vault.set_callback(lambda: calls.append(vault.waiting_count()))
        ctx.run()
        assert calls == [1, 2, 3]


ROUND_ROBIN_GRAPH = """
name: tx
components:
- name: signal
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::PingTx
  parameters: {signal: signal}
- type: nvidia::gxf::CountSchedulingTerm
  parameters: {count: 5}
---
name: split
components:
- name: in
  type: nvidia::gxf::DoubleBufferReceiver
- name: to_a
  type: nvidia::gxf::DoubleBufferTransmitter
- name: to_b
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::Broadcast
  parameters: {source: in, mode: RoundRobin}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {receiver: in}
---
name: fwd
components:
- name: in
  type: nvidia::gxf::DoubleBufferReceiver
- name: out
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::Forward
  parameters: {in: in, out: out}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {receiver: in}
---
name: a
components:
- name: signal
  type: nvidia::gxf::DoubleBufferReceiver
- name: rx
  type: nvidia::gxf::PingRx
  parameters: {signal: signal}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {receiver: signal}
---
name: b
components:
- name: signal
  type: nvidia::gxf::DoubleBufferReceiver
- name: rx
  type: nvidia::gxf::PingRx
  parameters: {signal: signal}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {receiver: signal}
---
components:
- type: nvidia::gxf::Connection
  parameters: {source: tx/signal, target: split/in}
- type: nvidia::gxf::Connection
  parameters: {source: split/to_a, target: fwd/in}
- type: nvidia::gxf::Connection
  parameters: {source: fwd/out, target: a/signal}
- type: nvidia::gxf::Connection
  parameters: {source: split/to_b, target: b/signal}
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters: {clock: clock, stop_on_deadlock: true, max_duration_ms: 1000}
"""


def test_broadcast_and_forward_in_a_graph_file():
    with Context() as ctx:
        load_graph_text(ctx, ROUND_ROBIN_GRAPH)
        ctx.run()
        assert (ctx.find_component("a/rx").count, ctx.find_component("b/rx").count) == (3, 2)
