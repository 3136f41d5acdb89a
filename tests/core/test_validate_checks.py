"""`gxf validate` checks what `gxf run` checks before the first tick: declared ranges and choices,
handle types, every component's preflight(), an empty graph file; every error of every file in one pass."""

import pytest

from gxf.core import Context, GraphErrors, GraphFileError, ParameterError, load_graph_file
from gxf.core.runner import run_graphs, validate_graphs
from gxf.core.schema import component_schema, graph_schema

SCHEDULER = """
    ---
    name: sched
    components:
    - type: test::TestScheduler
    """


def checked(params: str) -> str:
    return f"""
    name: c
    components:
    - name: checked
      type: test::Checked
      parameters: {params}
    """ + SCHEDULER


# --- declared ranges and choices ------------------------------------------------------------------------
WHO = "of component 'c/checked' (test::Checked)"


@pytest.mark.parametrize("params, words", [
    ("{low: -1}", f"parameter 'low' {WHO}: must be at least 0, got -1"),
    ("{high: 101}", f"parameter 'high' {WHO}: must be at most 100, got 101"),
    ("{ratio: 1.5}", f"parameter 'ratio' {WHO}: must be at most 1.0, got 1.5"),
    ("{level: 4}", f"parameter 'level' {WHO}: must be one of 1, 2, 3, got 4"),
    ("{sizes: [3, 0]}", f"parameter 'sizes' {WHO}: item 1: must be at least 1, got 0"),
])
def test_a_value_out_of_its_declared_range_is_refused_alike_by_validate_and_run(registry, write, params,
                                                                                  words, ext):
    path = write("g.yaml", checked(params))
    with pytest.raises(ParameterError) as validated:
        validate_graphs([path], registry=registry)
    with pytest.raises(ParameterError) as ran:
        run_graphs([path], registry=registry)
    for info in (validated, ran):
        assert words in info.value.message
        assert info.value.location.file == str(path) and info.value.location.line == 5
    assert validated.value.message == ran.value.message
    assert ("initialize", "c/checked") not in ext.EVENTS  # refused before anything was initialized


def test_run_names_the_item_of_a_list_out_of_range(registry, write):
    with pytest.raises(ParameterError, match=r"item 1: must be at least 1, got 0"):
        run_graphs([write("g.yaml", checked("{sizes: [3, 0]}"))], registry=registry)


def test_choices_are_named_in_the_error(registry, write):
    with pytest.raises(ParameterError, match="must be one of 1, 2, 3, got 4"):
        run_graphs([write("g.yaml", checked("{level: 4}"))], registry=registry)


def test_values_within_range_load_and_none_passes_an_optional_bounded_parameter(context, write):
    params = "{low: 0, high: 100, ratio: null, level: 3, sizes: [1]}"
    load_graph_file(context, write("g.yaml", checked(params)))
    component = context.find_component("c/checked")
    assert (component.low, component.high, component.ratio, component.level) == (0, 100, None, 3)


def test_ranges_and_choices_appear_in_the_json_schema(ext, registry):
    props = component_schema(ext.Checked)["properties"]
    assert props["low"]["minimum"] == 0 and "maximum" not in props["low"]
    assert (props["high"]["minimum"], props["high"]["maximum"]) == (0, 100)
    ratio = next(part for part in props["ratio"]["anyOf"] if part.get("type") == "number")
    assert (ratio["minimum"], ratio["maximum"]) == (0.0, 1.0)
    assert props["level"]["enum"] == [1, 2, 3]
    assert props["sizes"]["items"]["minimum"] == 1
    whole = graph_schema(registry)
    per_type = whole["properties"]["components"]["items"]["allOf"]
    rule = next(r for r in per_type if r["if"]["properties"]["type"]["const"] == "test::Checked")
    assert rule["then"]["properties"]["parameters"]["properties"]["high"]["maximum"] == 100


def test_std_queue_ranges_appear_in_the_schema():
    from gxf.std import DoubleBufferReceiver

    props = component_schema(DoubleBufferReceiver)["properties"]
    assert props["capacity"]["minimum"] == 1
    assert props["policy"]["enum"] == [0, 1, 2]


def test_a_parameter_cannot_declare_a_minimum_above_its_maximum():
    from gxf.core import Parameter

    with pytest.raises(ValueError, match="minimum 5 is above its maximum 1"):
        Parameter(int, 3, minimum=5, maximum=1)


# --- the preflight hook -----------------------------------------------------------------------------------
def test_validate_calls_every_components_preflight_without_initializing_anything(registry, write, ext):
    path = write("g.yaml", checked("{low: 50, high: 20}"))
    with pytest.raises(ParameterError, match=r"low \(50\) is above high \(20\)") as info:
        validate_graphs([path], registry=registry)
    assert info.value.location.line == 3
    assert ext.EVENTS == [("preflight", "c/checked")]


def test_run_calls_preflight_on_every_component_before_the_first_initialize(registry, write, ext):
    with pytest.raises(ParameterError, match=r"low \(50\) is above high \(20\)"):
        run_graphs([write("g.yaml", checked("{low: 50, high: 20}"))], registry=registry)
    assert ext.EVENTS == [("preflight", "c/checked")]
    ext.EVENTS.clear()
    run_graphs([write("ok.yaml", checked("{low: 5}"))], registry=registry)
    assert ext.EVENTS[:2] == [("preflight", "c/checked"), ("initialize", "c/checked")]


