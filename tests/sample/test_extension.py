"""The SampleExtension: GXF's name, UUID, version and component types, installed through the entry point."""

from gxf.core import plugins

GXF_SAMPLE_TYPES = {
    "nvidia::gxf::PingTx": "568ba758-1688-11ec-9621-0242ac130002",
    "nvidia::gxf::PingTxAsync": "986417b4-4f15-46b3-bb24-26382858d1db",
    "nvidia::gxf::PingBatchRx": "75acc5ca-eaaa-11ed-a05b-0242ac120003",
    "nvidia::gxf::PingRx": "a7fc439a-1688-11ec-9621-0242ac130002",
    "nvidia::gxf::PingRxAsync": "7720a88e-28f8-4a84-b6d0-8c39e8014ef4",
    "nvidia::gxf::MultiPingRx": "d7a53484-a1a7-11ed-b686-138d2bc637ee",
    "nvidia::gxf::HelloWorld": "3d1e58fc-74fa-11ed-a7ee-f7e728cd4c11",
}


def test_sample_extension_is_installed_with_gxf_metadata():
    registry = plugins.default_registry()
    ext = registry.extension("SampleExtension")
    assert ext is not None and ext.distribution == "gxf-std"
    assert ext.uuid == "a6ad78b6-1682-11ec-9621-0242ac130002" and ext.version == "1.6.0"
    assert registry.extension("a6ad78b6-1682-11ec-9621-0242ac130002") is ext


def test_every_gxf_sample_type_is_registered_with_its_uuid_as_a_codelet():
    registry = plugins.default_registry()
    ext = registry.extension("SampleExtension")
    assert {cls.type_name(): cls._gxf_uuid for cls in ext.components} == GXF_SAMPLE_TYPES
    for name, uuid in GXF_SAMPLE_TYPES.items():
        ctype = registry.component_type(name)
        assert registry.by_uuid(uuid) is ctype
        assert ctype.base == "nvidia::gxf::Codelet" and not ctype.abstract and ctype.description
