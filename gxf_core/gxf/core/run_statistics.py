"""Run statistics: per-entity figures of a running graph, from the executors' observer contract.

``RunStatistics`` is the one collector behind ``gxf run --stats`` / ``--stats-json`` and the live
dashboard. It registers itself with the executor of every scheduler of the graph
(``scheduler.executor.add_observer(pre, post, failed)``, see docs/architecture.md) and times ticks:
every one for ``--stats``, or a sample (a twentieth of the time) for a live view, which then costs a
twentieth as much. Everything else it reports (ticks, messages in and out, drops, queue depths) are
counts the queues and the executor keep anyway, read when a snapshot is taken. A run without
statistics never builds one and pays nothing for it.

The core knows no concrete scheduler or queue: what it reads is the public contract of gxf-std's
executor (``executor.items``: per entity ``name``, ``codelets``, ``receivers``, ``transmitters``,
``tick_count``) and queues (``size()``, ``back_size()``, ``capacity()``, ``dropped``, ``sent``).
Codelets of one entity tick together, so their time is the entity's: the table has a row per entity,
naming its codelets.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
from collections import deque
from pathlib import Path

SAMPLES = 65536  # the latest tick durations kept per entity, for the mean and percentiles


def executors(context) -> list:
    """The executors of the graph's schedulers that have the observer contract, each once."""
    from .system import System

    found = []
    for system in context.components(System):
        executor = getattr(system, "executor", None)
        if callable(getattr(executor, "add_observer", None)) and executor not in found:
            found.append(executor)
    return found


def items_of(context) -> list:
    """Every scheduled entity (executor item) of the graph's schedulers."""
    return [item for executor in executors(context) for item in getattr(executor, "items", ())]


def totals(context) -> tuple[int, int, int]:
    """(ticks, messages sent, messages dropped) of the graph so far: counts kept anyway, read now."""
    ticks = sum(getattr(item, "tick_count", 0) for item in items_of(context))
    sent = dropped = 0
    for component in context.components():
        count = getattr(component, "sent", None)
        if type(count) is int:
            sent += count
        count = getattr(component, "dropped", None)
        if type(count) is int:
            dropped += count
    return ticks, sent, dropped


def dropping_queues(context) -> list:
    """(queue, dropped count) of every queue that lost messages, in graph order."""
    out = []
    for component in context.components():
        count = getattr(component, "dropped", None)
        if type(count) is int and count > 0:
            out.append((component, count))
    return out


