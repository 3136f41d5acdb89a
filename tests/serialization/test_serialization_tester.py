"""SerializationTester (TestSerializationExtension): a message serialized into a SerializationBuffer and read
back is the same message, checked by TensorComparator against the original, as GXF's serializer test
graphs check it."""

from __future__ import annotations

import pytest

from gxf.core import Context, ExecutionError, load_graph_text
from gxf.serialization.testing import TEST_SERIALIZATION_EXTENSION, SerializationTester

GRAPH = """
name: source
components:
- name: out
  type: nvidia::gxf::DoubleBufferTransmitter
- name: pool
  type: nvidia::gxf::UnboundedAllocator
- type: nvidia::gxf::test::TensorGenerator
  parameters: {{output: out, allocator: pool, shape: [3, 5], storage_type: {storage}, enable_timestamps: true}}
- type: nvidia::gxf::CountSchedulingTerm
  parameters: {{count: 6}}
- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters: {{transmitter: out, min_size: 1}}
---
name: split
components:
- name: in
  type: nvidia::gxf::DoubleBufferReceiver
- name: to_compare
  type: nvidia::gxf::DoubleBufferTransmitter
- name: to_serialize
  type: nvidia::gxf::DoubleBufferTransmitter
- type: nvidia::gxf::Broadcast
  parameters: {{source: in}}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: in, min_size: 1}}
---
name: round_trip
components:
- name: in
  type: nvidia::gxf::DoubleBufferReceiver
- name: out
  type: nvidia::gxf::DoubleBufferTransmitter
- name: pool
  type: nvidia::gxf::UnboundedAllocator
- name: component_serializer
  type: nvidia::gxf::StdComponentSerializer
  parameters: {{allocator: pool}}
- name: entity_serializer
  type: nvidia::gxf::StdEntitySerializer
  parameters: {{component_serializers: [{serializers}]}}
- name: buffer
  type: nvidia::gxf::SerializationBuffer
  parameters: {{allocator: pool, buffer_size: 4096}}
- type: nvidia::gxf::test::SerializationTester
  parameters: {{input: in, output: out, entity_serializer: entity_serializer, serialization_buffer: buffer}}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: in, min_size: 1}}
---
name: check
components:
- name: expected
  type: nvidia::gxf::DoubleBufferReceiver
- name: actual
  type: nvidia::gxf::DoubleBufferReceiver
- type: nvidia::gxf::test::TensorComparator
  parameters: {{expected: expected, actual: actual}}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: expected, min_size: 1}}
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters: {{receiver: actual, min_size: 1}}
- name: steps
  type: nvidia::gxf::test::StepCount
  parameters: {{expected_count: 6}}
---
components:
- type: nvidia::gxf::Connection
  parameters: {{source: source/out, target: split/in}}
- type: nvidia::gxf::Connection
  parameters: {{source: split/to_compare, target: check/expected}}
- type: nvidia::gxf::Connection
  parameters: {{source: split/to_serialize, target: round_trip/in}}
- type: nvidia::gxf::Connection
  parameters: {{source: round_trip/out, target: check/actual}}
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters: {{clock: clock, max_duration_ms: 10000}}
"""


def run(storage: int = 0, serializers: str = "component_serializer") -> Context:
    context = Context()
    load_graph_text(context, GRAPH.format(storage=storage, serializers=serializers))
    context.run()
    context.deactivate()
    return context


@pytest.mark.parametrize("storage", [0, 2], ids=["kHost", "kSystem"])
def test_every_message_read_back_equals_the_one_sent(storage):
    context = run(storage)
    assert context.find_component("check/steps").count_tick == 6


def test_without_a_serializer_for_tensors_the_round_trip_fails_naming_the_type():
    with pytest.raises(ExecutionError) as info:
        run(serializers="")
    assert "SerializationTester" in str(info.value) and "no serializer can write it" in str(info.value)


def test_the_extension_carries_gxfs_names_and_uuids():
    assert TEST_SERIALIZATION_EXTENSION.name == "TestSerializationExtension"
    assert TEST_SERIALIZATION_EXTENSION.uuid == "c8dfd61a-be54-5fd4-f828-df87e6b0162b"
    assert SerializationTester.type_name() == "nvidia::gxf::test::SerializationTester"
