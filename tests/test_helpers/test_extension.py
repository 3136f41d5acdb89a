"""The TestHelperExtension: GXF's name, UUID and version, and every component type GXF registers in it."""

from gxf.core import plugins

# Every type GXF 2.6's TestHelperExtension registers, with its UUID and base type.
GXF_TYPES = {
    "LoadParameterFromYamlTest": ("77d3cb56-1ddb-4656-828a-3955ad78fb27", "Component"),
    "RegisterParameterInterfaceTest": ("e9234c1a-d5f8-445c-ae91-18bcda197032", "Component"),
    "FixedVectorParameterTest": ("f6a9bda1-7a0d-1642-c2d0-6c87c645218f", "Component"),
    "StdParameterTest": ("405d8e06-2d3f-45f1-84c4-92ac9ef3c67c", "Component"),
    "TestHandleParameter": ("92f49e50-aded-48a8-8b97-a274e227875f", "Component"),
    "TestGxfParameterSetFromYamlNode": ("fa56c026-6082-4b44-9fc7-5efd1e1d6a13", "Component"),
    "StepCount": ("c076cb71-55ca-4687-8c84-c789818f5cf7", "Codelet"),
    "StepRangeCount": ("947e3c3d-1221-42d5-92f1-fe6c7fd95a8a", "Codelet"),
    "AsyncPingRx": ("a4f26a81-a7dc-4cdb-8ad9-c638c2de48f8", "Codelet"),
    "PingPollRx": ("64866edc-725b-11eb-9dfa-37dfe2305968", "Codelet"),
    "PingBatchRx": ("85058d3a-5539-11eb-be0b-873d2618d774", "Codelet"),
    "ScheduledPingTx": ("8b2e8b0f-0236-4d5f-3e57-2048949a43ef", "Codelet"),
    "AsyncPingTx": ("1c211f15-5e5a-4efc-8daa-19f351d19ad6", "Codelet"),
    "Generator": ("ebe83f93-3e8e-4c09-8c12-4ab7390ac565", "Codelet"),
    "Pop": ("6019517f-6084-4d1b-9eff-178d6891e9e8", "Codelet"),
    "Print": ("15ac607f-5539-42e0-b1f0-9b841e1f9ecd", "Codelet"),
    "PrintTensor": ("c73d835e-bf5b-4a54-9cd5-370e1256b650", "Codelet"),
    "ArbitraryPrecisionFactorial": ("2ca901d0-0d38-4a06-951e-dc0d655ac5a6", "Codelet"),
    "IntegerSinSum": ("2ed6049c-c6ad-4d89-8e28-078be6776adf", "Codelet"),
    "TensorGenerator": ("d2abde61-ff76-ea8b-fdc7-4e01d70259af", "Codelet"),
    "TensorComparator": ("e99f8fe0-c7ab-9674-c4ef-5778874b7c3f", "Codelet"),
    "TestTensorStrides": ("92002082-6023-11eb-aeea-03cedbfc916f", "Codelet"),
    "TestMetricLogger": ("557d6478-5a86-4052-a2ac-f94edb0341ca", "Codelet"),
    "EntityMonitor": ("d3f52056-b8a0-974d-f8d3-c321bdf247ee", "Monitor"),
    "VectorParameterTest": ("b6c6697a-3b2d-79fa-0bb8-c8d6ad0f92ac", "Component"),
    "TestTimestampTx": ("4f7b92fc-fb4d-1096-eebf-2cf958e74c45", "Codelet"),
    "TestTimestampRx": ("a0204781-cabf-69d7-5615-3ac8398984ca", "Codelet"),
    "TestLogger": ("121178a5-ee02-4251-b2d3-0663306bf3c3", "Codelet"),
    "PeriodicSchedulingTermWithDelay": ("bb138e69-066a-ba28-d392-c98a9b0849b4", "PeriodicSchedulingTerm"),
    "MockAllocator": ("93585693-d816-b6c5-cb06-ba6ec534dfd4", "Allocator"),
    "MockTransmitter": ("9fa09605-8485-81ab-92c2-3096508cc4a1", "Transmitter"),
    "MockReceiver": ("e9c70ddb-f223-5546-bb7b-118048380c21", "Receiver"),
    "TestConfigurationSet": ("85ed3ce3-0611-4314-94df-da4f507f75a0", "Codelet"),
    "WaitSchedulingTerm": ("a055fbf8-7588-11ed-a423-331e2d38b116", "SchedulingTerm"),
    "MockFailure": ("263ba11a-bf9d-11ed-a3ed-8f40163997e9", "Codelet"),
    "MockCodelet": ("01401bae-1cf6-4e91-add0-0c88b988b04c", "Codelet"),
    "Frame": ("cd944caf-f32f-46cc-a8a7-44977a4805a6", "Component"),
}


def test_extension_has_gxf_metadata_and_comes_with_gxf_std():
    registry = plugins.default_registry()
    ext = registry.extension("TestHelperExtension")
    assert ext is not None and ext.distribution == "gxf-std"
    assert (ext.uuid, ext.version, ext.display_name, ext.category) == (
        "1b99ffeb-c250-4ced-8117-62ac05969a50", "2.6.0", "Test Helper Extension", "Test")


def test_every_gxf_test_helper_type_is_registered_with_its_uuid_and_base():
    registry = plugins.default_registry()
    ext = registry.extension("TestHelperExtension")
    names = sorted(cls.type_name() for cls in ext.components)
    assert names == sorted(f"nvidia::gxf::test::{n}" for n in GXF_TYPES)
    for name, (uuid, base) in GXF_TYPES.items():
        ctype = registry.component_type(f"nvidia::gxf::test::{name}")
        assert registry.by_uuid(uuid) is ctype, name
        assert ctype.base == f"nvidia::gxf::{base}", name
        assert ctype.description and not ctype.abstract, name
