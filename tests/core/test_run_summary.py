"""What `gxf run` says at the end of a run: one summary line (how it ended, wall time, ticks, messages),
a warning per queue that dropped messages, `--stats` / `--stats-json`, and a progress line on a terminal
only."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxf.core import runner
from gxf.core.cli import main
from gxf.core.run_report import ERASE, RunReport
from gxf.core.run_statistics import RunStatistics, items_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SUMMARY = re.compile(r"^gxf run: (finished|stalled|interrupted|failed) (in|after) \d+\.\d\d s: "
                     r"(\d+) ticks?, (\d+) messages?(, (\d+) dropped)?$", re.M)

SCHEDULER = """
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::{clock}
- type: nvidia::gxf::{scheduler}
  parameters:
    clock: clock
"""

PING = """
name: tx
components:
- name: signal
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::PingTx
  parameters:
    signal: signal
- type: nvidia::gxf::CountSchedulingTerm
  parameters:
    count: {count}
{tx_terms}
---
name: rx
components:
- name: signal
  type: nvidia::gxf::DoubleBufferReceiver
  parameters:
    capacity: 1
    policy: {policy}
- type: nvidia::gxf::PingRx
  parameters:
    signal: signal
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters:
    receiver: signal
    min_size: 1
{rx_terms}
---
components:
- type: nvidia::gxf::Connection
  parameters:
    source: tx/signal
    target: rx/signal
"""

RECEPTIVE = """- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters:
    transmitter: signal
    min_size: 1"""


def periodic(period: str) -> str:
    return f"""- type: nvidia::gxf::PeriodicSchedulingTerm
  parameters:
    recess_period: {period}"""


def ping_graph(tmp_path: Path, count: int = 10, policy: int = 2, tx_terms: str = RECEPTIVE, rx_terms: str = "",
               clock: str = "ManualClock", scheduler: str = "GreedyScheduler", name: str = "ping.yaml") -> Path:
    path = tmp_path / name
    path.write_text(PING.format(count=count, policy=policy, tx_terms=tx_terms, rx_terms=rx_terms)
                    + SCHEDULER.format(clock=clock, scheduler=scheduler), encoding="utf-8")
    return path


CYCLE = """
name: a
components:
- name: in
  type: nvidia::gxf::DoubleBufferReceiver
- name: out
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::PingRx
  parameters:
    signal: in
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters:
    receiver: in
    min_size: 1
---
name: b
components:
- name: in
  type: nvidia::gxf::DoubleBufferReceiver
- name: out
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::PingRx
  parameters:
    signal: in
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters:
    receiver: in
    min_size: 1
---
components:
- type: nvidia::gxf::Connection
  parameters: {source: a/out, target: b/in}
- type: nvidia::gxf::Connection
  parameters: {source: b/out, target: a/in}
