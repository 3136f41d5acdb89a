"""Runs graph files on their EpochScheduler from this process's main thread, as an application would.

    python epoch_driver.py GRAPH... [--severity N] [--max-duration-ms MS] [--param E/C/K=V]

Epochs run one after the other. When one executes nothing, the driver moves the ManualClock to the
time the next waiting entity is due; with nothing due it waits a millisecond for asynchronous events,
and after a quarter second of that it stops the run (the epoch counterpart of stop_on_deadlock).
Errors are reported as `gxf run` reports them: ``error: ...`` on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
import time

from gxf.core import Context, GxfError, log, runner
from gxf.std.epoch_scheduler import EpochScheduler

IDLE_LIMIT_S = 0.25


def drive(context: Context) -> None:
    schedulers = [c for c in context.components(EpochScheduler)]
    if len(schedulers) != 1:
        raise GxfError(f"the graph needs exactly one EpochScheduler, it has {len(schedulers)}")
    scheduler = schedulers[0]
    context.run_async()
    clock = scheduler.active_clock()
    idle_since = None
    while scheduler.is_running():
        if scheduler.run_epoch(0):
            idle_since = None
            continue
        target = scheduler.next_target_timestamp()
        if target is not None and getattr(clock, "jumps", False) and target > clock.timestamp():
            clock.advance_to(target)
            idle_since = None
            continue
        now = time.monotonic()
        if idle_since is None:
            idle_since = now
        elif now - idle_since > IDLE_LIMIT_S:
            scheduler.stop()
            break
        time.sleep(0.001)
    context.wait()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graphs", nargs="+")
    parser.add_argument("--severity", type=int, default=None)
    parser.add_argument("--max-duration-ms", type=int, default=None)
    parser.add_argument("--param", action="append", default=[])
    args = parser.parse_args(argv)
    log.configure(args.severity)
    context = Context()
    try:
        runner.load_graphs(context, args.graphs, runner.parse_overrides(args.param))
        if args.max_duration_ms is not None:
            runner.set_time_limit(context, args.max_duration_ms)
        drive(context)
        context.deactivate()
    except GxfError as exc:
        try:
            context.deactivate()
        except GxfError:
            pass
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
