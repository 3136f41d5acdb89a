"""examples/record_replay: record a pipeline's output, replay it into a second graph that checks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gxf.core import Context, GxfError, load_graph_file
from gxf.core.cli import main
from gxf.serialization.recording import check

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "record_replay"


def replay(directory) -> Context:
    context = Context()
    load_graph_file(context, str(EXAMPLE / "replay.yaml"))
    context.find_component("replayer/replayer").set_param("directory", str(directory))
    context.run()
    return context


def test_the_example_records_and_replays(tmp_path):
    result = CliRunner().invoke(main, ["run", str(EXAMPLE / "record.yaml"), "--severity", "1",
                                       "--param", f"recorder/recorder/directory={tmp_path}"])
    assert result.exit_code == 0, result.output
    assert check(str(tmp_path / "tensors")).entities == 10
    info = CliRunner().invoke(main, ["recording", "info", str(tmp_path / "tensors")])
    assert "entities: 10" in info.stdout and "nvidia::gxf::Tensor" in info.stdout
    context = replay(tmp_path)
    try:
        assert context.find_component("compare/comparator").compared == 10
    finally:
        context.deactivate()


def test_a_changed_recording_fails_the_replaying_graph(tmp_path):
    CliRunner().invoke(main, ["run", str(EXAMPLE / "record.yaml"), "--severity", "1",
                              "--param", f"recorder/recorder/directory={tmp_path}"])
    path = tmp_path / "tensors.gxf_entities"
    data = bytearray(path.read_bytes())
    data[40 + 32 + 6 + 116] ^= 0xFF   # the first byte of the first tensor's data
    path.write_bytes(bytes(data))
    with pytest.raises(GxfError, match="tensor 'tensor': the data differs"):
        replay(tmp_path)
