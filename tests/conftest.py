"""Set-up shared by every test folder.

Tests marked ``gpu`` need an NVIDIA GPU and CuPy; where either is missing they are skipped, so the
suite passes on machines without one.
"""

from __future__ import annotations

import functools
import logging
import textwrap

import pytest

from gxf.core import Context, load_graph_text


@functools.cache
def gpu_unavailable_reason() -> str | None:
    """None when CuPy imports and sees at least one CUDA device; otherwise why not."""
    try:
        import cupy
    except Exception as exc:  # noqa: BLE001 - any failure to import means no GPU tests
        return f"CuPy is not usable: {type(exc).__name__}: {exc}"
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # noqa: BLE001
        return f"no CUDA device: {type(exc).__name__}: {exc}"
    return None if count > 0 else "no CUDA device"


def pytest_collection_modifyitems(config, items):
    gpu_items = [item for item in items if item.get_closest_marker("gpu")]
    if not gpu_items:
        return
    reason = gpu_unavailable_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in gpu_items:
        item.add_marker(skip)


@pytest.fixture(autouse=True)
def _gxf_logger_restored():
    """Whatever a test (a CLI run, a ``--log_level``) does to the ``gxf`` logger is undone after it, so
    that no test depends on the order the suite runs in."""
    logger = logging.getLogger("gxf")
    level, handlers, propagate = logger.level, list(logger.handlers), logger.propagate
    yield
    logger.setLevel(level)
    logger.propagate = propagate
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)


# --- running a graph given as YAML text (the sample and test-helper extensions' tests) ------------

SCHEDULER = """
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters:
    clock: clock
    max_duration_ms: 10000
"""


@pytest.fixture
def run_graph():
    """``run_graph(yaml_text)`` loads the graph (plus a greedy scheduler on a ManualClock), runs it to the
    end and returns the context, still active so that components can be inspected. ``run_graph.contexts``
    holds every context it made, those of runs that raised included."""
    contexts = []

    def run(text: str, scheduler: bool = True) -> Context:
        context = Context()
        contexts.append(context)
        load_graph_text(context, textwrap.dedent(text) + (SCHEDULER if scheduler else ""))
        context.run()
        return context

    run.contexts = contexts
    yield run
    for context in contexts:
        context.deactivate()
