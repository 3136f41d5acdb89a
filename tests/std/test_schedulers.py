"""Behaviour every scheduler shares: GreedyScheduler, MultiThreadScheduler, EventBasedScheduler and the
EpochScheduler (driven by a small runner loop) run the same graphs to the same results."""

from __future__ import annotations

import threading
import time

import pytest

from gxf.core import Context
from gxf.std.async_scheduling_term import AsynchronousEventState, AsynchronousSchedulingTerm
from gxf.std.clock import ManualClock, RealtimeClock
from gxf.std.double_buffer import DoubleBufferReceiver
from gxf.std.entity_executor import CodeletFailure
from gxf.std.scheduler import SchedulerInterrupted
from gxf.std.scheduling_terms import (CountSchedulingTerm, MessageAvailableSchedulingTerm,
                                      PeriodicSchedulingTerm)

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left
MS = 1_000_000

pytestmark = pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)


def test_ping_delivers_every_message(kind):
    with Context() as ctx:
        ping_tx, ping_rx = S.ping_graph(ctx, 200)
        S.add_scheduler(ctx, kind)
        S.run(ctx)
        assert ping_tx.count == 200
        assert ping_rx.count == 200


def test_a_chain_delivers_every_message_once_and_in_order(kind):
    with Context() as ctx:
        sender, collectors = S.chain_graph(ctx, 300, stages=3)
        S.add_scheduler(ctx, kind)
        S.run(ctx)
        assert sender.sent == 300
        for collector in collectors:
            assert collector.values == list(range(1, 301))


def test_codelets_start_tick_and_stop_in_declaration_order(kind):
    log: list = []
    with Context() as ctx:
        entity = ctx.create_entity("e")
        for name in ("a", "b", "c"):
            entity.add(S.Recorder, name).log = log
        entity.add(CountSchedulingTerm, count=2)
        S.add_scheduler(ctx, kind)
        S.run(ctx)
    events = [(name, event) for name, event, _ in log]
    assert events == [
        ("a", "initialize"), ("b", "initialize"), ("c", "initialize"),
        ("a", "start"), ("b", "start"), ("c", "start"),
        ("a", "tick"), ("b", "tick"), ("c", "tick"),
        ("a", "tick"), ("b", "tick"), ("c", "tick"),
        ("a", "stop"), ("b", "stop"), ("c", "stop"),
        ("c", "deinitialize"), ("b", "deinitialize"), ("a", "deinitialize"),
    ]


def test_periodic_ticks_are_time_compressed_with_a_manual_clock(kind):
    with Context() as ctx:
        entity = ctx.create_entity("periodic")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=100 * MS)
        entity.add(CountSchedulingTerm, count=10)
        _, clock = S.add_scheduler(ctx, kind)
        started = time.monotonic()
        S.run(ctx)
        assert time.monotonic() - started < 1.0  # a second of graph time took no real time
        assert [sample[0] for sample in recorder.samples] == [i * 100 * MS for i in range(10)]
        assert clock.timestamp() == 900 * MS


