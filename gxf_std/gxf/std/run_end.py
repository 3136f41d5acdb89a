"""How a run that has nothing left to execute ended: its work finished, or it stalled.

A scheduler comes here when no entity is ready and nothing timed or asynchronous is pending. That is
the normal end of most graphs: a source's count ran out and every consumer drained its queues and now
waits for messages that can never come. It is a stall (GXF's "deadlock") when an entity still waits on
something that another live entity would have to provide: a message from an entity that is itself
stuck, room in a queue nobody empties, a polled term that never changes, a queue nothing feeds.

The judgement reads only public contracts: each entity's terms (``EntityItem.terms``) say through
``check`` whether they wait and through ``waits_on()`` on what; the executor says which entities feed a
receiver (``upstream_items``) and which are done (``EntityItem.status``). Nothing here is on a hot path:
it runs once, when the run ends.
"""

from __future__ import annotations

from typing import NamedTuple

from .entity_executor import INACTIVE, STOPPED
from .scheduling_condition import READY
from .scheduling_term import ARRIVAL

FINISHED, STALLED = "finished", "stalled"


class RunEnd(NamedTuple):
    """The judgement: ``state`` is FINISHED or STALLED; ``waits`` says, one line per stalled entity,
    what it waits on (empty when finished)."""

    state: str
    waits: tuple


def judge(executor, now: int) -> RunEnd:
    """Judges a run in which nothing is ready and nothing timed or asynchronous is pending.

    An entity is quiet when it is done (stopped or deactivated), or when every term that holds it back
    waits only for messages from quiet entities (then nothing will ever arrive). The quiet set grows
    until it is stable; entities outside it stalled the run.
    """
    items = list(executor.items)
    quiet = {item for item in items if item.status in (STOPPED, INACTIVE)}
    holding = {item: _holding_terms(item, now) for item in items if item not in quiet}
    changed = True
    while changed:
        changed = False
        for item, terms in holding.items():
            if item not in quiet and all(_waits_for_good(executor, waits, quiet) for _, waits in terms):
                quiet.add(item)
                changed = True
    stalled = [item for item in items if item not in quiet]
    if not stalled:
        return RunEnd(FINISHED, ())
    return RunEnd(STALLED, tuple(_describe(executor, item, holding[item], quiet) for item in stalled))


def _holding_terms(item, now: int) -> list:
    """(term, waits) of the terms of ``item`` that may hold it back.

    A term that declares no event never says WAIT (READY, a time, or NEVER) and holds nothing back. A
    term waiting for arrivals holds the entity back unless its measures say it has what it needs; it is
    not checked (checks may count, and a wait for a message is what it looks like). Terms with other
    waits (room, notifications, polling) are checked once.
    """
    held = []
    for term in item.terms:
        waits = term.waits_on()
        if not waits.queues and not waits.notifies and not waits.polled:
            continue
        arrivals_only = not waits.notifies and not waits.polled and all(
            wait.event == ARRIVAL for wait in waits.queues)
        if arrivals_only:
            measured = [wait for wait in waits.queues if wait.measure is not None]
            if measured and len(measured) == len(waits.queues) and all(
                    wait.measure() >= wait.need for wait in measured):
                continue
        elif term.check(now)[0] is READY:
            continue
        held.append((term, waits))
    return held


def _waits_for_good(executor, waits, quiet: set) -> bool:
    """True when the wait ``waits`` (a term's ``waits_on()``) can never end: it waits only for
    messages arriving from quiet entities. A term that also notifies counts when its measures say it
    certainly waits (``measure() < need`` for each of its queues): no notification ends that wait."""
    if waits.polled or not waits.queues:
        return False
    if waits.notifies and not all(wait.measure is not None and wait.measure() < wait.need
                                  for wait in waits.queues):
        return False  # a notification may still end the wait
    for wait in waits.queues:
        if wait.event != ARRIVAL:
            return False  # room in a queue: a producer with work left
        feeders = executor.upstream_items(wait.receiver)
        if not wait.receiver.transmitters() or any(feeder not in quiet for feeder in feeders):
            return False
    return True


def _describe(executor, item, terms: list, quiet: set) -> str:
    """``entity 'rx' waits: ...`` naming each term that holds it back and what it waits on."""
    parts = [_describe_term(executor, term, waits, quiet) for term, waits in terms]
    return f"entity '{item.name or item.eid}' waits: " + ("; ".join(parts) if parts else
                                                        "no term holds it back, yet it is not ready")


def _describe_term(executor, term, waits, quiet: set) -> str:
    what = []
    for wait in waits.queues:
        receiver = wait.receiver
        name = receiver.handle_text()
        if wait.event == ARRIVAL:
            there = receiver.size() + receiver.back_size()
            need = f"{wait.need} needed, {there} there" if wait.measure is not None else f"{there} there"
            feeders = executor.upstream_items(receiver)
            if not receiver.transmitters():
                source = "nothing is connected to it"
            elif not feeders:
                source = "its transmitters belong to entities that are never scheduled"
            else:
                source = "from " + ", ".join(
                    f"'{feeder.name}' ({'done' if feeder.status in (STOPPED, INACTIVE) else 'waiting'})"
                    for feeder in feeders)
            what.append(f"a message in '{name}' ({need}; {source})")
        else:
            readers = executor.item_of(receiver)
            reader = f"'{readers.name}'" if readers is not None else "no scheduled entity"
            what.append(f"room in '{name}' ({receiver.room()} free of {receiver.capacity()}; "
                        f"read by {reader})")
    if waits.notifies:
        what.append("a change it announces (notify_change)")
    if waits.polled:
        what.append("a change of its own (it is polled)")
    if not what:
        what.append("nothing it declares (waits_on() names no event)")
    named = f" '{term.name}'" if term.name else ""
    return f"{term.type_name()}{named} for " + " or ".join(what)
