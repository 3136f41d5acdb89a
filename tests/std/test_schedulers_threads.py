"""MultiThreadScheduler and EventBasedScheduler: exclusive execution, pinned thread pools, events instead of
polling, parallel blocking ticks, deadlock handling with outside changes."""

from __future__ import annotations

import threading
import time

import pytest

from gxf.core import Context, GxfError, ParameterError, load_graph_text
from gxf.std.clock import RealtimeClock
from gxf.std.connection import Connection
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.scheduler import SchedulerInterrupted
from gxf.std.scheduling_terms import (CountSchedulingTerm, DownstreamReceptiveSchedulingTerm,
                                      MessageAvailableSchedulingTerm, PeriodicSchedulingTerm)
from gxf.std.thread_pool import CPUThread, ThreadPool

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left
MS = 1_000_000


class Exclusive(S.Collector):
    """A Collector that notices when two threads are inside its tick at once."""

    overlaps = 0

    def initialize(self):
        self.inside = False

    def tick(self):
        if self.inside:
            type(self).overlaps += 1
        self.inside = True
        time.sleep(0.0002)        # lets other threads run meanwhile
        super().tick()
        self.inside = False


@pytest.mark.parametrize("kind", S.THREADED)
def test_no_entity_is_ever_executed_by_two_threads_at_once(kind):
    Exclusive.overlaps = 0
    with Context() as ctx:
        sink = ctx.create_entity("sink")
        inbox = sink.add(DoubleBufferReceiver, "in", capacity=8)
        collector = sink.add(Exclusive, "collect")
        collector.rx = inbox
        sink.add(MessageAvailableSchedulingTerm, receiver=inbox, min_size=1)
        senders = []
        for index in range(4):                   # four sources fan into one sink (M:1)
            source = ctx.create_entity(f"source{index}")
            out = source.add(DoubleBufferTransmitter, "out", capacity=2)
            sender = source.add(S.Sender, "send")
            sender.tx = out
            source.add(CountSchedulingTerm, count=50)
            source.add(DownstreamReceptiveSchedulingTerm, transmitter=out, min_size=4)
            ctx.create_entity(f"edge{index}").add(Connection, source=out, target=inbox)
            senders.append(sender)
        S.add_scheduler(ctx, kind, worker_thread_number=4)
        S.run(ctx)
        assert Exclusive.overlaps == 0
        assert len(collector.values) == 200
        assert all(sender.sent == 50 for sender in senders)


@pytest.mark.parametrize("kind", S.THREADED)
def test_blocking_ticks_of_independent_entities_run_in_parallel(kind):
    intervals = {"a": [], "b": []}

    class Blocking(S.Recorder):
        def tick(self):
            start = time.monotonic()
            time.sleep(0.02)                     # like I/O: the GIL is free meanwhile
            intervals[self.name].append((start, time.monotonic()))
            super().tick()

    with Context() as ctx:
        for name in intervals:
            entity = ctx.create_entity(name)
            entity.add(Blocking, name)
            entity.add(CountSchedulingTerm, count=3)
        S.add_scheduler(ctx, kind, worker_thread_number=2)
        S.run(ctx)
    overlapping = [(a, b) for a in intervals["a"] for b in intervals["b"] if a[0] < b[1] and b[0] < a[1]]
    assert overlapping, "the two entities never ticked at the same time"


def test_an_entity_nobody_sends_to_costs_nothing_per_tick_of_the_others():
    def build(kind):
        ctx = Context()
        S.ping_graph(ctx, 300)
        idle = ctx.create_entity("idle")
        idle.add(S.Recorder, "rec")
        idle.add(MessageAvailableSchedulingTerm, receiver=idle.add(DoubleBufferReceiver, "in"))
        counter = idle.add(S.CountingTerm, "counter")
        S.add_scheduler(ctx, kind, stop_on_deadlock_timeout=-1, max_duration_ms=10_000)
        return ctx, counter

    ctx, counter = build("event_based")
    with ctx:
        S.run_async(ctx)
        rx = ctx.find_component("rx/ping")
        deadline = time.monotonic() + 5
        while rx.count < 300 and time.monotonic() < deadline:
            time.sleep(0.005)
        ctx.interrupt()
        with pytest.raises(SchedulerInterrupted):
            ctx.wait()
        assert rx.count == 300
        assert counter.checks == 1               # once, finding WAIT; never again
    ctx, counter = build("greedy")
    with ctx:
        S.run_async(ctx)
        rx = ctx.find_component("rx/ping")
        deadline = time.monotonic() + 5
        while rx.count < 300 and time.monotonic() < deadline:
            time.sleep(0.005)
        ctx.interrupt()
        with pytest.raises(SchedulerInterrupted):
            ctx.wait()
        assert counter.checks > 300              # the greedy scheduler checks it every round


