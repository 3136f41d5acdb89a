"""examples/behavior_tree: the supervised sensor runs with `gxf run` and says what its README says."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from gxf.core.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "behavior_tree"
GRAPH = EXAMPLE / "supervised_sensor.yaml"
MANY_DROPOUTS = "sensor/sensor/codelet_params={period: 0.1, dropouts: [0.7, 0.9, 1.1, 1.3]}"


def run(*args: str):
    result = CliRunner().invoke(main, ["run", str(GRAPH), *args])
    # The log lines without their time, and without the tracebacks under them.
    lines = [re.sub(r"^\d\d:\d\d:\d\d\.\d+ ", "", line) for line in result.stderr.splitlines()
             if not line.startswith("  ")]
    return result, lines


def test_the_sensor_is_kept_going_through_two_dropouts_and_the_tree_succeeds():
    result, lines = run("--severity", "3")
    assert result.exit_code == 0, result.output
    repeats = [line for line in lines if "[sensor/controller]" in line]
    assert len(repeats) == 2
    assert repeats[0].startswith("INFO [sensor/controller] entity 'sensor' failed, repeating it (1 of 3): ")
    assert repeats[0].endswith("RuntimeError: no signal at 1.0 s")
    assert repeats[1].startswith("INFO [sensor/controller] entity 'sensor' failed, repeating it (2 of 3): ")
    assert repeats[1].endswith("RuntimeError: no signal at 1.8 s")
    assert "INFO sensor: first reading at 0.5 s" in lines
    # 0.5 s to 2.5 s every 100 ms is 21 readings, less the two that failed.
    assert "INFO monitor: 19 readings, gaps: 0.9-1.1 s, 1.7-1.9 s" in lines
    assert lines[-2] == "behavior tree 'supervisor': SUCCESS"
    assert re.fullmatch(r"gxf run: finished in \d+\.\d\d s: 49 ticks, 19 messages", lines[-1])
    # the README shows this output
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    for shown in ("INFO sensor: first reading at 0.5 s", "behavior tree 'supervisor': SUCCESS",
                  "INFO monitor: 19 readings, gaps: 0.9-1.1 s, 1.7-1.9 s", "49 ticks, 19 messages"):
        assert shown in readme


def test_with_more_dropouts_than_the_controller_absorbs_the_tree_fails_and_the_run_still_succeeds():
    result, lines = run("--param", MANY_DROPOUTS)
    assert result.exit_code == 0, result.output
    assert len(lines) == 3, lines
    assert lines[0].startswith("WARNING [sensor/controller] entity 'sensor' failed, stopping it after 3 "
                               "repeats: ")
    assert lines[0].endswith("RuntimeError: no signal at 1.3 s")
    assert lines[1] == "behavior tree 'supervisor': FAILURE"
    assert re.fullmatch(r"gxf run: finished in \d+\.\d\d s: 22 ticks, 5 messages", lines[2])
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert MANY_DROPOUTS in readme and "22 ticks, 5 messages" in readme


def test_the_example_names_the_published_schema_and_its_codelet_files():
    first = GRAPH.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../docs/schema/graph.schema.json"
    for name in ("Sensor.py", "Monitor.py"):
        assert (EXAMPLE / name).is_file()
