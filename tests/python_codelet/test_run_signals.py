"""`gxf run` under signals and time limits, in a process of its own: SIGINT and SIGTERM stop a run (even
where SIGINT was ignored at start), a tick that never returns is cut short naming its codelet, the time
limit holds for the default scheduler and in real time for a ManualClock, an EpochScheduler graph runs,
and sys.exit() in a tick is a failure naming the codelet.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

CODELETS = '''
import sys
import time

from gxf.python_codelet import CodeletAdapter


class Ticker(CodeletAdapter):
    """Says 'running' on its first tick, then ticks on."""

    def tick(self):
        if self.get_execution_count() == 1:
            print("running", flush=True)


class Sleeper(CodeletAdapter):
    """Says 'running', then never returns from its tick."""

    def tick(self):
        print("running", flush=True)
        while True:
            time.sleep(3600)


class Exits(CodeletAdapter):
    def tick(self):
        sys.exit(3)


class Counts(CodeletAdapter):
    """Prints its tick count when it stops."""

    def stop(self):
        print(f"ticks: {self.get_execution_count()}", flush=True)
'''


def entity(name: str, codelet: str, *terms: str) -> str:
    text = f"""
        ---
        name: {name}
        components:
        - name: codelet
          type: nvidia::gxf::PyCodeletV0
          parameters:
            codelet_name: {codelet}
            codelet_file: codelets.py
        """
    return textwrap.dedent(text) + "".join(textwrap.dedent(term) for term in terms)


PERIODIC_1MS = """\
- type: nvidia::gxf::PeriodicSchedulingTerm
  parameters:
    recess_period: 1ms
