"""Codelets, terms and graph builders shared by the scheduling tests (loaded by each test module).

``SCHEDULERS`` names the four schedulers; ``run(ctx)`` runs a graph to its end on any of them (the
EpochScheduler through a small runner loop that advances a ManualClock as the greedy scheduler would).
"""

from __future__ import annotations

import threading
import time

import pytest

from gxf.core import Component, Context, MessageEntity
from gxf.sample.ping import PingRx, PingTx
from gxf.std.clock import ManualClock, RealtimeClock
from gxf.std.codelet import Codelet
from gxf.std.connection import Connection
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.epoch_scheduler import EpochScheduler
from gxf.std.event_based_scheduler import EventBasedScheduler
from gxf.std.greedy_scheduler import GreedyScheduler
from gxf.std.multi_thread_scheduler import MultiThreadScheduler
from gxf.std.scheduling_condition import READY, WAIT_NOW
from gxf.std.scheduling_term import SchedulingTerm
from gxf.std.scheduling_terms import (CountSchedulingTerm, DownstreamReceptiveSchedulingTerm,
                                      MessageAvailableSchedulingTerm)

SCHEDULERS = {
    "greedy": (GreedyScheduler, {}),
    "multi_thread": (MultiThreadScheduler, {"worker_thread_number": 2, "check_recession_period_ms": 0}),
    "event_based": (EventBasedScheduler, {"worker_thread_number": 2}),
    "epoch": (EpochScheduler, {}),
}
SCHEDULER_NAMES = list(SCHEDULERS)
THREADED = ["multi_thread", "event_based"]


class Recorder(Codelet):
    """Appends ``(name, event, timestamp_ns)`` to a shared ``log`` for each lifecycle call; can fail on cue.

    ``fail_in`` = "start" / "tick" / "stop" raises there (for "tick": at tick number ``fail_at``).
    ``samples`` keeps the execution data seen in each tick.
    """

    def __init__(self) -> None:
        super().__init__()
        self.log: list = []
        self.fail_in: str | None = None
        self.fail_at = 1
        self.ticks = 0
        self.samples: list = []
        self.threads: list = []

    def _note(self, event: str) -> None:
        self.log.append((self.name, event, self.get_execution_timestamp()))

    def initialize(self) -> None:
        self.log.append((self.name, "initialize", None))

    def deinitialize(self) -> None:
        self.log.append((self.name, "deinitialize", None))

    def start(self) -> None:
        self._note("start")
        if self.fail_in == "start":
            raise RuntimeError(f"{self.name} refuses to start")

    def tick(self) -> None:
        self.ticks += 1
        self._note("tick")
        self.threads.append(threading.current_thread().name)
        self.samples.append((self.get_execution_timestamp(), self.get_execution_time(), self.get_delta_time(),
                             self.get_execution_count(), self.is_first_tick()))
        if self.fail_in == "tick" and self.ticks == self.fail_at:
            raise ValueError(f"{self.name} broke in tick {self.ticks}")

    def stop(self) -> None:
        self._note("stop")
        if self.fail_in == "stop":
            raise RuntimeError(f"{self.name} refuses to stop")


class SleepyRecorder(Recorder):
    """A Recorder whose tick sleeps ``sleep_s`` of real time (releasing the GIL, like I/O would)."""

    def __init__(self) -> None:
        super().__init__()
        self.sleep_s = 0.0

    def tick(self) -> None:
        time.sleep(self.sleep_s)
        super().tick()


class Seq(Component):
    """A message's sequence number."""

    def __init__(self, value: int = 0) -> None:
        super().__init__()
        self.value = value


class Sender(Codelet):
    """Publishes messages numbered 1, 2, 3... on ``tx``."""

    def __init__(self) -> None:
        super().__init__()
        self.tx = None
        self.sent = 0

    def tick(self) -> None:
        self.sent += 1
        message = MessageEntity(self.context)
        message.add(Seq(self.sent), "seq")
        self.tx.publish(message)


class Collector(Codelet):
    """Receives everything on ``rx`` each tick and keeps the sequence numbers (and ``forward`` them)."""

    def __init__(self) -> None:
        super().__init__()
        self.rx = None
        self.forward = None
        self.values: list = []

    def tick(self) -> None:
        while True:
            message = self.rx.receive()
            if message is None:
                break
            self.values.append(message.find("seq").value)
            if self.forward is not None:
                self.forward.publish(message)


class CountingTerm(SchedulingTerm):
    """Always READY; counts how often it is checked (to prove an entity is not polled)."""

    checks = 0

    def check(self, timestamp: int) -> tuple:
        self.checks += 1
        return (READY, timestamp)


class Switch(SchedulingTerm):
    """READY while ``on``; flipping it from outside calls notify_change (or not, with ``silent``)."""

    def initialize(self) -> None:
        self.on = False
        self.checks = 0

    def check(self, timestamp: int) -> tuple:
        self.checks += 1
        return (READY, timestamp) if self.on else WAIT_NOW

    def flip(self, on: bool, silent: bool = False) -> None:
        self.on = on
        if not silent:
            self.notify_change()


