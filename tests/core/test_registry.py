"""The type registry: lookups by name, UUID and base type; clashes and broken plugins are reported."""

import types

import pytest

from gxf.core import Component, Extension, UnknownComponentTypeError, hookimpl, plugins
from gxf.core.builtin import CORE_EXTENSION


def test_types_by_name(registry, ext):
    store = registry.component_type("test::Store")
    assert store.cls is ext.Store and store.uuid.endswith("5d02")
    assert store.base == "test::Sink" and store.extension.name == "CoreTestExtension"
    assert store.description == "Keeps the values it is given." and not store.abstract
    assert registry.component_type("test::Sink").abstract
    assert registry.component_class("test::Other") is ext.Other


def test_types_by_uuid_in_any_spelling(registry, ext):
    assert registry.by_uuid("5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d02").cls is ext.Store
    assert registry.by_uuid("5A0C2D1E6F7A4B8C9D0E1F2A3B4C5D02").cls is ext.Store
    assert registry.by_uuid("00000000-0000-0000-0000-000000000000") is None


def test_extensions_by_name_or_uuid(registry):
    ext = registry.extension("CoreTestExtension")
    assert ext is registry.extension("5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00")
    assert ext.version == "1.2.0" and ext.distribution == "gxf-core-tests"
    assert registry.extension("GxfCore") is CORE_EXTENSION
    assert registry.extension("not-a-uuid-or-name") is None


def test_derived_from_and_is_a(registry, ext):
    assert {t.name for t in registry.derived_from("test::Sink")} == {"test::Sink", "test::Store"}
    every = {t.name for t in registry.derived_from("nvidia::gxf::Component")}
    assert {"test::Store", "test::TestScheduler", "nvidia::gxf::Subgraph"} <= every
    assert "test::TestScheduler" in {t.name for t in registry.derived_from("nvidia::gxf::System")}
    assert registry.is_a(ext.Store, "test::Sink") and not registry.is_a(ext.Other, "test::Sink")


def test_unregistered_subclass_maps_to_its_registered_base(registry, ext):
    class MyStore(ext.Store):
        pass

    assert registry.type_of(MyStore).name == "test::Store"
    assert MyStore.type_name() == "test::Store"


def test_unknown_type_suggests(registry):
    with pytest.raises(UnknownComponentTypeError, match="did you mean 'test::Store'"):
        registry.component_type("test::Stroe")


# --- clashes and broken plugins ---------------------------------------------------------------------
def plugin_module(name: str, *extensions_or_error) -> types.ModuleType:
    module = types.ModuleType(name)

    @hookimpl
    def gxf_extensions():
        if extensions_or_error and isinstance(extensions_or_error[0], Exception):
            raise extensions_or_error[0]
        return list(extensions_or_error)

    module.gxf_extensions = gxf_extensions
    return module


@pytest.fixture
def extra_plugins():
    """register(module, name, distribution): plugins removed again after the test."""
    names = []

    def register(module, name, distribution):
        plugins.register(module, name=name, distribution=distribution)
        names.append(name)

    yield register
    for name in names:
        plugins.unregister(name)


def make_type(type_name: str, uuid: str) -> type:
    return type(type_name.replace(":", "_"), (Component,), {"__doc__": "A test type."}, type_name=type_name,
                uuid=uuid)


def test_duplicate_type_name_names_both_distributions(registry, extra_plugins):
    first = Extension("FirstExt", "7c1e0a3a-0000-4000-8000-000000000001", "1.0.0",
                      [make_type("dup::Thing", "7c1e0a3a-0000-4000-8000-0000000000a1")])
    second = Extension("SecondExt", "7c1e0a3a-0000-4000-8000-000000000002", "1.0.0",
                       [make_type("dup::Thing", "7c1e0a3a-0000-4000-8000-0000000000a2")])
    extra_plugins(plugin_module("first", first), "first", "dist-first")
    extra_plugins(plugin_module("second", second), "second", "dist-second")
    built = plugins.build_registry()
    [conflict] = [c for c in built.conflicts if "dup::Thing" in c.message]
    assert "distribution 'dist-first'" in conflict.message
    assert "distribution 'dist-second'" in conflict.message
    assert conflict.hint == "uninstall one of the two distributions" and conflict.plugin == "second"
    assert built.types["dup::Thing"].extension is first, "the distribution whose name sorts first keeps it"
    assert "SecondExt" not in built.extensions
    assert "test::Store" in built.types, "other plugins are not affected"


def test_duplicate_type_uuid_names_both_distributions(registry, extra_plugins):
    uuid = "7c1e0a3a-0000-4000-8000-0000000000b1"
    extra_plugins(plugin_module("one", Extension("OneExt", "7c1e0a3a-0000-4000-8000-000000000011", "1.0.0",
                                                 [make_type("one::A", uuid)])), "one", "dist-one")
    extra_plugins(plugin_module("two", Extension("TwoExt", "7c1e0a3a-0000-4000-8000-000000000012", "1.0.0",
                                                 [make_type("two::B", uuid)])), "two", "dist-two")
    built = plugins.build_registry()
    [conflict] = [c for c in built.conflicts if uuid in c.message]
    assert "dist-one" in conflict.message and "dist-two" in conflict.message


def test_duplicate_extension_uuid(registry, extra_plugins, ext):
    clone = Extension("Clone", ext.EXTENSION_UUID, "1.0.0", [])
    extra_plugins(plugin_module("clone", clone), "clone", "zz-clone")
    built = plugins.build_registry()
    [conflict] = [c for c in built.conflicts if c.extension is clone]
    assert "extension UUID 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00 (as 'CoreTestExtension')" in conflict.message
    assert "zz-clone" in conflict.message and "gxf-core-tests" in conflict.message


def test_a_failing_plugin_is_recorded_and_the_rest_still_load(registry, extra_plugins):
    extra_plugins(plugin_module("broken", ImportError("No module named 'missing_dependency'")),
                  "broken", "dist-broken")
    built = plugins.build_registry()
    assert ("broken", "ImportError: No module named 'missing_dependency'") in built.failures
    assert "test::Store" in built.types and "nvidia::gxf::Subgraph" in built.types


def test_a_type_without_name_or_uuid_is_refused(registry, extra_plugins):
    class Nameless(Component):
        pass

    extra_plugins(plugin_module("nameless", Extension("NamelessExt", "7c1e0a3a-0000-4000-8000-000000000021",
                                                      "1.0.0", [Nameless])), "nameless", "dist-nameless")
    built = plugins.build_registry()
    assert any("Nameless, which has no type_name and uuid" in why for _, why in built.failures)
    assert "NamelessExt" not in built.extensions


def test_default_registry_is_rebuilt_after_register(registry, extra_plugins):
    assert plugins.default_registry() is plugins.default_registry()
    before = plugins.default_registry()
    late_type = make_type("late::T", "7c1e0a3a-0000-4000-8000-0000000000c1")
    extra_plugins(plugin_module("late", Extension("LateExt", "7c1e0a3a-0000-4000-8000-000000000031", "1.0.0",
                                                  [late_type])), "late", "dist-late")
    after = plugins.default_registry()
    assert after is not before and "late::T" in after.types
