"""The basic scheduling terms: count, periodic, target time, boolean, message available, downstream
receptive; AND-combination; parameter errors."""

from __future__ import annotations

import logging

import pytest

from gxf.core import Context, GxfError, MessageEntity, ParameterError
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.scheduling_condition import (NEVER, READY, WAIT, WAIT_EVENT, WAIT_TIME, and_combine)
from gxf.std.scheduling_terms import (BooleanSchedulingTerm, CountSchedulingTerm,
                                      DownstreamReceptiveSchedulingTerm,
                                      MessageAvailableSchedulingTerm, PeriodicSchedulingPolicy,
                                      PeriodicSchedulingTerm, TargetTimeSchedulingTerm)

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left
MS = 1_000_000


def _kind(term, timestamp=0):
    return term.check(timestamp)[0]


# --- AND-combination -------------------------------------------------------------------------------------
def test_and_combination_follows_the_priority_never_wait_event_wait_wait_time_ready():
    order = [(NEVER, 0), (WAIT_EVENT, 0), (WAIT, 0), (WAIT_TIME, 5), (READY, 0)]
    for i, stronger in enumerate(order):
        for weaker in order[i:]:
            assert and_combine(stronger, weaker)[0] is stronger[0]
            assert and_combine(weaker, stronger)[0] is stronger[0]
    assert and_combine((WAIT_TIME, 5), (WAIT_TIME, 9)) == (WAIT_TIME, 9)   # the later time


# --- CountSchedulingTerm ---------------------------------------------------------------------------------
def test_count_permits_exactly_count_ticks():
    with Context() as ctx:
        term = ctx.create_entity("e").add(CountSchedulingTerm, count=2)
        ctx.activate()
        assert _kind(term) is READY and term.check()[0] is READY   # GXF's Python check() needs no time
        term.on_execute(10)
        assert _kind(term) is READY and term.remaining() == 1
        term.on_execute(20)
        assert _kind(term) is NEVER


def test_count_zero_starts_and_stops_the_entity_without_a_tick():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(CountSchedulingTerm, count=0)
        S.add_scheduler(ctx, "greedy")
        S.run(ctx)
        assert recorder.ticks == 0 and [e for _, e, _ in recorder.log][-1] == "stop"


def test_a_negative_count_is_refused_naming_the_term():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        with pytest.raises(ParameterError,
                           match="parameter 'count' of component 'e/limit'.*: must be at least 0, got -1"):
            entity.add(CountSchedulingTerm, "limit", count=-1)  # its declared minimum, checked when set


# --- PeriodicSchedulingTerm ------------------------------------------------------------------------------
@pytest.mark.parametrize("policy, ticks, targets", [
    ("CatchUpMissedTicks", [0, 250, 255], [100, 200, 300]),
    ("MinTimeBetweenTicks", [0, 101, 350], [100, 201, 450]),
    ("NoCatchUpMissedTicks", [0, 250, 305], [100, 300, 400]),
])
def test_periodic_policies(policy, ticks, targets):
    with Context() as ctx:
        term = ctx.create_entity("e").add(PeriodicSchedulingTerm, recess_period="100ms", policy=policy)
        ctx.activate()
        assert term.policy is PeriodicSchedulingPolicy[policy]
        assert _kind(term, 0) is READY and term.last_run_timestamp() is None
        for tick, target in zip(ticks, targets, strict=True):
            term.on_execute(tick * MS)
            assert term.check(target * MS - 1) == (WAIT_TIME, target * MS)
            assert _kind(term, target * MS) is READY
        assert term.recess_period_ns() == 100 * MS


@pytest.mark.parametrize("text, period", [(1000, 1000), ("10ms", 10 * MS), ("0.2s", 200 * MS),
                                          ("50Hz", 20 * MS)])
def test_periodic_recess_period_units(text, period):
    with Context() as ctx:
        term = ctx.create_entity("e").add(PeriodicSchedulingTerm, recess_period=text)
        ctx.activate()
        assert term.recess_period_ns() == period


def test_periodic_refuses_an_unknown_policy():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        with pytest.raises(ParameterError, match="policy"):
            entity.add(PeriodicSchedulingTerm, recess_period=5, policy="Sometimes")


# --- TargetTimeSchedulingTerm -----------------------------------------------------------------------------
def test_target_time_waits_until_a_target_is_set_then_until_it_is_reached():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        clock = entity.add("nvidia::gxf::ManualClock", "clock")
        term = entity.add(TargetTimeSchedulingTerm, "target", clock=clock)
        ctx.activate()
        assert _kind(term, 0) is WAIT
        term.set_next_target_time(50)
        assert term.check(10) == (WAIT_TIME, 50)
        assert _kind(term, 50) is READY
        term.on_execute(50)
        assert _kind(term, 60) is WAIT            # each tick consumes the target
        term.set_next_target_time(70)
        assert term.check(60) == (WAIT_TIME, 70)
        with pytest.raises(GxfError, match="must be on or after"):
            term.set_next_target_time(65)
        assert TargetTimeSchedulingTerm.get(ctx, clock.cid, "target") is term


@pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)
def test_a_codelet_sets_its_own_next_target_time(kind):
    class NextIn30ms(S.Recorder):
        def tick(self):
            super().tick()
            term = TargetTimeSchedulingTerm.get(self.context, self.cid, "target")
            term.set_next_target_time(self.get_execution_timestamp() + 30 * MS)

    with Context() as ctx:
        entity = ctx.create_entity("e")
        recorder = entity.add(NextIn30ms, "rec")
        _, clock = S.add_scheduler(ctx, kind)
        term = entity.add(TargetTimeSchedulingTerm, "target", clock=clock)
        entity.add(CountSchedulingTerm, count=4)
        ctx.activate()
        term.set_next_target_time(5 * MS)
        S.run(ctx)
        assert [sample[0] // MS for sample in recorder.samples] == [5, 35, 65, 95]


# --- BooleanSchedulingTerm --------------------------------------------------------------------------------
def test_boolean_term_api():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        term = entity.add(BooleanSchedulingTerm, "switch")
        other = entity.add(CountSchedulingTerm, count=1)
        ctx.activate()
        notified = []
        term.add_change_listener(lambda: notified.append(term.check_tick_enabled()))
        assert term.check_tick_enabled() and _kind(term) is READY
        term.disable_tick()
        assert not term.checkTickEnabled() and _kind(term) is NEVER
        term.make_enable_tick()
        assert term.check_tick_enable() and _kind(term) is READY
        term.make_disable_tick()
        assert notified == [False, True, False]
        assert BooleanSchedulingTerm.get(ctx, other.cid, "switch") is term
        assert BooleanSchedulingTerm.get(ctx, other.cid, "e/switch") is term


@pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)
def test_one_entity_disables_another_through_its_boolean_term(kind):
    class Disabler(S.Recorder):
        def tick(self):
            super().tick()
            if self.ticks == 3:
                BooleanSchedulingTerm.get(self.context, self.cid, "worker/switch").disable_tick()

    log: list = []
    with Context() as ctx:
        boss = ctx.create_entity("boss")
        boss.add(Disabler, "boss").log = log
        boss.add(PeriodicSchedulingTerm, recess_period=10 * MS)
        boss.add(CountSchedulingTerm, count=5)
        worker = ctx.create_entity("worker")
        worker.add(S.Recorder, "worker").log = log
        worker.add(PeriodicSchedulingTerm, recess_period=10 * MS)
        worker.add(BooleanSchedulingTerm, "switch")
        S.add_scheduler(ctx, kind)
        S.run(ctx)
    worker_ticks = [ts // MS for who, event, ts in log if who == "worker" and event == "tick"]
    assert worker_ticks in ([0, 10], [0, 10, 20])      # nothing after the boss's third tick at 20 ms
    assert [event for who, event, _ in log if who == "worker"][-2] == "stop"
    assert len([1 for who, event, _ in log if who == "boss" and event == "tick"]) == 5


# --- MessageAvailableSchedulingTerm -------------------------------------------------------------------------
def test_message_available_counts_both_stages_and_honours_front_stage_max_size():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        inbox = entity.add(DoubleBufferReceiver, "in", capacity=5)
        term = entity.add(MessageAvailableSchedulingTerm, receiver=inbox, min_size=3, front_stage_max_size=2)
        ctx.activate()
        for _ in range(2):
            inbox.push_io(MessageEntity(ctx))
        assert _kind(term) is WAIT                 # 2 < min_size
        inbox.push_io(MessageEntity(ctx))
        assert _kind(term) is READY                # 3 arrived (back stage)
        inbox.sync()
        assert _kind(term) is WAIT                 # 3 receivable > front_stage_max_size
        inbox.receive()
        inbox.push_io(MessageEntity(ctx))
        assert _kind(term) is READY                # 2 receivable + 1 arrived


# --- DownstreamReceptiveSchedulingTerm ----------------------------------------------------------------------
def test_downstream_receptive_needs_min_size_free_slots_in_every_connected_receiver():
    with Context() as ctx:
        tx = ctx.create_entity("tx")
        out = tx.add(DoubleBufferTransmitter, "out", capacity=3)
        term = tx.add(DownstreamReceptiveSchedulingTerm, transmitter=out, min_size=2)
        inboxes = []
        for name in ("a", "b"):
            inbox = ctx.create_entity(name).add(DoubleBufferReceiver, "in", capacity=3)
            ctx.create_entity(f"edge_{name}").add("nvidia::gxf::Connection", source=out, target=inbox)
            inboxes.append(inbox)
        ctx.activate()
        assert _kind(term) is READY
        inboxes[1].push_io(MessageEntity(ctx))
        assert _kind(term) is READY                # b: 1 + 2 <= 3
        inboxes[1].push_io(MessageEntity(ctx))
        assert _kind(term) is WAIT                 # b: 2 + 2 > 3
        inboxes[1].sync()
        assert _kind(term) is WAIT                 # main stage full counts too
        inboxes[1].receive(), inboxes[1].receive()
        assert _kind(term) is READY


def test_downstream_receptive_on_an_unconnected_transmitter_is_never_and_warns_once(caplog):
    with Context() as ctx:
        tx = ctx.create_entity("tx")
        out = tx.add(DoubleBufferTransmitter, "out")
        term = tx.add(DownstreamReceptiveSchedulingTerm, transmitter=out)
        ctx.activate()
        with caplog.at_level(logging.WARNING, logger="gxf"):
            assert _kind(term) is NEVER and _kind(term) is NEVER
        warnings = [r for r in caplog.records if "never tick" in r.getMessage()]
        assert len(warnings) == 1 and "[tx/" in warnings[0].getMessage()
