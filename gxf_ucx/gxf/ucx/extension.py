"""The UcxExtension with GXF's UUIDs."""

from __future__ import annotations

from gxf.core import Extension, hookimpl

from .ucx_components import (
    UcxComponentSerializer,
    UcxContext,
    UcxEntitySerializer,
    UcxReceiver,
    UcxSerializationBuffer,
    UcxTransmitter,
)

UCX_EXTENSION = Extension(
    name="UcxExtension",
    uuid="525f8a1a-dfb5-426b-8ddb-00c3ac839994",
    version="0.8.0",
    components=[UcxSerializationBuffer, UcxComponentSerializer, UcxEntitySerializer, UcxReceiver,
                UcxTransmitter, UcxContext],
    author="gxf-ucx developers",
    distribution="gxf-ucx",
    description="Extension for Unified Communication X: links graph segments across processes and hosts",
    display_name="Ucx Extension",
    category="Network",
    brief="UcxTransmitter, UcxReceiver and their context and serializers",
)


@hookimpl
def gxf_extensions():
    return UCX_EXTENSION
