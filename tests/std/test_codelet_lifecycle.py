"""The life of a codelet: initialize once, start on the first execution (no tick then), ticks in
declaration order, stop once, deinitialize once; execution data; failures anywhere stop everything."""

from __future__ import annotations

import time

import pytest

from gxf.core import Context, load_graph_text
from gxf.std.clock import RealtimeClock
from gxf.std.entity_executor import CodeletFailure
from gxf.std.greedy_scheduler import GreedyScheduler
from gxf.std.scheduling_terms import BooleanSchedulingTerm, CountSchedulingTerm, PeriodicSchedulingTerm

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left
MS = 1_000_000


def _events(log, who=None):
    return [event for name, event, _ in log if who is None or name == who]


def test_the_first_execution_starts_and_does_not_tick():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(CountSchedulingTerm, count=1)
        S.add_scheduler(ctx, "greedy")
        ctx.activate()
        scheduler = S.scheduler_of(ctx)
        item = scheduler.executor.items[0]
        assert _events(recorder.log) == ["initialize"]
        item.execute(0)
        assert _events(recorder.log) == ["initialize", "start"]
        item.execute(0)
        assert _events(recorder.log) == ["initialize", "start", "tick"]
        item.execute(0)   # the count is used up: NEVER stops the entity
        item.execute(0)   # ... once
        assert _events(recorder.log) == ["initialize", "start", "tick", "stop"]
    assert _events(recorder.log) == ["initialize", "start", "tick", "stop", "deinitialize"]


def test_an_entity_that_never_ticks_is_still_started_and_stopped():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(BooleanSchedulingTerm, enable_tick=False)
        S.add_scheduler(ctx, "greedy")
        S.run(ctx)
        assert _events(recorder.log) == ["initialize", "start", "stop"]


def test_entities_without_codelets_are_not_scheduled():
    with Context() as ctx:
        ctx.create_entity("only_terms").add(CountSchedulingTerm, count=3)
        entity = ctx.create_entity("e")
        entity.add(S.Recorder, "rec")
        entity.add(CountSchedulingTerm, count=2)
        scheduler, _ = S.add_scheduler(ctx, "greedy")
        ctx.activate()
        assert [item.name for item in scheduler.executor.items] == ["e"]


def test_execution_data_follows_the_manual_clock():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period="100ms")
        entity.add(CountSchedulingTerm, count=4)
        _, clock = S.add_scheduler(ctx, "greedy")
        clock.set_param("initial_timestamp", 2_000 * MS)
        S.run(ctx)
    timestamps = [2_000 * MS + i * 100 * MS for i in range(4)]
    assert [s[0] for s in recorder.samples] == timestamps                       # get_execution_timestamp
    assert [s[1] for s in recorder.samples] == pytest.approx([t / 1e9 for t in timestamps])  # seconds
    assert [s[2] for s in recorder.samples] == pytest.approx([0.0, 0.1, 0.1, 0.1])  # since start / last tick
    assert [s[3] for s in recorder.samples] == [1, 2, 3, 4]                     # get_execution_count
    assert [s[4] for s in recorder.samples] == [True, False, False, False]      # is_first_tick


def test_a_failure_names_the_codelet_its_entity_and_its_place_in_the_graph_file():
    text = """
name: worker
components:
- name: failing
  type: nvidia::gxf::test::MockFailure
  parameters:
    num_max_ticks: 2
- type: nvidia::gxf::CountSchedulingTerm
  parameters:
    count: 5
---
name: sched
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters:
    clock: clock
"""
    with Context() as ctx:
        load_graph_text(ctx, text, "pipeline.yaml")
        with pytest.raises(CodeletFailure) as caught:
            ctx.run()
        codelet = ctx.find_component("worker/failing")
        assert codelet.current_ticks == 2
    message = str(caught.value)
    assert message.startswith("pipeline.yaml:4: codelet 'worker/failing' (nvidia::gxf::test::MockFailure) "
                              "failed in tick()")
    assert "num_max_ticks (2)" in message
    assert caught.value.exit_code == 1


def test_a_failure_in_stop_is_reported_after_every_codelet_had_its_stop():
    log: list = []
    with pytest.raises(CodeletFailure, match="refuses to stop"):
        with Context() as ctx:
            entity = ctx.create_entity("e")
            first = entity.add(S.Recorder, "first")
            first.log, first.fail_in = log, "stop"
            entity.add(S.Recorder, "second").log = log
            entity.add(CountSchedulingTerm, count=2)
            S.add_scheduler(ctx, "greedy")
            S.run(ctx)
    assert _events(log, "first").count("stop") == 1
    assert _events(log, "second").count("stop") == 1
    assert _events(log, "second")[-1] == "deinitialize"


def test_deactivating_a_running_graph_stops_and_deinitializes_everything_once():
    with Context() as ctx:
        entity = ctx.create_entity("forever")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(PeriodicSchedulingTerm, recess_period=1 * MS)
        S.add_scheduler(ctx, "event_based", clock_cls=RealtimeClock)
        ctx.run_async()
        deadline = time.monotonic() + 5
        while recorder.ticks < 2 and time.monotonic() < deadline:
            time.sleep(0.001)
    events = _events(recorder.log)
    assert events[:2] == ["initialize", "start"]
    assert events[-2:] == ["stop", "deinitialize"]
    assert events.count("stop") == 1 and events.count("deinitialize") == 1


def test_a_graph_without_a_scheduler_gets_a_greedy_scheduler_on_a_realtime_clock():
    with Context() as ctx:
        entity = ctx.create_entity("e")
        recorder = entity.add(S.Recorder, "rec")
        entity.add(CountSchedulingTerm, count=3)
        ctx.run()
        schedulers = list(ctx.components(GreedyScheduler))
        assert len(schedulers) == 1
        assert isinstance(schedulers[0].clock, RealtimeClock)
        assert schedulers[0].stop_on_deadlock is True
        assert recorder.ticks == 3
