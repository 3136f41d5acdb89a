"""Recording and replaying speed of gxf-serialization, side by side with `dd` and with real GXF.

    python benchmarks/serialization.py [--smoke] [--dir DIR] [--out benchmarks/results/serialization.json]

Workloads (each a GXF graph run through gxf.core.Context, on a ManualClock with the GreedyScheduler):

- ``record_tensor``: 1 MiB float32 tensors (one per message, the same memory every time) ->
  EntityRecorder. Its write speed is compared with `dd` (1 MiB blocks) writing the same number of bytes
  to the same directory in the same run, both with the data flushed to disk at the end (fdatasync), and
  both without (the page cache's speed).
- ``record_small``: messages of a Timestamp and an int32 -> EntityRecorder, in entities/s.
- ``replay_small``: EntityReplayer of that recording -> a sink, in entities/s.
- real GXF 5.7.1 (when shared/tools/gxf_reference.py and its venv are there): GXF's EntityReplayer ->
  PingRx, and EntityReplayer -> EntityRecorder, on the same two recordings; entities/s and MB/s from its
  own run time (``GXF_REFERENCE_TIMING run=``).

Targets (from the serialization issue): record_tensor within 20% of dd's speed; record_small and
replay_small >= 100,000 entities/s. The numbers are measured, never asserted by tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_TOOL = Path(os.environ.get("GXF_REFERENCE_TOOL", "/work/shared/tools/gxf_reference.py"))
INTEROP = Path(os.environ.get("GXF_INTEROP_DIR", "/work/shared/interop"))
REFERENCE_SITE = Path(os.environ.get("GXF_REFERENCE_SITE", "/tmp/peers/holo/lib/python3.11/site-packages"))
MIB = 1 << 20
PLUGIN_NAME = "gxf-serialization-benchmarks"


def _extension():
    """The benchmark's own codelets, as a small extension registered in-process."""
    import numpy

    from gxf.core import Extension, Handle, MessageEntity, Parameter, hookimpl
    from gxf.std.codelet import Codelet
    from gxf.std.primitives import Int32
    from gxf.std.queue import Receiver, Transmitter
    from gxf.std.tensor import Tensor
    from gxf.std.timestamp import Timestamp

    class SmallSource(Codelet, type_name="gxf::benchmarks::serialization::SmallSource",
                      uuid="0f4d7b5e-3a51-4d0b-9a3c-6b0c2e7d1a01"):
        """Publishes messages of a Timestamp and an int32."""

        out = Parameter(Handle(Transmitter), description="Where the messages go")

        def start(self) -> None:
            self.k = 0

        def tick(self) -> None:
            k = self.k
            self.k = k + 1
            message = MessageEntity(self.context)
            message.add(Timestamp(k, 0), "timestamp")
            message.add(Int32(k & 0x7FFFFFFF), "value")
            self.out.publish(message)

    class TensorSource(Codelet, type_name="gxf::benchmarks::serialization::TensorSource",
                       uuid="0f4d7b5e-3a51-4d0b-9a3c-6b0c2e7d1a02"):
        """Publishes messages of one 1 MiB float32 tensor, always over the same memory."""

        out = Parameter(Handle(Transmitter), description="Where the messages go")

        def start(self) -> None:
            self.array = numpy.arange(MIB // 4, dtype=numpy.float32)

        def tick(self) -> None:
            message = MessageEntity(self.context)
            message.add(Tensor.as_tensor(self.array), "tensor")
            self.out.publish(message)

    class CountingSink(Codelet, type_name="gxf::benchmarks::serialization::CountingSink",
                       uuid="0f4d7b5e-3a51-4d0b-9a3c-6b0c2e7d1a03"):
        """Receives and counts messages."""

        inbox = Parameter(Handle(Receiver), description="Where the messages come from")

        def start(self) -> None:
            self.count = 0

        def tick(self) -> None:
            if self.inbox.receive() is not None:
                self.count += 1

    extension = Extension(name="SerializationBenchmarkExtension", uuid="0f4d7b5e-3a51-4d0b-9a3c-6b0c2e7d1a00",
                          version="1.0.0", components=[SmallSource, TensorSource, CountingSink],
                          distribution="gxf-benchmarks")

    class Plugin:
        @hookimpl
        def gxf_extensions(self):
            return extension

    return Plugin()


SCHEDULER = """
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters: {clock: clock, stop_on_deadlock: true}
"""

SERIALIZERS = """
- name: allocator
  type: nvidia::gxf::UnboundedAllocator
- name: component_serializer
  type: nvidia::gxf::StdComponentSerializer
  parameters: {allocator: allocator}
- name: entity_serializer
  type: nvidia::gxf::StdEntitySerializer
  parameters: {component_serializers: [component_serializer]}
"""


def record_graph(source: str, count: int, directory: Path, basename: str) -> str:
    return f"""
name: source
components:
- name: out
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters: {{transmitter: out, min_size: 1}}
- type: nvidia::gxf::CountSchedulingTerm
  parameters: {{count: {count}}}
- name: source
  type: gxf::benchmarks::serialization::{source}
  parameters: {{out: out}}
---
name: recorder
components:
- name: input
  type: nvidia::gxf::DoubleBufferReceiver
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: input, min_size: 1}}
{SERIALIZERS}
- name: recorder
  type: nvidia::gxf::EntityRecorder
  parameters: {{receiver: input, entity_serializer: entity_serializer, directory: "{directory}",
               basename: {basename}}}
---
components:
- type: nvidia::gxf::Connection
  parameters: {{source: source/out, target: recorder/input}}
""" + SCHEDULER


def baseline_graph(count: int) -> str:
    """The same source into a CountingSink: what the graph costs without any serialization."""
    return f"""
name: source
components:
- name: out
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters: {{transmitter: out, min_size: 1}}
- type: nvidia::gxf::CountSchedulingTerm
  parameters: {{count: {count}}}
- name: source
  type: gxf::benchmarks::serialization::SmallSource
  parameters: {{out: out}}
---
name: sink
components:
- name: inbox
  type: nvidia::gxf::DoubleBufferReceiver
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: inbox, min_size: 1}}
- name: sink
  type: gxf::benchmarks::serialization::CountingSink
  parameters: {{inbox: inbox}}
---
components:
- type: nvidia::gxf::Connection
  parameters: {{source: source/out, target: sink/inbox}}
""" + SCHEDULER


def replay_graph(directory: Path, basename: str) -> str:
    return f"""
name: replay
components:
- name: output
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters: {{transmitter: output, min_size: 1}}
{SERIALIZERS}
- name: boolean
  type: nvidia::gxf::BooleanSchedulingTerm
- name: replayer
  type: nvidia::gxf::EntityReplayer
  parameters: {{transmitter: output, entity_serializer: entity_serializer, boolean_scheduling_term: boolean,
               directory: "{directory}", basename: {basename}}}
---
name: sink
components:
- name: inbox
  type: nvidia::gxf::DoubleBufferReceiver
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: inbox, min_size: 1}}
- name: sink
  type: gxf::benchmarks::serialization::CountingSink
  parameters: {{inbox: inbox}}
---
components:
- type: nvidia::gxf::Connection
  parameters: {{source: replay/output, target: sink/inbox}}
""" + SCHEDULER


def run_graph(text: str) -> tuple[float, object]:
    """Loads, activates and runs a graph; returns (seconds of the run and deactivation, context)."""
    from gxf.core import Context, load_graph_text

    context = Context()
    load_graph_text(context, text)
    context.activate()
    start = time.perf_counter()
    context.run_async()
    context.wait()
    context.deactivate()   # the recorder writes its last buffer and closes its files here
    return time.perf_counter() - start, context


def fdatasync_files(*paths: Path) -> float:
    start = time.perf_counter()
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)
    return time.perf_counter() - start


