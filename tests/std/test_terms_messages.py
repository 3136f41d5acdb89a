"""Terms over several receivers and over message age, and the OR combiner: MultiMessageAvailable,
ExpiringMessageAvailable, MessageAvailableFrequencyThrottler, OrSchedulingTermCombiner."""

from __future__ import annotations

import logging

import pytest

from gxf.core import Context, GxfError, MessageEntity, ParameterError
from gxf.std.codelet import Codelet
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.message_terms import (ExpiringMessageAvailableSchedulingTerm, MessageAvailableFrequencyThrottler,
                                   MultiMessageAvailableSchedulingTerm, SamplingMode)
from gxf.std.scheduling_condition import NEVER, READY, WAIT, WAIT_EVENT, WAIT_TIME, or_combine
from gxf.std.scheduling_terms import (CountSchedulingTerm, MessageAvailableSchedulingTerm,
                                      PeriodicSchedulingTerm)
from gxf.std.term_combiner import OrSchedulingTermCombiner
from gxf.std.timestamp import Timestamp

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left
MS = 1_000_000


def _message(ctx, acqtime=0):
    message = MessageEntity(ctx)
    message.add(Timestamp(acqtime, acqtime), "timestamp")
    return message


def _receivers(ctx, entity, count, capacity=5):
    return [entity.add(DoubleBufferReceiver, f"in{i}", capacity=capacity) for i in range(count)]


class Drain(Codelet):
    """Receives everything on the entity's receivers each tick; keeps (timestamp, batch size)."""

    def initialize(self):
        self.batches = []

    def tick(self):
        size = 0
        for receiver in self.entity.find_all(DoubleBufferReceiver):
            while receiver.receive() is not None:
                size += 1
        self.batches.append((self.get_execution_timestamp() // MS, size))


class Stamped(Codelet):
    """Publishes one message stamped with the current time on ``out``."""

    def tick(self):
        out = self.entity.find("out")
        out.publish(MessageEntity(self.context), self.get_execution_timestamp())


# --- MultiMessageAvailableSchedulingTerm ----------------------------------------------------------------
def test_multi_message_available_sum_of_all():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        a, b = _receivers(ctx, entity, 2)
        term = entity.add(MultiMessageAvailableSchedulingTerm, receivers=[a, b], min_sum=3)
        ctx.activate()
        assert term.sampling_mode is SamplingMode.SumOfAll
        a.push_io(_message(ctx))
        b.push_io(_message(ctx))
        assert term.check(0)[0] is WAIT
        b.push_io(_message(ctx))
        b.sync()
        assert term.check(0)[0] is READY


def test_multi_message_available_per_receiver():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        a, b = _receivers(ctx, entity, 2)
        term = entity.add(MultiMessageAvailableSchedulingTerm, receivers=[a, b], sampling_mode="PerReceiver",
                          min_sizes=[1, 2])
        ctx.activate()
        for _ in range(3):
            a.push_io(_message(ctx))
        b.push_io(_message(ctx))
        assert term.check(0)[0] is WAIT       # b has 1 < 2
        b.push_io(_message(ctx))
        assert term.check(0)[0] is READY


def test_multi_message_available_min_size_is_the_deprecated_min_sum(caplog):
    with Context() as ctx:
        entity = ctx.create_entity("e")
        a, b = _receivers(ctx, entity, 2)
        term = entity.add(MultiMessageAvailableSchedulingTerm, receivers=[a, b], min_size=2)
        with caplog.at_level(logging.WARNING, logger="gxf"):
            ctx.activate()
        assert any("deprecated" in r.getMessage() for r in caplog.records)
        a.push_io(_message(ctx))
        assert term.check(0)[0] is WAIT
        b.push_io(_message(ctx))
        assert term.check(0)[0] is READY


@pytest.mark.parametrize("params, key", [
    ({"sampling_mode": "PerReceiver"}, "min_sizes"),
    ({"sampling_mode": "PerReceiver", "min_sizes": [1]}, "min_sizes"),
    ({"min_sum": -1}, "min_sum"),
])
def test_multi_message_available_refuses_inconsistent_thresholds(params, key):
    with Context() as ctx:
        entity = ctx.create_entity("e")
        receivers = _receivers(ctx, entity, 2)
        entity.add(MultiMessageAvailableSchedulingTerm, "multi", receivers=receivers, **params)
        with pytest.raises(ParameterError, match=f"parameter '{key}' of component 'e/multi'"):
            ctx.activate()


# --- ExpiringMessageAvailableSchedulingTerm -----------------------------------------------------------------
def test_expiring_message_available_fires_on_a_full_batch_or_an_old_first_message():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        clock = entity.add("nvidia::gxf::ManualClock", "clock")
        inbox = entity.add(DoubleBufferReceiver, "in", capacity=5)
        term = entity.add(ExpiringMessageAvailableSchedulingTerm, receiver=inbox, clock=clock,
                          max_batch_size=3, max_delay_ns="50ms")
        ctx.activate()
        assert term.check(0)[0] is WAIT                      # nothing to batch
        inbox.push_io(_message(ctx, acqtime=10 * MS))
        inbox.push_io(_message(ctx, acqtime=30 * MS))
        assert term.check(20 * MS) == (WAIT_TIME, 60 * MS)   # the oldest expires at 10 + 50 ms
        assert term.check(60 * MS)[0] is READY
        inbox.sync()
        assert term.check(59 * MS) == (WAIT_TIME, 60 * MS)   # receivable messages count the same way
        inbox.push_io(_message(ctx, acqtime=40 * MS))
        assert term.check(20 * MS)[0] is READY               # the batch is full


@pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)
def test_expiring_messages_are_batched_until_they_expire(kind):
    with Context() as ctx:
        source = ctx.create_entity("source")
        out = source.add(DoubleBufferTransmitter, "out", capacity=4)
        source.add(Stamped, "stamp")
        source.add(PeriodicSchedulingTerm, recess_period=20 * MS)
        source.add(CountSchedulingTerm, count=7)
        sink = ctx.create_entity("sink")
        inbox = sink.add(DoubleBufferReceiver, "in", capacity=4)
        drain = sink.add(Drain, "drain")
        _, clock = S.add_scheduler(ctx, kind)
        sink.add(ExpiringMessageAvailableSchedulingTerm, receiver=inbox, clock=clock, max_batch_size=3,
                 max_delay_ns=50 * MS)
        ctx.create_entity("edge").add("nvidia::gxf::Connection", source=out, target=inbox)
        S.run(ctx)
    # Messages at 0, 20, 40 fill a batch, so do 60, 80, 100; the last one (120) waits until it expires at 170.
    assert drain.batches == [(40, 3), (100, 3), (170, 1)]


# --- MessageAvailableFrequencyThrottler ---------------------------------------------------------------------
@pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)
def test_the_throttler_ticks_at_its_frequency_without_messages(kind):
    with Context() as ctx:
        sink = ctx.create_entity("sink")
        inbox = sink.add(DoubleBufferReceiver, "in")
        drain = sink.add(Drain, "drain")
        sink.add(MessageAvailableFrequencyThrottler, receivers=[inbox], execution_frequency="100Hz",
                 min_sum=1)
        sink.add(CountSchedulingTerm, count=3)
        S.add_scheduler(ctx, kind)
        S.run(ctx)
    assert drain.batches == [(10, 0), (20, 0), (30, 0)]


