"""Fixtures for the core's tests: a registry with the test extension, a context, graph files on disk."""

from __future__ import annotations

import importlib.util
import logging
import sys
import textwrap
from pathlib import Path

import pytest

from gxf.core import Context, load_graph_file, plugins
from gxf.core.builtin import CORE_EXTENSION
from gxf.core.context import CREATED, DEACTIVATED
from gxf.core.registry import TypeRegistry

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
PLUGIN_NAME = "core-tests"


def _load_testing_ext():
    """tests/core/testing_ext.py as a module (test folders are not packages)."""
    name = "gxf_core_testing_ext"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "testing_ext.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(autouse=True)
def _restore_gxf_log_level():
    """Commands set the 'gxf' logger's level; put it back so other tests see the usual level."""
    logger = logging.getLogger("gxf")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.fixture
def ext():
    """The test extension's module; its EVENTS list starts empty."""
    module = _load_testing_ext()
    module.EVENTS.clear()
    return module


@pytest.fixture
def registry(ext):
    """The process registry with the test extension registered (and removed afterwards)."""
    plugins.register(ext, name=PLUGIN_NAME, distribution=ext.DISTRIBUTION)
    try:
        yield plugins.default_registry()
    finally:
        plugins.unregister(PLUGIN_NAME)


@pytest.fixture
def bare_registry(ext):
    """A registry of the core's and the test extension's types only, whatever else is installed."""
    registry = TypeRegistry()
    registry.add_extension(CORE_EXTENSION)
    registry.add_extension(ext.EXTENSION)
    return registry


@pytest.fixture
def context(registry):
    ctx = Context(registry)
    yield ctx
    if ctx.state not in (CREATED, DEACTIVATED):
        ctx.deactivate()


@pytest.fixture
def write(tmp_path):
    """write(name, text) -> path: a file under tmp_path with ``text`` dedented."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def load(context, write):
    """load(text) -> context: writes ``text`` to graph.yaml and loads it into the test context."""

    def load(text: str, name: str = "graph.yaml") -> Context:
        load_graph_file(context, write(name, text))
        return context

    return load