"""


@pytest.fixture
def gxf():
    """gxf(*args) -> click Result (stdout and stderr apart)."""
    cli = CliRunner()

    def invoke(*args):
        return cli.invoke(main, [str(a) for a in args])

    return invoke


def summary_of(text: str) -> re.Match:
    found = list(SUMMARY.finditer(text))
    assert len(found) == 1, text
    return found[0]


# --- the summary line --------------------------------------------------------------------------------------
def test_a_finished_run_says_so_with_its_ticks_and_messages(gxf):
    result = gxf("run", EXAMPLES / "ping.yaml")
    assert result.exit_code == 0, result.stderr
    found = summary_of(result.stderr)
    assert found.group(1) == "finished" and found.group(2) == "in"
    assert (found.group(3), found.group(4)) == ("20", "10")   # ten pings: 10 + 10 ticks, 10 messages
    assert found.group(5) is None                              # nothing dropped, nothing said about it
    assert "deadlock" not in result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == found.group(0)   # the last line
    assert result.stdout == ""


def test_a_stalled_run_says_so_and_names_who_waits_on_whom(gxf, tmp_path):
    graph = tmp_path / "cycle.yaml"
    graph.write_text(CYCLE + SCHEDULER.format(clock="ManualClock", scheduler="GreedyScheduler"))
    result = gxf("run", graph)
    assert result.exit_code == 0, result.stderr
    assert summary_of(result.stderr).group(1) == "stalled"
    assert "WARNING" in result.stderr and "the run stalled" in result.stderr
    assert "entity 'a' waits" in result.stderr and "from 'b' (waiting)" in result.stderr
    assert "entity 'b' waits" in result.stderr and "from 'a' (waiting)" in result.stderr


def test_an_epoch_graph_is_judged_by_the_runner(gxf, tmp_path):
    graph = tmp_path / "cycle.yaml"
    graph.write_text(CYCLE + SCHEDULER.format(clock="ManualClock", scheduler="EpochScheduler"))
    result = gxf("run", graph)
    assert summary_of(result.stderr).group(1) == "stalled", result.stderr
    finished = gxf("run", ping_graph(tmp_path, scheduler="EpochScheduler"))
    assert summary_of(finished.stderr).groups()[:4] == ("finished", "in", "20", "10"), finished.stderr


def test_a_failed_run_says_so_before_the_error(gxf, tmp_path):
    # A fast sender without DownstreamReceptive, a slow receiver: the queue (policy 2) overflows.
    graph = ping_graph(tmp_path, count=20, tx_terms=periodic("1ms"), rx_terms=periodic("10ms"))
    result = gxf("run", graph)
    assert result.exit_code == 1
    found = summary_of(result.stderr)
    assert found.group(1) == "failed" and found.group(2) == "after"
    lines = result.stderr.splitlines()
    assert lines.index(found.group(0)) < max(i for i, line in enumerate(lines) if line.startswith("error:"))
    assert "policy is 2 (fault)" in result.stderr


def test_a_graph_that_never_ran_gets_no_summary(gxf, tmp_path):
    graph = tmp_path / "bad.yaml"
    graph.write_text("name: x\ncomponents:\n- type: nvidia::gxf::NoSuchThing\n")
    result = gxf("run", graph)
    assert result.exit_code == 1
    assert not SUMMARY.search(result.stderr)


def test_the_summary_is_hidden_below_the_default_severity(gxf):
    result = gxf("run", EXAMPLES / "ping.yaml", "--severity", "1")
    assert result.exit_code == 0
    assert not SUMMARY.search(result.stderr)


def test_dropped_messages_are_counted_and_reported_at_the_end(gxf, tmp_path):
    # tx sends every ms, rx takes one every 10 ms from a queue of one whose policy pops the oldest.
    graph = ping_graph(tmp_path, count=50, policy=0, tx_terms=periodic("1ms"), rx_terms=periodic("10ms"))
    result = gxf("run", graph, "--severity", "3")   # INFO: PingRx says what it received
    assert result.exit_code == 0, result.stderr
    found = summary_of(result.stderr)
    dropped = int(found.group(6))
    assert found.group(4) == "50"
    received = result.stderr.count("Message Received")
    warning = re.search(r"^warning: queue 'rx/signal' \(nvidia::gxf::DoubleBufferReceiver\) dropped (\d+) "
                        r"messages \(policy 0: the oldest were popped\)$", result.stderr, re.M)
    assert warning, result.stderr
    assert int(warning.group(1)) == dropped
    assert 30 <= dropped <= 50 - 4
    # every message is either received or dropped (the last one may still sit in the queue)
    assert 50 - 1 <= received + dropped <= 50, (received, dropped)


def test_a_rejecting_queue_names_its_policy(gxf, tmp_path):
    graph = ping_graph(tmp_path, count=20, policy=1, tx_terms=periodic("1ms"), rx_terms=periodic("5ms"))
    result = gxf("run", graph)
    assert re.search(r"dropped \d+ messages \(policy 1: the newest were rejected\)", result.stderr), \
        result.stderr


@pytest.mark.parametrize("scheduler", ["GreedyScheduler", "MultiThreadScheduler", "EventBasedScheduler"])
def test_a_graph_that_interrupts_itself_ends_interrupted_and_exits_0(gxf, tmp_path, scheduler):
    # PingTx's trigger_interrupt_after_ms calls interrupt() from inside the graph: GXF's run then ends
    # as stopped (its wait succeeds), so this is no error and no exit code of a signal
    graph = ping_graph(tmp_path, count=10**6, scheduler=scheduler,
                       tx_terms=RECEPTIVE + "\n" + periodic("10ms"))
    graph.write_text(graph.read_text().replace("    signal: signal\n- type: nvidia::gxf::CountScheduling",
                                               "    signal: signal\n    clock: scheduler/clock\n"
                                               "    trigger_interrupt_after_ms: 50\n"
                                               "- type: nvidia::gxf::CountScheduling", 1))
    result = gxf("run", graph)
    assert result.exit_code == 0, result.output
    found = summary_of(result.stderr)
    assert found.group(1) == "interrupted"
    assert 5 <= int(found.group(4)) <= 7  # pings at 0, 10, ..., 50 ms of the ManualClock's time
    assert "error" not in result.stderr.lower()


def test_an_interrupted_run_says_so(tmp_path):
    graph = ping_graph(tmp_path, count=10**9, tx_terms=RECEPTIVE + "\n" + periodic("1ms"),
                       clock="RealtimeClock")
    process = subprocess.Popen([sys.executable, "-m", "gxf.core.cli", "run", str(graph)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    found = summary_of(err)
    assert found.group(1) == "interrupted"
    assert int(found.group(3)) > 0


# --- --stats and --stats-json -----------------------------------------------------------------------------
def test_stats_prints_a_table_per_entity_and_codelet(gxf):
    result = gxf("run", EXAMPLES / "ping.yaml", "--stats")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["entity", "codelets", "ticks", "mean", "us", "p99", "us", "msgs", "in",
                                "msgs", "out", "drops"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["tx"][1] == "nvidia::gxf::PingTx" and rows["rx"][1] == "nvidia::gxf::PingRx"
    assert rows["tx"][2] == "10" and rows["rx"][2] == "10"             # ticks
    assert rows["tx"][5:8] == ["0", "10", "0"]                           # in, out, drops
    assert rows["rx"][5:8] == ["10", "0", "0"]
    for row in rows.values():
        mean, p99 = float(row[3]), float(row[4])
        assert 0 < mean and 0 < p99


def test_stats_json_writes_the_figures_and_how_the_run_ended(gxf, tmp_path):
    graph = ping_graph(tmp_path, count=50, policy=0, tx_terms=periodic("1ms"), rx_terms=periodic("10ms"))
    out = tmp_path / "stats.json"
    result = gxf("run", graph, "--stats-json", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""                                           # JSON only, no table
    data = json.loads(out.read_text())
    assert data["outcome"] == "finished" and data["wall_s"] >= 0
    by_name = {row["entity"]: row for row in data["entities"]}
    assert by_name["tx"]["ticks"] == 50 and by_name["tx"]["messages_out"] == 50
    rx = by_name["rx"]
    assert rx["drops"] == data["drops"] > 0
    assert rx["messages_in"] == rx["ticks"]                              # PingRx takes one per tick
    assert rx["messages_in"] + rx["drops"] >= 49
    assert rx["queues"][0]["queue"] == "rx/signal" and rx["queues"][0]["capacity"] == 1
    assert rx["p99_us"] >= rx["mean_us"] * 0.5 > 0
    assert data["ticks"] == by_name["tx"]["ticks"] + rx["ticks"]


def test_p99_and_mean_come_from_the_tick_times(monkeypatch):
    class Item:
        name, eid, codelets, receivers, transmitters, tick_count = "e", 1, (), (), (), 100

    class Executor:
        def __init__(self):
            self.items = [Item()]
            self.observers = []

        def add_observer(self, pre, post, failed=None):
            self.observers.append((pre, post))

    import gxf.core.run_statistics as module

    executor = Executor()
    monkeypatch.setattr(module, "executors", lambda context: [executor])
    stats = RunStatistics().attach(object())   # times are measured between pre and post
    (pre, post), = executor.observers
    item = executor.items[0]
    for delay in [0.0] * 98 + [0.02, 0.02]:
        pre(item, 0)
        if delay:
            time.sleep(delay)
        post(item, 0)
    row, = stats.rows()
    assert row["ticks"] == 100
    assert row["p99_us"] >= 20_000 * 0.9        # the 99th of 100 is one of the two slow ticks
    assert 300 <= row["mean_us"] <= 2_000       # two of 20 ms over 100 ticks: about 400 us
    assert row["timed_ticks"] == 100


def test_without_stats_no_observer_is_added(tmp_path):
    graph = ping_graph(tmp_path)
    seen = {}

    class Watch(RunReport):
        def started(self, context):
            super().started(context)
            seen["observers"] = [len(item.observers) for item in items_of(context)]

    runner.run_graphs([graph], watch=Watch(progress=False))
    with_stats = {}

    class Counting(RunReport):
        def started(self, context):
            super().started(context)
            with_stats["observers"] = [len(item.observers) for item in items_of(context)]

    runner.run_graphs([graph], watch=Counting(progress=False, statistics=RunStatistics()))
    assert with_stats["observers"] == [n + 1 for n in seen["observers"]]


# --- the progress line ------------------------------------------------------------------------------------
def _long_graph(tmp_path: Path) -> Path:
    return ping_graph(tmp_path, count=400, tx_terms=RECEPTIVE + "\n" + periodic("5ms"), clock="RealtimeClock")


def test_a_long_run_on_a_terminal_shows_a_progress_line_that_goes_away(tmp_path):
    import pty

    graph = _long_graph(tmp_path)
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "gxf.core.cli", "run", str(graph)],
                               stdout=subprocess.DEVNULL, stderr=child_fd, stdin=subprocess.DEVNULL)
    os.close(child_fd)
    chunks = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.5)
            if ready:
                try:
                    data = os.read(main_fd, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main_fd)
    text = b"".join(chunks).decode()
    assert process.returncode == 0, text
    progress = re.findall(r"running (\d+\.\d) s: ([\d,]+) ticks/s, ([\d,]+) messages/s, ([\d,]+) ticks", text)
    assert progress, text
    assert any(int(rate.replace(",", "")) > 0 for _, rate, _, _ in progress)
    # Erased before the summary: the summary line follows an erase on the same terminal line.
    before, _, after = text.rpartition(ERASE)
    assert "ticks/s" not in after and SUMMARY.search(after.replace("\r\n", "\n")), repr(text[-400:])


def test_no_progress_line_when_the_output_is_not_a_terminal(tmp_path):
    result = subprocess.run([sys.executable, "-m", "gxf.core.cli", "run", str(_long_graph(tmp_path))],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "ticks/s" not in result.stderr and "\x1b[K" not in result.stderr
    assert summary_of(result.stderr).group(1) == "finished"


def test_report_without_a_terminal_draws_nothing_even_for_long_runs():
    class Pipe:
        def __init__(self):
            self.text = ""

        def write(self, text):
            self.text += text

        def flush(self):
            pass

        def isatty(self):
            return False

    pipe = Pipe()
    assert RunReport(stream=pipe).progress is False
