"""Shared set-up of the distributed tests: the support module, a registry with the test links."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from gxf.core import plugins

NAME = "gxf_distributed_support"
if NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(NAME, Path(__file__).with_name("distributed_support.py"))
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[NAME] = _module
    _spec.loader.exec_module(_module)


@pytest.fixture
def registry():
    """The installed extensions and the test links."""
    registry = plugins.build_registry()
    registry.add_extension(sys.modules[NAME].LINK_EXTENSION)
    return registry
