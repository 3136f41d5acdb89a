"""How a run with nothing left to execute ends: "finished" when its work is done, "stalled" (GXF's
deadlock) when an entity still waits on something only a live entity could provide, with a warning
that names which entity waits on what."""

from __future__ import annotations

import logging

import pytest

from gxf.core import Context
from gxf.std.connection import Connection
from gxf.std.epoch_scheduler import EpochScheduler
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.run_end import FINISHED, STALLED
from gxf.std.scheduling_terms import (CountSchedulingTerm,
                                      DownstreamReceptiveSchedulingTerm, MessageAvailableSchedulingTerm,
                                      PeriodicSchedulingTerm)

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left
MS = 1_000_000

pytestmark = pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)


def _run_judged(ctx: Context, scheduler) -> None:
    """Runs the graph; an EpochScheduler's epochs are driven here as ``gxf run`` drives them, the run
    judged (``judge_idle_end``) when nothing is ready nor pending."""
    if kind_of(scheduler) != "epoch":
        S.run(ctx)
        return
    ctx.activate()
    ctx.run_async()
    clock = scheduler.active_clock()
    while scheduler.is_running():
        if scheduler.run_epoch(0) or not scheduler.is_running():
            continue
        target = scheduler.next_target_timestamp()
        if target is not None:
            clock.advance_to(target)
        else:
            scheduler.judge_idle_end()
            scheduler.stop()
    ctx.wait()


def kind_of(scheduler) -> str:
    return "epoch" if isinstance(scheduler, EpochScheduler) else "other"


def _cycle(ctx: Context) -> None:
    """a -> b -> a, each waiting for a message from the other: nothing ever starts the loop."""
    for name in ("a", "b"):
        entity = ctx.create_entity(name)
        inbox = entity.add(DoubleBufferReceiver, "in")
        entity.add(DoubleBufferTransmitter, "out")
        collector = entity.add(S.Collector, "collect")
        collector.rx = inbox
        entity.add(MessageAvailableSchedulingTerm, "available", receiver=inbox, min_size=1)
    ctx.create_entity("edge_ab").add(Connection, source=ctx.find_component("a/out"),
                                     target=ctx.find_component("b/in"))
    ctx.create_entity("edge_ba").add(Connection, source=ctx.find_component("b/out"),
                                     target=ctx.find_component("a/in"))


def test_a_pipeline_whose_source_ran_out_finishes(kind):
    with Context() as ctx:
        _, collectors = S.chain_graph(ctx, 25, stages=3)
        scheduler, _ = S.add_scheduler(ctx, kind)
        _run_judged(ctx, scheduler)
        assert len(collectors[-1].values) == 25
        assert scheduler.end_state == FINISHED
        assert scheduler.stalled_waits == ()
        assert "deadlock" not in scheduler.stop_reason


def test_a_ping_pair_finishes(kind, caplog):
    with Context() as ctx, caplog.at_level(logging.WARNING, logger="gxf"):
        _, ping_rx = S.ping_graph(ctx, 10)
        scheduler, _ = S.add_scheduler(ctx, kind)
        _run_judged(ctx, scheduler)
        assert ping_rx.count == 10
        assert scheduler.end_state == FINISHED
    assert "stalled" not in caplog.text


def test_a_cycle_nothing_starts_stalls_and_names_who_waits_on_whom(kind, caplog):
    with Context() as ctx, caplog.at_level(logging.WARNING, logger="gxf"):
        _cycle(ctx)
        scheduler, _ = S.add_scheduler(ctx, kind)
        _run_judged(ctx, scheduler)
        assert scheduler.end_state == STALLED
        assert "deadlock" in scheduler.stop_reason
        waits = scheduler.stalled_waits
        assert len(waits) == 2
        assert "entity 'a' waits" in waits[0] and "a message in 'a/in'" in waits[0]
        assert "from 'b' (waiting)" in waits[0]
        assert "entity 'b' waits" in waits[1] and "from 'a' (waiting)" in waits[1]
    assert "the run stalled" in caplog.text and "entity 'a' waits" in caplog.text
    assert any(record.levelno == logging.WARNING for record in caplog.records)


def test_a_receiver_nothing_feeds_stalls(kind):
    with Context() as ctx:
        entity = ctx.create_entity("starved")
        inbox = entity.add(DoubleBufferReceiver, "in")
        entity.add(S.Recorder, "rec")
        entity.add(MessageAvailableSchedulingTerm, receiver=inbox, min_size=1)
        scheduler, _ = S.add_scheduler(ctx, kind)
        _run_judged(ctx, scheduler)
        assert scheduler.end_state == STALLED
        assert "nothing is connected to it" in scheduler.stalled_waits[0]


def test_a_producer_blocked_by_a_consumer_that_never_reads_stalls(kind):
    with Context() as ctx:
        tx = ctx.create_entity("tx")
        out = tx.add(DoubleBufferTransmitter, "out", capacity=1)
        sender = tx.add(S.Sender, "send")
        sender.tx = out
        tx.add(CountSchedulingTerm, "count", count=5)
        tx.add(DownstreamReceptiveSchedulingTerm, "receptive", transmitter=out, min_size=1)
        rx = ctx.create_entity("rx")
        inbox = rx.add(DoubleBufferReceiver, "in", capacity=1)
        rx.add(S.Collector, "collect").rx = inbox
        rx.add(MessageAvailableSchedulingTerm, "available", receiver=inbox, min_size=1)
        rx.add(S.Switch, "gate")  # off, and polled: nothing outside turns it on
        ctx.create_entity("edge").add(Connection, source=out, target=inbox)
        scheduler, _ = S.add_scheduler(ctx, kind)
        _run_judged(ctx, scheduler)
        assert scheduler.end_state == STALLED
        text = "\n".join(scheduler.stalled_waits)
        assert "entity 'tx' waits" in text and "room in 'rx/in' (0 free of 1; read by 'rx')" in text
        assert "entity 'rx' waits" in text and "'gate' for a change of its own (it is polled)" in text


def test_a_time_limit_is_its_own_end(kind):
    with Context() as ctx:
        entity = ctx.create_entity("forever")
        entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=100 * MS)
        scheduler, _ = S.add_scheduler(ctx, kind, max_duration_ms=300)
        _run_judged(ctx, scheduler)
        assert scheduler.end_state == "time limit"


def test_a_deactivated_source_counts_as_done(kind):
    with Context() as ctx:
        _, collectors = S.chain_graph(ctx, 3, stages=1)
        scheduler, _ = S.add_scheduler(ctx, kind)
        ctx.activate()
        source = ctx.find_entity("source")
        scheduler.deactivate_entity(source)
        _run_judged(ctx, scheduler)
        assert scheduler.end_state == FINISHED
