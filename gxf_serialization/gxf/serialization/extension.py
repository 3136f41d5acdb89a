"""The SerializationExtension: endpoints, serializers, EntityRecorder and EntityReplayer, with GXF's UUIDs."""

from __future__ import annotations

from gxf.core import Extension, hookimpl

from .component_serializer import ComponentSerializer
from .endpoint import Endpoint
from .entity_recorder import EntityRecorder
from .entity_replayer import EntityReplayer
from .entity_serializer import EntitySerializer
from .file import File
from .serialization_buffer import SerializationBuffer
from .std_component_serializer import StdComponentSerializer
from .std_entity_id_serializer import StdEntityIdSerializer
from .std_entity_serializer import StdEntitySerializer

COMPONENTS: list = [
    Endpoint, SerializationBuffer, File, ComponentSerializer, StdComponentSerializer, EntitySerializer,
    StdEntitySerializer, StdEntityIdSerializer, EntityRecorder, EntityReplayer,
]

SERIALIZATION_EXTENSION = Extension(
    name="SerializationExtension",
    uuid="bc573c2f-89b3-d4b0-8061-2da8b11fe79a",
    version="2.8.0",
    components=COMPONENTS,
    author="gxf-serialization developers",
    distribution="gxf-serialization",
    description="Extension for serializing messages: recording to and replaying from GXF's files",
    display_name="Serialization Extension",
    category="Serialization",
    brief="Serializers, endpoints, EntityRecorder and EntityReplayer",
)


@hookimpl
def gxf_extensions():
    return SERIALIZATION_EXTENSION
