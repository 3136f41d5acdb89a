"""The TestSerializationExtension: SerializationTester, the codelet GXF's serializer test graphs use.

Each tick it takes one message, serializes it into a SerializationBuffer, reads a new message back out of
the buffer and publishes that one: a graph comparing what went in with what came out tests the
serializers end to end, in memory.
"""

from __future__ import annotations

from gxf.core import ExecutionError, Extension, Handle, Parameter, hookimpl
from gxf.std import Codelet, Receiver, Transmitter

from .entity_serializer import EntitySerializer
from .serialization_buffer import SerializationBuffer


class SerializationTester(Codelet, type_name="nvidia::gxf::test::SerializationTester",
                          uuid="db9f4ca3-f121-471b-b0a0-d49b89a0dc19"):
    """Serializes each received message into a buffer and publishes the message read back from it."""

    input = Parameter(Handle(Receiver), description="Messages to serialize")
    output = Parameter(Handle(Transmitter), description="The messages read back")
    entity_serializer = Parameter(Handle(EntitySerializer), description="Serializer of the messages")
    serialization_buffer = Parameter(Handle(SerializationBuffer), description="Buffer the message goes "
                                     "through")

    def tick(self) -> None:
        buffer = self.serialization_buffer
        buffer.reset()
        message = self.input.receive()
        if message is None:
            raise ExecutionError(f"{self.describe_self()} ticked but '{self.input.handle_text()}' holds no "
                                 "message", self.location,
                                 f"add a MessageAvailableSchedulingTerm on '{self.input.name}' to the entity")
        self.entity_serializer.serialize_entity(message, buffer)
        self.output.publish(self.entity_serializer.deserialize_entity(buffer, self.context))


TEST_SERIALIZATION_EXTENSION = Extension(
    name="TestSerializationExtension",
    uuid="c8dfd61a-be54-5fd4-f828-df87e6b0162b",
    version="1.5.0",
    components=[SerializationTester],
    author="gxf-serialization developers",
    distribution="gxf-serialization",
    description="Codelets for testing the serialization extension",
    display_name="Test Serialization Extension",
    category="Serialization",
    brief="SerializationTester",
)


@hookimpl
def gxf_extensions():
    return TEST_SERIALIZATION_EXTENSION
