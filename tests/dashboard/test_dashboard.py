"""`gxf run GRAPH --dashboard [PORT]`: a live page on 127.0.0.1 with the graph's picture and figures that
move while the graph runs, checked in a real headless Chromium; nothing of it when the flag is off."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("aiohttp", reason="the dashboard needs aiohttp (pip install 'gxf-core[dashboard]')")

GRAPH = """
name: tx
components:
- name: signal
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::PingTx
  parameters:
    signal: signal
- type: nvidia::gxf::PeriodicSchedulingTerm
  parameters:
    recess_period: 2ms
- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters:
    transmitter: signal
    min_size: 1
---
name: rx
components:
- name: signal
  type: nvidia::gxf::DoubleBufferReceiver
- type: nvidia::gxf::PingRx
  parameters:
    signal: signal
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters:
    receiver: signal
    min_size: 1
---
components:
- type: nvidia::gxf::Connection
  parameters:
    source: tx/signal
    target: rx/signal
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::RealtimeClock
- type: nvidia::gxf::GreedyScheduler
  parameters:
    clock: clock
"""


class Run:
    """`gxf run graph --dashboard 0` in a process of its own; ``url`` once it serves."""

    def __init__(self, graph: Path, *extra: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "gxf.core.cli", "run", str(graph), *extra,
                                         "--dashboard", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stderr.readline()
        found = re.match(r"dashboard: (http://127\.0\.0\.1:(\d+)/)$", line.strip())
        if not found:
            self.stop()
            raise AssertionError(f"no dashboard address: {line!r}")
        self.url, self.port = found.group(1), int(found.group(2))

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
            return response.read()

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return self.process.returncode, err


@pytest.fixture
def graph(tmp_path) -> Path:
    path = tmp_path / "ping.yaml"
    path.write_text(GRAPH, encoding="utf-8")
    return path


@pytest.fixture
def running(graph):
    run = Run(graph)
    yield run
    run.stop()


FIGURES_JS = """(() => {
  const text = (id) => document.getElementById(id).textContent;
  const rows = [...document.querySelectorAll('#entities tbody tr')].map((tr) => tr.dataset.entity);
  return JSON.stringify({ticks: text('ticks'), messages: text('messages'), rate: text('ticks-per-s'),
                         elapsed: text('elapsed'), state: text('state'), rows,
                         svg: !!document.querySelector('#picture svg'),
                         mermaid: (document.querySelector('#picture pre') || {}).textContent || ''});
})()"""


@pytest.mark.timeout(900)  # the first use may install Chromium (see conftest.py)
def test_the_page_shows_figures_that_move_while_the_graph_runs(running, browser):
    async def script(call):
        await call("Page.enable")
        await call("Runtime.enable")
        await call("Page.navigate", url=running.url)
        seen = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            result = await call("Runtime.evaluate", expression=FIGURES_JS, returnByValue=True)
            value = result.get("result", {}).get("value")
            if value:
                figures = json.loads(value)
                if figures["rows"]:
                    seen.append(figures)
                if len(seen) >= 2 and _number(seen[-1]["ticks"]) > _number(seen[0]["ticks"]) > 0 \
                        and seen[-1]["svg"]:
                    break
            await asyncio.sleep(0.6)
        return seen

    seen = browser.run(script)
    assert len(seen) >= 2, seen
    first, last = seen[0], seen[-1]
    assert _number(last["ticks"]) > _number(first["ticks"]) > 0           # the figures move
    assert _number(last["messages"]) > 0 and _number(last["rate"]) > 0
    assert float(last["elapsed"]) > float(first["elapsed"])
    assert last["state"] == "running"
    assert last["rows"] == ["tx", "rx"]
    assert last["svg"]                                                     # the graph's picture
    code, err = running.stop()
    assert code == 130 and "gxf run: interrupted" in err


def _number(text: str) -> float:
    return float(text.replace(",", "") or 0)


def test_snapshot_and_events_carry_the_live_figures(running):
    deadline = time.monotonic() + 20
    while True:   # "starting" until the graph is loaded and running
        first = json.loads(running.get("/snapshot"))
        if first["ticks"] > 0:
            break
        assert first["state"] in ("starting", "running") and time.monotonic() < deadline
        time.sleep(0.2)
    time.sleep(1.2)
    second = json.loads(running.get("/snapshot"))
    assert second["ticks"] > first["ticks"] > 0
    rows = {row["entity"]: row for row in second["entities"]}
    assert rows["rx"]["queues"][0]["queue"] == "rx/signal" and rows["rx"]["queues"][0]["capacity"] == 1
    assert rows["rx"]["waits_on"] == "message in rx/signal"
    assert rows["rx"]["mean_us"] > 0 and rows["rx"]["p99_us"] >= 0
    assert second["state"] == "running"
    # server-sent events: at least two within 1.5 s (one every half second)
    with urllib.request.urlopen(running.url + "events", timeout=10) as stream:
        started = time.monotonic()
        events = []
        while len(events) < 3 and time.monotonic() - started < 5:
            line = stream.readline().decode()
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    assert len(events) == 3 and time.monotonic() - started < 2.5
    assert events[-1]["ticks"] > events[0]["ticks"]


def test_the_picture_is_also_given_as_mermaid_text(running):
    deadline = time.monotonic() + 20
    while True:   # 503 until the graph is loaded and running
        try:
            text = running.get("/graph.mermaid").decode()
            break
        except urllib.error.HTTPError as exc:
            assert exc.code == 503 and time.monotonic() < deadline
            time.sleep(0.2)
    assert "flowchart" in text and "tx" in text and "rx" in text


def test_the_page_is_served_on_loopback_only(running):
    import socket

    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    addresses.discard("127.0.0.1")
    for address in addresses:
        with socket.socket() as probe:
            probe.settimeout(1)
            assert probe.connect_ex((address, running.port)) != 0, address
    assert running.get("/").startswith(b"<!doctype html>")


def test_the_run_ends_as_usual_with_a_dashboard(graph):
    run = Run(graph, "--max-duration-ms", "600")
    _, err = run.process.communicate(timeout=30)
    code = run.process.returncode
    assert code == 0, err
    assert re.search(r"^gxf run: finished at the time limit in \d", err, re.M), err


def test_a_busy_port_is_one_clear_error(graph):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "gxf.core.cli", "run", str(graph), "--dashboard",
                                 str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"error: the dashboard could not listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_of_the_dashboard_is_loaded_without_the_flag(graph):
    code = (
        "import sys\n"
        "from gxf.core.cli import main\n"
        "try:\n"
        f"    main(['run', {str(graph)!r}, '--max-duration-ms', '100'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "import threading\n"
        "print(sorted(m for m in sys.modules if m.startswith(('aiohttp', 'gxf.core.dashboard'))),\n"
        "      [t.name for t in threading.enumerate() if 'dashboard' in t.name])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[] []", result.stdout + result.stderr