def percentile(samples, fraction: float) -> float:
    """The nearest-rank percentile of ``samples`` (0.0 when empty)."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return float(ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))])


class RunStatistics:
    """Collects per-entity tick times and message counts of a run (see the module docstring).

    Tick times: the last ``SAMPLES`` of each entity (mean and p99 are over them). With ``sample``
    ``(on_s, every_s)`` ticks are timed only ``on_s`` out of every ``every_s`` seconds (the observers
    are added and removed by a thread of the collector), which is what a live view needs at a small
    fraction of the cost; without it every tick is timed (``--stats``).
    """

    def __init__(self, sample: tuple[float, float] | None = None) -> None:
        self.sample = sample
        self.context = None
        self.started = time.monotonic()
        self._times: dict = {}      # item -> deque of tick durations (ns)
        self._failures: dict = {}   # item -> ticks that failed
        self._executors: list = []
        self._observer: tuple = ()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._final: list | None = None

    def attach(self, context) -> RunStatistics:
        """Registers with every executor of ``context`` (an activated graph); returns itself."""
        self.context = context
        self.started = time.monotonic()
        times, failures = self._times, self._failures
        begin: dict = {}
        clock = time.perf_counter_ns

        def pre(item, timestamp) -> None:
            begin[item] = clock()

        def post(item, timestamp) -> None:
            times[item].append(clock() - begin[item])

        def failed(item, timestamp, error) -> None:
            failures[item] = failures.get(item, 0) + 1

        self._observer = (pre, post, failed)
        self._executors = executors(context)
        for executor in self._executors:
            for item in executor.items:
                times[item] = deque(maxlen=SAMPLES)
        if self.sample is None:
            self._observe(True)
        else:
            self._thread = threading.Thread(target=self._sample, name="gxf-run-statistics", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        """The run is over (the graph not yet deactivated): stops the sampling and keeps the figures as
        they are now, which ``rows`` gives from then on (the routes are gone once it deactivates)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._final is None:
            self._final = self.rows()

    def _observe(self, on: bool) -> None:
        pre, post, failed = self._observer
        for executor in self._executors:
            if on:
                executor.add_observer(pre, post, failed)
            else:
                executor.remove_observer(pre, post, failed)

    def _sample(self) -> None:
        on_s, every_s = self.sample
        stop = self._stop
        if not all(callable(getattr(e, "remove_observer", None)) for e in self._executors):
            self._observe(True)  # an executor that cannot take observers back: every tick is timed
            return
        while not stop.is_set():
            self._observe(True)
            stopped = stop.wait(on_s)
            self._observe(False)
            if stopped or stop.wait(max(0.0, every_s - on_s)):
                return

    # --- reading -----------------------------------------------------------------------------------------
    def rows(self, max_samples: int | None = None) -> list[dict]:
        """One dict per entity: figures so far (may be called from any thread while the graph runs).

        Ticks and messages are the runtime's own counts: ticks since the entity (last) started, messages
        out as its transmitters' ``sent``, messages in as what its receivers' sources sent less what the
        receivers dropped and still hold. ``max_samples`` bounds the tick times the p99 is taken from (a
        live view's cheaper look)."""
        if self._final is not None:
            return [dict(row) for row in self._final]
        rows = []
        for item, kept in list(self._times.items()):
            samples = list(itertools.islice(reversed(kept), max_samples)) if max_samples else list(kept)
            receivers = tuple(getattr(item, "receivers", ()))
            transmitters = tuple(getattr(item, "transmitters", ()))
            rows.append({
                "entity": item.name or str(getattr(item, "eid", "")),
                "codelets": [_codelet_text(codelet) for codelet in getattr(item, "codelets", ())],
                "ticks": getattr(item, "tick_count", 0),
                "timed_ticks": len(samples),
                "mean_us": round(sum(samples) / len(samples) / 1000, 3) if samples else 0.0,
                "p99_us": round(percentile(samples, 0.99) / 1000, 3),
                "messages_in": sum(_received(receiver) for receiver in receivers),
                "messages_out": sum(getattr(t, "sent", 0) for t in transmitters),
                "drops": sum(getattr(q, "dropped", 0) for q in receivers + transmitters),
                "failures": self._failures.get(item, 0),
                "queues": [_queue_figures(queue) for queue in receivers],
            })
        return rows

    def snapshot(self, max_samples: int | None = None) -> dict:
        """Every row plus the run's totals and elapsed time (JSON-ready); see ``rows``."""
        rows = self.rows(max_samples)
        return {
            "elapsed_s": round(time.monotonic() - self.started, 3),
            "ticks": sum(row["ticks"] for row in rows),
            "messages": sum(row["messages_out"] for row in rows),
            "drops": sum(row["drops"] for row in rows),
            "entities": rows,
        }

    def table(self) -> str:
        """The per-codelet table of ``gxf run --stats`` (one row per entity, naming its codelets)."""
        header = ("entity", "codelets", "ticks", "mean us", "p99 us", "msgs in", "msgs out", "drops")
        lines = [header]
        for row in self.rows():
            lines.append((row["entity"], ", ".join(row["codelets"]), str(row["ticks"]),
                          f"{row['mean_us']:.1f}", f"{row['p99_us']:.1f}", str(row["messages_in"]),
                          str(row["messages_out"]), str(row["drops"])))
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        out = []
        for line in lines:
            cells = [cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(line)]
            out.append("  ".join(cells).rstrip())
        return "\n".join(out) + "\n"

    def write_json(self, path: str | Path, extra: dict | None = None) -> None:
        """Writes the snapshot (plus ``extra``, e.g. how the run ended) as JSON to ``path``."""
        data = dict(extra or {})
        data.update(self.snapshot())
        Path(path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _codelet_text(codelet) -> str:
    return f"{codelet.name} ({codelet.type_name()})" if codelet.name else codelet.type_name()


def _received(receiver) -> int:
    """Messages taken from ``receiver``: what its sources sent, less what it dropped and still holds."""
    delivered = sum(getattr(t, "sent", 0) for t in receiver.transmitters()) \
        if callable(getattr(receiver, "transmitters", None)) else 0
    return max(0, delivered - getattr(receiver, "dropped", 0) - _depth(receiver))


def _depth(queue) -> int:
    size = getattr(queue, "size", None)
    back = getattr(queue, "back_size", None)
    return (size() if callable(size) else 0) + (back() if callable(back) else 0)


def _queue_figures(queue) -> dict:
    size = getattr(queue, "size", None)
    back = getattr(queue, "back_size", None)
    capacity = getattr(queue, "capacity", None)
    return {
        "queue": queue.handle_text() if hasattr(queue, "handle_text") else str(queue),
        "depth": (size() if callable(size) else 0) + (back() if callable(back) else 0),
        "capacity": capacity() if callable(capacity) else None,
        "dropped": getattr(queue, "dropped", 0),
    }
