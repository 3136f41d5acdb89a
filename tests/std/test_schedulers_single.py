"""The single-threaded schedulers' own parameters: GreedyScheduler (recession period, deprecated realtime,
deadlock timeouts) and EpochScheduler (epochs from the caller's thread, budgets, stop and wait)."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from gxf.core import Context, ParameterError
from gxf.std.clock import ManualClock, RealtimeClock
from gxf.std.entity_executor import CodeletFailure
from gxf.std.epoch_scheduler import EpochScheduler
from gxf.std.greedy_scheduler import GreedyScheduler
from gxf.std.scheduler import SchedulerInterrupted
from gxf.std.scheduling_terms import CountSchedulingTerm, PeriodicSchedulingTerm

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left
MS = 1_000_000


# --- GreedyScheduler --------------------------------------------------------------------------------------
def test_greedy_defaults_follow_gxf():
    scheduler = GreedyScheduler()
    assert scheduler.stop_on_deadlock is True
    assert scheduler.check_recession_period_ms == 0.0
    assert scheduler.stop_on_deadlock_timeout == 0
    assert scheduler.max_duration_ms is None and scheduler.clock is None


def test_greedy_sleeps_a_recession_period_on_its_clock_before_judging_a_deadlock():
    with Context() as ctx:
        entity = ctx.create_entity("waiting")
        entity.add(S.Recorder, "rec")
        entity.add(S.Switch, "switch")
        scheduler, clock = S.add_scheduler(ctx, "greedy", check_recession_period_ms=20)
        S.run(ctx)
        assert clock.timestamp() == 20 * MS        # the ManualClock jumped one period, then the run stopped
        assert "deadlock" in scheduler.stop_reason


def test_greedy_recession_period_paces_polling_without_stop_on_deadlock():
    with Context() as ctx:
        entity = ctx.create_entity("waiting")
        recorder = entity.add(S.Recorder, "rec")
        switch = entity.add(S.Switch, "switch")
        entity.add(CountSchedulingTerm, count=1)
        S.add_scheduler(ctx, "greedy", clock_cls=RealtimeClock, stop_on_deadlock=False,
                        check_recession_period_ms=5)
        S.run_async(ctx)
        time.sleep(0.03)
        checks = switch.checks
        assert 1 <= checks <= 12                   # about one check per 5 ms, not a spin
        switch.flip(True, silent=True)             # polling notices even a silent change
        ctx.wait()
        assert recorder.ticks == 1


def test_greedy_deprecated_realtime_parameter_picks_the_clock(caplog):
    with Context() as ctx:
        entity = ctx.create_entity("periodic")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period="1s")
        entity.add(CountSchedulingTerm, count=3)
        ctx.create_entity("sched").add(GreedyScheduler, "scheduler", realtime=False)
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="gxf"):
            ctx.run()
        assert time.monotonic() - started < 1.0    # a ManualClock: two seconds of graph time at once
        assert [s[0] for s in recorder.samples] == [0, 1_000 * MS, 2_000 * MS]
        assert any("'realtime' is deprecated" in r.getMessage() for r in caplog.records)
        assert isinstance(ctx.find_component("sched/scheduler").active_clock(), ManualClock)


def test_greedy_negative_deadlock_timeout_never_stops_on_deadlock():
    with Context() as ctx:
        entity = ctx.create_entity("waiting")
        entity.add(S.Recorder, "rec")
        entity.add(S.Switch, "switch")
        scheduler, _ = S.add_scheduler(ctx, "greedy", clock_cls=RealtimeClock, stop_on_deadlock_timeout=-1,
                                       max_duration_ms=40)
        started = time.monotonic()
        S.run(ctx)
        assert time.monotonic() - started >= 0.035
        assert "maximum duration" in scheduler.stop_reason


def test_greedy_refuses_a_negative_recession_period():
    with Context() as ctx:
        S.add_scheduler(ctx, "greedy", check_recession_period_ms=-1.0)
        with pytest.raises(ParameterError, match="check_recession_period_ms"):
            ctx.activate()


# --- EpochScheduler -----------------------------------------------------------------------------------------
def _epoch_graph(ctx, counts=(3, 3)):
    recorders = []
    for index, count in enumerate(counts):
        entity = ctx.create_entity(f"e{index}")
        recorders.append(entity.add(S.Recorder, "rec"))
        entity.add(CountSchedulingTerm, count=count)
    scheduler, clock = S.add_scheduler(ctx, "epoch")
    return scheduler, clock, recorders


def test_an_epoch_without_budget_executes_every_entity_once_from_the_callers_thread():
    with Context() as ctx:
        scheduler, _, recorders = _epoch_graph(ctx)
        threads = threading.active_count()
        ctx.run_async()
        assert threading.active_count() == threads   # no thread of its own
        assert scheduler.run_epoch(0) == 2            # both started
        assert [r.ticks for r in recorders] == [0, 0]
        assert scheduler.run_epoch(-1) == 2
        assert [r.ticks for r in recorders] == [1, 1]
        assert {thread for r in recorders for thread in r.threads} == {threading.current_thread().name}
        assert scheduler.runEpoch(0) == 2 and scheduler.run_epoch(0) == 2
        assert [r.ticks for r in recorders] == [3, 3]
        assert scheduler.is_running()
        assert scheduler.run_epoch(0) == 0            # both counts used up: the run is over
        assert not scheduler.is_running()
        ctx.wait()
        assert all([e for _, e, _ in r.log][-1] == "stop" for r in recorders)


def test_an_epoch_with_a_budget_runs_until_it_is_used_up_or_nothing_is_ready():
    with Context() as ctx:
        entity = ctx.create_entity("busy")
        busy = entity.add(S.Recorder, "rec")
        entity.add(CountSchedulingTerm, count=10**9)
        slow = ctx.create_entity("slow")
        slow_rec = slow.add(S.Recorder, "rec")
        slow.add(PeriodicSchedulingTerm, recess_period="1s")
        S.add_scheduler(ctx, "epoch", clock_cls=RealtimeClock)
        scheduler = S.scheduler_of(ctx)
        ctx.run_async()
        started = time.monotonic()
        executed = scheduler.run_epoch(20)
        assert time.monotonic() - started >= 0.02
        assert executed > 10 and busy.ticks > 10 and slow_rec.ticks == 1
        assert scheduler.next_target_timestamp() is not None
        scheduler.stop()
        ctx.wait()                                     # stop() ends the run normally
        assert [e for _, e, _ in busy.log][-1] == "stop"


def test_an_epoch_before_run_async_does_nothing():
    with Context() as ctx:
        scheduler, _, recorders = _epoch_graph(ctx)
        ctx.activate()
        assert scheduler.run_epoch(0) == 0 and recorders[0].log == [("rec", "initialize", None)]


def test_next_target_timestamp_lets_the_caller_drive_a_manual_clock():
    with Context() as ctx:
        entity = ctx.create_entity("periodic")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=40 * MS)
        entity.add(CountSchedulingTerm, count=3)
        scheduler, clock = S.add_scheduler(ctx, "epoch")
        ctx.run_async()
        scheduler.run_epoch(0)
        scheduler.run_epoch(0)
        assert recorder.ticks == 1 and scheduler.run_epoch(0) == 0
        assert scheduler.next_target_timestamp() == 40 * MS
        clock.advance_to(scheduler.next_target_timestamp())
        assert scheduler.run_epoch(0) == 1 and recorder.samples[-1][0] == 40 * MS
        scheduler.stop()
        ctx.wait()


def test_interrupting_an_epoch_run_makes_wait_raise():
    with Context() as ctx:
        scheduler, _, recorders = _epoch_graph(ctx, counts=(100,))
        ctx.run_async()
        scheduler.run_epoch(0)
        ctx.interrupt()
        with pytest.raises(SchedulerInterrupted):
            ctx.wait()
        assert scheduler.run_epoch(0) == 0
        assert [e for _, e, _ in recorders[0].log].count("stop") == 1


def test_a_failure_in_an_epoch_is_raised_to_the_caller_and_by_wait():
    with Context() as ctx:
        scheduler, _, recorders = _epoch_graph(ctx, counts=(5, 5))
        recorders[1].fail_in, recorders[1].fail_at = "tick", 2
        ctx.run_async()
        with pytest.raises(CodeletFailure, match="broke in tick 2"):
            for _ in range(5):
                scheduler.run_epoch(0)
        assert not scheduler.is_running()
        with pytest.raises(CodeletFailure, match="broke in tick 2"):
            ctx.wait()
        assert all([e for _, e, _ in r.log].count("stop") == 1 for r in recorders)


def test_epoch_scheduler_declares_only_a_clock_and_max_duration():
    assert set(EpochScheduler.parameters()) == {"clock", "max_duration_ms"}
