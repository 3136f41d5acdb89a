"""Sweep: the round over ready entities that the GreedyScheduler and the EpochScheduler share.

A sweep keeps one ``SweepEntry`` per scheduled entity (the scheduler's own bookkeeping, not the
executor's) and a list of the entities to look at, in graph order. ``round(now)`` executes each of
them once and sets aside those that wait for an event:

- WAIT, when none of the entity's terms is polled (``EntityWaits.polled``): parked until a queue event
  or a term change the entity's terms declared (``EntityExecutor.listen``);
- WAIT_EVENT: set aside until such an event (an asynchronous term's notification);
- NEVER: done (the executor stopped it).

Events append the entity to ``woken`` (from any thread) and it joins the round again, in graph
order, at the next round. Entities that wait on nothing cost nothing per round, however many there
are. Activation requests (``request``) are carried out at the start of a round, on the thread running
the sweep, so a deactivated entity's codelets get ``stop()`` there.
"""

from __future__ import annotations

import bisect
from collections import deque

from .scheduling_condition import NEVER, READY, WAIT, WAIT_EVENT, WAIT_TIME

# Where an entry is.
LOOK, PARKED, EVENT, DONE, INACTIVE = range(5)

COMPACT_AT = 32   # skipped entries in a round that make it worth taking them out of the round list


class SweepEntry:
    """The sweep's record of one entity."""

    __slots__ = ("item", "index", "state", "events", "parkable", "listed")

    def __init__(self, item, index: int, parkable: bool) -> None:
        self.item = item
        self.index = index          # graph order
        self.state = LOOK
        self.events = 0             # events seen (a parked entry compares it to catch a racing event)
        self.parkable = parkable    # no term is polled: a WAIT may be parked until an event
        self.listed = True          # in the round list

    def __lt__(self, other: SweepEntry) -> bool:
        return self.index < other.index


class Sweep:
    """Rounds over the entities of ``executor`` (see the module docstring)."""

    def __init__(self, executor, wake=None) -> None:
        self.executor = executor
        self.wake = wake            # a threading.Event set when an event comes while ``sleeping``
        self.sleeping = False       # the scheduler waits (for time or an event): wake it on an event
        self.entries = []
        self.by_item = {}
        self.woken: deque = deque()
        self.deferred: list = []         # woken entries to put back in the round list after the walk
        self.carried = False             # the last round woke entries behind it for the next round
        self.requests: deque = deque()   # (item, active) activation requests
        self.waiting_event = 0           # entries in EVENT
        self.live = len(executor.items)  # entries neither done nor deactivated
        for index, item in enumerate(executor.items):
            entry = SweepEntry(item, index, not item.waits_on().polled)
            self.entries.append(entry)
            self.by_item[item] = entry
            executor.listen(item, self._event_of(entry))
        self.looking = list(self.entries)

    def _event_of(self, entry: SweepEntry):
        woken, sweep = self.woken, self

        def event() -> None:
            entry.events += 1
            state = entry.state
            if state is PARKED or state is EVENT:
                woken.append(entry)
                if sweep.sleeping:   # the event came from another thread while the scheduler waits
                    sweep.wake.set()
        return event

    # --- one round ---------------------------------------------------------------------------------------
    def round(self, now: int) -> tuple[int, int | None]:
        """Executes every entity to look at once; returns (executions that ran, earliest WAIT_TIME).

        An entity woken during the round by an entity before it in graph order is looked at in the same
        round (a message goes down a chain in one round, as with a walk over every entity). Parked and
        finished entries stay in the round list, skipped, until there are many of them: then the list is
        compacted, so entities that wait for long cost nothing, and a pipeline whose stages park and wake
        all the time moves no list entries.
        """
        if self.requests:
            self._carry_out_requests(now)
        woken = self.woken
        self.carried = False
        if woken:
            self._take_woken(None)
        looking = self.looking
        ready = 0
        earliest = None
        skipped = 0
        for entry in looking:
            if entry.state is not LOOK:
                skipped += 1
                continue
            events = entry.events
            condition = entry.item.execute(now)
            kind = condition[0]
            if kind is READY:
                ready += 1
            elif kind is WAIT:
                if entry.parkable:
                    entry.state = PARKED
                    if entry.events != events:   # an event came while it was looked at
                        entry.state = LOOK
            elif kind is WAIT_TIME:
                if earliest is None or condition[1] < earliest:
                    earliest = condition[1]
            elif kind is NEVER:
                entry.state = DONE
                self.live -= 1
            elif kind is WAIT_EVENT:
                entry.state = EVENT
                self.waiting_event += 1
                if entry.events != events:
                    entry.state = LOOK
                    self.waiting_event -= 1
            if woken:
                self._take_woken(entry)
        if self.deferred:
            for entry in self.deferred:
                bisect.insort(self.looking, entry)
            self.deferred.clear()
        if skipped >= COMPACT_AT and 2 * skipped > len(looking):
            self._compact()
        return ready, earliest

    def _compact(self) -> None:
        kept = []
        for entry in self.looking:
            if entry.state is LOOK:
                kept.append(entry)
            else:
                entry.listed = False
        self.looking = kept

    def _take_woken(self, current) -> None:
        """Makes woken entries looked at again. One taken out of the round list goes back in: after
        ``current`` (the entry being executed; None before the round) it is looked at in this round,
        before it, in the next one (the list is being walked: nothing may go in before the walk)."""
        woken, looking = self.woken, self.looking
        while woken:
            entry = woken.popleft()
            state = entry.state
            if state is PARKED or state is EVENT:
                if state is EVENT:
                    self.waiting_event -= 1
                entry.state = LOOK
                if current is not None and entry.index <= current.index:
                    self.carried = True   # behind the walk: the next round's work, even if none was ready
            if entry.state is LOOK and not entry.listed:
                entry.listed = True
                if current is None or entry.index > current.index:
                    bisect.insort(looking, entry)
                else:
                    self.deferred.append(entry)

    # --- state -------------------------------------------------------------------------------------------
    def finished(self) -> bool:
        """True when no entity can run any more: every one is done or deactivated."""
        return self.live == 0 and not self.woken and not self.requests

    def has_work(self) -> bool:
        """True when something is queued for the next round: woken entries (also those a round woke
        behind it in graph order and put back for the next one) or activation requests."""
        return bool(self.woken or self.requests or self.carried)

    # --- run-time activation -----------------------------------------------------------------------------
    def request(self, item, active: bool) -> None:
        """Asks for ``item`` to be activated or deactivated at the start of the next round."""
        self.requests.append((item, active))
        if self.sleeping:
            self.wake.set()

    def _carry_out_requests(self, now: int) -> None:
        requests = self.requests
        while requests:
            item, active = requests.popleft()
            entry = self.by_item[item]
            if active:
                if entry.state is INACTIVE:
                    item.activate()
                    entry.state = LOOK
                    self.live += 1
                    if not entry.listed:
                        entry.listed = True
                        bisect.insort(self.looking, entry)
            elif entry.state is not INACTIVE:
                if entry.state is EVENT:
                    self.waiting_event -= 1
                if entry.state is not DONE:
                    self.live -= 1
                entry.state = INACTIVE   # skipped by the rounds, compacted out with the others
                item.deactivate(now)
