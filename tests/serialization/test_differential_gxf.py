"""Differential tests against real GXF 5.7.1: what it records replays here, what we record replays there.

They run GXF's own EntityRecorder / EntityReplayer through shared/tools/gxf_reference.py and the graphs
of shared/interop/ (native_*.yaml), and skip where the reference venv is absent (as in CI).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gxf.core import Context, load_graph_file
from gxf.serialization.recording import Recording, check
from gxf.std.primitives import Int32
from gxf.std.tensor import Tensor
from gxf.std.timestamp import Timestamp
from gxf_serialization_support import (INTEROP, REFERENCE_TOOL, reference_unavailable,  # noqa: E402
                                       replay_graph, source_graph)

pytestmark = pytest.mark.skipif(reference_unavailable() is not None, reason=str(reference_unavailable()))

EXTENSIONS = ["--ext", "libgxf_std.so", "--ext", "libgxf_sample.so", "--ext", "libgxf_serialization.so"]


def real_gxf(graph: str, *params: str) -> str:
    """Runs ``graph`` (a file of shared/interop) on real GXF; returns its log; fails the test on an error."""
    command = [sys.executable, str(REFERENCE_TOOL), "--app", str(INTEROP / graph), *EXTENSIONS, "--severity", "3"]
    for param in params:
        command += ["--param", param]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    return log


def run_ours(graph: str, *params: str) -> Context:
    """Runs a graph file of shared/interop on this runtime, with ``entity/component/key=value`` params."""
    context = Context()
    load_graph_file(context, str(INTEROP / graph))
    for param in params:
        path, _, value = param.partition("=")
        entity, component, key = path.split("/")
        context.find_component(f"{entity}/{component}").set_param(key, value)
    context.run()
    context.deactivate()
    return context


def test_what_real_gxf_records_replays_here(run_graph, test_extension, tmp_path):
    real_gxf("native_record.yaml", f"recorder/recorder/directory={tmp_path}")
    assert check(str(tmp_path / "ping")).ok
    run_graph(replay_graph(tmp_path, basename="ping"))
    stamps = [m.get(Timestamp, "timestamp") for m in test_extension.COLLECTED]
    assert [s.acqtime for s in stamps] == [k * 1_000_000 for k in range(5)]


def test_the_same_graph_records_the_same_messages_in_both(tmp_path):
    (tmp_path / "gxf").mkdir()
    (tmp_path / "ours").mkdir()
    real_gxf("native_record.yaml", f"recorder/recorder/directory={tmp_path / 'gxf'}")
    run_ours("native_record.yaml", f"recorder/recorder/directory={tmp_path / 'ours'}")
    theirs = list(Recording(tmp_path / "gxf" / "ping").entities())
    ours = list(Recording(tmp_path / "ours" / "ping").entities())
    assert [(e.offset, e.size) for e in ours] == [(e.offset, e.size) for e in theirs]
    for mine, real in zip(ours, theirs, strict=True):
        assert [(c.type_name(), c.name) for c in mine.message.components] == \
            [(c.type_name(), c.name) for c in real.message.components]
        # acqtime is PingTx's clock time in both; pubtime is the publish time here, 0 in GXF
        assert mine.message.get(Timestamp).acqtime == real.message.get(Timestamp).acqtime


def test_what_we_record_real_gxf_replays_to_its_ping_rx(tmp_path):
    run_ours("native_record.yaml", f"recorder/recorder/directory={tmp_path}")
    log = real_gxf("native_replay.yaml", f"replayer/replayer/directory={tmp_path}")
    assert log.count("Message Received") == 5
    assert "Reach end of file" in log


def tensor_source_graph(directory) -> str:
    """TensorGenerator (float32 [2, 3, 4] in system memory) -> EntityRecorder."""
    return source_graph(directory, 3).replace("""- name: source
  type: test::serialization::ValueSource
  parameters: {out: out, extra: ""}""", """- name: pool
  type: nvidia::gxf::UnboundedAllocator
- name: source
  type: nvidia::gxf::test::TensorGenerator
  parameters: {output: out, allocator: pool, shape: [2, 3, 4], storage_type: 2, number_of_tensors: 2}""")


@pytest.mark.parametrize("what", ["values", "tensors"])
def test_real_gxf_re_records_our_recording_byte_for_byte(run_graph, test_extension, tmp_path, what):
    """Our file -> GXF's EntityReplayer -> GXF's EntityRecorder: the same bytes come out."""
    graph = source_graph(tmp_path, 4) if what == "values" else tensor_source_graph(tmp_path)
    context = run_graph(graph)
    context.deactivate()
    real_gxf("native_replay_record.yaml", f"replayer/replayer/directory={tmp_path}",
             "replayer/replayer/basename=values", f"recorder/recorder/directory={tmp_path}",
             "recorder/recorder/basename=rerecorded")
    ours = (tmp_path / "values.gxf_entities").read_bytes()
    assert (tmp_path / "rerecorded.gxf_entities").read_bytes() == ours
    assert os.path.getsize(tmp_path / "rerecorded.gxf_index") == os.path.getsize(tmp_path / "values.gxf_index")
    entities = list(Recording(tmp_path / "rerecorded").entities())
    if what == "values":
        assert [e.message.get(Int32).value for e in entities] == [0, 1, 2, 3]
    else:
        assert [len(e.message.find_all(Tensor)) for e in entities] == [2, 2, 2]


def test_real_gxf_re_records_the_samples_we_wrote_back(tmp_path):
    """Samples read and re-written by our serializers replay and re-record identically in real GXF."""
    from gxf.serialization.file_stream import FileStream
    from gxf.serialization.recording import standalone_serializer
    from gxf_serialization_support import DATA

    for name in ("crafted", "tensor"):
        out = FileStream(output_path=str(tmp_path / f"{name}.gxf_entities"))
        out.open()
        writer = standalone_serializer()
        for entity in Recording(DATA / name).entities():
            writer.serialize_entity(entity.message, out)
        out.close()
        (tmp_path / f"{name}.gxf_index").write_bytes((DATA / f"{name}.gxf_index").read_bytes())
        real_gxf("native_replay_record.yaml", f"replayer/replayer/directory={tmp_path}",
                 f"replayer/replayer/basename={name}", f"recorder/recorder/directory={tmp_path}",
                 f"recorder/recorder/basename={name}_gxf")
        assert (tmp_path / f"{name}_gxf.gxf_entities").read_bytes() == (DATA / f"{name}.gxf_entities").read_bytes()