def test_the_throttler_ticks_sooner_when_messages_arrive():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        a, b = _receivers(ctx, entity, 2)
        term = entity.add(MessageAvailableFrequencyThrottler, receivers=[a, b], execution_frequency="10ms",
                          sampling_mode="PerReceiver", min_sizes=[1, 1])
        ctx.activate()
        assert term.check(0) == (WAIT_TIME, 10 * MS)
        term.on_execute(10 * MS)
        assert term.check(12 * MS) == (WAIT_TIME, 20 * MS)
        a.push_io(_message(ctx))
        assert term.check(12 * MS)[0] is WAIT_TIME
        b.push_io(_message(ctx))
        assert term.check(12 * MS)[0] is READY


# --- OrSchedulingTermCombiner -------------------------------------------------------------------------------
def test_or_combination_table():
    assert or_combine((READY, 0), (WAIT, 0))[0] is READY
    assert or_combine((NEVER, 0), (READY, 0))[0] is NEVER          # as in GXF, done is done
    assert or_combine((WAIT_TIME, 50), (WAIT_TIME, 20)) == (WAIT_TIME, 20)
    assert or_combine((WAIT_TIME, 50), (WAIT_EVENT, 0)) == (WAIT_TIME, 50)
    assert or_combine((WAIT_EVENT, 0), (WAIT, 0))[0] is WAIT_EVENT


@pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)
def test_or_combined_terms_tick_when_either_is_ready(kind):
    with Context() as ctx:
        entity = ctx.create_entity("e")
        inbox = entity.add(DoubleBufferReceiver, "in")          # nobody sends anything here
        recorder = entity.add(S.Recorder, "rec")
        available = entity.add(MessageAvailableSchedulingTerm, "available", receiver=inbox)
        periodic = entity.add(PeriodicSchedulingTerm, "periodic", recess_period=50 * MS)
        combiner = entity.add(OrSchedulingTermCombiner, "either", terms=[available, periodic])
        entity.add(CountSchedulingTerm, count=3)                 # still AND-ed
        scheduler, _ = S.add_scheduler(ctx, kind)
        S.run(ctx)
        item = scheduler.executor.items[0]
        assert combiner in item.terms and available not in item.terms and periodic not in item.terms
        assert [sample[0] // MS for sample in recorder.samples] == [0, 50, 100]   # ANDed: a deadlock


def test_an_or_combined_never_ends_the_entity():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        inbox = entity.add(DoubleBufferReceiver, "in")
        recorder = entity.add(S.Recorder, "rec")
        count = entity.add(CountSchedulingTerm, "count", count=2)
        available = entity.add(MessageAvailableSchedulingTerm, "available", receiver=inbox)
        entity.add(OrSchedulingTermCombiner, terms=[count, available])
        S.add_scheduler(ctx, "greedy")
        S.run(ctx)
        assert recorder.ticks == 2


def test_a_combiner_takes_only_terms_of_its_own_entity():
    with Context() as ctx:
        other = ctx.create_entity("other").add(CountSchedulingTerm, "count", count=1)
        entity = ctx.create_entity("e")
        entity.add(S.Recorder, "rec")
        entity.add(OrSchedulingTermCombiner, "either", terms=[other])
        with pytest.raises(ParameterError, match="'other/count' belongs to another entity"):
            ctx.activate()


def test_a_term_in_two_combiners_is_refused():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        entity.add(S.Recorder, "rec")
        count = entity.add(CountSchedulingTerm, "count", count=1)
        entity.add(OrSchedulingTermCombiner, "one", terms=[count])
        entity.add(OrSchedulingTermCombiner, "two", terms=[count])
        S.add_scheduler(ctx, "greedy")
        with pytest.raises(GxfError, match="governed by two combiners"):
            ctx.activate()
