"""The scheduling wing's public contracts, used from code outside gxf.std.

- A scheduling term defined here declares what it waits on (``waits_on``) and is scheduled by those
  events, without polling, on the Greedy, MultiThread and EventBased schedulers.
- A router queue listener hears every arrival and departure.
- Entities are deactivated and activated again while the graph runs, on all four schedulers.
"""

from __future__ import annotations

import threading
import time

import pytest

from gxf.core import Component, Context, MessageEntity
from gxf.std.clock import ManualClock, RealtimeClock
from gxf.std.codelet import Codelet
from gxf.std.connection import Connection
from gxf.std.double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from gxf.std.epoch_scheduler import EpochScheduler
from gxf.std.event_based_scheduler import EventBasedScheduler
from gxf.std.greedy_scheduler import GreedyScheduler
from gxf.std.multi_thread_scheduler import MultiThreadScheduler
from gxf.std.router import router_of
from gxf.std.scheduling_condition import READY_NOW, WAIT_NOW
from gxf.std.scheduling_term import ARRIVAL, NOTIFIES, QueueWait, SchedulingTerm, Waits
from gxf.std.scheduling_terms import CountSchedulingTerm, PeriodicSchedulingTerm

SCHEDULERS = {
    "greedy": (GreedyScheduler, {}),
    # A 1 ms recession period: a polled entity would be looked at dozens of times while it waits.
    "multi_thread": (MultiThreadScheduler, {"worker_thread_number": 2, "check_recession_period_ms": 1}),
    "event_based": (EventBasedScheduler, {"worker_thread_number": 2}),
    "epoch": (EpochScheduler, {}),
}
EVENT_DRIVEN = ["greedy", "multi_thread", "event_based"]


# --- pieces defined outside gxf.std ----------------------------------------------------------------
class Value(Component):
    def __init__(self, value: int = 0) -> None:
        super().__init__("value")
        self.value = value


class Source(Codelet):
    """Publishes 1, 2, 3... on ``tx``."""

    def __init__(self) -> None:
        super().__init__()
        self.tx = None
        self.sent = 0

    def tick(self) -> None:
        self.sent += 1
        message = MessageEntity(self.context)
        message.add(Value(self.sent))
        self.tx.publish(message)


class PairSink(Codelet):
    """Takes two messages per tick from ``rx``."""

    def __init__(self) -> None:
        super().__init__()
        self.rx = None
        self.pairs: list = []

    def tick(self) -> None:
        first, second = self.rx.receive(), self.rx.receive()
        self.pairs.append((first.find("value").value, second.find("value").value))


class PairsAvailable(SchedulingTerm):
    """READY once ``receiver`` holds two messages; waits on their arrival, and counts its checks."""

    def __init__(self) -> None:
        super().__init__()
        self.receiver = None
        self.checks = 0

    def waits_on(self) -> Waits:
        return Waits((QueueWait(self.receiver, ARRIVAL, self.receiver.available, 2),))

    def check(self, timestamp: int) -> tuple:
        self.checks += 1
        return READY_NOW if self.receiver.available() >= 2 else WAIT_NOW


class Latch(SchedulingTerm):
    """WAIT until ``release()`` (from any thread), which it announces; counts its checks."""

    def __init__(self) -> None:
        super().__init__()
        self.open = False
        self.checks = 0

    def waits_on(self) -> Waits:
        return NOTIFIES

    def release(self) -> None:
        self.open = True
        self.notify_change()

    def check(self, timestamp: int) -> tuple:
        self.checks += 1
        return READY_NOW if self.open else WAIT_NOW


class Counter(Codelet):
    """Counts its starts, ticks and stops; ``log`` gets the ``clock_tick()`` of each tick."""

    def __init__(self) -> None:
        super().__init__()
        self.starts = self.ticks = self.stops = 0
        self.log: list = []
        self.clock_tick = lambda: None

    def start(self) -> None:
        self.starts += 1

    def tick(self) -> None:
        self.ticks += 1
        self.log.append(self.clock_tick())

    def stop(self) -> None:
        self.stops += 1


