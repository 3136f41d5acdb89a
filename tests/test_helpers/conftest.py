"""Fixtures for the TestHelperExtension's tests: run a graph given as YAML text on a ManualClock."""

from __future__ import annotations

import textwrap

import pytest

from gxf.core import Context

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
    end and returns the context, still active so that components can be inspected."""
    contexts = []

    def run(text: str, scheduler: bool = True) -> Context:
        context = Context()
        contexts.append(context)
        context.load_graph_text(textwrap.dedent(text) + (SCHEDULER if scheduler else ""))
        context.run()
        return context

    yield run
    for context in contexts:
        context.deactivate()