# --- pinned thread pools ------------------------------------------------------------------------------------
PINNED_GRAPH = """
name: pinned
components:
- name: cpu
  type: nvidia::gxf::CPUThread
  parameters:
    pin_entity: true
- name: periodic
  type: nvidia::gxf::PeriodicSchedulingTerm
  parameters:
    recess_period: 1ms
- type: nvidia::gxf::CountSchedulingTerm
  parameters:
    count: 20
---
name: pools
components:
- name: pool
  type: nvidia::gxf::ThreadPool
  parameters:
    initial_size: 1
---
EntityGroups:
- name: group
  target: [pinned, pools]
"""


@pytest.mark.parametrize("kind, params", [("event_based", {}), ("multi_thread", {}),
                                          ("multi_thread", {"strict_job_thread_pinning": True})])
def test_a_pinned_entity_always_ticks_on_its_own_thread(kind, params):
    with Context() as ctx:
        load_graph_text(ctx, PINNED_GRAPH, "pinned.yaml")
        pinned = ctx.find_entity("pinned").add(S.Recorder, "rec")
        others = []
        for index in range(3):
            entity = ctx.create_entity(f"free{index}")
            others.append(entity.add(S.Recorder, "rec"))
            entity.add(PeriodicSchedulingTerm, recess_period=1 * MS)
            entity.add(CountSchedulingTerm, count=20)
        scheduler, _ = S.add_scheduler(ctx, kind, clock_cls=RealtimeClock, worker_thread_number=2, **params)
        S.run(ctx)
        assert pinned.ticks == 20
        assert set(pinned.threads) == {"gxf-pool-pinned"}
        assert "gxf-pool-pinned" in scheduler.worker_threads()
        pool = ctx.find_component("pools/pool")
        assert pool.pinned == [ctx.find_entity("pinned")] and pool.size() == 2
        if kind == "event_based" or params:
            for recorder in others:                  # strict: the pinned thread runs nothing else
                assert "gxf-pool-pinned" not in recorder.threads


def test_pinning_needs_a_thread_pool():
    with Context() as ctx:
        entity = ctx.create_entity("lonely")
        entity.add(S.Recorder, "rec")
        entity.add(CPUThread, pin_entity=True)
        entity.add(CountSchedulingTerm, count=1)
        S.add_scheduler(ctx, "event_based")
        with pytest.raises(GxfError, match="no ThreadPool is visible"):
            ctx.activate()


def test_a_pool_in_the_entity_itself_and_cpu_thread_without_pinning():
    with Context() as ctx:
        entity = ctx.create_entity("self_pooled")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(ThreadPool, "mine")
        entity.add(CPUThread, pin_entity=True)
        entity.add(CountSchedulingTerm, count=3)
        loose = ctx.create_entity("loose")
        other = loose.add(S.Recorder, "rec")
        loose.add(CPUThread, pin_entity=False)
        loose.add(CountSchedulingTerm, count=3)
        S.add_scheduler(ctx, "event_based")
        S.run(ctx)
        assert set(recorder.threads) == {"gxf-mine-self_pooled"}
        assert all(name.startswith("gxf-worker-") for name in other.threads)


@pytest.mark.parametrize("params, key", [({"priority": 3}, "priority"),
                                         ({"initial_size": -1}, "initial_size")])
def test_thread_pool_parameters_are_checked(params, key):
    with Context() as ctx:
        ctx.create_entity("e").add(ThreadPool, "pool", **params)
        with pytest.raises(ParameterError, match=f"parameter '{key}' of component 'e/pool'"):
            ctx.activate()


# --- deadlocks, outside changes, polling --------------------------------------------------------------------
def _switched_graph(ctx, kind, **params):
    entity = ctx.create_entity("switched")
    recorder = entity.add(S.Recorder, "rec")
    switch = entity.add(S.Switch, "switch")
    entity.add(CountSchedulingTerm, count=1)
    scheduler, _ = S.add_scheduler(ctx, kind, **params)
    return recorder, switch, scheduler


