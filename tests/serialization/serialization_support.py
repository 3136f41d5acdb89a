"""Helpers shared by the serialization tests (loaded by conftest.py as ``gxf_serialization_support``:
test folders are not packages): the sample recordings, where real GXF is, and in-memory endpoints."""

from __future__ import annotations

import os
from pathlib import Path

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


class Sink:
    """An endpoint collecting what is written."""

    def __init__(self):
        self.data = bytearray()

    def write(self, data) -> int:
        self.data += data
        return memoryview(data).nbytes

    def tell(self):
        return len(self.data)


class Source:
    """An endpoint reading from bytes."""

    def __init__(self, data: bytes):
        self.data = memoryview(bytes(data))
        self.position = 0

    def read(self, size: int) -> bytes:
        chunk = self.data[self.position:self.position + size].tobytes()
        self.position += len(chunk)
        return chunk

    def readinto(self, buffer) -> int:
        chunk = self.read(memoryview(buffer).nbytes)
        memoryview(buffer).cast("B")[:len(chunk)] = chunk
        return len(chunk)

    def tell(self) -> int:
        return self.position


# --- a small extension for graph tests: a source of small messages and a collector ------------------
from gxf.core import Component, Extension, Handle, MessageEntity, Parameter, hookimpl  # noqa: E402
from gxf.std.codelet import Codelet  # noqa: E402
from gxf.std.primitives import Int32  # noqa: E402
from gxf.std.queue import Receiver, Transmitter  # noqa: E402
from gxf.std.timestamp import Timestamp  # noqa: E402

PLUGIN_NAME = "serialization-tests"
COLLECTED: list = []   # what every Collector received, in order


class ValueSource(Codelet, type_name="test::serialization::ValueSource",
                  uuid="6b1e1f00-7a52-4c1d-9e0f-5a5e7a1a0001"):
    """Publishes messages holding a Timestamp (acqtime = 1000 * k) and an int32 "value" k."""

    out = Parameter(Handle(Transmitter), description="Where the messages go")
    extra = Parameter(str, "", "A component type name to add to every message as well (empty: none)")

    def start(self) -> None:
        self._k = 0

    def tick(self) -> None:
        k = self._k
        self._k = k + 1
        message = MessageEntity(self.context)
        message.add(Timestamp(1000 * k, 0), "timestamp")
        message.add(Int32(k), "value")
        if self.extra:
            message.add(self.extra, "extra")
        self.out.publish(message)


class Collector(Codelet, type_name="test::serialization::Collector", uuid="6b1e1f00-7a52-4c1d-9e0f-5a5e7a1a0002"):
    """Keeps every message it receives in COLLECTED."""

    inbox = Parameter(Handle(Receiver), description="Where the messages come from")

    def tick(self) -> None:
        message = self.inbox.receive()
        if message is not None:
            COLLECTED.append(message)


class Opaque(Component, type_name="test::serialization::Opaque", uuid="6b1e1f00-7a52-4c1d-9e0f-5a5e7a1a0003"):
    """A message component no serializer knows (until a test registers one)."""

    def __init__(self) -> None:
        Component.__init__(self)
        self.payload = b""


TEST_EXTENSION = Extension(name="SerializationTestExtension", uuid="6b1e1f00-7a52-4c1d-9e0f-5a5e7a1a0000",
                           version="1.0.0", components=[ValueSource, Collector, Opaque],
                           distribution="gxf-serialization-tests")


class Plugin:
    """The plugin object tests register: the extension above."""

    @hookimpl
    def gxf_extensions(self):
        return TEST_EXTENSION


def source_graph(directory, count: int, basename: str = "values", extra: str = "", flush: bool = True,
                 recorder_extra: str = "") -> str:
    """ValueSource -> EntityRecorder, ``count`` messages, on a ManualClock."""
    return f"""
name: source
components:
- name: out
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters: {{transmitter: out, min_size: 1}}
- type: nvidia::gxf::CountSchedulingTerm
  parameters: {{count: {count}}}
- name: source
  type: test::serialization::ValueSource
  parameters: {{out: out, extra: "{extra}"}}
---
name: recorder
components:
- name: input
  type: nvidia::gxf::DoubleBufferReceiver
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: input, min_size: 1}}
- name: allocator
  type: nvidia::gxf::UnboundedAllocator
- name: component_serializer
  type: nvidia::gxf::StdComponentSerializer
  parameters: {{allocator: allocator}}
- name: entity_serializer
  type: nvidia::gxf::StdEntitySerializer
  parameters: {{component_serializers: [component_serializer]}}
- name: recorder
  type: nvidia::gxf::EntityRecorder
  parameters:
    receiver: input
    entity_serializer: entity_serializer
    directory: "{directory}"
    {f'basename: {basename}' if basename else ''}
    flush_on_tick: {str(flush).lower()}
    {recorder_extra}
---
components:
- type: nvidia::gxf::Connection
  parameters: {{source: source/out, target: recorder/input}}
"""


def replay_graph(directory, basename: str = "values", batch_size: int = 1, ignore: bool = True,
                 replayer_name: str = "replayer", capacity: int = 1) -> str:
    """EntityReplayer -> Collector."""
    base = f"basename: {basename}" if basename else ""
    return f"""
name: replay
components:
- name: output
  type: nvidia::gxf::DoubleBufferTransmitter
  parameters: {{capacity: {capacity}}}
- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters: {{transmitter: output, min_size: {capacity}}}
- name: allocator
  type: nvidia::gxf::UnboundedAllocator
- name: component_serializer
  type: nvidia::gxf::StdComponentSerializer
  parameters: {{allocator: allocator}}
- name: entity_serializer
  type: nvidia::gxf::StdEntitySerializer
  parameters: {{component_serializers: [component_serializer]}}
- name: boolean
  type: nvidia::gxf::BooleanSchedulingTerm
- name: {replayer_name}
  type: nvidia::gxf::EntityReplayer
  parameters:
    transmitter: output
    entity_serializer: entity_serializer
    boolean_scheduling_term: boolean
    directory: "{directory}"
    {base}
    batch_size: {batch_size}
    ignore_corrupted_entities: {str(ignore).lower()}
---
name: sink
components:
- name: inbox
  type: nvidia::gxf::DoubleBufferReceiver
  parameters: {{capacity: {capacity}}}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: inbox, min_size: 1}}
- name: collector
  type: test::serialization::Collector
  parameters: {{inbox: inbox}}
---
components:
- type: nvidia::gxf::Connection
  parameters: {{source: replay/output, target: sink/inbox}}
"""
