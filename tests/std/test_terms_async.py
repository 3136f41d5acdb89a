"""AsynchronousSchedulingTerm: event states, their conditions, notifications from any thread."""

from __future__ import annotations


import pytest

from gxf.core import Context
from gxf.std.async_scheduling_term import AsynchronousEventState, AsynchronousSchedulingTerm
from gxf.std.scheduling_condition import NEVER, READY, WAIT, WAIT_EVENT
from gxf.std.scheduling_terms import CountSchedulingTerm

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left


def test_event_states_have_gxfs_values():
    assert [(s.name, s.value) for s in AsynchronousEventState] == [
        ("READY", 0), ("WAIT", 1), ("EVENT_WAITING", 2), ("EVENT_DONE", 3), ("EVENT_NEVER", 4)]


def test_each_state_gives_its_condition_and_only_waking_states_notify():
    with Context() as ctx:
        term = ctx.create_entity("e").add(AsynchronousSchedulingTerm, "async")
        ctx.activate()
        notified = []
        term.add_change_listener(lambda: notified.append(term.get_event_state()))
        assert term.check(0)[0] is READY and term.event_state is AsynchronousEventState.READY
        expected = {"WAIT": WAIT, "EVENT_WAITING": WAIT_EVENT, "EVENT_DONE": READY, "READY": READY,
                    "EVENT_NEVER": NEVER}
        for name, condition in expected.items():
            term.set_event_state(AsynchronousEventState[name])
            assert term.check(0)[0] is condition, name
        assert [s.name for s in notified] == ["EVENT_DONE", "READY", "EVENT_NEVER"]
        term.event_state = "event_waiting"
        assert term.getEventState() is AsynchronousEventState.EVENT_WAITING
        term.setEventState(3)
        assert term.check(0)[0] is READY


@pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)
def test_executing_the_entity_leaves_the_state_as_it_was(kind):
    # As in GXF, a tick does not reset the state: an entity left READY keeps ticking.
    with Context() as ctx:
        entity = ctx.create_entity("e")
        recorder = entity.add(S.Recorder, "rec")
        term = entity.add(AsynchronousSchedulingTerm, "async")
        entity.add(CountSchedulingTerm, count=4)
        S.add_scheduler(ctx, kind)
        S.run(ctx)
        assert recorder.ticks == 4
        assert term.get_event_state() is AsynchronousEventState.READY


@pytest.mark.parametrize("kind", S.SCHEDULER_NAMES)
def test_event_never_ends_the_entity(kind):
    class OnceThenNever(S.Recorder):
        def tick(self):
            super().tick()
            self.entity.find("async").set_event_state(AsynchronousEventState.EVENT_NEVER)

    with Context() as ctx:
        entity = ctx.create_entity("e")
        recorder = entity.add(OnceThenNever, "rec")
        entity.add(AsynchronousSchedulingTerm, "async")
        S.add_scheduler(ctx, kind)
        S.run(ctx)
        assert recorder.ticks == 1
        assert [event for _, event, _ in recorder.log][-1] == "stop"
