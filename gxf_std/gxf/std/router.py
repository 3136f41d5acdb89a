"""Routers: who owns the routes between transmitters and receivers, and moves messages along them.

GXF splits running a graph into an executor (ticks codelets), schedulers (decide when) and routers
(move messages). Here too:

- ``Router`` is the interface. ``inbox_syncs(entity)`` / ``outbox_syncs(entity)`` hand the executor,
  once per entity, the calls that make arrived messages receivable before a tick and deliver published
  ones after it (``sync_inbox`` / ``sync_outbox`` do the same in one call). ``add_queue_listener``
  registers a scheduler's callbacks for queue events: a message arrived in a receiver, or left it (room
  freed for the entities publishing into it). ``set_clock`` names the clock that stamps pubtime.
- ``MessageRouter`` owns the routes made by the graph's Connection and Topic components
  (``connect`` / ``disconnect``, ``receivers_of`` / ``transmitters_of``) and handles every queue.
- ``NetworkRouter`` is the base of routers for queues whose messages cross a process or host boundary
  (a network transport registers one); it handles the queues its ``handles`` says.
- ``RouterGroup`` joins routers: each queue is served by the first router of the group that handles
  it, the message router last. ``router_of(context)`` is the group of a graph.
"""

from __future__ import annotations

import weakref

from gxf.core import Component

from .queue import Queue, Receiver, Transmitter


class Router(Component, type_name="nvidia::gxf::Router", uuid="8b317aad-f55c-4c07-8520-8f66db92a19e",
             abstract=True):
    """Interface of the components that move messages into and out of entities."""

    def handles(self, queue: Queue) -> bool:
        """True when this router moves the messages of ``queue``."""
        return True

    def inbox_syncs(self, entity) -> tuple:
        """The calls that make the messages arrived in ``entity``'s receivers receivable (before a tick)."""
        return tuple(q.sync for q in entity.components if isinstance(q, Receiver) and self.handles(q))

    def outbox_syncs(self, entity) -> tuple:
        """The calls that deliver what ``entity`` published during a tick (after it)."""
        return tuple(q.sync_outbox for q in entity.components
                     if isinstance(q, Transmitter) and self.handles(q))

    def sync_inbox(self, entity) -> None:
        """Makes the messages arrived in ``entity``'s receivers receivable."""
        for sync in self.inbox_syncs(entity):
            sync()

    def sync_outbox(self, entity) -> None:
        """Delivers the messages ``entity`` published."""
        for sync in self.outbox_syncs(entity):
            sync()

    def set_clock(self, clock, entities=()) -> None:
        """Makes ``clock`` stamp the pubtime of messages published on the queues of ``entities``."""
        for entity in entities:
            for queue in entity.components:
                if isinstance(queue, Queue) and self.handles(queue):
                    queue.set_clock(clock)

    def add_queue_listener(self, receiver: Receiver, arrived=None, freed=None) -> None:
        """Calls ``arrived()`` after each message reaching ``receiver``, ``freed()`` after each leaving it.

        Listeners run on the thread that moved the message (a worker, a network thread) and must be quick.
        """
        if arrived is not None:
            receiver.add_arrival_listener(arrived)
        if freed is not None:
            receiver.add_departure_listener(freed)

    def remove_queue_listener(self, receiver: Receiver, listener) -> None:
        """Stops calling ``listener`` for ``receiver``'s events."""
        receiver.remove_listener(listener)


class MessageRouter(Router, type_name="nvidia::gxf::MessageRouter", uuid="84fd5d56-fda6-4937-0b3c-c283252553d8"):
    """A router that delivers what transmitters publish to the receivers they are connected to.

    Connections and topics add their routes here; the same message object goes to every receiver
    of a transmitter.
    """

    def initialize(self) -> None:
        self._topics: dict[str, tuple[list, list]] = {}

    def connect(self, source: Transmitter, target: Receiver) -> None:
        """Routes ``source`` to ``target`` (routing twice is the same as once)."""
        connect(source, target)

    def disconnect(self, source: Transmitter, target: Receiver) -> None:
        """Removes the route from ``source`` to ``target``, if there is one."""
        disconnect(source, target)

    def receivers_of(self, transmitter: Transmitter) -> tuple:
        return transmitter.receivers()

    def transmitters_of(self, receiver: Receiver) -> tuple:
        return receiver.transmitters()

    # --- topics ------------------------------------------------------------------------------------------
    def join_topic(self, name: str, transmitters=(), receivers=()) -> None:
        """Routes every transmitter of topic ``name`` to every receiver of it, these ones included."""
        txs, rxs = self._topics.setdefault(name, ([], []))
        for tx in transmitters:
            if tx not in txs:
                txs.append(tx)
        for rx in receivers:
            if rx not in rxs:
                rxs.append(rx)
        for tx in txs:
            for rx in rxs:
                connect(tx, rx)

    def leave_topic(self, name: str, transmitters=(), receivers=()) -> None:
        """Takes queues out of topic ``name``, removing the routes the topic made for them."""
        txs, rxs = self._topics.get(name, ([], []))
        for tx in transmitters:
            for rx in rxs:
                disconnect(tx, rx)
            if tx in txs:
                txs.remove(tx)
        for rx in receivers:
            for tx in txs:
                disconnect(tx, rx)
            if rx in rxs:
                rxs.remove(rx)

    def topic_members(self, name: str) -> tuple[list, list]:
        """The transmitters and receivers of topic ``name``."""
        txs, rxs = self._topics.get(name, ([], []))
        return list(txs), list(rxs)


class NetworkRouter(Router, type_name="nvidia::gxf::NetworkRouter", uuid="a1e6c5d5-947d-40fd-b248-117dddc9f0ae",
                    abstract=True):
    """Base of the routers that move messages to and from other processes or hosts.

    A network transport subclasses it, says in ``handles`` which queues are its own, and wakes the
    schedulers through the queue events of its receivers when messages land.
    """

    def handles(self, queue: Queue) -> bool:
        return False


class RouterGroup(Router, type_name="nvidia::gxf::RouterGroup", uuid="ca64ee14-2280-4099-9f10-d4b501e09117"):
    """A group of routers: each queue is served by the first router of the group that handles it."""

    def initialize(self) -> None:
        self._routers: list[Router] = []

    def add_router(self, router: Router) -> None:
        """Adds ``router`` before the ones added earlier (the catch-all message router stays last)."""
        if router not in self._routers:
            self._routers.insert(0, router)

    def routers(self) -> list[Router]:
        return list(self._routers)

    def router_for(self, queue: Queue) -> Router | None:
        for router in self._routers:
            if router.handles(queue):
                return router
        return None

    def handles(self, queue: Queue) -> bool:
        return self.router_for(queue) is not None

    def inbox_syncs(self, entity) -> tuple:
        return tuple(q.sync for q in entity.components
                     if isinstance(q, Receiver) and self.router_for(q) is not None)

    def outbox_syncs(self, entity) -> tuple:
        return tuple(q.sync_outbox for q in entity.components
                     if isinstance(q, Transmitter) and self.router_for(q) is not None)

    def add_queue_listener(self, receiver: Receiver, arrived=None, freed=None) -> None:
        router = self.router_for(receiver)
        if router is not None:
            router.add_queue_listener(receiver, arrived, freed)

    def remove_queue_listener(self, receiver: Receiver, listener) -> None:
        router = self.router_for(receiver)
        if router is not None:
            router.remove_queue_listener(receiver, listener)

    @property
    def message_router(self) -> MessageRouter:
        """The group's catch-all MessageRouter."""
        return self._routers[-1]


_GROUPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def router_of(context) -> RouterGroup:
    """The router group of ``context``'s graph (made on first use, with its MessageRouter).

    Router components the graph declares (network routers) join it when the scheduler prepares.
    """
    group = _GROUPS.get(context)
    if group is None:
        group = RouterGroup("routers")
        group.context = context
        group.initialize()
        message_router = MessageRouter("message_router")
        message_router.context = context
        message_router.initialize()
        group.add_router(message_router)
        _GROUPS[context] = group
    return group


def connect(source: Transmitter, target: Receiver) -> None:
    """Routes ``source`` to ``target`` directly (routing twice is the same as once)."""
    if target not in source.receivers():
        source.set_routes(source.receivers() + (target,))
    if source not in target.transmitters():
        target.set_sources(target.transmitters() + (source,))


def disconnect(source: Transmitter, target: Receiver) -> None:
    """Removes the route from ``source`` to ``target``, if there is one."""
    source.set_routes(t for t in source.receivers() if t is not target)
    target.set_sources(s for s in target.transmitters() if s is not source)