def add_scheduler(ctx: Context, kind: str, clock_cls=ManualClock, entity: str = "sched", **params):
    """Adds a scheduler of ``kind`` (a key of SCHEDULERS) with a clock; returns (scheduler, clock)."""
    cls, defaults = SCHEDULERS[kind]
    sched_entity = ctx.create_entity(entity)
    clock = sched_entity.add(clock_cls, "clock")
    values = dict(defaults)
    values.update(params)
    if cls is EpochScheduler:
        for key in ("stop_on_deadlock", "stop_on_deadlock_timeout", "check_recession_period_ms",
                    "worker_thread_number"):
            values.pop(key, None)
    elif cls is GreedyScheduler:
        values.pop("worker_thread_number", None)
    elif cls is EventBasedScheduler:
        values.pop("check_recession_period_ms", None)
    scheduler = sched_entity.add(cls, "scheduler", clock=clock, **values)
    return scheduler, clock


def ping_graph(ctx: Context, count: int, capacity: int = 1):
    """tx (PingTx, Count, DownstreamReceptive) -> rx (PingRx, MessageAvailable); returns both codelets."""
    tx = ctx.create_entity("tx")
    signal = tx.add(DoubleBufferTransmitter, "signal", capacity=capacity)
    ping_tx = tx.add(PingTx, "ping", signal=signal)
    tx.add(CountSchedulingTerm, "count", count=count)
    tx.add(DownstreamReceptiveSchedulingTerm, "receptive", transmitter=signal, min_size=1)
    rx = ctx.create_entity("rx")
    inbox = rx.add(DoubleBufferReceiver, "signal", capacity=capacity)
    ping_rx = rx.add(PingRx, "ping", signal=inbox)
    rx.add(MessageAvailableSchedulingTerm, "available", receiver=inbox, min_size=1)
    ctx.create_entity("edge").add(Connection, source=signal, target=inbox)
    return ping_tx, ping_rx


def chain_graph(ctx: Context, count: int, stages: int = 3, capacity: int = 2):
    """source (Sender) -> stages x Collector forwarding -> sink (Collector); returns (sender, collectors)."""
    source = ctx.create_entity("source")
    out = source.add(DoubleBufferTransmitter, "out", capacity=capacity)
    sender = source.add(Sender, "send")
    sender.tx = out
    source.add(CountSchedulingTerm, "count", count=count)
    source.add(DownstreamReceptiveSchedulingTerm, "receptive", transmitter=out, min_size=1)
    collectors = []
    for index in range(stages + 1):
        stage = ctx.create_entity(f"stage{index}")
        inbox = stage.add(DoubleBufferReceiver, "in", capacity=capacity)
        collector = stage.add(Collector, "collect")
        collector.rx = inbox
        stage.add(MessageAvailableSchedulingTerm, "available", receiver=inbox, min_size=1)
        ctx.create_entity(f"edge{index}").add(Connection, source=out, target=inbox)
        if index < stages:
            out = stage.add(DoubleBufferTransmitter, "out", capacity=capacity)
            collector.forward = out
            stage.add(DownstreamReceptiveSchedulingTerm, "receptive", transmitter=out, min_size=capacity)
        collectors.append(collector)
    return sender, collectors


def scheduler_of(ctx: Context):
    return ctx.find_component("sched/scheduler")


def drive_epochs(scheduler: EpochScheduler, clock) -> None:
    """Runs epochs until the run ends; jumps a ManualClock to the next due entity; stops on deadlock."""
    while scheduler.is_running():
        if scheduler.run_epoch(0) or not scheduler.is_running():
            continue
        target = scheduler.next_target_timestamp()
        if target is not None:
            if clock.jumps:
                clock.advance_to(target)
            else:
                clock.sleep_until(target)
        elif scheduler.waiting_for_events():
            time.sleep(0.001)
        else:
            scheduler.stop()  # every entity waits and nothing can end the wait


def run(ctx: Context) -> None:
    """Runs the graph to its end with whatever scheduler it has (activates it first)."""
    ctx.activate()
    scheduler = scheduler_of(ctx)
    if isinstance(scheduler, EpochScheduler):
        ctx.run_async()
        drive_epochs(scheduler, scheduler.active_clock())
        ctx.wait()
    else:
        ctx.run()


def run_async(ctx: Context):
    """Starts the graph; for the EpochScheduler a thread of the test drives the epochs (returned)."""
    ctx.activate()
    scheduler = scheduler_of(ctx)
    ctx.run_async()
    if isinstance(scheduler, EpochScheduler):
        driver = threading.Thread(target=drive_epochs, args=(scheduler, scheduler.active_clock()),
                                  name="epoch-driver", daemon=True)
        driver.start()
        return driver
    return None


def gxf_threads() -> set:
    return {t for t in threading.enumerate() if t.name.startswith(("gxf-", "epoch-driver"))}


@pytest.fixture(autouse=True)
def no_thread_left():
    """Fails a test that leaves scheduler threads running."""
    before = gxf_threads()
    yield
    deadline = time.monotonic() + 2.0
    while gxf_threads() - before and time.monotonic() < deadline:
        time.sleep(0.01)
    left = gxf_threads() - before
    assert not left, f"threads left running: {sorted(t.name for t in left)}"


__all__ = ["Context", "RealtimeClock", "ManualClock"]
