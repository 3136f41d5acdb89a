"""`gxf recording info` and `gxf recording check` on real GXF's recordings and on damaged copies."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from gxf.core.cli import main


def gxf(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_info_of_a_real_gxf_recording(sample):
    result = gxf("recording", "info", sample("crafted"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "entities: 3 (3 index records, 2070 bytes)"
    assert lines[3] == "acqtime: 0 .. 2000 ns (0.000002 s)"
    assert any(line.split() == ["nvidia::gxf::Tensor", "3", "x", "498", "bytes"] for line in lines)
    assert any(line.split() == ["bool", "3", "x", "111", "bytes"] for line in lines)


def test_info_as_json(sample):
    result = gxf("recording", "info", "--json", str(sample("ping")) + ".gxf_index")
    data = json.loads(result.stdout)
    assert (data["entities"], data["components"]) == (5, {"nvidia::gxf::Timestamp": [5, 285]})
    assert data["last_acqtime"] - data["first_acqtime"] == 4_000_000


def test_check_passes_a_good_recording(sample):
    result = gxf("recording", "check", sample("tensor"))
    assert (result.exit_code, result.stdout) == (0, "ok: 3 entities\n")


def test_check_reports_the_first_corrupt_entity_by_offset(sample):
    path = sample("ping")
    data = bytearray((path.parent / "ping.gxf_entities").read_bytes())
    data[194 + 26] = 0x77   # entity 2's component count becomes 0x770001
    (path.parent / "ping.gxf_entities").write_bytes(bytes(data))
    result = gxf("recording", "check", path)
    assert result.exit_code == 1
    assert "corrupt: entity 2, byte offset 194: the entity header claims" in result.stderr
    assert "2 entities before it are good (bytes 0 .. 194)" in result.stderr


def test_check_reports_a_truncated_file(sample):
    path = sample("crafted")
    os.truncate(path.parent / "crafted.gxf_entities", 1500)
    result = gxf("recording", "check", path)
    assert result.exit_code == 1
    assert "corrupt: entity 2, byte offset 1380: truncated" in result.stderr


def test_check_compares_the_index_with_the_entities(sample):
    path = sample("ping")
    index = path.parent / "ping.gxf_index"
    index.write_bytes(index.read_bytes()[:48])
    result = gxf("recording", "check", path)
    assert result.exit_code == 1
    assert "the index has 2 records but the entities file holds 5 entities" in result.stderr


def test_a_missing_recording_is_one_line_with_what_to_do(tmp_path):
    result = gxf("recording", "info", tmp_path / "nothing")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: recording '{tmp_path / 'nothing'}': cannot open")
    assert "hint: give DIR/BASENAME" in result.stderr and "Traceback" not in result.output
