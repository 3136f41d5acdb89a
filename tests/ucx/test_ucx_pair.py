"""UcxTransmitter and UcxReceiver in two processes: exact counts, and a receiver that never comes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAIR = ROOT / "examples" / "ucx_pair"
GXF = [str(Path(sys.executable).parent / "gxf")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def spawn():
    """Starts processes and always reaps them (killed when the test leaves them running)."""
    started: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        process = subprocess.Popen([*GXF, "run", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_ping_between_two_processes_arrives_exactly(spawn):
    port = free_port()
    rx = spawn(str(PAIR / "rx.yaml"), "--param", f"rx/signal/port={port}", "--param", "rx/count/count=200")
    tx = spawn(str(PAIR / "tx.yaml"), "--param", f"tx/signal/port={port}", "--param", "tx/count/count=200")
    tx_out, _ = tx.communicate(timeout=40)
    rx_out, _ = rx.communicate(timeout=40)
    assert tx.returncode == 0, tx_out
    assert rx.returncode == 0, rx_out
    assert "finished" in tx_out and "200 ticks" in tx_out, tx_out
    # PingRx ticks once per message received; the count term ends the run at exactly 200.
    assert "200 ticks" in rx_out, rx_out


def test_transmitter_without_receiver_fails_within_its_retries(spawn):
    port = free_port()
    began = time.monotonic()
    tx = spawn(str(PAIR / "tx.yaml"), "--param", f"tx/signal/port={port}",
               "--param", "tx/signal/maximum_connection_retries=1")
    out, _ = tx.communicate(timeout=40)
    assert tx.returncode != 0, out
    assert f"cannot connect to the UcxReceiver at 127.0.0.1:{port} after 1 retries" in out, out
    assert "tx.yaml" in out
    assert time.monotonic() - began < 30
