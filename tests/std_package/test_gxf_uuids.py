"""StandardExtension types carry GXF's own UUIDs and base types, so graphs and tools naming them agree."""

import pytest

from gxf.core import plugins

# type name -> (GXF's UUID, base type, abstract)
GXF_STD_TYPES = {
    "nvidia::gxf::Topic": ("70529494-8bca-49ef-51bf-44b08ecf460b", None, False),
    "nvidia::gxf::AsyncBufferTransmitter": ("784f5837-ffc9-4605-86ff-c448875673e4",
                                            "nvidia::gxf::Transmitter", False),
    "nvidia::gxf::AsyncBufferReceiver": ("f518ff98-c360-4223-b93f-5d485d7eb17c",
                                         "nvidia::gxf::Receiver", False),
    "nvidia::gxf::IPCServer": ("00e6f23d-0bf6-4c1c-ada5-630c711d3be1", "nvidia::gxf::Component", True),
    "nvidia::gxf::IPCClient": ("6f3cf830-7628-49a6-b925-f94171b019da", "nvidia::gxf::Component", True),
    "nvidia::gxf::NetworkContext": ("d589ce20-f3a7-4fc0-aa4e-d6f40f6c0eeb", "nvidia::gxf::Component", True),
    "nvidia::gxf::Controller": ("c8e80475-3c79-43a4-9083-eaf294b0600d", "nvidia::gxf::Component", True),
    "nvidia::gxf::SystemGroup": ("3d23d470-0aed-41c6-ac92-685c1b5469a0", "nvidia::gxf::System", False),
    "nvidia::gxf::MultiSourceTimestamp": ("872e77ec-bde8-11ed-afa1-0242ac120002",
                                          "nvidia::gxf::Component", False),
}


@pytest.mark.parametrize("name", sorted(GXF_STD_TYPES))
def test_std_type_is_registered_with_gxf_uuid_and_base(name):
    uuid, base, abstract = GXF_STD_TYPES[name]
    registry = plugins.default_registry()
    ctype = registry.component_type(name)
    assert ctype is not None, f"{name} is not registered"
    assert registry.by_uuid(uuid) is ctype
    if base is not None:
        assert ctype.base == base
    assert bool(ctype.abstract) is abstract
