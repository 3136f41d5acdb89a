"""A failed activation is undone, and its first failure stays the one reported."""

import logging

import pytest

from gxf.core import ExecutionError

GRAPH = """
    name: a
    components:
    - name: r1
      type: test::Recorder
    - name: r2
      type: test::Recorder
    ---
    name: b
    components:
    - name: r3
      type: test::Recorder
    ---
    name: sched
    components:
    - name: s
      type: test::TestScheduler
    """


def lifecycle(events):
    return [(what, where) for what, where in events if what in ("initialize", "deinitialize")]


def _failing_deinitialize(ext, monkeypatch, who):
    recorder = ext.Recorder
    original = recorder.deinitialize

    def deinitialize(self):
        original(self)
        if self.name in who:
            raise RuntimeError(f"cannot let go of {self.name}")

    monkeypatch.setattr(recorder, "deinitialize", deinitialize)


def test_rollback_failure_does_not_hide_the_activation_failure(load, context, ext, monkeypatch, caplog):
    _failing_deinitialize(ext, monkeypatch, {"r2", "r1"})
    load(GRAPH.replace("name: r3\n      type: test::Recorder",
                       "name: r3\n      type: test::Recorder\n      parameters: {fail_on_initialize: true}"))
    with caplog.at_level(logging.ERROR, logger="gxf"), pytest.raises(ExecutionError) as info:
        context.run()
    assert "'b/r3'" in str(info.value) and "failed in initialize()" in str(info.value)
    assert "deinitialize" not in str(info.value)
    # every initialized component was still rolled back, and both rollback failures were logged
    assert lifecycle(ext.EVENTS)[-2:] == [("deinitialize", "a/r2"), ("deinitialize", "a/r1")]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "cannot let go of r2" in logged and "cannot let go of r1" in logged


def test_deactivate_raises_the_first_deinitialize_failure_and_logs_the_rest(load, context, ext, monkeypatch,
                                                                          caplog):
    _failing_deinitialize(ext, monkeypatch, {"r3", "r1"})
    load(GRAPH)
    context.run()
    with caplog.at_level(logging.ERROR, logger="gxf"), pytest.raises(ExecutionError, match="of r3"):
        context.deactivate()
    assert "cannot let go of r1" in "\n".join(r.getMessage() for r in caplog.records)
    assert lifecycle(ext.EVENTS)[-3:] == [("deinitialize", "b/r3"), ("deinitialize", "a/r2"),
                                         ("deinitialize", "a/r1")]