def test_two_periodic_entities_interleave_by_time(kind):
    with Context() as ctx:
        log: list = []
        for name, period, count in (("fast", 30, 10), ("slow", 100, 3)):
            entity = ctx.create_entity(name)
            entity.add(S.Recorder, name).log = log
            entity.add(PeriodicSchedulingTerm, recess_period=period * MS)
            entity.add(CountSchedulingTerm, count=count)
        S.add_scheduler(ctx, kind)
        S.run(ctx)
    ticks = [(ts // MS, name) for name, event, ts in log if event == "tick"]
    assert sorted(t for t, name in ticks if name == "fast") == [30 * i for i in range(10)]
    assert sorted(t for t, name in ticks if name == "slow") == [0, 100, 200]
    assert [t for t, _ in ticks] == sorted(t for t, _ in ticks)  # executed in time order


def test_deadlock_stops_the_run(kind):
    with Context() as ctx:
        entity = ctx.create_entity("starved")
        inbox = entity.add(DoubleBufferReceiver, "in")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(MessageAvailableSchedulingTerm, receiver=inbox, min_size=1)
        scheduler, _ = S.add_scheduler(ctx, kind)
        S.run(ctx)
        events = [event for _, event, _ in recorder.log]
        assert events == ["initialize", "start", "stop"]
        if kind != "epoch":
            assert "deadlock" in scheduler.stop_reason


def test_max_duration_stops_a_graph_that_would_run_forever(kind):
    with Context() as ctx:
        entity = ctx.create_entity("forever")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=100 * MS)
        scheduler, clock = S.add_scheduler(ctx, kind, max_duration_ms=1000)
        S.run(ctx)
        assert [sample[0] // MS for sample in recorder.samples] == [100 * i for i in range(11)]
        assert [event for _, event, _ in recorder.log][-1] == "stop"
        assert "maximum duration" in scheduler.stop_reason


def test_a_failing_codelet_stops_every_entity(kind):
    log: list = []
    with pytest.raises(CodeletFailure) as caught:
        with Context() as ctx:
            bad = ctx.create_entity("bad")
            failing = bad.add(S.Recorder, "breaks")
            failing.log, failing.fail_in, failing.fail_at = log, "tick", 3
            bad.add(PeriodicSchedulingTerm, recess_period=10 * MS)
            busy = ctx.create_entity("busy")
            busy.add(S.Recorder, "busy").log = log
            busy.add(PeriodicSchedulingTerm, recess_period=7 * MS)
            idle = ctx.create_entity("idle")
            idle.add(S.Recorder, "idle").log = log
            idle.add(MessageAvailableSchedulingTerm, receiver=idle.add(DoubleBufferReceiver, "in"))
            S.add_scheduler(ctx, kind)
            S.run(ctx)
    error = caught.value
    assert "'bad/breaks'" in str(error) and "broke in tick 3" in str(error)
    assert isinstance(error.original, ValueError)
    for name in ("breaks", "busy", "idle"):
        events = [event for who, event, _ in log if who == name]
        assert events.count("start") == 1 and events.count("stop") == 1, (name, events)
        assert events.count("deinitialize") == 1
        assert events.index("stop") > events.index("start")


def test_a_codelet_failing_in_start_stops_those_already_started(kind):
    log: list = []
    with pytest.raises(CodeletFailure, match="refuses to start"):
        with Context() as ctx:
            entity = ctx.create_entity("e")
            entity.add(S.Recorder, "first").log = log
            second = entity.add(S.Recorder, "second")
            second.log, second.fail_in = log, "start"
            entity.add(S.Recorder, "third").log = log
            entity.add(CountSchedulingTerm, count=5)
            S.add_scheduler(ctx, kind)
            S.run(ctx)
    events = [(who, event) for who, event, _ in log if event in ("start", "tick", "stop")]
    assert events == [("first", "start"), ("second", "start"), ("first", "stop")]


def test_interrupt_from_another_thread_stops_cleanly(kind):
    with Context() as ctx:
        entity = ctx.create_entity("forever")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=1 * MS)
        S.add_scheduler(ctx, kind, clock_cls=RealtimeClock)
        driver = S.run_async(ctx)
        deadline = time.monotonic() + 5
        while recorder.ticks < 3 and time.monotonic() < deadline:
            time.sleep(0.002)
        stopper = threading.Thread(target=ctx.interrupt)
        stopper.start()
        stopper.join()
        with pytest.raises(SchedulerInterrupted) as caught:
            ctx.wait()
        if driver is not None:
            driver.join(2)
        assert caught.value.exit_code == 130
        assert recorder.ticks >= 3
        assert [event for _, event, _ in recorder.log].count("stop") == 1


def test_an_asynchronous_event_wakes_the_entity_without_polling(kind):
    rounds = []

    class AsyncWork(S.Recorder):
        """Each tick starts 'work' on another thread that reports EVENT_DONE 20 ms later."""

        def tick(self):
            super().tick()
            term = self.entity.find("async")
            checks = self.entity.find("counter")
            if self.ticks == 3:
                term.set_event_state(AsynchronousEventState.EVENT_NEVER)
                return
            term.set_event_state(AsynchronousEventState.EVENT_WAITING)
            at_tick = checks.checks

            def complete():
                time.sleep(0.02)
                rounds.append(checks.checks - at_tick)
                term.set_event_state(AsynchronousEventState.EVENT_DONE)
            threading.Thread(target=complete, name="gxf-test-async", daemon=True).start()

    with Context() as ctx:
        entity = ctx.create_entity("async_entity")
        work = entity.add(AsyncWork, "work")
        entity.add(AsynchronousSchedulingTerm, "async")
        entity.add(S.CountingTerm, "counter")
        S.add_scheduler(ctx, kind)
        S.run(ctx)
        assert work.ticks == 3
        # While the event was pending the entity was checked once (finding WAIT_EVENT), never polled.
        assert rounds == [1, 1]


def test_the_clock_is_the_schedulers(kind):
    with Context() as ctx:
        entity = ctx.create_entity("periodic")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=5 * MS)
        entity.add(CountSchedulingTerm, count=4)
        scheduler, clock = S.add_scheduler(ctx, kind, clock_cls=RealtimeClock)
        started = time.monotonic()
        S.run(ctx)
        assert time.monotonic() - started >= 0.014  # three waits of 5 ms really passed
        stamps = [sample[0] for sample in recorder.samples]
        assert all(stamp >= stamps[0] + i * 5 * MS for i, stamp in enumerate(stamps))  # catch-up targets
        assert isinstance(clock, RealtimeClock) and scheduler.clock is clock


def test_a_manual_clock_starts_at_its_initial_timestamp(kind):
    with Context() as ctx:
        entity = ctx.create_entity("periodic")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=50 * MS)
        entity.add(CountSchedulingTerm, count=3)
        _, clock = S.add_scheduler(ctx, kind)
        clock.set_param("initial_timestamp", 7 * MS)
        S.run(ctx)
        assert [sample[0] // MS for sample in recorder.samples] == [7, 57, 107]
        assert isinstance(clock, ManualClock)


class _OverdueTerm(S.SchedulingTerm):
    """Always says WAIT_TIME with a target already in the past: the entity is due and must tick."""

    def check(self, timestamp):
        from gxf.std.scheduling_condition import WAIT_TIME

        return (WAIT_TIME, timestamp - 1)


def test_a_wait_time_whose_target_has_passed_ticks_and_is_no_deadlock(kind):
    with Context() as ctx:
        entity = ctx.create_entity("due")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(_OverdueTerm, "overdue")
        entity.add(CountSchedulingTerm, "count", count=5)
        S.add_scheduler(ctx, kind, stop_on_deadlock=True)
        S.run(ctx)
        assert recorder.ticks == 5
