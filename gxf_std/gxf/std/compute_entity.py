"""ComputeEntity and the graph helpers of GXF's Python API for the standard components.

A ``ComputeEntity`` is an entity for one codelet with the usual plumbing wired for it: for every
transmitter parameter of the codelet a DoubleBufferTransmitter with a DownstreamReceptiveSchedulingTerm,
for every receiver parameter a DoubleBufferReceiver with a MessageAvailableSchedulingTerm, plus a
CountSchedulingTerm (``count``) and a PeriodicSchedulingTerm (``recess_period``) when asked::

    import gxf.std as std
    from gxf.core import Graph

    g = Graph()
    clock = std.set_clock(g, std.ManualClock, name="clock")
    std.set_scheduler(g, std.GreedyScheduler, clock=clock, max_duration_ms=1000)
    g.add(ComputeEntity("tx", count=5)).add_codelet(PingTx, clock=clock)
    g.add(ComputeEntity("rx")).add_codelet(PingRx)
    std.connect(g.tx.signal, g.rx.signal)
    g.run()

Queues are named after the codelet's parameter (``signal``); a list parameter gets ``name_0``,
``name_1``... A codelet that is not a component (a Python codelet: a CodeletAdapter class) is added
the same way through an adapter that its extension registers with the ``gxf_compute_entity_adapters``
hook: an object with ``accepts(codelet) -> bool`` and ``add(entity, codelet, name, queues, params)``,
which adds the component that runs it, making its queues with ``queues.transmitter(name)`` and
``queues.receiver(name)`` (a ``Queues``).
"""

from __future__ import annotations

from typing import Any, Protocol

from gxf.core import Component, Entity, GxfError, plugins
from gxf.core.parameters import Handle, ListType, OptionalType

from .connection import Connection
from .double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from .queue import Receiver, Transmitter
from .scheduling_terms import (CountSchedulingTerm, DownstreamReceptiveSchedulingTerm,
                               MessageAvailableSchedulingTerm, PeriodicSchedulingTerm)


class Queues:
    """Adds the queues of one ``add_codelet`` call to its ComputeEntity, each with its scheduling term."""

    def __init__(self, entity: ComputeEntity, tx_capacity: int = 1, rx_capacity: int = 1,
                 min_message_reception: int = 1, min_message_available: int = 1):
        self.entity = entity
        self.tx_capacity, self.rx_capacity = tx_capacity, rx_capacity
        self.min_message_reception, self.min_message_available = min_message_reception, min_message_available

    def transmitter(self, name: str) -> Transmitter:
        """A DoubleBufferTransmitter ``name`` with a DownstreamReceptiveSchedulingTerm ``drst_<name>``."""
        tx = self.entity.add(DoubleBufferTransmitter, name, capacity=self.tx_capacity)
        self.entity.add(DownstreamReceptiveSchedulingTerm, f"drst_{name}", transmitter=tx,
                        min_size=self.min_message_reception)
        return tx

    def receiver(self, name: str) -> Receiver:
        """A DoubleBufferReceiver ``name`` with a MessageAvailableSchedulingTerm ``mast_<name>``."""
        rx = self.entity.add(DoubleBufferReceiver, name, capacity=self.rx_capacity)
        self.entity.add(MessageAvailableSchedulingTerm, f"mast_{name}", receiver=rx,
                        min_size=self.min_message_available)
        return rx


class ComputeEntityAdapter(Protocol):
    """What the ``gxf_compute_entity_adapters`` hook returns: it adds a codelet that is not a component."""

    def accepts(self, codelet: Any) -> bool:
        """Whether this adapter adds ``codelet`` (a class or an instance)."""

    def add(self, entity: ComputeEntity, codelet: Any, name: str | None, queues: Queues,
            params: dict[str, Any]) -> Component:
        """Adds the component that runs ``codelet`` to ``entity`` and returns it."""


