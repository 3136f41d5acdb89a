"""Queue, Transmitter and Receiver: the interfaces of the message channels between entities.

A transmitter belongs to the publishing entity, a receiver to the consuming one; the router (see
``router.py``) joins them from the graph's Connection and Topic components. Delivery works in two
steps, as in GXF: a codelet ``publish``es into the transmitter during its tick, and after the tick the
executor flushes the outbox (``sync_outbox``), which hands every published message to each receiver
the router routed the transmitter to (``push_io``). The same message object goes to every receiver:
messages are shared, not copied. A receiver makes arrived messages receivable on ``sync``, which the
executor calls before its entity ticks.

The public contract between queues and the rest of the runtime:

- routes: ``Transmitter.receivers()`` / ``Receiver.transmitters()`` say where messages go and come
  from; the router sets them with ``set_routes`` / ``set_sources``.
- queue events: ``Receiver.add_arrival_listener(fn)`` calls ``fn()`` after each message that arrives
  (the receiving entity may have become ready), ``add_departure_listener(fn)`` after each message that
  is received from it (the entities publishing into it may have room again). Listeners run on the
  thread that moved the message and must be quick; schedulers register them through the router.
- time: ``Queue.set_clock(clock)`` names the clock that stamps a message's pubtime.
- counts: ``Queue.dropped`` is how many messages the queue lost (a full stage under policy 0 or 1, a
  transmitter connected to nothing), counted where the drop happens; ``Transmitter.sent`` how many
  messages it handed on (once per message, whatever the number of receivers). Run summaries read them
  at the end of a run and live views while it runs; nothing else is counted per message.
"""

from __future__ import annotations

from gxf.core import Component, ExecutionError, MessageEntity

from .listeners import fan_out


class Queue(Component, type_name="nvidia::gxf::Queue", uuid="792151bf-3138-4603-a912-5ca91828dea8",
            abstract=True):
    """Base of the message queues that connect entities."""

    def capacity(self) -> int:
        """How many messages each stage holds."""
        raise NotImplementedError

    def size(self) -> int:
        """How many messages the main stage holds."""
        raise NotImplementedError

    def back_size(self) -> int:
        """How many messages wait in the back stage for the next ``sync``."""
        raise NotImplementedError

    def sync(self) -> None:
        """Moves staged messages to the main stage."""
        raise NotImplementedError

    # The clock that stamps pubtime (set_clock); None: pubtime 0.
    _clock = None
    # Messages lost by this queue (see the module docstring); queues that never drop keep 0.
    dropped = 0

    def set_clock(self, clock) -> None:
        """Names the clock whose time stamps the messages this queue publishes (the scheduler's)."""
        self._clock = clock


class QueueFull(ExecutionError):
    """A message went into a full queue whose policy is 2 (fault)."""


class Transmitter(Queue, type_name="nvidia::gxf::Transmitter", uuid="c30cc60f-0db2-409d-92b6-b2db92e02cce",
                  abstract=True):
    """Base of the transmitters: ``publish`` stages a message, ``sync`` makes it leave."""

    # The receivers this transmitter delivers to, read on the hot path (change it with set_routes).
    routes: tuple = ()
    # Messages handed on to the receivers (see the module docstring).
    sent = 0

    def receivers(self) -> tuple:
        """The receivers this transmitter delivers to, in the order they were routed."""
        return self.routes

    def set_routes(self, receivers) -> None:
        """Makes the transmitter deliver to ``receivers`` (the router's call)."""
        self.routes = tuple(receivers)

    def publish(self, message: MessageEntity, acqtime: int | None = None) -> None:
        """Sends ``message``; it carries a Timestamp "timestamp" afterwards (see DoubleBufferTransmitter)."""
        raise NotImplementedError

    def pop_io(self) -> MessageEntity | None:
        """Takes the oldest message of the main stage (the router's side)."""
        raise NotImplementedError

    def sync_outbox(self) -> None:
        """After a tick: ``sync`` then ``sync_io`` (queues may fuse the two)."""
        self.sync()
        self.sync_io()

    def sync_io(self) -> None:
        """Delivers every message of the main stage to the connected receivers."""
        targets = self.routes
        while self.size():
            message = self.pop_io()
            self.sent += 1
            for receiver in targets:
                receiver.push_io(message)


class Receiver(Queue, type_name="nvidia::gxf::Receiver", uuid="a47d2f62-245f-40fc-90b7-5dc78ff2437e",
               abstract=True):
    """Base of the receivers: messages arrive in a back stage and can be received after ``sync``."""

    # The transmitters delivering here (set_sources).
    _sources: tuple = ()
    # What push_io / receive call after moving a message: None, one listener, or a fan-out of several.
    _on_push = None
    _on_pop = None
    _arrival_listeners: tuple = ()
    _departure_listeners: tuple = ()

    def transmitters(self) -> tuple:
        """The transmitters that deliver into this receiver."""
        return self._sources

    def set_sources(self, transmitters) -> None:
        """Records which transmitters deliver here (the router's call)."""
        self._sources = tuple(transmitters)

    def add_arrival_listener(self, listener) -> None:
        """Calls ``listener()`` after every message that arrives (``push_io``)."""
        self._arrival_listeners = self._arrival_listeners + (listener,)
        self._on_push = fan_out(self._arrival_listeners)

    def add_departure_listener(self, listener) -> None:
        """Calls ``listener()`` after every message received (taken) from this receiver."""
        self._departure_listeners = self._departure_listeners + (listener,)
        self._on_pop = fan_out(self._departure_listeners)

    def remove_listener(self, listener) -> None:
        """Stops calling ``listener`` (arrival or departure); unknown listeners are ignored."""
        self._arrival_listeners = tuple(f for f in self._arrival_listeners if f is not listener)
        self._departure_listeners = tuple(f for f in self._departure_listeners if f is not listener)
        self._on_push = fan_out(self._arrival_listeners)
        self._on_pop = fan_out(self._departure_listeners)

    def receive(self) -> MessageEntity | None:
        """The oldest message of the main stage, removed from the queue; None when there is none."""
        raise NotImplementedError

    def peek(self, index: int = 0) -> MessageEntity | None:
        """The message at ``index`` of the main stage (0 = oldest) without removing it; None if absent."""
        raise NotImplementedError

    def peek_back(self, index: int = 0) -> MessageEntity | None:
        """The message at ``index`` of the back stage (0 = oldest); None if absent."""
        raise NotImplementedError

    def push_io(self, message: MessageEntity) -> None:
        """Delivers a message into the back stage (the router's side)."""
        raise NotImplementedError

    def available(self) -> int:
        """Messages arrived or receivable: ``size() + back_size()`` (scheduling terms ask this)."""
        return self.size() + self.back_size()

    def most_available(self) -> int | None:
        """The most messages ``available()`` can ever count, from the parameters alone (checked before
        the graph runs: a term waiting for more would wait forever); None when there is no such bound."""
        return None

    def room(self) -> int:
        """Free slots: ``capacity() - size() - back_size()`` (scheduling terms ask this)."""
        return self.capacity() - self.size() - self.back_size()

