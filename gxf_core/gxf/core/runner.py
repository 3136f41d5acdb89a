"""Loading, checking and running graph files the way the ``gxf`` command does.

``gxf run`` and ``gxf validate`` are thin wrappers over ``run_graphs`` and ``validate_graphs``.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from .context import Context
from .errors import GraphFileError, GxfError, InterruptedError_, Location, raise_collected
from .loader import ParamOverride, load_graph_file
from .registry import TypeRegistry
from .suggest import did_you_mean
from .system import System
from .yaml_source import load_file


def parse_overrides(texts: Iterable[str]) -> tuple[ParamOverride, ...]:
    """``entity/component/key=value`` strings to overrides; the value is read as YAML."""
    return tuple(ParamOverride.parse(text) for text in texts)


def load_graphs(context: Context, paths: Iterable[str | Path],
                overrides: Iterable[ParamOverride] = (), unknown_params: str | None = None,
                errors: list[GxfError] | None = None) -> bool:
    """Loads graph files in order (later ones may be parameter files) and applies overrides.

    An override that names no component of the loaded graph is an error rather than silently ignored.
    ``unknown_params`` ("warn", "error"; default by ``context.strict_schema``) is what an undeclared
    parameter is. With ``errors`` (a list), every failure is appended to it and loading goes on with
    the next component or file; returns whether every file could be read (False when one was missing,
    not YAML or not a graph file).
    """
    overrides = tuple(overrides)
    all_read = True
    for path in paths:
        try:
            load_graph_file(context, path, overrides, unknown_params, errors)
        except GxfError as exc:
            if errors is None:
                raise
            errors.append(exc)
            all_read = False
    for override in overrides:
        try:
            _check_override_target(context, override)
        except GxfError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return all_read


def _check_override_target(context: Context, override: ParamOverride) -> None:
    text = f"{override.entity}/{override.component}/{override.key}"
    entity = context.find_entity(override.entity)
    if entity is None:
        names = [e.name for e in context.entities if e.name]
        raise GraphFileError(f"--param {text}: the graph has no entity '{override.entity}'",
                             hint=did_you_mean(override.entity, names) or "write entity/component/key=value")
    if not any(override.component in (c.name, c.type_name()) for c in entity.components):
        names = [c.name for c in entity.components if c.name]
        raise GraphFileError(
            f"--param {text}: entity '{entity.name}' has no component '{override.component}'",
            hint=did_you_mean(override.component, names) or f"components there: {', '.join(names) or 'none'}")


def set_time_limit(context: Context, ms: int | None) -> int:
    """Gives every System (scheduler) of the graph the time limit ``ms``; returns how many there are.

    A System that has no time limit refuses with a GxfError that names it.
    """
    systems = list(context.components(System))
    for system in systems:
        system.set_time_limit(ms)
    return len(systems)


def check_manifest(path: str | Path) -> list:
    """Checks a GXF manifest file (as ``gxe`` takes) and returns its extension list.

    Extensions here are found through installed distributions, so the manifest is only checked.
    """
    where = Location(str(path))
    if not Path(path).is_file():
        raise GraphFileError("manifest file not found", where,
                             "the manifest is only checked: extensions are found among installed "
                             "distributions")
    documents = load_file(path)
    manifest = documents[0] if documents else None
    if not isinstance(manifest, dict) or "extensions" not in manifest:
        raise GraphFileError("a manifest must be a YAML mapping with an 'extensions' list", where,
                             "write 'extensions:' followed by '- path/to/extension.so' lines")
    extensions = manifest["extensions"]
    if not isinstance(extensions, list):
        where = manifest.key_location("extensions") if hasattr(manifest, "key_location") else where
        raise GraphFileError("'extensions' in a manifest must be a list", where)
    return extensions


def validate_graphs(paths: Iterable[str | Path], overrides: Iterable[ParamOverride] = (),
                    registry: TypeRegistry | None = None, lenient: bool = False,
                    app_root: str | Path | None = None) -> Context:
    """Loads graph files and checks them without running anything or using any resource.

    Checked: every value against its parameter's schema (types, ranges, choices), required
    parameters, handles (that they name a component of the right type), and every component's
    ``preflight()`` (what ``gxf run`` checks before the first ``initialize()``: relations between
    parameters, codelet files...). Every error of every file is found in one pass: one is raised as
    it is, several as a GraphErrors holding each. A parameter the component does not declare is an
    error; with ``lenient`` a warning (as at run time). ``app_root``: as for ``run_graphs``.
    """
    context = Context(registry)
    context.strict_schema = True
    context.app_root = _app_root(app_root)
    errors: list[GxfError] = []
    # A file that could not be read leaves the graph too incomplete to check its handles and components.
    if load_graphs(context, paths, overrides, "warn" if lenient else "error", errors):
        context.preflight(errors)
    raise_collected(errors)
    return context


def graph_size(context: Context) -> tuple[int, int]:
    """(entities, components) of a loaded graph."""
    return len(context.entities), sum(len(entity.components) for entity in context.entities)


STOP_TIMEOUT_S = 5.0  # gxf run --stop-timeout: how long a stop may take after a signal or the time limit
# A ManualClock that has not moved for the time limit (and at least this long) in real time ends the run:
# shorter stalls happen on a busy machine (a thread not scheduled, a codelet's start-up) in runs that do
# reach their limit in clock time.
MIN_STALL_S = 1.0


def run_graphs(paths: Iterable[str | Path], overrides: Iterable[ParamOverride] = (),
               max_duration_ms: int | None = None, registry: TypeRegistry | None = None,
               stop_timeout_s: float = STOP_TIMEOUT_S, watch=None,
               app_root: str | Path | None = None) -> Context:
    """Loads graph files, runs the graph until its schedulers finish, and deactivates it.

    ``max_duration_ms`` limits the run: every scheduler gets it as its time limit (clock time); where a
    clock jumps (a ManualClock), the run also ends when that clock has not moved for that much (at least a
    second of) real
    time. An EpochScheduler, which
    has no thread of its own, is driven from the calling thread: epoch after epoch, its ManualClock
    advanced to the next due time, until nothing is ready nor waits for an event.

    From the main thread, SIGINT and SIGTERM (handlers installed for the run, the previous ones
    restored after, even where SIGINT was ignored) interrupt the schedulers; the run then raises an
    interrupted error (exit code 128 + the signal: 130, 143). A graph that interrupts itself (a codelet
    calls ``Context.interrupt()``) ends as "interrupted" without an error, as GXF's run ends then. If the graph has not stopped
    ``stop_timeout_s`` seconds later, or on a second signal, the process exits at once (os._exit)
    after naming the codelets still in tick(). The graph is deactivated whatever happens.

    ``app_root`` (GXF's ``-app_root``): the folder relative paths inside the graph files (subgraph
    locations, codelet files, file parameters) are taken from, instead of each file's own folder; a
    graph file given by a relative path that does not exist is looked for there too.

    ``watch`` (a ``run_report.RunReport`` or any object with these two calls) hears
    ``started(context)`` once the graph is activated and ``ended(context, how)`` when the run is over,
    before the graph is deactivated: how is "finished", "stalled", "time limit", "interrupted" or
    "failed".
    """
    context = Context(registry)
    context.app_root = _app_root(app_root)
    running = False
    try:
        load_graphs(context, paths, overrides)
        context.finalize()  # plugins complete the graph first: the default scheduler gets the limit too
        context.activate()
        stalled_clocks = _apply_time_limit(context, max_duration_ms)
        with _Stopper(context, stop_timeout_s, max_duration_ms, stalled_clocks) as stopper:
            if watch is not None:
                watch.started(context)
            running = True
            try:
                _drive(context)
            except KeyboardInterrupt:  # off the main thread (no handlers there), or raised by a component
                stopper.received.append(signal.SIGINT)
                context.interrupt()
                with contextlib.suppress(InterruptedError_):
                    context.wait()
            except InterruptedError_:
                # Without a signal or the time limit, the graph interrupted itself (a codelet called
                # interrupt(), PingTx's trigger_interrupt_after_ms): as in GXF, whose wait then succeeds,
                # that is a run that ended, not a failure.
                interrupted_itself = not stopper.received and not stopper.time_up
            else:
                interrupted_itself = False
            stopper.raise_if_interrupted()
            running = False
            if watch is not None:
                how = "interrupted" if interrupted_itself else _how_it_ended(context)
                watch.ended(context, "time limit" if stopper.time_up else how)
            context.deactivate()  # still watched: a stop() that hangs after a signal is cut short
    except BaseException as exc:
        if running and watch is not None:
            with contextlib.suppress(Exception):
                watch.ended(context, "interrupted" if isinstance(exc, (InterruptedError_, KeyboardInterrupt))
                            else "failed")
        with contextlib.suppress(Exception):
            context.deactivate(after_failure=True)
        raise
    return context


def _app_root(folder: str | Path | None) -> Path | None:
    if folder is None:
        return None
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise GraphFileError(f"app root '{folder}' is not a folder",
                             hint="give the folder the graph files' relative paths start from")
    return path.resolve()


def _how_it_ended(context: Context) -> str:
    """How a run that ended on its own went, from what its schedulers say (``end_state``): stalled if
    one stalled, at the time limit if one reached it, else finished."""
    states = {getattr(system, "end_state", "") for system in context.components(System)}
    for state in ("stalled", "time limit"):
        if state in states:
            return state
    return "finished"


def _apply_time_limit(context: Context, ms: int | None) -> list:
    """Gives the limit to every System (in its clock's time, as GXF does); returns the clocks whose time
    jumps (ManualClocks), which the run watches in real time as well: such a clock moves only when its
    scheduler jumps it, and in a graph whose entities never wait for a time it would never reach the limit.
    """
    if ms is None:
        return []
    systems = list(context.components(System))
    for system in systems:
        system.set_time_limit(ms)
    clocks = []
    for system in systems:
        active_clock = getattr(system, "active_clock", None)
        clock = active_clock() if callable(active_clock) else None
        if getattr(clock, "jumps", False) and clock not in clocks:
            clocks.append(clock)
    return clocks


def _epoch_driven(system: System) -> bool:
    """True for a System without a thread of its own that runs in epochs (an EpochScheduler)."""
    return all(callable(getattr(system, name, None))
               for name in ("run_epoch", "is_running", "next_target_timestamp", "waiting_for_events", "stop"))


def _drive(context: Context) -> None:
    """Runs the graph: starts the schedulers, drives the epoch-driven ones from here, waits for all."""
    context.run_async()
    epoch_driven = [s for s in context.components(System) if _epoch_driven(s)]
    while epoch_driven:
        epoch_driven = [s for s in epoch_driven if _drive_epoch(s)]
    context.wait()


def _drive_epoch(scheduler) -> bool:
    """One epoch of ``scheduler`` and what follows it; returns False once its run is over.

    After an epoch that executed nothing: a ManualClock moves to the next due time, a real clock is
    slept on until then; with nothing due, it waits a millisecond while an event may still come, and
    otherwise ends the run (stop()).
    """
    if not scheduler.is_running():
        return False
    if scheduler.run_epoch(0):
        return True
    target = scheduler.next_target_timestamp()
    clock = scheduler.active_clock() if callable(getattr(scheduler, "active_clock", None)) else None
    now = clock.timestamp() if clock is not None else None
    if target is not None and now is not None and target > now:
        if getattr(clock, "jumps", False):
            clock.advance_to(target)
        else:
            time.sleep(min((target - now) / 1e9, EPOCH_SLEEP_S))
        return True
    if target is not None or scheduler.waiting_for_events():
        time.sleep(0.001)
        return True
    judge = getattr(scheduler, "judge_idle_end", None)  # finished or stalled, said before it stops
    if callable(judge):
        judge()
    scheduler.stop()
    return scheduler.is_running()


EPOCH_SLEEP_S = 0.05  # longest sleep between epochs on a real clock (a signal is noticed after it)


class _Stopper:
    """Watches a run from a thread of its own: signals and the real-time limit interrupt it, and a run
    that does not stop within the grace period (or gets a second signal) ends the process.

    Signal handlers only write the signal's number into a pipe (no lock is taken in a handler); the
    thread reads it. Which entities are inside tick() is kept by executor observers, where the
    schedulers have an executor (``scheduler.executor.add_observer``).
    """

    def __init__(self, context: Context, stop_timeout_s: float, limit_ms: int | None = None,
                 stalled_clocks: Iterable = ()):
        self.context = context
        self.stop_timeout_s = stop_timeout_s
        self.limit_ms = limit_ms
        self.stalled_clocks = tuple(stalled_clocks) if limit_ms is not None else ()
        self.received: list[int] = []  # signal numbers, in order
        self.time_up = False
        self._ticking: dict = {}  # executor item -> timestamp, while the item is in tick()
        self._previous: dict = {}
        self._previous_wakeup = -1
        self._read = self._write = -1
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Stopper:
        self._watch_ticks()
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        if threading.current_thread() is threading.main_thread():
            # The interpreter writes each signal's number into the pipe as it arrives, even while the
            # main thread is busy in a tick of its own (epochs): the handlers themselves do nothing.
            self._previous_wakeup = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, _noted_by_wakeup_fd)
        self._thread = threading.Thread(target=self._watch, name="gxf-run-stopper", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        for signum, previous in self._previous.items():
            if previous is not None:
                signal.signal(signum, previous)
        if self._previous:
            signal.set_wakeup_fd(self._previous_wakeup)
        os.write(self._write, b"\0")  # ends the watching thread
        self._thread.join()
        os.close(self._read)
        os.close(self._write)

    def raise_if_interrupted(self) -> None:
        """Raises the interrupted error of the first signal received, if any."""
        if self.received:
            signum = self.received[0]
            error = InterruptedError_(f"interrupted ({signal.Signals(signum).name})")
            error.exit_code = 128 + signum
            raise error

    # --- the watching thread ---------------------------------------------------------------------------
    def _watch_ticks(self) -> None:
        ticking = self._ticking
        for system in self.context.components(System):
            add_observer = getattr(getattr(system, "executor", None), "add_observer", None)
            if callable(add_observer):
                # Bound dict methods: no Python frame per tick.
                add_observer(ticking.__setitem__, ticking.pop,
                             lambda item, ts, error: ticking.pop(item, None))

    def _watch(self) -> None:
        # A jumping clock that has not moved for the time limit, in real time, ends the run.
        clocks = self.stalled_clocks
        stall_s = max((self.limit_ms or 0) / 1000.0, MIN_STALL_S)
        check_s = min(max(stall_s / 4, 0.005), 0.1)
        last_times = [clock.timestamp() for clock in clocks]
        limit_at = time.monotonic() + stall_s if clocks else None
        grace_until = None
        while True:
            now = time.monotonic()
            ends = [] if grace_until is None else [grace_until]
            if limit_at is not None:
                ends.append(min(limit_at, now + check_s))
            ready, _, _ = select.select([self._read], [], [], max(0.0, min(ends) - now) if ends else None)
            for signum in os.read(self._read, 64) if ready else b"":
                if signum == 0:
                    return
                if signum not in STOP_SIGNALS:
                    continue  # another signal with a Python handler of its own
                if self.received:
                    self._exit(self.received[0], f"before a second signal ({signal.Signals(signum).name})")
                self.received.append(signum)
                grace_until = time.monotonic() + self.stop_timeout_s
                self._interrupt()
            now = time.monotonic()
            if limit_at is not None:
                times = [clock.timestamp() for clock in clocks]
                if times != last_times:
                    last_times = times
                    limit_at = now + stall_s
            if limit_at is not None and now >= limit_at:
                limit_at = None
                self.time_up = True
                if grace_until is None:
                    grace_until = now + self.stop_timeout_s
                self._interrupt()
            if grace_until is not None and now >= grace_until:
                self._exit(self.received[0] if self.received else None,
                           f"within {self.stop_timeout_s:g} s")

    def _interrupt(self) -> None:
        try:
            self.context.interrupt()
        except Exception as exc:  # noqa: BLE001 - the grace period still ends the process
            print(f"warning: interrupting the graph failed: {type(exc).__name__}: {exc}", file=sys.stderr)

    def _exit(self, signum: int | None, why: str | None) -> None:
        """Ends the process at once (threads stuck in a tick cannot be joined), naming what still runs."""
        cause = f"interrupted ({signal.Signals(signum).name})" if signum else \
            f"the time limit of {self.limit_ms} ms was reached (in real time: the ManualClock stood still)"
        running = [f"'{codelet.handle_text()}' ({codelet.type_name()})"
                   for item in list(self._ticking) for codelet in getattr(item, "codelets", ())]
        still = (f"; still in tick(): codelet{'s' if len(running) > 1 else ''} {', '.join(running)}"
                 if running else "")
        print(f"error: {cause}; the graph did not stop {why}{still}; exiting without stopping it",
              file=sys.stderr, flush=True)
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        os._exit(128 + signum if signum else 1)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _noted_by_wakeup_fd(signum, frame) -> None:
    """The run's handler of SIGINT and SIGTERM: the signal reached the stopper through the wakeup fd."""
