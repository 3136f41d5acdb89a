"""YAML reading keeps the file and line of every mapping, list and key."""

import pytest

from gxf.core.errors import GraphFileError, Location
from gxf.core.yaml_source import load_documents, load_file, location_of

TEXT = """\
name: first
components:
- name: a
  type: x::A
  parameters:
    count: 3
---
name: second
"""


def test_mappings_lists_and_keys_know_their_lines():
    first, second = load_documents(TEXT, "g.yaml")
    assert first.location == Location("g.yaml", 1)
    assert first.key_location("components") == Location("g.yaml", 2)
    components = first["components"]
    assert location_of(components) == Location("g.yaml", 3)
    assert components.item_location(0) == Location("g.yaml", 3)
    assert components[0]["parameters"].key_location("count") == Location("g.yaml", 6)
    assert second.location == Location("g.yaml", 8)
    assert str(second.location) == "g.yaml:8"


def test_values_are_plain_python():
    first, _ = load_documents(TEXT, "g.yaml")
    assert first == {"name": "first",
                     "components": [{"name": "a", "type": "x::A", "parameters": {"count": 3}}]}


def test_syntax_error_names_the_line():
    with pytest.raises(GraphFileError) as info:
        load_documents("name: a\ncomponents:\n- type: x\n  parameters: {count: 3\n", "bad.yaml")
    assert info.value.location.file == "bad.yaml"
    assert info.value.location.line >= 4
    assert "invalid YAML" in str(info.value)
    assert "hint:" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(GraphFileError, match="graph file not found") as info:
        load_file(tmp_path / "nope.yaml")
    assert str(tmp_path / "nope.yaml") in str(info.value)
