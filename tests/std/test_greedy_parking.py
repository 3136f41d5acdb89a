"""The GreedyScheduler sets aside an entity that waits only on events (no term of it is polled, by
the terms' own ``waits_on()``) until a message arrives or leaves one of its queues, or a term reports a
change; entities with a term that may change silently are still checked every round."""

from __future__ import annotations


from gxf.core import Context
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.connection import Connection
from gxf.std.scheduling_condition import READY, WAIT_NOW
from gxf.std.scheduling_term import ARRIVAL, DEPARTURE, SchedulingTerm
from gxf.std.scheduling_terms import (CountSchedulingTerm, DownstreamReceptiveSchedulingTerm,
                                      MessageAvailableSchedulingTerm, PeriodicSchedulingTerm)

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left


class CountingAvailable(MessageAvailableSchedulingTerm):
    """A MessageAvailableSchedulingTerm that counts its checks."""

    checks = 0

    def check(self, timestamp: int) -> tuple:
        self.checks += 1
        return super().check(timestamp)


class Polled(SchedulingTerm):
    """WAIT for its first ``waits`` checks, then READY, without telling anyone: must be polled."""

    def initialize(self) -> None:
        self.waits = 3

    def check(self, timestamp: int) -> tuple:
        if self.waits > 0:
            self.waits -= 1
            return WAIT_NOW
        return (READY, timestamp)


def test_message_terms_declare_their_queues_and_custom_terms_are_polled():
    with Context() as ctx:
        tx_entity, rx_entity = ctx.create_entity("tx"), ctx.create_entity("rx")
        out = tx_entity.add(DoubleBufferTransmitter, "out")
        inbox = rx_entity.add(DoubleBufferReceiver, "in")
        ctx.create_entity("edge").add(Connection, source=out, target=inbox)
        available = rx_entity.add(MessageAvailableSchedulingTerm, "available", receiver=inbox, min_size=2)
        receptive = tx_entity.add(DownstreamReceptiveSchedulingTerm, "receptive", transmitter=out)
        count = tx_entity.add(CountSchedulingTerm, "count", count=3)
        polled = rx_entity.add(Polled, "polled")
        ctx.activate()
        waits = available.waits_on()
        assert [(w.receiver, w.event, w.need) for w in waits.queues] == [(inbox, ARRIVAL, 2)]
        assert waits.queues[0].measure() == 0 and not waits.polled
        waits = receptive.waits_on()
        assert [(w.receiver, w.event) for w in waits.queues] == [(inbox, DEPARTURE)]
        assert count.waits_on().exhausted_by_tick and not count.waits_on().polled
        assert polled.waits_on().polled and SchedulingTerm().waits_on().polled


def test_idle_entities_are_checked_once_not_every_round():
    with Context() as ctx:
        _, ping_rx = S.ping_graph(ctx, count=300)
        idle_terms = []
        for index in range(50):
            entity = ctx.create_entity(f"idle{index}")
            inbox = entity.add(DoubleBufferReceiver, "in")
            entity.add(S.Recorder, "rec")
            idle_terms.append(entity.add(CountingAvailable, "available", receiver=inbox))
        S.add_scheduler(ctx, "greedy")
        S.run(ctx)
        assert ping_rx.count == 300
        assert max(term.checks for term in idle_terms) == 1


def test_a_parked_consumer_wakes_when_a_message_arrives():
    with Context() as ctx:
        # The consumer comes first in graph order, so it waits (and is parked) between messages.
        consumer = ctx.create_entity("consumer")
        inbox = consumer.add(DoubleBufferReceiver, "in", capacity=1)
        collector = consumer.add(S.Collector, "collect")
        collector.rx = inbox
        available = consumer.add(CountingAvailable, "available", receiver=inbox)
        producer = ctx.create_entity("producer")
        out = producer.add(DoubleBufferTransmitter, "out", capacity=1)
        sender = producer.add(S.Sender, "send")
        sender.tx = out
        producer.add(PeriodicSchedulingTerm, "period", recess_period=1_000_000)
        producer.add(CountSchedulingTerm, "count", count=20)
        producer.add(DownstreamReceptiveSchedulingTerm, "receptive", transmitter=out)
        ctx.create_entity("edge").add(Connection, source=out, target=inbox)
        S.add_scheduler(ctx, "greedy")
        S.run(ctx)
        assert collector.values == list(range(1, 21))
        # One check that finds the message and one that parks it again, per message (plus start-up):
        # not one per round of the scheduler.
        assert available.checks <= 2 * 20 + 2


def test_an_entity_with_a_polled_term_is_never_parked():
    with Context() as ctx:
        entity = ctx.create_entity("polled")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(Polled, "polled")
        entity.add(CountSchedulingTerm, "count", count=4)
        # A second entity keeps the scheduler busy while the polled one waits.
        busy = ctx.create_entity("busy")
        busy.add(S.Recorder, "rec")
        busy.add(CountSchedulingTerm, "count", count=10)
        S.add_scheduler(ctx, "greedy")
        S.run(ctx)
        assert recorder.ticks == 4
