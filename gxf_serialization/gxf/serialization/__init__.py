"""gxf.serialization: GXF's SerializationExtension, messages to bytes and back in GXF 5.7's format.

Record a stream with ``EntityRecorder`` and replay it with ``EntityReplayer``; the files are the same
``.gxf_index`` / ``.gxf_entities`` real GXF writes and reads. Extensions add serializers for their own
message components with ``TypeSerializer`` through the ``gxf_component_serializers`` hook.
"""

from .component_serializer import ComponentSerializer, TypeSerializer, read_exact, readinto_exact
from .endpoint import Endpoint
from .entity_recorder import EntityRecorder
from .entity_replayer import EntityReplayer
from .entity_serializer import EntitySerializer
from .file import File
from .file_format import CorruptEntityError, SerializationError, UnknownTypeError
from .file_stream import FileStream
from .serialization_buffer import SerializationBuffer
from .std_component_serializer import StdComponentSerializer
from .std_entity_id_serializer import StdEntityIdSerializer
from .std_entity_serializer import StdEntitySerializer

__all__ = [
    "ComponentSerializer", "CorruptEntityError", "Endpoint", "EntityRecorder", "EntityReplayer",
    "EntitySerializer", "File", "FileStream", "SerializationBuffer", "SerializationError",
    "StdComponentSerializer", "StdEntityIdSerializer", "StdEntitySerializer", "TypeSerializer",
    "UnknownTypeError", "read_exact", "readinto_exact",
]
