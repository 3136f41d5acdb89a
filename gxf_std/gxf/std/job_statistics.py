"""JobStatistics: how often and how long each entity (and, optionally, each codelet) executed."""

from __future__ import annotations

import json
import math
from collections import deque

from gxf.core import Component, Handle, Parameter, ParameterError

from .clock import Clock
from .codelet import Codelet


def percentile(samples, fraction: float) -> float:
    """The nearest-rank percentile of ``samples`` (0.0 when there are none)."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return float(ordered[index])


def _round5(value: float) -> float:
    return round(value, 5)


class _Record:
    """Running figures of one entity or codelet. Times in ns of the statistics' clock."""

    __slots__ = ("count", "total", "maximum", "samples", "variations", "max_variation", "start", "stop",
                 "idle")

    def __init__(self, history: int) -> None:
        self.count = 0
        self.total = 0
        self.maximum = 0
        self.samples: deque = deque(maxlen=history)
        self.variations: deque = deque(maxlen=history)
        self.max_variation = 0
        self.start = 0
        self.stop = None
        self.idle = 0

    def add(self, start: int, stop: int) -> None:
        duration = stop - start
        self.count += 1
        self.total += duration
        self.samples.append(duration)
        if duration > self.maximum:
            self.maximum = duration
        if self.stop is not None:
            self.idle += start - self.stop
        self.stop = stop


