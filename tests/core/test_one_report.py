"""One report per failure: a graph that fails says so once, as the command's `error:` line.

The schedulers keep a failure for wait() to raise; the command that ran the graph reports it. Before,
the scheduler also logged it at ERROR, so every failure was printed twice. Checked for `gxf run`,
`gxf validate` and `python -m gxf.std.gxe`, for failures in tick(), start() and while loading.
"""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from gxf.core.cli import main
from gxf.std import gxe

TICK_FAILS = """
    name: tx
    components:
    - type: nvidia::gxf::test::MockFailure
      parameters: {num_max_ticks: 2}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {count: 5}
    ---
    components:
    - type: nvidia::gxf::GreedyScheduler
      parameters: {max_duration_ms: 5000}
    """
TICK_MESSAGE = "failed in tick(): CheckFailed: ticked more than num_max_ticks (2) times"

START_FAILS = """
    name: p
    components:
    - type: nvidia::gxf::PyCodeletV0
      parameters: {codelet_name: Boom, codelet_file: boom.py}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {count: 3}
    ---
    components:
    - type: nvidia::gxf::GreedyScheduler
    """
BOOM = """
    from gxf.python_codelet import CodeletAdapter


    class Boom(CodeletAdapter):
        def start(self):
            raise RuntimeError("no start")

        def tick(self):
            pass
    """
START_MESSAGE = "failed in start(): Boom.start() at"

BAD_VALUE = """
    name: a
    components:
    - type: nvidia::gxf::test::MockFailure
      parameters: {num_max_ticks: many}
    """
BAD_VALUE_MESSAGE = "expected integer, got 'many' (string)"


@pytest.fixture
def graph(tmp_path):
    def write(text: str) -> str:
        (tmp_path / "boom.py").write_text(textwrap.dedent(BOOM))
        path = tmp_path / "graph.yaml"
        path.write_text(textwrap.dedent(text))
        return str(path)

    return write


def assert_reported_once(stderr: str, message: str) -> None:
    assert stderr.count(message) == 1, stderr
    [line] = [line for line in stderr.splitlines() if message in line]
    assert line.startswith("error: "), stderr
    assert " ERROR " not in stderr, stderr


@pytest.mark.parametrize(("text", "message"), [(TICK_FAILS, TICK_MESSAGE), (START_FAILS, START_MESSAGE),
                                               (BAD_VALUE, BAD_VALUE_MESSAGE)])
def test_gxf_run_reports_a_failure_once(graph, text, message):
    result = CliRunner().invoke(main, ["run", graph(text)])
    assert result.exit_code == 1
    assert_reported_once(result.stderr, message)


def test_gxf_validate_reports_a_failure_once(graph):
    result = CliRunner().invoke(main, ["validate", graph(BAD_VALUE)])
    assert result.exit_code == 1
    assert_reported_once(result.stderr, BAD_VALUE_MESSAGE)


@pytest.mark.parametrize(("text", "message"), [(TICK_FAILS, TICK_MESSAGE), (START_FAILS, START_MESSAGE)])
def test_gxe_reports_a_failure_once(graph, capsys, text, message):
    assert gxe.main(["--app", graph(text)]) == 1
    assert_reported_once(capsys.readouterr().err, message)


def test_gxe_writes_the_failure_once_to_its_log_file_too(graph, capsys, tmp_path):
    log_file = tmp_path / "gxe.log"
    assert gxe.main(["--app", graph(TICK_FAILS), "--log_file", str(log_file)]) == 1
    assert_reported_once(capsys.readouterr().err, TICK_MESSAGE)
    logged = log_file.read_text()
    assert logged.count(TICK_MESSAGE) == 1 and " ERROR " in logged, logged


# A failure that leaves others behind: the unread messages of a MockReceiver complain in
# deinitialize(), after the tick failed. The tick's failure is the one error;
# what stopping it left behind is mentioned as warnings, never dropped and never a second error.
LEAVES_OTHERS_BEHIND = """
    name: tx
    components:
    - name: out
      type: nvidia::gxf::DoubleBufferTransmitter
    - type: nvidia::gxf::PingTx
      parameters: {signal: out}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {count: 3}
    ---
    name: rx
    components:
    - name: in
      type: nvidia::gxf::test::MockReceiver
    ---
    name: boom
    components:
    - type: nvidia::gxf::test::MockFailure
      parameters: {num_max_ticks: 2}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {count: 5}
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters: {source: tx/out, target: rx/in}
    ---
    components:
    - type: nvidia::gxf::GreedyScheduler
      parameters: {max_duration_ms: 5000}
    """


def test_what_a_failure_leaves_behind_is_warned_about_after_the_one_error(graph):
    result = CliRunner().invoke(main, ["run", graph(LEAVES_OTHERS_BEHIND)])
    assert result.exit_code == 1
    assert_reported_once(result.stderr, TICK_MESSAGE)
    leftovers = [line for line in result.stderr.splitlines() if "while stopping after the failure" in line]
    assert any("Unreceived Entities" in line for line in leftovers), result.stderr
    assert all(" WARNING " in line for line in leftovers), result.stderr
