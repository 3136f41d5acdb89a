"""Run statistics: per-entity figures of a running graph, from the executors' observer contract.

``RunStatistics`` is the one collector behind ``gxf run --stats`` / ``--stats-json`` and the live
dashboard. It registers itself with the executor of every scheduler of the graph
(``scheduler.executor.add_observer(pre, post, failed)``, see docs/architecture.md) and times each tick;
everything else it reports (ticks, messages sent, drops, queue depths) are counts the queues and the
executor keep anyway, read when a snapshot is taken. A run without statistics never builds one and
pays nothing for it.

The core knows no concrete scheduler or queue: what it reads is the public contract of gxf-std's
executor (``executor.items``: per entity ``name``, ``codelets``, ``receivers``, ``transmitters``,
``tick_count``) and queues (``size()``, ``back_size()``, ``capacity()``, ``dropped``, ``sent``).
Codelets of one entity tick together, so their time is the entity's: the table has a row per entity,
naming its codelets.
"""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path

SAMPLES = 65536  # tick durations kept per entity for percentiles; later ones replace them at random


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


class _Record:
    """What the collector keeps of one entity; written only by the thread ticking it."""

    __slots__ = ("item", "receivers", "begin", "waiting", "ticks", "total", "samples", "received",
                 "failures")

    def __init__(self, item) -> None:
        self.item = item
        self.receivers = tuple(getattr(item, "receivers", ()))
        self.begin = 0
        self.waiting = 0
        self.ticks = 0
        self.total = 0
        self.samples: list[int] = []
        self.received = 0
        self.failures = 0


class RunStatistics:
    """Collects per-entity tick times and message counts of a run (see the module docstring)."""

    def __init__(self) -> None:
        self.records: dict = {}
        self.started = time.monotonic()

    def attach(self, context) -> RunStatistics:
        """Registers with every executor of ``context`` (an activated graph); returns itself."""
        self.context = context
        self.started = time.monotonic()
        records = self.records
        clock = time.perf_counter_ns
        samples_max = SAMPLES
        rand = random.random

        def pre(item, timestamp) -> None:
            record = records[item]
            receivers = record.receivers
            if receivers:  # after the inbox syncs: what the tick may receive
                record.waiting = sum([receiver.size() for receiver in receivers])
            record.begin = clock()

        def post(item, timestamp) -> None:
            duration = clock()
            record = records[item]
            duration -= record.begin
            record.ticks = ticks = record.ticks + 1
            record.total += duration
            samples = record.samples
            if ticks <= samples_max:
                samples.append(duration)
            elif rand() * ticks < samples_max:  # a uniform sample of every tick (reservoir)
                samples[int(rand() * samples_max)] = duration
            receivers = record.receivers
            if receivers:
                record.received += record.waiting - sum([receiver.size() for receiver in receivers])

        def failed(item, timestamp, error) -> None:
            records[item].failures += 1

        for executor in executors(context):
            for item in executor.items:
                records[item] = _Record(item)
            executor.add_observer(pre, post, failed)
        return self

    # --- reading -----------------------------------------------------------------------------------------
    def rows(self) -> list[dict]:
        """One dict per entity: figures so far (may be called from any thread while the graph runs)."""
        rows = []
        for record in list(self.records.values()):
            item = record.item
            transmitters = tuple(getattr(item, "transmitters", ()))
            queues = record.receivers + transmitters
            samples = list(record.samples)
            ticks = record.ticks
            rows.append({
                "entity": item.name or str(getattr(item, "eid", "")),
                "codelets": [_codelet_text(codelet) for codelet in getattr(item, "codelets", ())],
                "ticks": ticks,
                "mean_us": round(record.total / ticks / 1000, 3) if ticks else 0.0,
                "p99_us": round(percentile(samples, 0.99) / 1000, 3),
                "messages_in": record.received,
                "messages_out": sum(getattr(t, "sent", 0) for t in transmitters),
                "drops": sum(getattr(q, "dropped", 0) for q in queues),
                "failures": record.failures,
                "queues": [_queue_figures(queue) for queue in record.receivers],
            })
        return rows

    def snapshot(self) -> dict:
        """Every row plus the run's totals and elapsed time (JSON-ready)."""
        rows = self.rows()
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
