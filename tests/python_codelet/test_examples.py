"""The examples in examples/python_codelets run and do what they say."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from gxf.core import Graph

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python_codelets"


def load_script(path: Path):
    name = f"example_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_ping_graph_file_sends_five_messages(run_graph):
    context = run_graph(EXAMPLES / "ping" / "ping.yaml")
    assert context.find_component("tx/ping").adapter.sent == 5
    assert context.find_component("rx/ping").adapter.received == 5


def test_ping_receiver_fails_when_it_gets_fewer_messages_than_expected(tmp_path):
    from gxf.core import Context, ExecutionError

    with Context() as context:
        context.load_graph_file(EXAMPLES / "ping" / "ping.yaml", ["tx/count/count=3"])
        with pytest.raises(ExecutionError, match="PingRx.stop\\(\\) raised RuntimeError: expected 5 messages, "
                                                 "received 3"):
            context.run()


def test_ping_graph_api_builds_the_graph_of_the_graph_file(tmp_path, capsys):
    script = load_script(EXAMPLES / "ping" / "graph_api.py")
    assert script.main(["--count", "7", "--yaml", str(tmp_path / "ping.yaml")]) == 0
    assert capsys.readouterr().out == "PingRx received 7 messages\n"
    graph = Graph.load(tmp_path / "ping.yaml")
    graph.run()
    assert graph.rx.ping.adapter.received == 7


def test_the_benchmark_script_measures_a_rate():
    script = load_script(EXAMPLES / "bench_ping.py")
    assert script.measure(200) > 0
