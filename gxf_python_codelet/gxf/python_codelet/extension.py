"""The PythonCodeletExtension: PyCodeletV0, PyData, and the adapter for ComputeEntity.add_codelet."""

from __future__ import annotations

from gxf.core import Extension, hookimpl

from .py_codelet import PyCodeletV0
from .py_data import PyData

PYTHON_CODELET_EXTENSION_UUID = "787daddc-1c34-11ec-9621-0242ac130002"

COMPONENTS: list = [PyCodeletV0, PyData]

PYTHON_CODELET_EXTENSION = Extension(
    name="PythonCodeletExtension",
    uuid=PYTHON_CODELET_EXTENSION_UUID,
    version="0.6.0",
    components=COMPONENTS,
    author="gxf-python-codelet developers",
    distribution="gxf-python-codelet",
    description="Codelets written in Python: PyCodeletV0 runs CodeletAdapter classes; "
                "PyData carries Python objects",
    display_name="Python Codelet Extension",
    category="Python",
    brief="Codelets written in Python",
)


@hookimpl
def gxf_extensions():
    return PYTHON_CODELET_EXTENSION


@hookimpl
def gxf_compute_entity_adapters():
    from .compute_entity_adapter import PythonCodeletAdapter  # only graphs built in Python need it

    return PythonCodeletAdapter()
