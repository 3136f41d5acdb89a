"""A graph's `dependencies` name extensions; a missing or incompatible one is a clear error."""

import pytest

from gxf.core import Context, Extension, ExtensionError, GraphFileError, GxfError, load_graph_file
from gxf.core.errors import MissingExtensionError
from gxf.core.builtin import CORE_EXTENSION
from gxf.core.registry import TypeRegistry, version_compatible

OK_DEPENDENCY = """
    - extension: CoreTestExtension
      uuid: 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00
      version: 1.0.0
"""


def load_with(bare_registry, write, deps: str):
    context = Context(bare_registry)
    load_graph_file(context, write("graph.yaml", "dependencies:" + deps + """
        ---
        name: e
        components:
        - type: test::Store
        """.replace("\n        ", "\n")))
    return context


def test_installed_extension_satisfies_the_dependency(bare_registry, write):
    context = load_with(bare_registry, write, OK_DEPENDENCY)
    assert context.find_entity("e") is not None


def test_dependency_on_a_later_minor_version_is_refused(bare_registry, write):
    with pytest.raises(ExtensionError) as info:
        load_with(bare_registry, write, OK_DEPENDENCY.replace("1.0.0", "1.3.0"))
    assert "needs extension 'CoreTestExtension' version 1.3.0 or later, but 1.2.0 is installed" \
        in str(info.value)
    assert "pip install --upgrade gxf-core-tests" in str(info.value)
    assert info.value.location.line == 2


def test_dependency_on_a_later_major_version_is_refused(bare_registry, write):
    with pytest.raises(ExtensionError, match="version 2.0.0 or later, but 1.2.0 is installed"):
        load_with(bare_registry, write, OK_DEPENDENCY.replace("1.0.0", "2.0.0"))


@pytest.mark.parametrize("older", ["0.9.0", "1.0", "1", "1.2.0", "1.1.9-rc1"])
def test_dependency_on_an_older_version_than_installed_is_satisfied(bare_registry, write, older):
    """A graph written for an older version (an older major one too) loads: the version is its minimum."""
    context = load_with(bare_registry, write, OK_DEPENDENCY.replace("1.0.0", older))
    assert context.find_entity("e") is not None


@pytest.mark.parametrize("text", ["latest", "1.x", "v1.2", "'>=1.0'"])
def test_a_version_that_is_not_a_version_number_says_so(bare_registry, write, text):
    with pytest.raises(ExtensionError) as info:
        load_with(bare_registry, write, OK_DEPENDENCY.replace("1.0.0", text))
    message = str(info.value)
    assert "dependency on extension 'CoreTestExtension' gives version '" in message
    assert "which is not a version number" in message
    assert "MAJOR.MINOR.PATCH (the installed one is 1.2.0)" in message
    assert "upgrade" not in message and info.value.location.line == 2


def test_an_installed_version_that_is_not_a_number_is_not_checked(write, caplog):
    registry = TypeRegistry()
    registry.add_extension(CORE_EXTENSION)
    registry.add_extension(Extension("DevExtension", "0f0e0d0c-0b0a-4908-8706-0504030201ff", "dev",
                                     distribution="dev-gxf"))
    with caplog.at_level("WARNING", logger="gxf"):
        assert registry.check_dependency("DevExtension", None, "1.4").name == "DevExtension"
    assert "declares version 'dev', which is not a version number: the graph's required version 1.4 is " \
           "not checked" in caplog.text


def test_wrong_uuid_is_refused(bare_registry, write):
    with pytest.raises(ExtensionError) as info:
        load_with(bare_registry, write, OK_DEPENDENCY.replace("5d00", "5dff"))
    assert "with UUID 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5dff" in str(info.value)
    assert "has UUID 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00" in str(info.value)


def load_strictly(bare_registry, write, deps: str):
    """As ``gxf validate`` loads: a missing dependency is an error."""
    context = Context(bare_registry)
    context.strict_schema = True
    load_graph_file(context, write("graph.yaml", "dependencies:" + deps + """
        ---
        name: e
        components:
        - type: test::Store
        """.replace("\n        ", "\n")))
    return context


STD_DEPENDENCY = """
    - extension: StandardExtension
      uuid: 8ec2d5d6-b5df-48bf-8dee-0252606fdd7e
      version: 2.6.0
    """.replace("\n    ", "\n")


def test_missing_standard_extension_names_the_distribution(bare_registry, write):
    with pytest.raises(MissingExtensionError) as info:
        load_strictly(bare_registry, write, STD_DEPENDENCY)
    text = str(info.value)
    assert "needs extension 'StandardExtension', which is not installed" in text
    assert "hint: pip install gxf-std" in text
    assert text.startswith(f"{info.value.location.file}:2:")


def test_missing_unknown_extension_says_what_to_install(bare_registry, write):
    with pytest.raises(ExtensionError, match="(?s)'AcmeExtension'.*install the Python distribution"):
        load_strictly(bare_registry, write, "\n- extension: AcmeExtension\n  version: 1.0.0\n")


def test_a_run_goes_on_without_an_extension_it_only_names(bare_registry, write, caplog):
    # GXF's loader does not read dependencies: a graph naming an extension none of its components come
    # from runs there; here it runs too, with a warning that says what to install
    with caplog.at_level("WARNING", logger="gxf"):
        context = load_with(bare_registry, write, STD_DEPENDENCY)
    assert context.find_entity("e") is not None
    assert "graph.yaml:2: the graph needs extension 'StandardExtension', which is not installed" in caplog.text
    assert "pip install gxf-std" in caplog.text


def test_a_component_of_the_missing_extension_is_still_an_error(bare_registry, write):
    context = Context(bare_registry)
    with pytest.raises(GxfError, match="unknown component type 'nvidia::gxf::PingTx'"):
        load_graph_file(context, write("graph.yaml", "dependencies:" + STD_DEPENDENCY
                                       + "---\nname: e\ncomponents:\n- type: nvidia::gxf::PingTx\n"))


def test_dependency_found_by_uuid_when_renamed(bare_registry, write):
    load_with(bare_registry, write, "\n- extension: OldName\n  uuid: 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00\n")


def test_malformed_dependencies(bare_registry, write):
    with pytest.raises(GraphFileError, match="needs at least 'extension'"):
        load_with(bare_registry, write, "\n- uuid: 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00\n")
    with pytest.raises(GraphFileError, match="unknown key 'versoin' in a dependency"):
        load_with(bare_registry, write, "\n- extension: CoreTestExtension\n  versoin: 1.0.0\n")


@pytest.mark.parametrize("installed, required, ok", [
    ("2.6.0", "2.6.0", True), ("2.6.1", "2.6.0", True), ("2.7.0", "2.6", True), ("2.5.9", "2.6.0", False),
    ("3.0.0", "2.6.0", True), ("1.0.0-rc1", "1.0.0", True), ("2.6.0", "3.0.0", False),
    ("dev", "dev", True), ("dev", "2.6.0", False),
])
def test_version_compatibility(installed, required, ok):
    assert version_compatible(installed, required) is ok
