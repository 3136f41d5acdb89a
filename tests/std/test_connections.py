"""Connections in every topology (1:1, 1:m, m:1, M x N) and Topic wiring, inside running graphs."""

from __future__ import annotations

from gxf.core import Context, Handle, MessageEntity, Parameter, load_graph_text
from gxf.std.clock import ManualClock
from gxf.std.codelet import Codelet
from gxf.std.connection import Connection
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.greedy_scheduler import GreedyScheduler
from gxf.std.primitives import Int64
from gxf.std.queue import Receiver, Transmitter
from gxf.std.scheduling_terms import CountSchedulingTerm, MessageAvailableSchedulingTerm
from gxf.std.topic import Topic, topic_members


class Source(Codelet):
    """Publishes ``values[i]`` (as Int64 "value") on ``out`` at tick i."""

    out = Parameter(Handle(Transmitter))
    values = Parameter(list, [])

    def initialize(self):
        self.index = 0
        self.sent = []

    def tick(self):
        message = MessageEntity(self.context)
        message.add(Int64(self.values[self.index]), "value")
        self.out.publish(message)
        self.sent.append(message)
        self.index += 1


class Collect(Codelet):
    """Receives everything waiting on each of ``inputs``, per input."""

    inputs = Parameter(list[Handle(Receiver)])

    def initialize(self):
        self.got = {rx.name: [] for rx in self.inputs}

    def tick(self):
        for rx in self.inputs:
            while (message := rx.receive()) is not None:
                self.got[rx.name].append(message)