def test_a_python_graph_gets_the_same_preflight_on_activate(registry, ext):
    with Context(registry) as context:
        context.create_entity("c").add(ext.Checked, "checked", low=9, high=3)
        with pytest.raises(ParameterError, match="low"):
            context.activate()
    assert ("initialize", "c/checked") not in ext.EVENTS


# --- every error of every file in one pass ------------------------------------------------------------
FIRST = """
    name: a
    components:
    - name: checked
      type: test::Checked
      parameters:
        low: -3
        level: 9
    - name: src
      type: test::Source
      parameters:
        target: other
    - name: other
      type: test::Other
    - type: test::Nope
    """

SECOND = """
    name: b
    components:
    - name: checked
      type: test::Checked
      parameters: {low: 7, high: 2}
    - name: needs
      type: test::Needs
    """ + SCHEDULER


def test_validate_reports_every_error_of_every_file_in_one_pass(registry, write):
    first, second = write("first.yaml", FIRST), write("second.yaml", SECOND)
    with pytest.raises(GraphErrors) as info:
        validate_graphs([first, second], registry=registry)
    found = [(str(e.location), e.message) for e in info.value.errors]
    text = "\n".join(f"{where}: {message}" for where, message in found)
    assert f"{first}:6: parameter 'low'" in text and "must be at least 0, got -3" in text
    assert f"{first}:7: parameter 'level'" in text
    assert f"{first}:14:" in text and "test::Nope" in text                     # unknown type
    assert f"{first}:11:" in text and "must name a test::Sink" in text          # handle of the wrong type
    assert f"{second}:3:" in text and "low (7) is above high (2)" in text       # preflight
    assert f"{second}:6:" in text and "missing required parameter 'value'" in text
    assert "missing required parameter 'low'" not in text  # a refused value is not reported missing too
    assert len(found) == 6


def test_the_cli_prints_each_error_on_its_own_line_and_exits_1(registry, write):
    from click.testing import CliRunner

    from gxf.core.cli import main

    first, second = write("first.yaml", FIRST), write("second.yaml", SECOND)
    result = CliRunner().invoke(main, ["validate", str(first), str(second)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 6
    assert all(line.startswith((f"error: {first}:", f"error: {second}:")) for line in lines)
    assert result.stderr.rstrip().endswith("(6 errors)")


def test_a_file_that_cannot_be_read_is_reported_with_the_errors_of_the_others(registry, write, tmp_path):
    with pytest.raises(GraphErrors) as info:
        validate_graphs([tmp_path / "missing.yaml", write("g.yaml", checked("{low: -1}"))], registry=registry)
    messages = [e.message for e in info.value.errors]
    assert messages[0] == "graph file not found" and "must be at least 0" in messages[1]
    assert len(messages) == 2  # the graph, incomplete, is not checked further


def test_a_single_error_keeps_its_own_type(registry, write):
    with pytest.raises(ParameterError) as info:
        validate_graphs([write("g.yaml", checked("{high: 1000}"))], registry=registry)
    assert not isinstance(info.value, GraphErrors)


# --- an empty graph file -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n", "%YAML 1.2\n---\n"])
def test_an_empty_graph_file_is_an_error_for_validate_and_run(registry, write, text):
    path = write("empty.yaml", text)
    for command in (validate_graphs, run_graphs):
        with pytest.raises(GraphFileError, match="the graph file is empty") as info:
            command([path], registry=registry)
        assert info.value.location.file == str(path)


def test_an_empty_subgraph_file_is_an_error_naming_the_subgraph(context, write):
    write("empty.yaml", "# nothing here\n")
    with pytest.raises(GraphFileError, match="cannot load subgraph 'empty.yaml': .*the graph file is empty"):
        load_graph_file(context, write("g.yaml", """
            name: s
            components:
            - type: nvidia::gxf::Subgraph
              parameters: {location: empty.yaml}
            """))


# --- quoted scalars nested in lists and mappings -----------------------------------------------------
NESTED = """
    name: e
    components:
    - name: all
      type: test::Everything
      parameters:
        numbers: ['1', 2, '0x10']
        table: {a: '0.5', b: 2}
    """ + SCHEDULER


def test_quoted_scalars_nested_in_lists_and_mappings_are_read_alike_by_validate_and_run(registry, write):
    path = write("g.yaml", NESTED)
    validated = validate_graphs([path], registry=registry).find_component("e/all")
    ran = run_graphs([path], registry=registry).find_component("e/all")
    for component in (validated, ran):
        assert component.numbers == [1, 2, 16]
        assert component.table == {"a": 0.5, "b": 2.0}


def test_a_nested_quoted_word_that_is_no_number_is_refused_by_both(registry, write):
    path = write("g.yaml", NESTED.replace("'0x10'", "'ten'"))
    for command in (validate_graphs, run_graphs):
        with pytest.raises(ParameterError, match="numbers") as info:
            command([path], registry=registry)
        assert info.value.location.line == 6
