"""The examples in examples/python_codelets run and do what they say."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from gxf.core import Graph, MessageEntity, load_graph_file
from gxf.python_codelet import CodeletAdapter
from gxf.std import Tensor

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
        load_graph_file(context, EXAMPLES / "ping" / "ping.yaml", ["tx/count/count=3"])
        with pytest.raises(ExecutionError, match="PingRx.stop\\(\\) at .* raised RuntimeError: expected 5 "
                                                 "messages, received 3"):
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


# --- tensors: StreamGenerator -> VerifyEqual ---------------------------------------------------------
TENSORS = EXAMPLES / "tensors"


def gpu_ready() -> bool:
    try:
        from gxf.cuda import available
    except ImportError:
        return False
    return available()


def test_stream_generator_on_the_host_feeds_verify_equal_ten_equal_pairs(run_graph):
    context = run_graph(TENSORS / "stream_host.yaml")
    assert context.find_component("generator/generator").adapter.generated == 10
    assert context.find_component("verify/verify").adapter.compared == 10
    # The messages are gone once consumed, and their blocks are back in the pool.
    assert context.find_component("global/host_pool").available_blocks() == 16


def test_stream_generator_tensors_have_the_described_shape_type_storage_and_values():
    from gxf.core import Graph
    from gxf.std import MemoryStorageType, PrimitiveType, Shape, connect

    graph = Graph.load(TENSORS / "stream_host.yaml")
    graph.generator.count.set_params(count=3)
    recorder = graph.add_entity("recorder").add(
        "nvidia::gxf::PyCodeletV0", name="recorder", codelet=TensorRecorder)
    for name in ("host", "second"):
        rx = graph.recorder.add("nvidia::gxf::DoubleBufferReceiver", name=name)
        graph.recorder.add("nvidia::gxf::MessageAvailableSchedulingTerm", receiver=rx)
        recorder.receivers = recorder.receivers + [rx]
    connect(graph.generator.host_out, graph.recorder.host)
    connect(graph.generator.device_out, graph.recorder.second)
    graph.verify.verify.set_params(codelet_params="expected=3")
    graph.run()
    seen = recorder.adapter.seen
    layout = (Shape([1024, 1]), PrimitiveType.kFloat32, MemoryStorageType.kHost)
    assert seen[:4] == [("host_tensor", *layout, [0.0, 1.0, 2.0]), ("host_tensor2", *layout, [0.0, 1.0, 2.0]),
                        ("device_tensor", *layout, [0.0, 1.0, 2.0]), ("device_tensor2", *layout, [0.0, 1.0, 2.0])]
    assert [values for *_, values in seen[4::4]] == [[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]
    assert len(seen) == 12


@pytest.mark.skipif(gpu_ready(), reason="checks the error a machine without a usable GPU gives")
def test_stream_generator_on_the_device_without_a_gpu_fails_clearly_before_running():
    from gxf.core import Context, GxfError

    with Context() as context:
        load_graph_file(context, TENSORS / "stream_device.yaml")
        with pytest.raises(GxfError) as info:
            context.run()
    assert "component 'global/cuda_pool' (nvidia::gxf::BlockMemoryPool) cannot allocate its kDevice memory" \
        in str(info.value)
    assert "stream_host.yaml" not in str(info.value) and "gxf-cuda[cupy]" in info.value.hint


@pytest.mark.gpu
def test_stream_generator_on_the_device_matches_the_host_tensors(run_graph):
    context = run_graph(TENSORS / "stream_device.yaml")
    generator = context.find_component("generator/generator").adapter
    assert generator.on_device and generator.generated == 10
    assert context.find_component("verify/verify").adapter.compared == 10


def test_verify_equal_fails_when_the_tensors_differ():
    from gxf.core import GxfError, Graph
    from gxf.std import ComputeEntity, GreedyScheduler, ManualClock, connect

    graph = Graph()
    graph.set_scheduler(GreedyScheduler, clock=graph.set_clock(ManualClock))
    first = graph.add(ComputeEntity("first", count=2)).add_codelet(ArraySender, values=[1, 2, 3])
    second = graph.add(ComputeEntity("second", count=2)).add_codelet(ArraySender, values=[1, 2, 4])
    verify = graph.add(ComputeEntity("verify")).add(
        "nvidia::gxf::PyCodeletV0", name="verify", codelet_name="VerifyEqual",
        codelet_file=str(TENSORS / "VerifyEqual.py"))
    for name, sender in (("rx0", first), ("rx1", second)):
        rx = graph.verify.add("nvidia::gxf::DoubleBufferReceiver", name=name)
        graph.verify.add("nvidia::gxf::MessageAvailableSchedulingTerm", receiver=rx)
        verify.receivers = verify.receivers + [rx]
        connect(sender.transmitters[0], rx)
    with pytest.raises(GxfError, match="VerifyEqual.tick\\(\\) at .* raised AssertionError: tensor 0 "
                                       "\\('array' and 'array'\\) differ"):
        graph.run()


class ArraySender(CodeletAdapter):
    """Publishes a message with one tensor holding ``values`` (codelet_params) each tick."""

    txs = ["out"]

    def start(self):
        self.values = np.asarray(self.get_params()["values"], dtype=np.float32)

    def tick(self):
        message = MessageEntity(self.context())
        Tensor.add_np_array_as_tensor_to_entity(message, "array", self.values)
        self.out.publish(message)


class TensorRecorder(CodeletAdapter):
    """Notes name, shape, element type, storage and first values of every tensor it receives."""

    def start(self):
        self.seen = []

    def tick(self):
        for receiver in self.get_receivers():
            for tensor in Tensor.find_all_from_entity(receiver.receive()):
                self.seen.append((tensor.name, tensor.shape(), tensor.element_type(), tensor.storage_type(),
                                  np.asarray(tensor)[:3, 0].tolist()))
