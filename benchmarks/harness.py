"""Measuring cases: load a graph through gxf.core.Context, time its run, repeat, take medians.

A *case* is one configuration of a workload (e.g. the ping on the greedy scheduler). ``Bench.measure``
skips a case whose component types are not installed ("skipped: <type> not installed"), runs one
untimed warm-up, then the timed repetitions, and turns any failure into an "error: ..." status so one
broken case never stops the harness. Graph load (parse, validate, initialize) is timed apart from the run.
"""

from __future__ import annotations

import statistics
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import yaml

from gxf.core import Context, GxfError, System, load_graph_text
from gxf.core.plugins import default_registry

from .modes import Mode
from .targets import Target, reference


class RunTimeout(Exception):
    """A run took longer than the mode's limit and was interrupted."""


@dataclass
class Timed:
    """One graph run: seconds to load and activate, seconds to run, and what ``inspect`` found."""

    load_s: float
    run_s: float
    info: object = None


def graph_types(text: str) -> list[str]:
    """Every component type a graph text names, in order of first use."""
    seen: list[str] = []
    for document in yaml.safe_load_all(text):
        if not isinstance(document, dict):
            continue
        for component in document.get("components") or ():
            type_name = component.get("type")
            if type_name and type_name not in seen:
                seen.append(type_name)
    return seen


def entity_ticks(context: Context, entity_name: str) -> int | None:
    """How often the scheduler ticked an entity (from its executor), or None if it cannot tell."""
    entity = context.find_entity(entity_name)
    if entity is None:
        return None
    for system in context.components(System):
        executor = getattr(system, "executor", None)
        item = getattr(executor, "by_eid", {}).get(entity.eid) if executor is not None else None
        if item is not None and hasattr(item, "tick_count"):
            return item.tick_count
    return None


class Bench:
    """Runs the cases of the workloads in one mode and collects their records."""

    def __init__(self, mode: Mode, *, profiler_factory: Callable[[], object] | None = None,
                 case_filter: str | None = None, echo: Callable[[str], None] | None = None):
        self.mode = mode
        # Profiling (benchmarks/profile.py): a new profiler per case, with start()/stop() called
        # around each run; kept in ``profiles`` under "workload/case".
        self.profiler_factory = profiler_factory
        self.profiler = None
        self.profiles: dict[str, object] = {}
        self.case_filter = case_filter
        self.echo = echo or (lambda line: None)
        self.registry = default_registry()

    # --- what is installed -------------------------------------------------------------------------
    def missing(self, type_names: Iterable[str]) -> list[str]:
        types = self.registry.types
        return [name for name in type_names if name not in types]

    def wants(self, workload: str, case: str) -> bool:
        return self.case_filter is None or self.case_filter in f"{workload}/{case}"

    # --- one graph run -------------------------------------------------------------------------------
    def run_graph(self, text: str, filename: str, inspect: Callable[[Context], object] | None = None,
                  limit_s: float | None = None) -> Timed:
        """Loads ``text``, activates, runs to the end (timed apart), calls ``inspect`` and deactivates."""
        limit_s = self.mode.run_limit_s if limit_s is None else limit_s
        profiler = self.profiler
        if profiler is not None:
            profiler.start()  # before activation: schedulers may start their threads there
        start = time.perf_counter()
        context = Context(self.registry)
        try:
            try:
                load_graph_text(context, text, filename)
                context.activate()
                loaded = time.perf_counter()
                self._run(context, limit_s)
                ran = time.perf_counter()
            finally:
                if profiler is not None:
                    profiler.stop()
            info = inspect(context) if inspect is not None else None
        finally:
            context.deactivate()
        return Timed(loaded - start, ran - loaded, info)

    @staticmethod
    def _run(context: Context, limit_s: float) -> None:
        fired = threading.Event()

        def watchdog() -> None:
            fired.set()
            context.interrupt()

        timer = threading.Timer(limit_s, watchdog)
        timer.daemon = True
        try:
            context.run_async()
            timer.start()
            context.wait()
        except GxfError:
            if fired.is_set():
                raise RunTimeout(f"the run did not finish within {limit_s:g} s and was interrupted") from None
            raise
        finally:
            timer.cancel()

    # --- one case ---------------------------------------------------------------------------------------
    def measure(self, workload: str, case: str, *, parameters: dict, once: Callable[[bool], dict],
                units: dict, display: list[str], graph: str | None = None, requires: Iterable[str] = (),
                target: Target | None = None, repetitions: int | None = None) -> dict:
        """Measures one case; ``once(warmup)`` does one run and returns {"metrics": {...}, "checks": {...}}."""
        reps = self.mode.repetitions if repetitions is None else repetitions
        record = {
            "workload": workload, "case": case, "parameters": parameters, "repetitions": reps,
            "status": "ok", "metrics": {}, "checks": {}, "display": display,
            "target": target.as_dict() if target else None, "result": None,
            "reference": reference(workload, case),
        }
        needed = list(requires) + (graph_types(graph) if graph else [])
        missing = self.missing(dict.fromkeys(needed))
        if missing:
            record["status"] = f"skipped: {missing[0]} not installed"
            self.echo(f"  {workload} {case}: {record['status']}")
            return record
        self.echo(f"  {workload} {case} ...")
        if self.profiler_factory is not None:
            self.profiler = self.profiles[f"{workload}/{case}"] = self.profiler_factory()
        runs = []
        try:
            if self.mode.warmup:
                once(True)
            for _ in range(reps):
                runs.append(once(False))
        except Exception as exc:  # noqa: BLE001 - a broken case is reported, the others still run
            record["status"] = f"error: {type(exc).__name__}: {exc}".splitlines()[0][:300]
            record["traceback"] = traceback.format_exc(limit=-8)
            self.echo(f"  {workload} {case}: {record['status']}")
            return record
        finally:
            self.profiler = None
        for name in runs[0]["metrics"]:
            values = [run["metrics"][name] for run in runs]
            record["metrics"][name] = {"unit": units.get(name, ""), "median": statistics.median(values),
                                       "runs": values}
        for run in runs:
            for name, value in run.get("checks", {}).items():
                previous = record["checks"].get(name)
                if isinstance(value, bool) and isinstance(previous, bool):
                    value = previous and value
                record["checks"][name] = value
        evaluate(record)
        return record


def evaluate(record: dict) -> None:
    """Sets ``result`` to PASS or MISS from the target and the metric's median (None when not measured)."""
    target = record.get("target")
    metric = record["metrics"].get(target["metric"]) if target else None
    if target is None or metric is None:
        record["result"] = None
        return
    record["result"] = "PASS" if Target(**target).met(metric["median"]) else "MISS"


def add_metric(record: dict, name: str, unit: str, runs: list[float]) -> None:
    """Adds a metric derived after measuring (e.g. a ratio of two cases)."""
    record["metrics"][name] = {"unit": unit, "median": statistics.median(runs), "runs": runs}
    if name not in record["display"]:
        record["display"].insert(0, name)
