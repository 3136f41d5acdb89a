"""Running a multi-segment application on one machine: every graph file in a process of its own.

``gxf launch driver.yaml worker_a.yaml worker_b.yaml`` starts ``gxf run FILE`` for each file (the
GraphDriver's and the GraphWorkers'), prints every line they write prefixed with ``[FILE-STEM]``,
and waits for all of them. When one fails, the others get ``GRACE_S`` seconds to end by themselves
(a GraphDriver and its GraphWorkers notice a lost peer by their heartbeats and fail naming it),
then are terminated; SIGINT or SIGTERM is passed on to every process. The same files run across
hosts by starting ``gxf run FILE`` on each host, with the addresses in the files (or ``--param``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import GxfError

GRACE_S = 5.0
KILL_AFTER_S = 5.0


def default_command(path: str, extra: Sequence[str]) -> list[str]:
    # -P: the working folder is not put first on sys.path, so a folder there named like a package of
    # ours (a GXF source tree's gxf/) cannot replace it in the segment's process
    return [sys.executable, "-P", "-m", "gxf.core.cli", "run", *extra, path]


class Launched:
    """A started segment process: its label, its Popen, the thread copying its output."""

    def __init__(self, label: str, process: subprocess.Popen, pump: threading.Thread):
        self.label = label
        self.process = process
        self.pump = pump


def _pump(label: str, stream, write: Callable[[str], None]) -> None:
    for line in iter(stream.readline, ""):
        write(f"[{label}] {line.rstrip()}")
    stream.close()


def _labels(paths: Sequence[str]) -> list[str]:
    stems = [Path(p).stem for p in paths]
    return [stem if stems.count(stem) == 1 else f"{stem}#{i}" for i, stem in enumerate(stems)]


def launch(paths: Sequence[str], extra_args: Sequence[str] = (), command=default_command,
           write: Callable[[str], None] | None = None, grace_s: float = GRACE_S) -> int:
    """Runs every graph file as its own process; returns the exit code (0, or the first failure's)."""
    for path in paths:
        if not Path(path).is_file():
            raise GxfError(f"{path}: graph file not found", hint="give the driver's and workers' graph files")
    write = write or (lambda line: print(line, flush=True))
    lock = threading.Lock()

    def locked_write(line: str) -> None:
        with lock:
            write(line)

    started: list[Launched] = []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    try:
        for label, path in zip(_labels(paths), paths, strict=True):
            process = subprocess.Popen(command(str(path), list(extra_args)), stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
            pump = threading.Thread(target=_pump, args=(label, process.stdout, locked_write), daemon=True)
            pump.start()
            started.append(Launched(label, process, pump))
        return _supervise(started, locked_write, grace_s)
    finally:
        _reap(started)


def _supervise(started: list[Launched], write, grace_s: float) -> int:
    signals: list[int] = []
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda s, f: signals.append(s))
    try:
        code = 0
        failed_at = None
        passed_on = False
        while True:
            codes = [item.process.poll() for item in started]
            for item, rc in zip(started, codes, strict=True):
                if rc not in (None, 0) and code == 0:
                    code = rc if rc > 0 else 128 - rc
                    failed_at = time.monotonic()
                    write(f"[launch] {item.label} failed (exit code {rc})")
            if all(rc is not None for rc in codes):
                return code
            if signals and not passed_on:
                passed_on = True
                _signal_all(started, signal.SIGTERM)
                code = code or 128 + signals[0]
                failed_at = failed_at or time.monotonic()
            if failed_at is not None and time.monotonic() - failed_at > grace_s:
                for item, rc in zip(started, codes, strict=True):
                    if rc is None:
                        write(f"[launch] {item.label} still runs {grace_s:g} s after a failure: terminating it")
                _signal_all(started, signal.SIGTERM)
                return code
            time.sleep(0.05)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _signal_all(started: list[Launched], signum: int) -> None:
    for item in started:
        if item.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                item.process.send_signal(signum)


def _reap(started: list[Launched]) -> None:
    _signal_all(started, signal.SIGTERM)
    deadline = time.monotonic() + KILL_AFTER_S
    for item in started:
        try:
            item.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            item.process.kill()
            item.process.wait()
        item.pump.join(KILL_AFTER_S)
