"""The example GPU pipeline (examples/cuda_pipeline): a generator on a stream pool, a reduction on the
GPU, a consumer gated by the stream, VerifyEqual against the host computation - run on the host
emulation of a GPU here, and on a real GPU by test_cuda_gpu.py."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from gxf.core import Context, GxfError, load_graph_file

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cuda_pipeline"

GATE = """- name: gpu_done
  type: nvidia::gxf::CudaStreamSchedulingTerm
  parameters:
    receiver: rx0
"""


def run(path: Path) -> Context:
    context = Context()
    load_graph_file(context, path)
    try:
        context.run()
    except BaseException:
        try:
            context.deactivate()
        except GxfError:
            pass
        raise
    return context


def test_the_example_pipeline_verifies_the_gpu_sums_against_the_host(emulated_gpu):
    context = run(EXAMPLE / "cuda_pipeline.yaml")
    try:
        assert context.find_component("verify/verify").count == 10
        assert context.find_component("device_sums/reduce").adapter.reduced == 10
        assert context.find_component("verify/gpu_done").callbacks_registered() == 10
        assert emulated_gpu.host_funcs == 10
        assert context.find_component("memory/device_sums").get_pool_size() == 0
    finally:
        context.deactivate()


def test_without_the_stream_gate_the_verifier_reads_the_sums_before_the_gpu_made_them(emulated_gpu, tmp_path):
    for name in ("DeviceRowSums.py", "HostRowSums.py"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    text = (EXAMPLE / "cuda_pipeline.yaml").read_text()
    assert GATE in text
    (tmp_path / "ungated.yaml").write_text(text.replace(GATE, ""))

    def slow_device():  # every piece of GPU work takes a while: the host runs ahead
        time.sleep(0.05)

    original = emulated_gpu.enqueue
    emulated_gpu.enqueue = lambda stream, work: original(stream, lambda: (slow_device(), work()))
    with pytest.raises(GxfError, match="data0\\[0\\] is 0.0"):
        run(tmp_path / "ungated.yaml")