"""


def scheduler(kind: str, clock: str = "nvidia::gxf::RealtimeClock", **params) -> str:
    lines = "".join(f"    {key}: {value}\n" for key, value in params.items())
    return textwrap.dedent(f"""
        ---
        name: scheduler
        components:
        - name: clock
          type: {clock}
        - name: scheduler
          type: {kind}
          parameters:
            clock: clock
        """) + lines


@pytest.fixture
def gxf_run(tmp_path):
    """``gxf_run(graph_text, *options, ignore_sigint=False)``: a started `gxf run` process (killed at the
    end of the test if still alive)."""
    (tmp_path / "codelets.py").write_text(CODELETS, encoding="utf-8")
    processes: list[subprocess.Popen] = []

    def start(text: str, *options, ignore_sigint: bool = False) -> subprocess.Popen:
        graph = tmp_path / f"graph{len(processes)}.yaml"
        graph.write_text(text, encoding="utf-8")
        preexec = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
        command = [sys.executable, "-m", "gxf.core.cli", "run", str(graph), *map(str, options)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   preexec_fn=preexec)
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate()


def wait_running(process: subprocess.Popen) -> None:
    line = process.stdout.readline()
    if line != "running\n":
        process.wait(5)
        pytest.fail(f"no 'running' line: {line!r}, {process.stderr.read()}")


def finish(process: subprocess.Popen, timeout: float = 8) -> tuple[str, str, float]:
    start = time.monotonic()
    out, err = process.communicate(timeout=timeout)
    return out, err, time.monotonic() - start


@pytest.mark.timeout(20)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_signals_stop_a_run_even_where_sigint_was_ignored_at_start(gxf_run, signum):
    process = gxf_run(entity("ticker", "Ticker", PERIODIC_1MS), ignore_sigint=True)
    wait_running(process)
    os.kill(process.pid, signum)
    _, err, _ = finish(process)
    assert process.returncode == 128 + signum, err
    assert f"error: interrupted ({signal.Signals(signum).name})" in err
    assert "Traceback" not in err


@pytest.mark.timeout(20)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_tick_that_never_returns_ends_the_process_after_the_stop_timeout(gxf_run, signum):
    process = gxf_run(entity("sleepy", "Sleeper"), "--stop-timeout", "0.5")
    wait_running(process)
    os.kill(process.pid, signum)
    _, err, took = finish(process)
    assert process.returncode == 128 + signum, err
    assert "error: interrupted ({}); the graph did not stop within 0.5 s".format(
        signal.Signals(signum).name) in err
    assert "still in tick(): codelet 'sleepy/codelet' (nvidia::gxf::PyCodeletV0)" in err
    assert took < 4


@pytest.mark.timeout(20)
def test_a_second_signal_ends_a_stuck_run_at_once(gxf_run):
    process = gxf_run(entity("sleepy", "Sleeper"))  # default stop timeout: 5 s
    wait_running(process)
    os.kill(process.pid, signal.SIGINT)
    time.sleep(0.2)
    os.kill(process.pid, signal.SIGTERM)
    _, err, took = finish(process)
    assert process.returncode == 130, err  # the first signal's code
    assert "did not stop before a second signal (SIGTERM)" in err and "'sleepy/codelet'" in err
    assert took < 3


@pytest.mark.timeout(20)
def test_time_limit_reaches_the_default_scheduler(gxf_run):
    # No scheduler in the graph: gxf-std adds a GreedyScheduler when the graph is loaded.
    process = gxf_run(entity("ticker", "Ticker", PERIODIC_1MS), "--max-duration-ms", 300)
    _, err, took = finish(process)
    assert process.returncode == 0, err
    assert took < 5


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", ["nvidia::gxf::GreedyScheduler", "nvidia::gxf::MultiThreadScheduler",
                                  "nvidia::gxf::EventBasedScheduler"])
def test_time_limit_of_a_manual_clock_run_holds_in_real_time_too(gxf_run, kind):
    # An entity without scheduling terms ticks on and on and never waits for a time: a ManualClock then
    # never moves, and only the limit in real time (the clock standing still that long) ends the run.
    graph = entity("counter", "Counts") + scheduler(kind, "nvidia::gxf::ManualClock")
    start = time.monotonic()
    process = gxf_run(graph, "--max-duration-ms", 600)
    out, err, _ = finish(process)
    took = time.monotonic() - start
    assert process.returncode == 0, err
    assert "interrupted" not in err
    assert "ticks: " in out
    assert 0.6 <= took < 6


@pytest.mark.timeout(20)
def test_time_limit_of_a_manual_clock_run_is_manual_time_first(gxf_run):
    # As in GXF: a periodic entity on a ManualClock ends after 600 ms of manual time, i.e. after 601
    # ticks 1 ms apart, however fast they run in real time.
    graph = entity("counter", "Counts", PERIODIC_1MS) + scheduler("nvidia::gxf::GreedyScheduler",
                                                                  "nvidia::gxf::ManualClock")
    process = gxf_run(graph, "--max-duration-ms", 600)
    out, err, _ = finish(process)
    assert process.returncode == 0, err
    assert "ticks: 601" in out, out


@pytest.mark.timeout(20)
def test_an_epoch_scheduler_graph_runs_under_gxf_run(gxf_run):
    count = """\
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 20
    - type: nvidia::gxf::PeriodicSchedulingTerm
      parameters:
        recess_period: 10ms
    """
    graph = entity("counter", "Counts", count) + scheduler("nvidia::gxf::EpochScheduler",
                                                           "nvidia::gxf::ManualClock")
    process = gxf_run(graph)
    out, err, took = finish(process)
    assert process.returncode == 0, err
    assert "ticks: 20" in out
    assert took < 6


@pytest.mark.timeout(20)
def test_an_epoch_scheduler_graph_stops_on_a_signal_and_on_the_time_limit(gxf_run):
    graph = entity("ticker", "Ticker", PERIODIC_1MS) + scheduler("nvidia::gxf::EpochScheduler")
    process = gxf_run(graph)
    wait_running(process)
    os.kill(process.pid, signal.SIGINT)
    _, err, _ = finish(process)
    assert process.returncode == 130, err
    assert "error: interrupted (SIGINT)" in err

    process = gxf_run(graph, "--max-duration-ms", 300)
    _, err, took = finish(process)
    assert process.returncode == 0, err
    assert took < 5


@pytest.mark.timeout(20)
def test_sys_exit_in_a_tick_is_a_failure_naming_the_codelet(gxf_run):
    process = gxf_run(entity("quitter", "Exits"))
    _, err, _ = finish(process)
    assert process.returncode == 1, err
    assert "codelet 'quitter/codelet' (nvidia::gxf::PyCodeletV0) failed in tick()" in err
    assert "SystemExit" in err


@pytest.mark.timeout(20)
def test_a_stuck_tick_on_the_main_thread_of_an_epoch_run_is_cut_short(gxf_run):
    # The EpochScheduler's ticks run on the main thread: the signal must get through while it is stuck.
    process = gxf_run(entity("sleepy", "Sleeper") + scheduler("nvidia::gxf::EpochScheduler"),
                      "--stop-timeout", "0.3")
    wait_running(process)
    os.kill(process.pid, signal.SIGTERM)
    _, err, took = finish(process)
    assert process.returncode == 143, err
    assert "still in tick(): codelet 'sleepy/codelet'" in err
    assert took < 4


@pytest.mark.timeout(20)
def test_a_stuck_tick_does_not_outlast_a_manual_clock_time_limit(gxf_run):
    manual = scheduler("nvidia::gxf::GreedyScheduler", "nvidia::gxf::ManualClock")
    graph = entity("sleepy", "Sleeper") + manual
    process = gxf_run(graph, "--max-duration-ms", 200, "--stop-timeout", "0.3")
    _, err, took = finish(process)
    assert process.returncode == 1, err
    assert "error: the time limit of 200 ms was reached (in real time: the ManualClock stood still)" in err
    assert "the graph did not stop within 0.3 s" in err
    assert "'sleepy/codelet'" in err
    assert took < 5


@pytest.mark.timeout(20)
def test_run_graphs_off_the_main_thread_keeps_the_time_limit_and_leaves_signals_alone(tmp_path):
    import threading

    from gxf.core import runner

    (tmp_path / "codelets.py").write_text(CODELETS, encoding="utf-8")
    graph = tmp_path / "graph.yaml"
    manual = scheduler("nvidia::gxf::GreedyScheduler", "nvidia::gxf::ManualClock")
    graph.write_text(entity("counter", "Counts", PERIODIC_1MS) + manual, encoding="utf-8")
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    contexts = []
    worker = threading.Thread(target=lambda: contexts.append(runner.run_graphs([graph], max_duration_ms=200)))
    worker.start()
    worker.join(10)
    assert not worker.is_alive() and contexts, "the run did not end"
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
    assert not [t for t in threading.enumerate() if t.name == "gxf-run-stopper"]
