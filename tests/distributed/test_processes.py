"""Driver and workers as separate processes (gxf launch): a run to the end, and a killed segment."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

from gxf.core.launch import launch
from gxf_distributed_support import driver_graph, free_port, ping_segment, worker_graph, write

RUN_GRAPH = str(Path(__file__).with_name("run_graph.py"))


def command(path, extra):
    return [sys.executable, RUN_GRAPH, "run", *extra, path]


def find_process(argument: str) -> int | None:
    """The pid of this user's process whose command line has ``argument``."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argument.encode() in args and RUN_GRAPH.encode() in args:
                return int(entry.name)
    return None


def files(tmp_path, period_ms=0, count=5, hosts=("127.0.0.1", "127.0.0.1"), ipc="http"):
    write(tmp_path, "up.yaml", ping_segment(count, "test::distributed::LinkTx", period_ms))
    write(tmp_path, "down.yaml", ping_segment(count, "test::distributed::LinkRx", period_ms))
    port = free_port()
    return [write(tmp_path, "driver.yaml", driver_graph([("up.link.port", "down.link.port")], port, ipc=ipc)),
            write(tmp_path, "worker_a.yaml", worker_graph({"up": "up.yaml"}, free_port(hosts[0]), port, hosts[0],
                                                          ipc=ipc)),
            write(tmp_path, "worker_b.yaml", worker_graph({"down": "down.yaml"}, free_port(hosts[1]), port,
                                                          hosts[1], ipc=ipc))]


def test_three_processes_run_to_the_end_with_prefixed_output(tmp_path):
    lines: list[str] = []
    assert launch([str(p) for p in files(tmp_path)], command=command, write=lines.append) == 0, lines
    assert any(line.startswith("[driver] ") for line in lines)


def test_three_processes_over_grpc(tmp_path):
    # the control plane of GXF's own driver/worker test pair: GrpcServer and GrpcClient
    lines: list[str] = []
    paths = files(tmp_path, ipc="grpc", hosts=("127.0.0.2", "127.0.0.3"))
    assert launch([str(p) for p in paths], command=command, write=lines.append) == 0, lines
    assert any(line.startswith("[worker_b] ") for line in lines)


def test_workers_on_two_simulated_hosts(tmp_path):
    lines: list[str] = []
    paths = files(tmp_path, hosts=("127.0.0.2", "127.0.0.3"))
    assert launch([str(p) for p in paths], command=command, write=lines.append) == 0, lines


def test_a_killed_segment_fails_every_other_process_naming_it(tmp_path):
    lines: list[str] = []
    paths = files(tmp_path, period_ms=50, count=100000)
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(
        launch([str(p) for p in paths], ["--severity", "3"], command=command, write=lines.append, grace_s=8)), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    victim = None
    while victim is None and time.monotonic() < deadline:
        time.sleep(0.2)
        if any("all 2 segments registered" in line for line in lines):
            victim = find_process(str(paths[2]))
    assert victim is not None, lines
    time.sleep(0.5)
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    thread.join(20)
    assert not thread.is_alive()
    assert result and result[0] != 0
    assert time.monotonic() - killed_at < 8
    text = "\n".join(lines)
    assert "[driver]" in text and "segment down" in text, text
    assert any(line.startswith("[worker_a]") and "down" in line and "error" in line for line in lines), text


def test_a_gxf_folder_in_the_working_directory_does_not_replace_the_package(tmp_path, monkeypatch):
    # as when launching from a GXF source tree, whose gxf/ folder is no package of ours
    fake = tmp_path / "gxf" / "core"
    fake.mkdir(parents=True)
    (tmp_path / "gxf" / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("raise ImportError('not this gxf')\n")
    monkeypatch.chdir(tmp_path)
    lines: list[str] = []
    ping = Path(__file__).resolve().parents[2] / "examples" / "ping.yaml"
    assert launch([str(ping)], write=lines.append) == 0, lines
    assert not any("not this gxf" in line for line in lines), lines