@pytest.mark.parametrize("kind", S.THREADED + ["greedy"])
def test_without_stop_on_deadlock_a_notified_change_ends_the_wait(kind):
    with Context() as ctx:
        recorder, switch, _ = _switched_graph(ctx, kind, stop_on_deadlock=False)
        S.run_async(ctx)
        time.sleep(0.03)
        assert recorder.ticks == 0
        switch.flip(True)                         # notify_change from this thread
        ctx.wait()                                # the count ends the run
        assert recorder.ticks == 1


def test_the_multi_thread_scheduler_polls_waiting_entities_the_event_based_one_does_not():
    with Context() as ctx:
        recorder, switch, _ = _switched_graph(ctx, "multi_thread", stop_on_deadlock=False,
                                              check_recession_period_ms=5)
        S.run_async(ctx)
        time.sleep(0.02)
        switch.flip(True, silent=True)            # no notification: only a poll can see it
        ctx.wait()
        assert recorder.ticks == 1
    with Context() as ctx:
        recorder, switch, _ = _switched_graph(ctx, "event_based", stop_on_deadlock=False)
        S.run_async(ctx)
        time.sleep(0.01)
        checks = switch.checks
        switch.flip(True, silent=True)
        time.sleep(0.05)
        assert recorder.ticks == 0 and switch.checks == checks   # nobody looked
        ctx.interrupt()
        with pytest.raises(SchedulerInterrupted):
            ctx.wait()


@pytest.mark.parametrize("kind", S.THREADED + ["greedy"])
def test_stop_on_deadlock_timeout_waits_for_new_work_before_stopping(kind):
    class OneShot(S.Recorder):
        def tick(self):
            super().tick()
            self.entity.find("switch").flip(False, silent=True)   # ticks once per flip

    with Context() as ctx:
        entity = ctx.create_entity("switched")
        recorder = entity.add(OneShot, "rec")
        switch = entity.add(S.Switch, "switch")
        scheduler, _ = S.add_scheduler(ctx, kind, stop_on_deadlock_timeout=300)
        started = time.monotonic()
        S.run_async(ctx)
        time.sleep(0.05)
        flipped = time.monotonic() - started
        switch.flip(True)                         # work comes in during the wait: the timeout restarts
        ctx.wait()
        elapsed = time.monotonic() - started
        assert recorder.ticks == 1
        assert elapsed >= flipped + 0.3 - 0.01
        assert "deadlock" in scheduler.stop_reason


@pytest.mark.parametrize("kind", S.THREADED)
def test_max_duration_stops_busy_workers(kind):
    with Context() as ctx:
        ping_tx, ping_rx = S.ping_graph(ctx, 10**9)
        S.add_scheduler(ctx, kind, clock_cls=RealtimeClock, max_duration_ms=50)
        started = time.monotonic()
        S.run(ctx)
        assert 0.04 <= time.monotonic() - started < 2.0
        assert 0 < ping_rx.count <= ping_tx.count


@pytest.mark.parametrize("kind", S.THREADED)
def test_interrupt_waits_for_ticks_in_progress(kind):
    with Context() as ctx:
        for name in ("a", "b"):
            entity = ctx.create_entity(name)
            recorder = entity.add(S.SleepyRecorder, name)
            recorder.sleep_s = 0.03
        S.add_scheduler(ctx, kind, worker_thread_number=2)
        S.run_async(ctx)
        time.sleep(0.05)
        threading.Thread(target=ctx.interrupt).start()
        with pytest.raises(SchedulerInterrupted):
            ctx.wait()
        for name in ("a", "b"):
            recorder = ctx.find_component(f"{name}/{name}")
            events = [event for _, event, _ in recorder.log]
            assert events[-1] == "stop" and events.count("stop") == 1


@pytest.mark.parametrize("kind", S.THREADED)
def test_at_least_one_worker_thread(kind):
    with Context() as ctx:
        ctx.create_entity("e").add(S.Recorder, "rec")
        S.add_scheduler(ctx, kind, worker_thread_number=0)
        with pytest.raises(ParameterError, match="worker_thread_number"):
            ctx.activate()
