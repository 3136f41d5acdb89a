"""Fixtures for the Python codelet tests: paths, running graph files, writing graphs on the fly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gxf.core import Context, load_graph_file

HERE = Path(__file__).resolve().parent
CODELETS = HERE / "codelets"
GRAPHS = HERE / "graphs"
REPO_ROOT = HERE.parents[1]


@pytest.fixture
def run_graph():
    """``run_graph(*files)``: loads graph files into a new context, runs it, returns the context.

    The context stays loaded for inspection and is deactivated when the test ends.
    """
    contexts: list[Context] = []

    def run(*paths) -> Context:
        context = Context()
        contexts.append(context)
        for path in paths:
            load_graph_file(context, path)
        context.run()
        return context

    yield run
    for context in contexts:
        context.deactivate()


@pytest.fixture
def write_graph(tmp_path):
    """``write_graph(text, name)``: a graph file in tmp_path; ``{codelets}`` is the codelets folder."""

    def write(text: str, name: str = "graph.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).replace("{codelets}", str(CODELETS)), encoding="utf-8")
        return path

    return write


@pytest.fixture
def codelet_line():
    """``codelet_line(file, text)``: the 1-based line of the first ``text`` in a codelet file."""

    def find(file: str, text: str) -> int:
        for number, line in enumerate((CODELETS / file).read_text().splitlines(), start=1):
            if text in line:
                return number
        raise AssertionError(f"{text!r} not in {file}")

    return find