class JobStatistics(Component, type_name="nvidia::gxf::JobStatistics",
                    uuid="2093b91a-7c82-11eb-a92b-3f1304ecc959"):
    """Records how often and how long entities (and, optionally, codelets) execute.

    For every entity that ticks: the tick count, the execution time per tick (median, 90th percentile,
    maximum, total), the load (share of execution in execution plus idle time) and the ticking
    variation: how late (ns, on the scheduler's clock) a tick began after the time the scheduler
    executed the entity at (GXF measures it from the scheduling term's target time). With
    ``codelet_statistics`` also per codelet: count, mean / 90th percentile / maximum execution time and
    ticks per millisecond of execution. Times come from ``clock`` (a ManualClock gives zero durations).
    Percentiles cover the last ``event_history_count`` executions; counts, totals and maxima all of
    them. The figures are logged and, with ``json_file_path``, written as JSON when the graph is
    deinitialized, with GXF's keys: ``{"entities": [...], "codelets": [{"name", "entity": [...]}]}``.
    """

    clock = Parameter(Handle(Clock), description="The clock that execution times are measured on")
    codelet_statistics = Parameter(bool, False, "Also keep figures for each codelet, not only for each "
                                   "entity")
    json_file_path = Parameter(str, optional=True, description="Where to write the figures as JSON when the "
                               "run ends (relative paths are taken from the working folder)")
    event_history_count = Parameter(int, 100, "How many recent executions are kept for each entity or "
                                    "codelet (the window of the percentiles)")

    def preflight(self) -> None:
        if self.event_history_count < 1:
            raise ParameterError(f"{self.describe_self()}: event_history_count must be at least 1, got "
                                 f"{self.event_history_count}", self.location, "set 'event_history_count'")

    def initialize(self) -> None:
        self._entities: dict[int, _Record] = {}
        self._codelets: dict[int, dict[int, _Record]] = {}
        self._names: dict[int, str] = {}
        self._wrapped: list[Codelet] = []

    # --- collection ---------------------------------------------------------------------------------------
    def attach(self, executor) -> None:
        """Registers with the entity executor (and times each codelet's tick with codelet_statistics)."""
        history = self.event_history_count
        clock = self.clock
        scheduler_clock = executor.clock  # the timeline of the execution timestamps
        entities = self._entities
        for item in executor.items:
            entities[item.eid] = _Record(history)
            self._names[item.eid] = item.name or str(item.eid)
            if self.codelet_statistics:
                records = self._codelets.setdefault(item.eid, {})
                for codelet in item.codelets:
                    records[codelet.cid] = record = _Record(history)
                    self._names[codelet.cid] = codelet.name or str(codelet.cid)
                    codelet.__dict__["tick"] = _timed(codelet.tick, record, clock)
                    self._wrapped.append(codelet)

        def pre(item, timestamp: int) -> None:
            record = entities[item.eid]
            record.start = clock.timestamp()
            variation = scheduler_clock.timestamp() - timestamp
            record.variations.append(variation)
            if variation > record.max_variation:
                record.max_variation = variation

        def post(item, timestamp: int) -> None:
            record = entities[item.eid]
            record.add(record.start, clock.timestamp())

        executor.add_observer(pre, post)

    # --- results --------------------------------------------------------------------------------------------
    def statistics(self) -> dict:
        """The figures as written to the JSON file."""
        entities = []
        for eid, record in self._entities.items():
            busy = record.total
            load = 100.0 * busy / (busy + record.idle) if record.idle > 0 else 100.0
            entities.append({
                "name": self._names[eid],
                "count": record.count,
                "execution_time_median_ms": _round5(percentile(record.samples, 0.5) / 1e6),
                "execution_time_90_ms": _round5(percentile(record.samples, 0.9) / 1e6),
                "execution_time_max_ms": _round5(record.maximum / 1e6),
                "load_percentage": _round5(load),
                "execution_time_ms": _round5(busy / 1e6),
                "variation_median_ns": _round5(percentile(record.variations, 0.5)),
                "variation_90_ns": _round5(percentile(record.variations, 0.9)),
                "variation_max_ns": _round5(record.max_variation),
            })
        codelets = []
        for eid, records in self._codelets.items():
            items = []
            for cid, record in records.items():
                total_ms = record.total / 1e6
                items.append({
                    "codelet_name": self._names[cid],
                    "count": record.count,
                    "execution_time_mean_ms": _round5(total_ms / record.count) if record.count else 0.0,
                    "execution_time_90_ms": _round5(percentile(record.samples, 0.9) / 1e6),
                    "execution_time_max_ms": _round5(record.maximum / 1e6),
                    "tick_frequency_per_ms": _round5(record.count / total_ms) if total_ms > 0 else None,
                })
            codelets.append({"name": self._names[eid], "entity": items})
        return {"entities": entities, "codelets": codelets}

    def entity_statistics(self, name: str) -> dict | None:
        """The figures of the entity called ``name``, or None."""
        for entry in self.statistics()["entities"]:
            if entry["name"] == name:
                return entry
        return None

    def deinitialize(self) -> None:
        for codelet in self._wrapped:
            codelet.__dict__.pop("tick", None)
        self._wrapped.clear()
        stats = self.statistics()
        if self.logger.isEnabledFor(20):
            self.logger.info("job statistics:\n%s", _table(stats))
        path = self.json_file_path
        if path:
            try:
                with open(path, "w", encoding="utf-8") as file:
                    json.dump(stats, file, indent=4)
                    file.write("\n")
            except OSError as exc:
                raise ParameterError(f"{self.describe_self()}: cannot write json_file_path '{path}': "
                                     f"{exc.strerror or exc}", self.location,
                                     "point 'json_file_path' at a writable file") from None
            self.logger.info("job statistics written to %s", path)


def _timed(tick, record: _Record, clock):
    def timed_tick():
        start = clock.timestamp()
        try:
            return tick()
        finally:
            record.add(start, clock.timestamp())
    return timed_tick


def _table(stats: dict) -> str:
    lines = [f"{'entity':<40} {'count':>8} {'median ms':>10} {'90% ms':>10} {'max ms':>10} {'load %':>7}"]
    for e in stats["entities"]:
        lines.append(f"{e['name'][-40:]:<40} {e['count']:>8} {e['execution_time_median_ms']:>10.3f} "
                     f"{e['execution_time_90_ms']:>10.3f} {e['execution_time_max_ms']:>10.3f} "
                     f"{e['load_percentage']:>7.1f}")
    return "\n".join(lines)
