"""GXF's UcxExtension: segments of a graph exchanging messages over UCX."""

from .ucx_components import (
                             UcxComponentSerializer,
                             UcxContext,
                             UcxEntitySerializer,
                             UcxReceiver,
                             UcxSerializationBuffer,
                             UcxTransmitter,
)

__all__ = ["UcxComponentSerializer", "UcxContext", "UcxEntitySerializer", "UcxReceiver",
           "UcxSerializationBuffer", "UcxTransmitter"]
