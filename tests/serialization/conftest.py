"""Shared set-up of the serialization tests: the sample recordings, serializers outside a graph, and
where real GXF (the Holoscan SDK's venv) is for the differential tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gxf.serialization.recording import standalone_serializer

DATA = Path(__file__).parent / "data"   # recordings written by real GXF 5.7.1 (see data/README.md)
REFERENCE_SITE = Path(os.environ.get("GXF_REFERENCE_SITE", "/tmp/peers/holo/lib/python3.11/site-packages"))
REFERENCE_TOOL = Path(os.environ.get("GXF_REFERENCE_TOOL", "/work/shared/tools/gxf_reference.py"))
INTEROP = Path(os.environ.get("GXF_INTEROP_DIR", "/work/shared/interop"))


def reference_unavailable() -> str | None:
    """None when real GXF can be run here; otherwise why not (the differential tests then skip)."""
    if not (REFERENCE_SITE / "holoscan" / "lib" / "libgxf_serialization.so").is_file():
        return f"real GXF is not installed at {REFERENCE_SITE} (see shared/tools/setup_reference.sh)"
    if not REFERENCE_TOOL.is_file() or not INTEROP.is_dir():
        return f"the reference runner {REFERENCE_TOOL} or {INTEROP} is missing"
    return None


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