def drop_file(path: Path) -> None:
    if path.exists():
        path.unlink()


def dd(directory: Path, count: int, sync: bool) -> float:
    """Seconds `dd` takes to write ``count`` MiB blocks into ``directory`` (and fdatasync them)."""
    target = directory / "dd.bin"
    drop_file(target)
    command = ["dd", "if=/dev/zero", f"of={target}", "bs=1M", f"count={count}", "status=none"]
    if sync:
        command.append("conv=fdatasync")
    start = time.perf_counter()
    subprocess.run(command, check=True, timeout=600)
    seconds = time.perf_counter() - start
    drop_file(target)
    return seconds


def measure_tensor(directory: Path, count: int) -> dict:
    result = {"messages": count, "bytes": count * MIB}
    for sync in (False, True):
        for base in ("tensor.gxf_entities", "tensor.gxf_index"):
            drop_file(directory / base)
        seconds, _ = run_graph(record_graph("TensorSource", count, directory, "tensor"))
        if sync:
            seconds += fdatasync_files(directory / "tensor.gxf_entities", directory / "tensor.gxf_index")
        dd_seconds = dd(directory, count, sync)
        key = "synced" if sync else "page_cache"
        ours = count * MIB / seconds / 1e6
        theirs = count * MIB / dd_seconds / 1e6
        result[key] = {"recorder_MBps": round(ours, 1), "dd_MBps": round(theirs, 1),
                       "ratio": round(ours / theirs, 3)}
    return result