class Switcher(Codelet):
    """Deactivates ``target`` at tick ``off_at`` and activates it again at tick ``on_at``."""

    def __init__(self) -> None:
        super().__init__()
        self.scheduler = None
        self.target = None
        self.off_at, self.on_at, self.off_again_at = 5, 15, 25
        self.ticks = 0

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks in (self.off_at, self.off_again_at):
            self.scheduler.deactivate_entity(self.target)
        elif self.ticks == self.on_at:
            self.scheduler.activate_entity(self.target)


def add_scheduler(ctx: Context, kind: str, clock_type=ManualClock):
    entity = ctx.create_entity("sched")
    clock = entity.add(clock_type, "clock")
    cls, params = SCHEDULERS[kind]
    return entity.add(cls, "scheduler", clock=clock, **params)


def run(ctx: Context, scheduler) -> None:
    """Runs to the end; an EpochScheduler is driven from here, its ManualClock moved to what is due."""
    if not isinstance(scheduler, EpochScheduler):
        ctx.run()
        return
    ctx.run_async()
    clock = scheduler.active_clock()
    deadline = time.monotonic() + 10
    while scheduler.is_running() and time.monotonic() < deadline:
        if scheduler.run_epoch(0):
            continue
        target = scheduler.next_target_timestamp()
        if target is not None:
            clock.advance_to(target)
        elif not scheduler.waiting_for_events():
            scheduler.stop()
    ctx.wait()


def pair_graph(ctx: Context, count: int, period_ns: int):
    tx_entity = ctx.create_entity("source")
    out = tx_entity.add(DoubleBufferTransmitter, "out", capacity=4)
    source = tx_entity.add(Source, "source")
    source.tx = out
    tx_entity.add(CountSchedulingTerm, "count", count=count)
    tx_entity.add(PeriodicSchedulingTerm, "period", recess_period=period_ns)
    rx_entity = ctx.create_entity("sink")
    inbox = rx_entity.add(DoubleBufferReceiver, "in", capacity=4)
    sink = rx_entity.add(PairSink, "sink")
    sink.rx = inbox
    term = rx_entity.add(PairsAvailable, "pairs")
    term.receiver = inbox
    ctx.create_entity("edge").add(Connection, source=out, target=inbox)
    return sink, term, inbox


# --- a term of our own, scheduled by the events it declares -----------------------------------------
@pytest.mark.parametrize("kind", EVENT_DRIVEN)
def test_a_term_defined_outside_gxf_std_is_woken_by_the_queue_it_declares(kind):
    with Context() as ctx:
        # 10 messages 4 ms apart in real time: a polled sink would be checked every round or millisecond.
        sink, term, _ = pair_graph(ctx, 10, 4_000_000)
        scheduler = add_scheduler(ctx, kind, RealtimeClock)
        ctx.run()
        assert sink.pairs == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
        assert scheduler.stop_reason.startswith("no more entities") or "deadlock" in scheduler.stop_reason
    # At most a look per arrival, per tick and at start-up (the filter drops arrivals of a lone message).
    assert term.checks <= 10 + 5 + 3, term.checks


@pytest.mark.parametrize("kind", EVENT_DRIVEN)
def test_a_term_that_notifies_is_woken_by_its_notification_not_by_polling(kind):
    with Context() as ctx:
        entity = ctx.create_entity("gated")
        counter = entity.add(Counter, "counter")
        latch = entity.add(Latch, "latch")
        entity.add(CountSchedulingTerm, "count", count=1)
        scheduler = add_scheduler(ctx, kind, RealtimeClock)
        scheduler.set_params(stop_on_deadlock=False)
        releaser = threading.Timer(0.06, latch.release)
        ctx.run_async()
        releaser.start()
        try:
            ctx.wait()
        finally:
            releaser.cancel()
            releaser.join()
        assert counter.ticks == 1
    assert latch.checks <= 4, latch.checks  # start-up, a wait, the release (and one racing look)


