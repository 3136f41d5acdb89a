"""Shared set-up of the serialization tests: the sample recordings, serializers outside a graph, and
where real GXF (the Holoscan SDK's venv) is for the differential tests."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

from gxf.serialization.recording import standalone_serializer

NAME = "gxf_serialization_support"
if NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(NAME, Path(__file__).with_name("serialization_support.py"))
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[NAME] = _module
    _spec.loader.exec_module(_module)

DATA = sys.modules[NAME].DATA

@pytest.fixture
def serializer():
    """A StdEntitySerializer over a StdComponentSerializer, outside any graph."""
    return standalone_serializer()


@pytest.fixture
def sample(tmp_path):
    """``sample(name)`` copies the real-GXF recording ``name`` into tmp_path; returns DIR/BASENAME."""
    def copy(name: str) -> Path:
        for extension in (".gxf_index", ".gxf_entities"):
            shutil.copy(DATA / f"{name}{extension}", tmp_path / f"{name}{extension}")
        return tmp_path / name

    return copy


@pytest.fixture
def readonly_dir(tmp_path):
    """A directory nobody may create files in (for root, who ignores permissions: /sys)."""
    if os.geteuid() != 0:
        path = tmp_path / "readonly"
        path.mkdir()
        path.chmod(0o500)
        yield path
        path.chmod(0o700)
        return
    try:
        fd = os.open("/sys/gxf-serialization-test", os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError:
        yield Path("/sys")
        return
    os.close(fd)
    pytest.skip("no read-only directory available to root here")


@pytest.fixture
def test_extension():
    """Registers the tests' small extension (ValueSource, Collector, Opaque) for one test."""
    from gxf.core import plugins

    support = sys.modules[NAME]
    plugins.register(support.Plugin(), name=support.PLUGIN_NAME, distribution="gxf-serialization-tests")
    support.COLLECTED.clear()
    yield support
    support.COLLECTED.clear()
    plugins.unregister(support.PLUGIN_NAME)