def measure_small(directory: Path, count: int) -> dict:
    for base in ("small.gxf_entities", "small.gxf_index"):
        drop_file(directory / base)
    baseline_seconds, _ = run_graph(baseline_graph(count))
    record_seconds, _ = run_graph(record_graph("SmallSource", count, directory, "small"))
    replay_seconds, context = run_graph(replay_graph(directory, "small"))
    received = context.find_component("sink/sink").count
    return {"messages": count, "received": received,
            "source_to_sink_without_serialization_per_s": round(count / baseline_seconds),
            "record_entities_per_s": round(count / record_seconds),
            "replay_entities_per_s": round(received / replay_seconds),
            "entity_bytes": os.path.getsize(directory / "small.gxf_entities") // max(count, 1)}


def real_gxf(directory: Path, small_count: int, tensor_count: int) -> dict:
    """Real GXF replaying (to PingRx) and re-recording the same two recordings."""
    if not (REFERENCE_SITE / "holoscan" / "lib" / "libgxf_serialization.so").is_file() \
            or not REFERENCE_TOOL.is_file():
        return {"skipped": "real GXF is not installed here (shared/tools/setup_reference.sh)"}
    extensions = ["--ext", "libgxf_std.so", "--ext", "libgxf_sample.so", "--ext", "libgxf_serialization.so"]

    def run(graph: str, *params: str) -> float:
        command = [sys.executable, str(REFERENCE_TOOL), "--app", str(INTEROP / graph), *extensions,
                   "--severity", "1"]
        for param in params:
            command += ["--param", param]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"real GXF failed: {(done.stdout + done.stderr)[-2000:]}")
        return float(re.search(r"run=([0-9.]+)", done.stderr).group(1))

    results = {}
    replay = run("native_replay.yaml", f"replayer/replayer/directory={directory}", "replayer/replayer/basename=small")
    rerecord = run("native_replay_record.yaml", f"replayer/replayer/directory={directory}",
                   "replayer/replayer/basename=small", f"recorder/recorder/directory={directory}",
                   "recorder/recorder/basename=small_gxf")
    results["small"] = {"replay_entities_per_s": round(small_count / replay),
                        "replay_and_record_entities_per_s": round(small_count / rerecord),
                        "re_recorded_identical": (directory / "small.gxf_entities").read_bytes()
                        == (directory / "small_gxf.gxf_entities").read_bytes()}
    rerecord = run("native_replay_record.yaml", f"replayer/replayer/directory={directory}",
                   "replayer/replayer/basename=tensor", f"recorder/recorder/directory={directory}",
                   "recorder/recorder/basename=tensor_gxf")
    results["tensor"] = {"replay_and_record_MBps": round(tensor_count * MIB / rerecord / 1e6, 1)}
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny counts (the numbers mean nothing)")
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: a temporary "
                        "directory under $TMPDIR); dd writes to the same place")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "serialization.json")
    args = parser.parse_args(argv)
    small_count, tensor_count = (200, 4) if args.smoke else (200_000, 256)

    sys.path.insert(0, str(ROOT))
    from gxf.core import plugins

    plugins.register(_extension(), name=PLUGIN_NAME)
    work = Path(tempfile.mkdtemp(prefix="gxf-serialization-bench-", dir=args.dir))
    try:
        results = {
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "load_average": os.getloadavg(), "directory": str(work)},
            "record_tensor": measure_tensor(work, tensor_count),
            "small": measure_small(work, small_count),
        }
        results["real_gxf"] = real_gxf(work, small_count, tensor_count)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        plugins.unregister(PLUGIN_NAME)
    tensor, small = results["record_tensor"], results["small"]
    print(f"record 1 MiB tensors, page cache: {tensor['page_cache']['recorder_MBps']} MB/s vs dd "
          f"{tensor['page_cache']['dd_MBps']} MB/s ({tensor['page_cache']['ratio']:.0%})")
    print(f"record 1 MiB tensors, synced:     {tensor['synced']['recorder_MBps']} MB/s vs dd "
          f"{tensor['synced']['dd_MBps']} MB/s ({tensor['synced']['ratio']:.0%}; target >= 80%)")
    print(f"Timestamp + int32: record {small['record_entities_per_s']:,} entities/s, replay "
          f"{small['replay_entities_per_s']:,} entities/s (target >= 100,000); the same source into a "
          f"sink without serialization: {small['source_to_sink_without_serialization_per_s']:,}/s")
    print(f"real GXF: {json.dumps(results['real_gxf'])}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
