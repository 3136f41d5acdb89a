"""Logging while graphs run: GXF severities (PANIC 0 .. VERBOSE 5, GXF_LOG_LEVEL), records that name the
entity and component, and nothing formatted below the active level."""

from __future__ import annotations

import logging

import pytest

from gxf.core import Context, log
from gxf.std.scheduling_terms import CountSchedulingTerm

import gxf_std_scheduling_support as S  # noqa: E402 - loaded by conftest.py

no_thread_left = S.no_thread_left


@pytest.fixture(autouse=True)
def restore_gxf_logger_level():
    logger = logging.getLogger("gxf")
    level = logger.level
    yield
    logger.setLevel(level)


class Formatted:
    """A log argument that counts how often it is turned into text."""

    def __init__(self):
        self.calls = 0

    def __str__(self):
        self.calls += 1
        return "formatted"


class Chatty(S.Recorder):
    """Logs at every severity each tick, with a counting argument."""

    def initialize(self):
        super().initialize()
        self.argument = Formatted()

    def tick(self):
        super().tick()
        self.logger.log(log.VERBOSE, "verbose %s", self.argument)
        self.logger.debug("debug %s", self.argument)
        self.logger.info("info %s", self.argument)
        self.logger.warning("warning %s", self.argument)


def _run_chatty(kind="greedy"):
    with Context() as ctx:
        entity = ctx.create_entity("talker")
        chatty = entity.add(Chatty, "chatty")
        entity.add(CountSchedulingTerm, count=5)
        S.add_scheduler(ctx, kind)
        S.run(ctx)
    return chatty


@pytest.mark.parametrize("severity, per_tick", [(0, 0), (1, 0), (2, 1), (3, 2), (4, 3), (5, 4)])
def test_records_below_the_severity_are_never_formatted(severity, per_tick):
    log.set_severity(severity)
    control = Formatted()                      # how often the installed handlers format one emitted record
    logging.getLogger("gxf").critical("control %s", control)
    assert control.calls >= 1
    chatty = _run_chatty()
    assert chatty.argument.calls == control.calls * 5 * per_tick   # records below the severity: never


def test_the_severity_comes_from_gxf_log_level(monkeypatch):
    monkeypatch.setenv("GXF_LOG_LEVEL", "4")
    assert log.set_severity() == 4
    assert logging.getLogger("gxf").getEffectiveLevel() == logging.DEBUG
    monkeypatch.setenv("GXF_LOG_LEVEL", "VERBOSE")
    assert log.set_severity() == 5
    assert logging.getLogger("gxf").isEnabledFor(log.VERBOSE)


@pytest.mark.parametrize("kind", ["greedy", "event_based"])
def test_records_name_the_entity_and_component(kind, caplog):
    log.set_severity(3)
    with caplog.at_level(logging.INFO, logger="gxf"):
        _run_chatty(kind)
    messages = [r.getMessage() for r in caplog.records]
    assert "[talker/chatty] info formatted" in messages
    assert any(m.startswith("[sched/scheduler] scheduler stopped: no more entities") for m in messages)


def test_log_records_name_the_entity_and_the_component_or_its_type(caplog):
    from gxf.std.clock import ManualClock

    with Context() as ctx:
        entity = ctx.create_entity("timing")
        unnamed = entity.add(ManualClock)
        named = entity.add(ManualClock, "clock")
        with caplog.at_level(logging.WARNING, logger="gxf"):
            unnamed.logger.warning("from the unnamed one")
            named.logger.warning("from the named one")
    assert "[timing/ManualClock] from the unnamed one" in caplog.text
    assert "[timing/clock] from the named one" in caplog.text
