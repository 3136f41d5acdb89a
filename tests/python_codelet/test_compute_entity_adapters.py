"""ComputeEntity.add_codelet takes codelets that are not components through adapters that extensions
register with the ``gxf_compute_entity_adapters`` hook: gxf-python-codelet's for CodeletAdapter classes,
and any third party's."""

from __future__ import annotations

import ast
import types
from pathlib import Path

import pytest

import gxf.std
from gxf.core import GxfError, Graph, hookimpl, plugins
from gxf.python_codelet import CodeletAdapter, PyCodeletV0
from gxf.python_codelet.compute_entity_adapter import PythonCodeletAdapter
from gxf.sample import PingRx, PingTx
from gxf.std import (ComputeEntity, DoubleBufferReceiver, DoubleBufferTransmitter,
                     DownstreamReceptiveSchedulingTerm, GreedyScheduler, ManualClock,
                     MessageAvailableSchedulingTerm, connect)


class Echo(CodeletAdapter):
    rxs = ["inbox"]
    txs = ["outbox"]


class ForeignSender:
    """A codelet of another framework: not a component, and no CodeletAdapter either."""

    def __init__(self, port: str) -> None:
        self.port = port


class ForeignAdapter:
    """Adds a ForeignSender as a PingTx whose signal is the queue the foreign codelet names."""

    def __init__(self) -> None:
        self.added = []

    def accepts(self, codelet) -> bool:
        return isinstance(codelet, ForeignSender)

    def add(self, entity, codelet, name, queues, params):
        self.added.append(codelet)
        return entity.add(PingTx, name or "foreign", signal=queues.transmitter(codelet.port), **params)


@pytest.fixture
def foreign_adapter():
    adapter = ForeignAdapter()
    module = types.ModuleType("foreign_codelets")

    @hookimpl
    def gxf_compute_entity_adapters():
        return [adapter]

    module.gxf_compute_entity_adapters = gxf_compute_entity_adapters
    plugins.register(module, name="foreign-codelets", distribution="foreign-codelets")
    try:
        yield adapter
    finally:
        plugins.unregister("foreign-codelets")


def test_the_python_codelet_extension_registers_its_adapter():
    adapters = [a for result in plugins.hooks().gxf_compute_entity_adapters()
                for a in (result if isinstance(result, list) else [result])]
    assert any(isinstance(a, PythonCodeletAdapter) for a in adapters)


def test_a_python_codelet_class_becomes_a_pycodelet_with_its_queues():
    node = ComputeEntity("node")
    component = node.add_codelet(Echo, rx_capacity=3, min_message_available=2, gain=2)
    assert isinstance(component, PyCodeletV0) and component.name == "Echo"
    assert component.codelet_params == {"gain": 2}
    assert isinstance(node.inbox, DoubleBufferReceiver) and node.inbox.get_param("capacity") == 3
    assert isinstance(node.mast_inbox, MessageAvailableSchedulingTerm) and node.mast_inbox.min_size == 2
    assert isinstance(node.outbox, DoubleBufferTransmitter)
    assert component.receivers == [node.inbox] and component.transmitters == [node.outbox]


def test_a_third_party_adapter_registered_as_a_plugin_is_used_by_add_codelet(foreign_adapter):
    graph = Graph()
    graph.set_scheduler(GreedyScheduler, clock=graph.set_clock(ManualClock))
    sender = ForeignSender("wire")
    tx = graph.add(ComputeEntity("tx", count=3))
    component = tx.add_codelet(sender, tx_capacity=2)
    receiver = graph.add(ComputeEntity("rx")).add_codelet(PingRx)
    connect(graph.tx.wire, graph.rx.signal)
    assert foreign_adapter.added == [sender]
    assert isinstance(component, PingTx) and component.signal is tx.wire
    assert tx.wire.get_param("capacity") == 2 and isinstance(tx.drst_wire, DownstreamReceptiveSchedulingTerm)
    assert tx.drst_wire.transmitter is tx.wire
    graph.run()
    assert receiver.get_execution_count() == 3


def test_a_codelet_no_adapter_accepts_is_a_clear_error():
    with pytest.raises(GxfError, match="is not a component, and no installed extension adapts it") as info:
        ComputeEntity("node").add_codelet(ForeignSender("wire"))
    assert "Codelet class, instance or type name" in info.value.hint


def test_gxf_std_does_not_import_gxf_python_codelet():
    """gxf-python-codelet depends on gxf-std, not the other way round."""
    offenders = []
    for path in sorted(Path(gxf.std.__file__).resolve().parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n == "gxf.python_codelet" or n.startswith("gxf.python_codelet.") for n in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders
