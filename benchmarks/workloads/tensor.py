"""Tensor pipeline: 1 MiB float32 tensors from a BlockMemoryPool, through 3 Forward stages, to a sink.

The source allocates each tensor from a BlockMemoryPool (host memory, 1 MiB blocks) and publishes it;
three nvidia::gxf::Forward stages pass the message on; the sink takes it. Reported: GB/s of tensor data
reaching the sink (1 GB = 1e9 bytes), messages per second, and whether the sink saw, message by message,
the same buffer address the source allocated (no copies on the way). Greedy scheduler, ManualClock.
"""

from __future__ import annotations

from .. import graphs
from ..harness import Bench
from .ping import warmup_count

TITLE = "Tensor pipeline (1 MiB float32, 3 Forward stages)"

SHAPE = [512, 512]           # float32: 1 MiB
TENSOR_BYTES = SHAPE[0] * SHAPE[1] * 4
STAGES = [f"stage_{i}" for i in range(1, 4)]
NUM_BLOCKS = 16              # more than the messages the capacity-1 queues can hold at once


def graph(messages: int) -> str:
    source = graphs.entity(
        "source", *graphs.transmitter("out"),
        graphs.component("nvidia::gxf::BlockMemoryPool", "pool", storage_type=0, block_size=TENSOR_BYTES,
                         num_blocks=NUM_BLOCKS),
        graphs.component("gxf::benchmarks::TensorSource", "tensor_source", signal="out", allocator="pool",
                         shape=SHAPE),
        graphs.count(messages))
    sink = graphs.entity("sink", *graphs.receiver("in"),
                         graphs.component("gxf::benchmarks::TensorSink", "tensor_sink", signal="in"))
    documents = [source, *(graphs.forward(name) for name in STAGES), sink,
                 *graphs.chain("source/out", STAGES, "sink/in"), graphs.scheduler("greedy")]
    return graphs.to_yaml(documents, f"1 MiB float32 tensors through {len(STAGES)} Forward stages, {messages} messages")


def graph_files(mode) -> dict[str, str]:
    return {"tensor-pipeline.yaml": graph(mode.tensor_messages)}


def addresses(context) -> dict:
    source = context.find_component("source/tensor_source")
    sink = context.find_component("sink/tensor_sink")
    return {"sent": list(source.addresses), "seen": list(sink.addresses), "bytes": sink.bytes}


def run(bench: Bench) -> list[dict]:
    messages = bench.mode.tensor_messages
    case = "1 MiB x 3 Forward/greedy"
    if not bench.wants("tensor", case):
        return []

    def once(warmup):
        n = warmup_count(messages) if warmup else messages
        timed = bench.run_graph(graph(n), "tensor-pipeline.yaml", addresses)
        sent, seen = timed.info["sent"], timed.info["seen"]
        if len(seen) != n:
            raise RuntimeError(f"the sink received {len(seen)} of {n} messages")
        return {"metrics": {"gb_per_s": timed.info["bytes"] / timed.run_s / 1e9, "msg_per_s": n / timed.run_s,
                            "run_s": timed.run_s, "load_s": timed.load_s},
                "checks": {"received": len(seen), "zero_copy": sent == seen,
                           "distinct_buffers": len(set(seen))}}

    record = bench.measure(
        "tensor", case, parameters={"messages": messages, "shape": SHAPE, "element_type": "float32",
                                    "tensor_bytes": TENSOR_BYTES, "allocator": "BlockMemoryPool",
                                    "num_blocks": NUM_BLOCKS, "storage_type": "kHost", "forwards": len(STAGES),
                                    "scheduler": "greedy", "clock": "ManualClock"},
        once=once, graph=graph(messages), units={"gb_per_s": "GB/s", "msg_per_s": "msg/s", "run_s": "s",
                                                 "load_s": "s"},
        display=["gb_per_s", "msg_per_s"])
    return [record]
