"""Clocks: RealtimeClock (offset, scale, time since epoch), ManualClock (jumps), SyntheticClock (advanced
from outside; sleepers wake when it gets there), and schedulers driven by each."""

from __future__ import annotations

import threading
import time

import pytest

from gxf.core import Context, GxfError, ParameterError
from gxf.std.clock import ManualClock, RealtimeClock, SyntheticClock
from gxf.std.scheduling_terms import CountSchedulingTerm, PeriodicSchedulingTerm

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left
MS = 1_000_000


def _clock(cls, **params):
    clock = cls()
    clock.name = "clock"
    clock.set_params(**params)
    clock.preflight()  # what a graph's activation checks first
    clock.initialize()
    return clock


# --- RealtimeClock -------------------------------------------------------------------------------------
def test_realtime_clock_starts_at_its_offset_and_runs_in_real_time():
    clock = _clock(RealtimeClock, initial_time_offset=5.0)
    first = clock.timestamp()
    assert 5_000 * MS <= first < 5_100 * MS
    time.sleep(0.02)
    assert clock.timestamp() - first >= 20 * MS
    assert clock.time() == pytest.approx(clock.timestamp() / 1e9, abs=1e-3)


def test_realtime_clock_scale_speeds_time_up_and_sleeps_scale_down():
    clock = _clock(RealtimeClock, initial_time_scale=10.0)
    start = clock.timestamp()
    real = time.monotonic()
    clock.sleep_for(200 * MS)           # 200 ms of clock time = 20 ms of real time
    assert time.monotonic() - real < 0.15
    assert clock.timestamp() - start >= 200 * MS
    clock.set_time_scale(1.0)
    before = clock.timestamp()
    time.sleep(0.01)
    assert 10 * MS <= clock.timestamp() - before < 60 * MS


def test_realtime_clock_can_count_from_the_unix_epoch():
    clock = _clock(RealtimeClock, use_time_since_epoch=True)
    assert abs(clock.timestamp() - time.time_ns()) < 50 * MS


def test_realtime_clock_sleep_until_returns_early_when_woken():
    clock = _clock(RealtimeClock)
    wake = threading.Event()
    threading.Timer(0.01, wake.set).start()
    real = time.monotonic()
    clock.sleep_until(clock.timestamp() + 5_000 * MS, wake)
    assert time.monotonic() - real < 1.0


def test_realtime_clock_refuses_a_non_positive_scale():
    with pytest.raises(ParameterError, match="initial_time_scale"):
        _clock(RealtimeClock, initial_time_scale=0.0)


# --- ManualClock -----------------------------------------------------------------------------------------
def test_manual_clock_jumps_when_slept_and_never_goes_back():
    clock = _clock(ManualClock, initial_timestamp=1_000)
    assert clock.timestamp() == 1_000 and clock.time() == 1e-6
    real = time.monotonic()
    clock.sleep_for(3_600 * 1_000 * MS)   # an hour, at once
    assert time.monotonic() - real < 0.1
    assert clock.timestamp() == 1_000 + 3_600_000 * MS
    clock.sleep_until(0)                 # the past: nothing happens
    assert clock.timestamp() == 1_000 + 3_600_000 * MS
    clock.advance_by(5)
    assert clock.timestamp() == 1_000 + 3_600_000 * MS + 5
    with pytest.raises(GxfError, match="cannot go back"):
        clock.advance_to(0)


def test_manual_clock_tells_listeners_when_advanced_from_outside():
    clock = _clock(ManualClock)
    calls = []
    clock.add_listener(lambda: calls.append(clock.timestamp()))
    clock.advance_to(10)
    clock.sleep_until(20)                # the scheduler's own jumps are not reported
    assert calls == [10]


# --- SyntheticClock -----------------------------------------------------------------------------------------
def test_synthetic_clock_sleep_until_blocks_until_advanced():
    clock = _clock(SyntheticClock, initial_timestamp=100)
    woke_at = []

    def sleeper():
        clock.sleep_until(300)
        woke_at.append(clock.timestamp())

    thread = threading.Thread(target=sleeper)
    thread.start()
    clock.advance_to(200)
    time.sleep(0.02)
    assert woke_at == [] and thread.is_alive()   # not there yet
    clock.advance_by(150)
    thread.join(2)
    assert woke_at == [350]
    assert clock.time() == pytest.approx(350e-9)


def test_synthetic_clock_sleep_returns_when_the_wake_event_is_set():
    clock = _clock(SyntheticClock)
    wake = threading.Event()
    threading.Timer(0.01, wake.set).start()
    real = time.monotonic()
    clock.sleep_until(10**12, wake)
    assert time.monotonic() - real < 1.0 and clock.timestamp() == 0


def test_synthetic_clock_never_goes_back():
    clock = _clock(SyntheticClock, initial_timestamp=50)
    with pytest.raises(GxfError, match="cannot go back"):
        clock.advance_to(10)
    assert clock.timestamp() == 50


@pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)
def test_a_synthetic_clock_driven_by_another_thread_paces_the_schedule(kind):
    with Context() as ctx:
        entity = ctx.create_entity("periodic")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=10 * MS)
        entity.add(CountSchedulingTerm, count=4)
        _, clock = S.add_scheduler(ctx, kind, clock_cls=SyntheticClock)
        driver = S.run_async(ctx)
        deadline = time.monotonic() + 5
        for step in range(1, 4):
            while recorder.ticks < step and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(0.005)
            assert recorder.ticks == step        # nothing more until the clock is advanced
            clock.advance_by(10 * MS)
        ctx.wait()
        if driver is not None:
            driver.join(2)
        assert [sample[0] for sample in recorder.samples] == [0, 10 * MS, 20 * MS, 30 * MS]
