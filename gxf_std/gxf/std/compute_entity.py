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
``name_1``... Python codelets (CodeletAdapter classes, from gxf-python-codelet) are added the same
way: their ``txs`` and ``rxs`` name the queues to create.
"""

from __future__ import annotations

from typing import Any

from gxf.core import Component, Entity, GxfError
from gxf.core.parameters import Handle, ListType, OptionalType

from .connection import Connection
from .double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from .queue import Receiver, Transmitter
from .scheduling_terms import (CountSchedulingTerm, DownstreamReceptiveSchedulingTerm,
                               MessageAvailableSchedulingTerm, PeriodicSchedulingTerm)


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

        ``codelet`` is a codelet class, instance or type name, or a Python codelet (CodeletAdapter class
        or instance); ``params`` are its parameters. For a Python codelet, keys naming PyCodeletV0
        parameters (``clock``, ``allocators``, ``cuda_stream_pool``, ``codelet_params``...) set those and
        the other keys become its ``codelet_params``. A queue parameter given in ``params`` is left to
        the caller. ``tx_num``/``rx_num``: how many queues a
        list parameter gets. Returns the codelet component.
        """
        options = dict(min_message_available=min_message_available, rx_capacity=rx_capacity,
                       min_message_reception=min_message_reception, tx_capacity=tx_capacity)
        if _is_python_codelet(codelet):
            return self._add_python_codelet(codelet, name, options, params)
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
                queues = [self._add_transmitter(n, options) for n in _names(key, many, tx_num)]
            elif kind is Receiver:
                queues = [self._add_receiver(n, options) for n in _names(key, many, rx_num)]
            else:
                continue
            params[key] = queues if many else queues[0]
            if many:
                setattr(self, key, queues)  # entity.<key>[i], as GXF's ComputeEntity
        return self.add(codelet, name or "", **params)

    # --- pieces ------------------------------------------------------------------------------------
    def _add_transmitter(self, name: str, options: dict) -> Transmitter:
        tx = self.add(DoubleBufferTransmitter, name, capacity=options["tx_capacity"])
        self.add(DownstreamReceptiveSchedulingTerm, f"drst_{name}", transmitter=tx,
                 min_size=options["min_message_reception"])
        return tx

    def _add_receiver(self, name: str, options: dict) -> Receiver:
        rx = self.add(DoubleBufferReceiver, name, capacity=options["rx_capacity"])
        self.add(MessageAvailableSchedulingTerm, f"mast_{name}", receiver=rx,
                 min_size=options["min_message_available"])
        return rx

    def _add_python_codelet(self, codelet, name: str | None, options: dict, params: dict) -> Component:
        try:
            from gxf.python_codelet import PyCodeletV0
        except ImportError:
            raise GxfError(f"{codelet!r} looks like a Python codelet, but gxf-python-codelet is not installed",
                           hint="pip install gxf-python-codelet") from None
        cls = codelet if isinstance(codelet, type) else type(codelet)
        probe = codelet
        if isinstance(codelet, type) and not (getattr(cls, "txs", None) or getattr(cls, "rxs", None)):
            try:  # GXF codelets set txs/rxs in __init__: look at an instance
                probe = codelet()
            except TypeError:
                probe = codelet
        # Keys naming PyCodeletV0 parameters (clock, allocators, ...) set those; the rest are codelet_params.
        settings = {k: params.pop(k) for k in list(params) if k in PyCodeletV0.parameters()}
        codelet_params = settings.pop("codelet_params", None)
        if params:
            codelet_params = {**(codelet_params or {}), **params}
        settings["transmitters"] = list(settings.get("transmitters", [])) + [
            self._add_transmitter(n, options) for n in _queue_names(probe, "txs")]
        settings["receivers"] = list(settings.get("receivers", [])) + [
            self._add_receiver(n, options) for n in _queue_names(probe, "rxs")]
        return self.add(PyCodeletV0, name or cls.__name__, codelet=codelet, codelet_params=codelet_params,
                        **settings)


def _is_python_codelet(codelet) -> bool:
    cls = codelet if isinstance(codelet, type) else type(codelet)
    if isinstance(codelet, str) or issubclass(cls, Component):
        return False
    return any(klass.__name__ == "CodeletAdapter" for klass in cls.__mro__)


def _queue_names(probe, attribute: str) -> list[str]:
    names = getattr(probe, attribute, None) or []
    return [n for n in names if isinstance(n, str)]


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