# --- the router's queue events ----------------------------------------------------------------------
def test_a_router_listener_hears_every_arrival_and_departure():
    with Context() as ctx:
        sink, _, inbox = pair_graph(ctx, 6, 1_000_000)
        add_scheduler(ctx, "greedy")
        ctx.activate()
        heard: list = []
        router_of(ctx).add_queue_listener(inbox, arrived=lambda: heard.append("arrived"),
                                          freed=lambda: heard.append("freed"))
        ctx.run()
        assert len(sink.pairs) == 3
        assert heard.count("arrived") == 6 and heard.count("freed") == 6
        # Each pair arrives before it is taken.
        assert heard.index("freed") > heard.index("arrived")


# --- run-time activation ------------------------------------------------------------------------------
def switch_graph(ctx: Context, kind: str, switches=(5, 15, 25), worker_count=None):
    """A periodic worker and a controller that switches it off, on and off again at its ticks ``switches``
    (-1: never), 30 ticks in all. Returns (scheduler, worker entity, worker counter, switcher)."""
    worker_entity = ctx.create_entity("worker")
    worker = worker_entity.add(Counter, "counter")
    worker_entity.add(PeriodicSchedulingTerm, "period", recess_period=1_000_000)
    if worker_count is not None:
        worker_entity.add(CountSchedulingTerm, "count", count=worker_count)
    control = ctx.create_entity("control")
    switcher = control.add(Switcher, "switch")
    switcher.off_at, switcher.on_at, switcher.off_again_at = switches
    control.add(PeriodicSchedulingTerm, "period", recess_period=1_000_000)
    control.add(CountSchedulingTerm, "count", count=30)
    scheduler = add_scheduler(ctx, kind)
    switcher.scheduler, switcher.target = scheduler, worker_entity
    worker.clock_tick = lambda: switcher.ticks
    return scheduler, worker_entity, worker, switcher


def assert_switched(worker) -> None:
    assert (worker.starts, worker.stops) == (2, 2)
    # Never while switched off (a request takes effect at the latest one tick of the switch later).
    assert not [t for t in worker.log if 5 < t < 15 or t > 25], worker.log
    assert any(t < 5 for t in worker.log) and any(15 <= t <= 25 for t in worker.log)


@pytest.mark.parametrize("kind", list(SCHEDULERS))
def test_an_entity_is_deactivated_and_activated_again_mid_run(kind):
    with Context() as ctx:
        scheduler, worker_entity, worker, switcher = switch_graph(ctx, kind)
        run(ctx, scheduler)
        assert switcher.ticks == 30
        assert_switched(worker)
        assert not scheduler.is_entity_active(worker_entity)


@pytest.mark.parametrize("kind", list(SCHEDULERS))
def test_an_entity_deactivated_before_the_run_starts_only_when_activated(kind):
    with Context() as ctx:
        scheduler, worker_entity, worker, _ = switch_graph(ctx, kind, (-1, 4, -1), worker_count=3)
        ctx.activate()
        scheduler.deactivate_entity(worker_entity)
        run(ctx, scheduler)
        assert worker.ticks == 3 and worker.starts == 1
        assert min(worker.log) >= 4


@pytest.mark.parametrize("kind", ["greedy", "event_based"])
def test_the_context_activates_and_deactivates_entities_by_name_through_its_scheduler(kind):
    with Context() as ctx:
        scheduler, _, worker, switcher = switch_graph(ctx, kind)
        switcher.scheduler, switcher.target = ctx, "worker"   # Context.activate_entity takes names too
        run(ctx, scheduler)
        assert_switched(worker)


def test_activating_an_unscheduled_entity_is_a_clear_error():
    with Context() as ctx:
        add_scheduler(ctx, "greedy")
        lonely = ctx.create_entity("lonely")
        ctx.activate()
        scheduler = ctx.find_component("sched/scheduler")
        with pytest.raises(Exception, match="entity 'lonely' is not scheduled"):
            scheduler.activate_entity(lonely)