class Graph:
    """A context with a greedy scheduler on a ManualClock, and helpers to add sources and sinks."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        sched = ctx.create_entity("sched")
        clock = sched.add(ManualClock, "clock")
        sched.add(GreedyScheduler, "s", clock=clock, stop_on_deadlock=True, max_duration_ms=1000)

    def source(self, name, values):
        entity = self.ctx.create_entity(name)
        out = entity.add(DoubleBufferTransmitter, "out", capacity=len(values) or 1)
        codelet = entity.add(Source, "gen", out=out, values=values)
        entity.add(CountSchedulingTerm, count=len(values))
        return out, codelet

    def sink(self, name, inputs=("in",), capacity=16):
        entity = self.ctx.create_entity(name)
        receivers = [entity.add(DoubleBufferReceiver, rx, capacity=capacity) for rx in inputs]
        codelet = entity.add(Collect, "sink", inputs=receivers)
        for rx in receivers:
            entity.add(MessageAvailableSchedulingTerm, receiver=rx)
        return receivers, codelet

    def connect(self, tx, rx):
        self.ctx.create_entity().add(Connection, source=tx, target=rx)


def values_of(messages):
    return [m.get(Int64, "value").value for m in messages]


def test_one_to_one_delivers_every_message_in_order():
    with Context() as ctx:
        g = Graph(ctx)
        out, _ = g.source("src", [1, 2, 3, 4])
        (inp,), sink = g.sink("dst")
        g.connect(out, inp)
        ctx.run()
        assert values_of(sink.got["in"]) == [1, 2, 3, 4]


def test_one_to_many_delivers_each_message_to_every_receiver_shared_not_copied():
    with Context() as ctx:
        g = Graph(ctx)
        out, src = g.source("src", [1, 2, 3])
        (a,), sink_a = g.sink("a")
        (b,), sink_b = g.sink("b")
        g.connect(out, a)
        g.connect(out, b)
        ctx.run()
        assert values_of(sink_a.got["in"]) == values_of(sink_b.got["in"]) == [1, 2, 3]
        for sent, got_a, got_b in zip(src.sent, sink_a.got["in"], sink_b.got["in"]):
            assert sent is got_a is got_b


def test_many_to_one_delivers_the_messages_of_every_transmitter():
    with Context() as ctx:
        g = Graph(ctx)
        out1, _ = g.source("src1", [1, 2, 3])
        out2, _ = g.source("src2", [10, 20])
        (inp,), sink = g.sink("dst")
        g.connect(out1, inp)
        g.connect(out2, inp)
        ctx.run()
        got = values_of(sink.got["in"])
        assert sorted(got) == [1, 2, 3, 10, 20]
        assert [v for v in got if v < 10] == [1, 2, 3] and [v for v in got if v >= 10] == [10, 20]


def test_m_by_n_connections_give_every_receiver_every_message():
    with Context() as ctx:
        g = Graph(ctx)
        outs = [g.source(f"src{i}", [i * 10 + k for k in range(3)])[0] for i in range(2)]
        sinks = [g.sink(f"dst{j}")[1] for j in range(3)]
        for out in outs:
            for sink in sinks:
                g.connect(out, sink.inputs[0])
        ctx.run()
        for sink in sinks:
            assert sorted(values_of(sink.got["in"])) == [0, 1, 2, 10, 11, 12]


def test_connections_are_listed_on_both_ends():
    with Context() as ctx:
        g = Graph(ctx)
        out, _ = g.source("src", [1])
        (a, b), _ = g.sink("dst", inputs=("a", "b"))
        g.connect(out, a)
        g.connect(out, b)
        ctx.activate()
        assert out.receivers() == (a, b) and a.transmitters() == (out,) and b.transmitters() == (out,)
        ctx.deactivate()
        assert out.receivers() == () and a.transmitters() == ()


# --- topics -----------------------------------------------------------------------------------------------
def test_topics_join_every_publisher_to_every_subscriber_of_the_same_name():
    with Context() as ctx:
        g = Graph(ctx)
        out1, _ = g.source("cam1", [1, 2])
        out2, _ = g.source("cam2", [3])
        other, _ = g.source("lidar", [99])
        (a,), sink_a = g.sink("viewer")
        (b,), sink_b = g.sink("recorder")
        (c,), sink_c = g.sink("mapper")
        ctx.find_entity("cam1").add(Topic, topic_name="images", transmitters=[out1])
        ctx.find_entity("cam2").add(Topic, topic_name="images", transmitters=[out2])
        ctx.find_entity("lidar").add(Topic, topic_name="points", transmitters=[other])
        ctx.find_entity("viewer").add(Topic, topic_name="images", receivers=[a])
        ctx.find_entity("recorder").add(Topic, topic_name="images", receivers=[b])
        ctx.find_entity("mapper").add(Topic, topic_name="points", receivers=[c])
        ctx.run()
        assert sorted(values_of(sink_a.got["in"])) == sorted(values_of(sink_b.got["in"])) == [1, 2, 3]
        assert values_of(sink_c.got["in"]) == [99]
        assert topic_members(ctx, "images") == ([out1, out2], [a, b])


def test_a_topic_deinitializing_removes_its_routes():
    with Context() as ctx:
        g = Graph(ctx)
        out, _ = g.source("src", [1])
        (inp,), _ = g.sink("dst")
        ctx.find_entity("src").add(Topic, topic_name="t", transmitters=[out])
        ctx.find_entity("dst").add(Topic, topic_name="t", receivers=[inp])
        ctx.activate()
        assert out.receivers() == (inp,)
        ctx.deactivate()
        assert out.receivers() == () and inp.transmitters() == ()
        assert topic_members(ctx, "t") == ([], [])


TOPIC_GRAPH = """
name: tx
components:
- name: signal
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::PingTx
  parameters: {signal: signal}
- type: nvidia::gxf::CountSchedulingTerm
  parameters: {count: 5}
- type: nvidia::gxf::Topic
  parameters:
    topic_name: pings
    transmitters: [signal]
---
name: rx
components:
- name: signal
  type: nvidia::gxf::DoubleBufferReceiver
  parameters: {capacity: 5}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {receiver: signal}
- type: nvidia::gxf::Topic
  parameters:
    topic_name: pings
    receivers: [rx/signal]
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters: {clock: clock, stop_on_deadlock: true, max_duration_ms: 1000}
"""


def test_topics_in_a_graph_file():
    with Context() as ctx:
        load_graph_text(ctx, TOPIC_GRAPH)
        rx = ctx.find_entity("rx")
        sink = rx.add(Collect, "sink", inputs=[rx.find("signal")])
        ctx.run()
        assert len(sink.got["signal"]) == 5
