"""A graph's `dependencies` name extensions; a missing or incompatible one is a clear error."""

import pytest

from gxf.core import Context, ExtensionError, GraphFileError, load_graph_file
from gxf.core.registry import version_compatible

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
    assert "needs extension 'CoreTestExtension' version 1.3.0, but 1.2.0 is installed" in str(info.value)
    assert "pip install --upgrade gxf-core-tests" in str(info.value)
    assert info.value.location.line == 2


def test_dependency_on_another_major_version_is_refused(bare_registry, write):
    with pytest.raises(ExtensionError, match="version 2.0.0"):
        load_with(bare_registry, write, OK_DEPENDENCY.replace("1.0.0", "2.0.0"))


def test_wrong_uuid_is_refused(bare_registry, write):
    with pytest.raises(ExtensionError) as info:
        load_with(bare_registry, write, OK_DEPENDENCY.replace("5d00", "5dff"))
    assert "with UUID 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5dff" in str(info.value)
    assert "has UUID 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00" in str(info.value)


def test_missing_standard_extension_names_the_distribution(bare_registry, write):
    with pytest.raises(ExtensionError) as info:
        load_with(bare_registry, write, """
            - extension: StandardExtension
              uuid: 8ec2d5d6-b5df-48bf-8dee-0252606fdd7e
              version: 2.6.0
            """.replace("\n            ", "\n"))
    text = str(info.value)
    assert "needs extension 'StandardExtension', which is not installed" in text
    assert "hint: pip install gxf-std" in text
    assert text.startswith(f"{info.value.location.file}:2:")


def test_missing_unknown_extension_says_what_to_install(bare_registry, write):
    with pytest.raises(ExtensionError, match="(?s)'AcmeExtension'.*install the Python distribution"):
        load_with(bare_registry, write, "\n- extension: AcmeExtension\n  version: 1.0.0\n")


def test_dependency_found_by_uuid_when_renamed(bare_registry, write):
    load_with(bare_registry, write, "\n- extension: OldName\n  uuid: 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00\n")


def test_malformed_dependencies(bare_registry, write):
    with pytest.raises(GraphFileError, match="needs at least 'extension'"):
        load_with(bare_registry, write, "\n- uuid: 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00\n")
    with pytest.raises(GraphFileError, match="unknown key 'versoin' in a dependency"):
        load_with(bare_registry, write, "\n- extension: CoreTestExtension\n  versoin: 1.0.0\n")


@pytest.mark.parametrize("installed, required, ok", [
    ("2.6.0", "2.6.0", True), ("2.6.1", "2.6.0", True), ("2.7.0", "2.6", True), ("2.5.9", "2.6.0", False),
    ("3.0.0", "2.6.0", False), ("1.0.0-rc1", "1.0.0", True),
])
def test_version_compatibility(installed, required, ok):
    assert version_compatible(installed, required) is ok
