"""What ``gxf run`` says about a run: the summary line, the drops, and the live progress line.

``RunReport`` is the watch ``runner.run_graphs`` reports to: ``started(context)`` once the graph is
activated, ``ended(context, how)`` when the run is over (how: finished, stalled, time limit,
interrupted, failed). The summary line reads counts the runtime keeps anyway (ticks of the executor,
messages sent and dropped by the queues: ``run_statistics.totals``), so it costs nothing while the
graph runs. On a terminal a run longer than a second also shows a one-line progress (ticks/s,
messages/s, elapsed) redrawn twice a second by a thread of its own from the same counts, erased when
the run ends; never when the output is not a terminal.

A component may say how the graph's work came out: one that defines ``run_outcome()`` (returning a line
of text, or None) is asked once the run is over, and its line is written before the summary (a
behavior tree's root reports the tree's final status this way). The core names no such component.
"""

from __future__ import annotations

import sys
import threading
import time

from .run_statistics import dropping_queues, totals

PROGRESS_AFTER_S = 1.0    # a run shorter than this shows no progress line
PROGRESS_EVERY_S = 0.5
ERASE = "\r\x1b[K"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class RunReport:
    """Collects how a run went and writes its summary (see the module docstring)."""

    def __init__(self, stream=None, progress: bool | None = None, statistics=None,
                 progress_after_s: float = PROGRESS_AFTER_S, watches=()) -> None:
        self.stream = stream if stream is not None else sys.stderr
        # The progress line only on a terminal, unless asked for explicitly (tests, dashboards).
        self.progress = _is_terminal(self.stream) if progress is None else progress
        self.progress_after_s = progress_after_s
        self.statistics = statistics  # a RunStatistics to attach at the start, or None
        self.watches = tuple(watches)  # more watches told of the start and the end (a live dashboard)
        self.context = None
        self.how: str | None = None
        self.started_at = time.monotonic()
        self.wall_s = 0.0
        self.figures = (0, 0, 0)
        self.outcomes: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._drawn = False
        self._lock = threading.Lock()

    # --- the runner's calls --------------------------------------------------------------------------------
    def started(self, context) -> None:
        """The graph is activated and about to run."""
        self.context = context
        self.started_at = time.monotonic()
        if self.statistics is not None:
            self.statistics.attach(context)
        for watch in self.watches:
            watch.started(context)
        if self.progress:
            self._thread = threading.Thread(target=self._draw_progress, name="gxf-run-progress", daemon=True)
            self._thread.start()

    def ended(self, context, how: str) -> None:
        """The run is over (``how`` it ended); the graph is not deactivated yet."""
        self.how = how
        self.wall_s = time.monotonic() - self.started_at
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.statistics is not None:
            self.statistics.close()
        for watch in self.watches:
            watch.ended(context, how)
        if context is not None:
            self.figures = totals(context)
            self.outcomes = outcome_lines(context)

    # --- what is written -----------------------------------------------------------------------------------
    def summary(self) -> str:
        """``gxf run: finished in 0.52 s: 20 ticks, 10 messages`` (drops added when there are any)."""
        ticks, messages, dropped = self.figures
        how = self.how or "failed"
        verb = "in" if how in ("finished", "time limit") else "after"
        if how == "time limit":
            how = "finished at the time limit"
        text = f"gxf run: {how} {verb} {self.wall_s:.2f} s: {_plural(ticks, 'tick')}, " \
               f"{_plural(messages, 'message')}"
        if dropped:
            text += f", {dropped} dropped"
        return text

    def drop_lines(self) -> list[str]:
        """One warning per queue that lost messages, naming it, its count and its policy."""
        if self.context is None:
            return []
        lines = []
        for queue, count in dropping_queues(self.context):
            policy = getattr(queue, "policy", None)
            why = {0: "policy 0: the oldest were popped", 1: "policy 1: the newest were rejected"}.get(
                policy, "published with no receiver connected" if hasattr(queue, "receivers") else "")
            lines.append(f"warning: queue '{queue.handle_text()}' ({queue.type_name()}) dropped "
                         f"{_plural(count, 'message')}" + (f" ({why})" if why else ""))
        return lines

    def write(self) -> None:
        """Writes the drop warnings and the summary line to the stream."""
        if self.how is None:
            return
        for line in self.drop_lines():
            print(line, file=self.stream)
        for line in self.outcomes:
            print(line, file=self.stream)
        print(self.summary(), file=self.stream, flush=True)

    # --- the progress line -------------------------------------------------------------------------------
    def _draw_progress(self) -> None:
        stream = self.stream
        if self._stop.wait(self.progress_after_s):
            return
        last_t, last = time.monotonic(), totals(self.context)
        while not self._stop.wait(PROGRESS_EVERY_S):
            now, figures = time.monotonic(), totals(self.context)
            span = max(now - last_t, 1e-6)
            text = (f"running {now - self.started_at:.1f} s: {(figures[0] - last[0]) / span:,.0f} ticks/s, "
                    f"{(figures[1] - last[1]) / span:,.0f} messages/s, {figures[0]:,} ticks")
            last_t, last = now, figures
            try:
                stream.write(ERASE + text)
                stream.flush()
            except (OSError, ValueError):
                return
            self._drawn = True
        if self._drawn:
            try:
                stream.write(ERASE)
                stream.flush()
            except (OSError, ValueError):
                pass


def outcome_lines(context) -> list[str]:
    """The lines of the components that report an outcome (``run_outcome()``), in entity order."""
    lines = []
    for component in context.components():
        report = getattr(component, "run_outcome", None)
        if callable(report):
            line = report()
            if line:
                lines.append(str(line))
    return lines


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False