class ComputeEntity(Entity):
    """An entity for one codelet, with its queues and the basic scheduling terms wired (GXF's ComputeEntity).

    ``count``: how many times the entity ticks (a CountSchedulingTerm "cst"; negative: no limit).
    ``recess_period``: the least time between ticks (a PeriodicSchedulingTerm "pst"; 0: none) in
    nanoseconds or as text ("10ms", "50Hz").
    """

    def __init__(self, name: str = "", count: int = -1, recess_period: int | str = 0):
        super().__init__(None, name)
        if recess_period:
            self.add(PeriodicSchedulingTerm, "pst", recess_period=recess_period)
        if count >= 0:
            self.add(CountSchedulingTerm, "cst", count=count)

    def add_codelet(self, codelet: Component | type | str | Any, name: str | None = None,
                    min_message_available: int = 1, min_message_reception: int = 1, rx_capacity: int = 1,
                    tx_capacity: int = 1, tx_num: int = 1, rx_num: int = 1, **params: Any) -> Component:
        """Adds ``codelet`` with a queue and a term for each of its transmitter and receiver parameters.

        ``codelet`` is a codelet class, instance or type name, or a codelet an installed extension adapts
        (a Python codelet: a CodeletAdapter class or instance, with gxf-python-codelet); ``params`` are
        its parameters. A queue parameter given in ``params`` is left to the caller.
        ``tx_num``/``rx_num``: how many queues a list parameter gets. Returns the codelet component.
        """
        queues = Queues(self, tx_capacity=tx_capacity, rx_capacity=rx_capacity,
                        min_message_reception=min_message_reception,
                        min_message_available=min_message_available)
        if not _is_component(codelet):
            return _adapter_for(codelet).add(self, codelet, name, queues, params)
        if isinstance(codelet, str):
            if self.context is None:
                raise GxfError(f"add entity '{self.name}' to a graph before adding '{codelet}' by type name",
                               hint="or pass the codelet class")
            codelet = self.context.registry.component_class(codelet)
        cls = codelet if isinstance(codelet, type) else type(codelet)
        for key, param in cls.parameters().items():
            if key in params or (not isinstance(codelet, type) and codelet.is_param_set(key)
                                 and codelet.get_param(key) is not None):
                continue
            kind, many = _queue_kind(param.ptype)
            if kind is Transmitter:
                made = [queues.transmitter(n) for n in _names(key, many, tx_num)]
            elif kind is Receiver:
                made = [queues.receiver(n) for n in _names(key, many, rx_num)]
            else:
                continue
            params[key] = made if many else made[0]
            if many:
                setattr(self, key, made)  # entity.<key>[i], as GXF's ComputeEntity
        return self.add(codelet, name or "", **params)


def _is_component(codelet) -> bool:
    """A type name, a Component class or a Component instance: what ``Entity.add`` takes."""
    return isinstance(codelet, str) or isinstance(codelet, Component) or (
        isinstance(codelet, type) and issubclass(codelet, Component))


def _adapter_for(codelet) -> ComputeEntityAdapter:
    """The first installed adapter that accepts ``codelet`` (the latest registered is asked first)."""
    for result in plugins.hooks().gxf_compute_entity_adapters():
        for adapter in result if isinstance(result, (list, tuple)) else [result]:
            if adapter.accepts(codelet):
                return adapter
    raise GxfError(f"add_codelet(): {codelet!r} is not a component, and no installed extension adapts it",
                   hint="give a Codelet class, instance or type name; a Python codelet (a CodeletAdapter) "
                        "needs the PythonCodeletExtension (pip install gxf-python-codelet)")


def _queue_kind(ptype) -> tuple[type | None, bool]:
    """(Transmitter or Receiver or None, whether a list) for a parameter type."""
    many = False
    if isinstance(ptype, OptionalType):
        ptype = ptype.inner
    if isinstance(ptype, ListType):
        ptype, many = ptype.item, True
    if not isinstance(ptype, Handle):
        return None, False
    target = ptype.target
    for kind in (Transmitter, Receiver):
        if target == kind._gxf_type_name or isinstance(target, type) and issubclass(target, kind):
            return kind, many
    return None, False


def _names(key: str, many: bool, count: int) -> list[str]:
    return [f"{key}_{i}" for i in range(count)] if many else [key]


# --- graph helpers (GXF: gxf.std.connect / set_scheduler / set_clock) --------------------------------
def connect(source: Transmitter, target: Receiver, graph=None) -> Connection:
    """Connects a transmitter to a receiver with a Connection component in an entity of its own.

    Both must belong to entities of a graph already (or give ``graph``). Returns the Connection.
    """
    for end, kind in ((source, Transmitter), (target, Receiver)):
        if not isinstance(end, kind):
            raise GxfError(f"connect() needs a {kind.__name__} here, got {end!r}",
                           hint="connect(transmitter, receiver)")
    context = graph.context if graph is not None else (source.context or target.context)
    if context is None:
        raise GxfError(f"connect(): neither {source!r} nor {target!r} belongs to a graph yet",
                       hint="add their entities to the graph first (graph.add(entity))")
    for end in (source, target):
        if end.context is not None and end.context is not context:
            raise GxfError(f"connect(): {end.describe_self()} belongs to another graph")
    holder = context.create_entity()
    return holder.add(Connection, source=source, target=target)


def set_scheduler(graph, scheduler, name: str = "scheduler", **params: Any) -> Component:
    """Adds the graph's scheduler (a class, instance or type name) and returns it."""
    return graph.set_scheduler(scheduler, name, **params)


def set_clock(graph, clock, name: str = "clock", **params: Any) -> Component:
    """Adds the graph's clock (a class, instance or type name) and returns it."""
    return graph.set_clock(clock, name, **params)
