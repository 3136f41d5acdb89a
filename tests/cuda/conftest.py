"""Fixtures of the gxf-cuda tests: the host-memory emulation of a GPU, and graphs run on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gxf.core import Context, load_graph_file
from gxf.cuda.emulation import HostEmulationBackend

GRAPHS = Path(__file__).parent / "graphs"


@pytest.fixture
def emulated_gpu():
    """The host emulation of a GPU (tests only), active for the test; its device thread stops after it."""
    with HostEmulationBackend() as gpu:
        yield gpu


@pytest.fixture
def cuda_graph():
    """``cuda_graph(name)`` loads tests/cuda/graphs/<name> into a new context (deactivated after the test)."""
    contexts = []

    def load(name: str) -> Context:
        context = Context()
        contexts.append(context)
        load_graph_file(context, GRAPHS / name)
        return context

    yield load
    for context in contexts:
        context.deactivate()
