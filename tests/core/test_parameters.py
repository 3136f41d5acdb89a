"""Declared parameters: conversion from graph files, defaults, and the JSON Schema they produce."""

import enum

import jsonschema
import pytest

from gxf.core import Component, Parameter, ParameterError
from gxf.core.loader import load_graph_file
from gxf.core.parameters import REQUIRED
from gxf.core.schema import component_schema



def test_defaults_apply_when_a_graph_sets_nothing(load, ext):
    ctx = load("""
        name: e
        components:
        - name: all
          type: test::Everything
        """)
    c = ctx.find_component("e/all")
    assert (c.flag, c.count, c.ratio, c.label, c.numbers, c.table) == (False, 1, 0.5, "none", [], {})
    assert (c.color, c.mode, c.limit, c.path) == (ext.Color.RED, "fast", None, None)
    assert (c.buffer, c.rate, c.period) == (1000, 10.0, 5_000_000)


def test_every_parameter_kind_converts(load, ext, tmp_path):
    ctx = load("""
        name: e
        components:
        - name: all
          type: test::Everything
          parameters:
            flag: true
            count: 7
            ratio: 2
            label: hello
            numbers: [1, 2, 3]
            table: {a: 1, b: 2.5}
            color: GREEN
            mode: exact
            limit: 9
            buffer: 2MiB
            rate: 1kHz
            period: 20ms
            path: data/model.onnx
        """)
    c = ctx.find_component("e/all")
    assert c.flag is True and c.count == 7 and c.ratio == 2.0 and isinstance(c.ratio, float)
    assert c.label == "hello" and c.numbers == [1, 2, 3] and c.table == {"a": 1, "b": 2.5}
    assert c.color is ext.Color.GREEN and c.mode == "exact" and c.limit == 9
    assert c.buffer == 2 * 1024**2 and c.rate == 1000.0 and c.period == 20_000_000
    assert c.path == str(tmp_path / "data" / "model.onnx"), "relative paths are taken from the graph's folder"


def test_enum_accepts_member_name_or_value(load, ext):
    ctx = load("""
        name: e
        components:
        - {name: a, type: test::Everything, parameters: {color: 2}}
        - {name: b, type: test::Everything, parameters: {color: GREEN}}
        """)
    assert ctx.find_component("e/a").color is ext.Color.GREEN
    assert ctx.find_component("e/b").color is ext.Color.GREEN


def test_absolute_file_path_is_kept(load, tmp_path):
    target = tmp_path / "elsewhere" / "x.bin"
    ctx = load(f"""
        name: e
        components:
        - {{name: a, type: test::Everything, parameters: {{path: {target}}}}}
        """)
    assert ctx.find_component("e/a").path == str(target)


@pytest.mark.parametrize("key, value, message", [
    ("flag", "yes please", "expected boolean"),
    ("count", "three", "expected integer"),
    ("count", 2.5, "expected integer"),
    ("numbers", "1,2", "expected list"),
    ("numbers", "[1, x]", "expected integer"),
    ("table", "[1]", "expected mapping"),
    ("color", "BLUE", "is not one of"),
    ("mode", "slow", "is not one of"),
    ("buffer", "12 bananas", "is not valid"),
    ("rate", "-5Hz", "is not valid"),
    ("period", "soon", "is not valid"),
])
def test_wrong_value_types_name_file_line_and_parameter(load, key, value, message):
    with pytest.raises(ParameterError) as info:
        load(f"""
            name: e
            components:
            - name: all
              type: test::Everything
              parameters:
                {key}: {value}
            """)
    text = str(info.value)
    assert text.startswith(f"{info.value.location.file}:6: ")
    assert f"parameter '{key}" in text and "component 'e/all' (test::Everything)" in text
    assert message in text
    assert "gxf describe test::Everything" in text


def test_unknown_parameter_suggests_the_close_name(context, write):
    with pytest.raises(ParameterError) as info:
        load_graph_file(context, write("graph.yaml", """
            name: e
            components:
            - name: all
              type: test::Everything
              parameters:
                ratoi: 3
            """), unknown_params="error")
    assert info.value.location.line == 6
    assert "unknown parameter 'ratoi'" in str(info.value)
    assert "did you mean 'ratio'" in str(info.value)


def test_missing_required_parameter_is_reported_at_finalize(load, context):
    load("""
        name: e
        components:
        - name: n
          type: test::Needs
        """)
    with pytest.raises(ParameterError) as info:
        context.finalize()
    assert info.value.location.line == 3
    assert "missing required parameter 'value'" in str(info.value)
    assert "component 'e/n' (test::Needs)" in str(info.value)


def test_reading_an_unset_required_parameter_raises(ext):
    with pytest.raises(ParameterError, match="required but was never set"):
        _ = ext.Needs().value


def test_set_params_from_python(ext):
    c = ext.Everything()
    c.set_params(buffer="4KB", period="10Hz", numbers=(1, 2))
    assert (c.buffer, c.period, c.numbers) == (4000, 100_000_000, [1, 2])
    assert c.is_param_set("buffer") and c.param_values()["count"] == 1
    with pytest.raises(ParameterError, match="(?s)has no parameter 'bufer'.*did you mean 'buffer'"):
        c.set_param("bufer", 1)


# --- handles ----------------------------------------------------------------------------------------
HANDLE_GRAPH = """
    name: sinks
    components:
    - name: store
      type: test::Store
    - name: spare
      type: test::Store
    ---
    name: src
    components:
    - name: local
      type: test::Store
    - name: out
      type: test::Source
      parameters:
        target: sinks/store
        extra: [local, sinks/spare]
        by_name: local
    """


def test_handles_resolve_to_components_in_this_or_another_entity(load, context):
    load(HANDLE_GRAPH)
    context.finalize()
    out = context.find_component("src/out")
    assert out.target is context.find_component("sinks/store")
    assert out.extra == [context.find_component("src/local"), context.find_component("sinks/spare")]
    assert out.by_name is context.find_component("src/local")


def test_dangling_handle_names_the_line_and_suggests(load, context):
    load(HANDLE_GRAPH.replace("target: sinks/store", "target: sinks/stor"))
    with pytest.raises(ParameterError) as info:
        context.finalize()
    text = str(info.value)
    assert info.value.location.line == 15
    assert "entity 'sinks' has no component 'stor'" in text and "did you mean 'store'?" in text


def test_handle_to_missing_entity(load, context):
    load(HANDLE_GRAPH.replace("target: sinks/store", "target: sink/store"))
    with pytest.raises(ParameterError, match="(?s)no entity named 'sink'.*did you mean 'sinks'"):
        context.finalize()


def test_handle_to_a_component_of_the_wrong_type(load, context):
    load(HANDLE_GRAPH + """
    - name: not_a_sink
      type: test::Other
    - name: out2
      type: test::Source
      parameters:
        target: not_a_sink
    """)
    with pytest.raises(ParameterError) as info:
        context.finalize()
    text = str(info.value)
    assert "must name a test::Sink" in text and "'src/not_a_sink' is a test::Other" in text
    assert info.value.location.line == 24


def test_handle_typed_by_name_checks_the_type_too(load, context):
    load(HANDLE_GRAPH.replace("by_name: local", "by_name: out"))
    with pytest.raises(ParameterError, match="must name a test::Store"):
        context.finalize()


def test_components_can_be_passed_where_handles_are(context, ext):
    entity = context.create_entity("e")
    store = entity.add("test::Store", "store")
    source = entity.add(ext.Source, "src", target=store)
    context.finalize()
    assert source.target is store


# --- schema -------------------------------------------------------------------------------------------
def test_schema_of_every_parameter_kind(ext):
    schema = component_schema(ext.Everything)
    props = schema["properties"]
    assert schema["title"] == "test::Everything" and schema["additionalProperties"] is False
    assert props["flag"]["type"] == "boolean" and props["flag"]["default"] is False
    assert props["count"]["type"] == "integer" and props["ratio"]["type"] == "number"
    assert props["label"] == {"type": "string", "description": "Some text", "default": "none"}
    assert props["numbers"]["type"] == "array" and props["numbers"]["items"] == {"type": "integer"}
    assert props["table"]["additionalProperties"] == {"type": "number"}
    assert set(props["color"]["enum"]) >= {"RED", "GREEN"} and props["color"]["default"] == "RED"
    assert props["mode"]["enum"] == ["fast", "exact"]
    assert {"type": "null"} in props["limit"]["anyOf"]
    assert any(s.get("pattern") for s in props["buffer"]["anyOf"])
    assert "frequency" in props["rate"]["description"] and "duration" in props["period"]["description"]
    assert "required" not in schema, "every parameter of Everything has a default"


def test_schema_of_handles_and_required(ext):
    schema = component_schema(ext.Source)
    assert schema["required"] == ["target"]
    assert schema["properties"]["target"]["type"] == "string"
    assert "test::Sink" in schema["properties"]["target"]["description"]
    assert schema["properties"]["extra"]["items"]["type"] == "string"
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"target": "a/b", "extra": ["c"]})
    assert not validator.is_valid({"extra": []})


@pytest.mark.parametrize("value, valid", [
    ("32KB", True), (1024, True), ("1GiB", True), ("lots", False), (-3, False),
])
def test_size_schema_accepts_what_the_parser_accepts(ext, value, valid):
    schema = component_schema(ext.Everything)["properties"]["buffer"]
    assert jsonschema.Draft202012Validator(schema).is_valid(value) is valid


def test_parameter_declaration_details():
    class Level(enum.Enum):
        LOW = "low"

    class Thing(Component, type_name="test::Thing", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d99"):
        renamed = Parameter(int, 3, key="graph-key")
        level = Parameter(Level, Level.LOW)
        maybe = Parameter(str, optional=True)

    params = Thing.parameters()
    assert list(params) == ["graph-key", "level", "maybe"]
    assert params["graph-key"].attr == "renamed" and not params["graph-key"].required
    assert params["maybe"].default is REQUIRED and not params["maybe"].required
    thing = Thing()
    thing.set_param("graph-key", 5)
    thing.set_param("level", "low")
    assert thing.renamed == 5 and thing.level is Level.LOW and thing.maybe is None
    with pytest.raises(TypeError, match="unsupported parameter type"):
        Parameter(bytes)
