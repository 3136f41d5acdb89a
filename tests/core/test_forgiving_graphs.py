"""Graph-file leniencies the GXF loader has: what it accepts with a warning (or quietly) is accepted here."""

import logging

import pytest
from click.testing import CliRunner

from gxf.core import ParameterError
from gxf.core.cli import main
from gxf.core.loader import load_graph_file, load_graph_text
from gxf.core.yaml_source import load_file

UNKNOWN_PARAM_GRAPH = """
    name: work
    components:
    - name: store
      type: test::Store
      parameters:
        capacty: 3
    - name: rec
      type: test::Recorder
    ---
    name: sched
    components:
    - name: s
      type: test::TestScheduler
    """


@pytest.fixture
def gxf(registry):
    """gxf(*args) -> click Result, with the test extension installed."""
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args])

    return invoke


# --- parameters the component does not declare ----------------------------------------------------
def test_an_unknown_parameter_is_a_warning_with_its_line_and_the_close_name(load, caplog):
    with caplog.at_level(logging.WARNING, logger="gxf"):
        context = load(UNKNOWN_PARAM_GRAPH)
    store = context.find_entity("work").components[0]
    assert store.capacity == 4  # the default: the misspelt key set nothing
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "graph.yaml:6: Using unregistered parameter 'capacty' of component 'work/store'" in warnings[0]
    assert "did you mean 'capacity'" in warnings[0]


def test_known_parameters_beside_an_unknown_one_are_still_set(load):
    context = load("""
        name: e
        components:
        - name: all
          type: test::Everything
          parameters:
            count: 7
            colour: red
        """)
    assert context.find_entity("e").components[0].count == 7


def test_unknown_parameters_can_be_made_errors(context, write):
    with pytest.raises(ParameterError) as info:
        load_graph_file(context, write("g.yaml", UNKNOWN_PARAM_GRAPH), unknown_params="error")
    assert info.value.location.line == 6 and "did you mean 'capacity'" in str(info.value)
    with pytest.raises(ValueError, match="unknown_params"):
        load_graph_text(context, "name: x", unknown_params="ignore")


def test_gxf_run_warns_of_an_unknown_parameter_and_runs(gxf, write, ext):
    path = write("graph.yaml", UNKNOWN_PARAM_GRAPH)
    result = gxf("run", path)
    assert result.exit_code == 0, result.output
    assert f"{path}:6: Using unregistered parameter 'capacty'" in result.stderr
    assert "did you mean 'capacity'" in result.stderr
    assert ("run", "sched/s") in ext.EVENTS


def test_gxf_validate_reports_an_unknown_parameter_unless_lenient(gxf, write, ext):
    path = write("graph.yaml", UNKNOWN_PARAM_GRAPH)
    result = gxf("validate", path)
    assert result.exit_code == 1
    assert f"error: {path}:6: unknown parameter 'capacty'" in result.stderr
    assert "did you mean 'capacity'" in result.stderr
    result = gxf("validate", "--lenient", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 2 entities, 3 components")
    assert f"{path}:6: Using unregistered parameter 'capacty'" in result.stderr


# --- quoted scalars -------------------------------------------------------------------------------
QUOTED_GRAPH = """
    name: e
    components:
    - name: all
      type: test::Everything
      parameters:
        flag: {flag}
        count: {count}
        ratio: {ratio}
    """


@pytest.mark.parametrize(("flag", "count", "ratio", "expected"), [
    ("'True'", "'1'", "'0.0'", (True, 1, 0.0)),
    ("'TRUE'", "'-12'", "'2'", (True, -12, 2.0)),
    ("'false'", "'0x1F'", "'1e3'", (False, 31, 1000.0)),
    ("'False'", '"+3"', "'-.inf'", (False, 3, float("-inf"))),
    ("'FALSE'", "'0'", "'.5'", (False, 0, 0.5)),
])
def test_quoted_scalars_are_read_as_bool_int_float(load, flag, count, ratio, expected):
    context = load(QUOTED_GRAPH.format(flag=flag, count=count, ratio=ratio))
    all_ = context.find_entity("e").components[0]
    assert (all_.flag, all_.count, all_.ratio) == expected
    assert type(all_.count) is int and type(all_.ratio) is float


@pytest.mark.parametrize(("flag", "count", "ratio", "bad"), [
    ("'tRUE'", "1", "0.5", "flag"),
    ("'maybe'", "1", "0.5", "flag"),
    ("true", "'1.5'", "0.5", "count"),
    ("true", "'one'", "0.5", "count"),
    ("true", "1", "'half'", "ratio"),
])
def test_other_quoted_text_is_still_refused(load, flag, count, ratio, bad):
    with pytest.raises(ParameterError, match=f"parameter '{bad}'"):
        load(QUOTED_GRAPH.format(flag=flag, count=count, ratio=ratio))


def test_gxf_validate_accepts_quoted_scalars(gxf, write):
    path = write("g.yaml", QUOTED_GRAPH.format(flag="'True'", count="'2'", ratio="'0.25'"))
    result = gxf("validate", path)
    assert result.exit_code == 0, result.output
    path = write("h.yaml", QUOTED_GRAPH.format(flag="'nope'", count="'2'", ratio="'0.25'"))
    result = gxf("validate", path)
    assert result.exit_code == 1 and f"{path}:6" in result.stderr and "'flag'" in result.stderr


# --- keys tools add to a document -----------------------------------------------------------------
def test_other_document_keys_are_ignored_at_debug_level(load, caplog):
    with caplog.at_level(logging.DEBUG, logger="gxf"):
        context = load("""
            name: e
            components:
            - name: s
              type: test::Store
            ui_property:
              position: {x: 10.5, y: 20}
              state: 0
            """)
    assert [c.name for c in context.find_entity("e").components] == ["s"]
    notes = [r for r in caplog.records if "ui_property" in r.getMessage()]
    assert len(notes) == 1 and notes[0].levelno == logging.DEBUG
    assert "graph.yaml:5:" in notes[0].getMessage()


def test_a_near_miss_of_a_document_key_is_still_an_error(load):
    from gxf.core import GraphFileError

    with pytest.raises(GraphFileError, match="(?s)unknown key 'component'.*did you mean 'components'"):
        load("name: e\ncomponent:\n- type: test::Store\n")


# --- the <Unspecified> handle placeholder ---------------------------------------------------------
def test_an_unspecified_optional_handle_stays_none(load):
    context = load("""
        name: e
        components:
        - name: store
          type: test::Store
        - name: src
          type: test::Source
          parameters:
            target: store
            by_name: <Unspecified>
        """)
    context.finalize()
    src = context.find_entity("e").components[1]
    assert src.by_name is None
    assert src.target is context.find_entity("e").components[0]


def test_an_unspecified_required_handle_is_reported_missing(load, context):
    load("""
        name: e
        components:
        - name: src
          type: test::Source
          parameters:
            target: <Unspecified>
        """)
    with pytest.raises(ParameterError, match="missing required parameter 'target'") as info:
        context.finalize()
    assert info.value.location.line == 3


def test_gxf_validate_takes_unspecified_as_unset(gxf, write):
    path = write("g.yaml", "name: e\ncomponents:\n- name: s\n  type: test::Store\n- name: src\n"
                           "  type: test::Source\n  parameters:\n    target: s\n    by_name: <Unspecified>\n")
    result = gxf("validate", path)
    assert result.exit_code == 0, result.output


def test_unspecified_is_only_a_placeholder_for_handles(load):
    context = load("""
        name: e
        components:
        - name: all
          type: test::Everything
          parameters:
            label: <Unspecified>
        """)
    assert context.find_entity("e").components[0].label == "<Unspecified>"


# --- a %YAML directive without '---' --------------------------------------------------------------
def test_a_yaml_directive_without_a_document_marker_is_accepted(load):
    context = load("""
        %YAML 1.2
        # an entity
        name: e
        components:
        - name: s
          type: test::Store
          parameters:
            capacity: 2
        """)
    store = context.find_entity("e").components[0]
    assert store.capacity == 2
    assert store.location.line == 5  # lines keep their numbers


def test_directives_before_later_documents_and_tags_are_kept(write):
    path = write("g.yaml", """
        %YAML 1.2
        %TAG !e! tag:example.com,2024:
        name: a
        ...
        %YAML 1.2
        name: b
        ---
        name: c
        """)
    documents = load_file(path)
    assert [(d["name"], d.location.line) for d in documents] == [("a", 3), ("b", 6), ("c", 8)]


def test_a_directive_with_its_marker_is_left_alone(write):
    path = write("g.yaml", "%YAML 1.2\n---\nname: a\n")
    assert [(d["name"], d.location.line) for d in load_file(path)] == [("a", 3)]


def test_a_bad_yaml_version_is_still_refused(write):
    from gxf.core import GraphFileError

    with pytest.raises(GraphFileError, match="invalid YAML"):
        load_file(write("g.yaml", "%YAML 2.0\n---\nname: a\n"))


def test_an_unregistered_parameter_is_kept_for_get_param_with_its_yaml_type(load, caplog):
    # GXF keeps such a value, and its getters read it: int, float, bool, string, a tagged int
    with caplog.at_level(logging.WARNING, logger="gxf"):
        context = load("""
            name: e
            components:
            - name: s
              type: test::Store
              parameters:
                capacity: 3
                test_bool: true
                test_int: 22
                test_float: 24.5
                test_string: string
                test_ms: !ms 2
                test_list: [1, {a: 2}]
            """)
    store = context.find_entity("e").components[0]
    assert store.capacity == 3
    assert store.unregistered_params() == {"test_bool": True, "test_int": 22, "test_float": 24.5,
                                           "test_string": "string", "test_ms": 2,
                                           "test_list": [1, {"a": 2}]}
    assert store.get_param("test_ms") == 2 and type(store.get_param("test_list")) is list
    assert "kept unchecked" in caplog.text
    with pytest.raises(ParameterError, match="has no parameter 'capacty'") as info:
        store.get_param("capacty")
    assert "capacity" in info.value.hint


# --- tags GXF does not interpret ------------------------------------------------------------------
def test_an_unknown_tag_is_ignored_and_the_value_read_as_written(load, caplog):
    with caplog.at_level(logging.DEBUG, logger="gxf"):
        context = load("""
            name: e
            components:
            - name: all
              type: test::Everything
              parameters:
                count: !ms 2
                ratio: !weight 0.25
                label: !note '7'
                numbers: !list [1, 2]
                table: !pairs {x: 1.5}
            """)
    everything = context.find_entity("e").components[0]
    assert (everything.count, everything.ratio, everything.label) == (2, 0.25, "7")
    assert everything.get_param("numbers") == [1, 2]
    assert everything.get_param("table") == {"x": 1.5}
    assert "graph.yaml:6: YAML tag !ms ignored" in caplog.text


def test_a_tagged_list_keeps_its_lines_and_an_unregistered_tagged_parameter_only_warns(load, caplog):
    with caplog.at_level(logging.WARNING, logger="gxf"):
        context = load("""
            name: e
            components:
            - name: s
              type: test::Store
              parameters:
                capacity: 3
                spacing: !ms 2
            """)
    assert context.find_entity("e").components[0].capacity == 3
    assert "graph.yaml:7: Using unregistered parameter 'spacing'" in caplog.text


def test_gxf_run_and_validate_lenient_accept_a_tagged_unregistered_parameter(gxf, write):
    path = write("graph.yaml", UNKNOWN_PARAM_GRAPH.replace("capacty: 3", "delay: !ms 2"))
    assert gxf("run", path).exit_code == 0
    assert gxf("validate", "--lenient", path).exit_code == 0
    strict = gxf("validate", path)
    assert strict.exit_code == 1 and "unknown parameter 'delay'" in strict.stderr
    assert "constructor" not in strict.stderr


# --- one entity in several documents --------------------------------------------------------------
def test_a_later_document_adds_components_and_sets_parameters(load):
    context = load("""
        name: e
        components:
        - name: s
          type: test::Store
        ---
        name: other
        components: []
        ---
        name: e
        components:
        - name: s
          parameters:
            capacity: 9
        - name: src
          type: test::Source
          parameters:
            target: s
        """)
    assert [e.name for e in context.entities] == ["e", "other"]
    store, src = context.find_entity("e").components
    context.finalize()
    assert store.capacity == 9 and src.target is store
    assert src.location.line == 14


def test_a_component_name_given_twice_across_documents_names_both_lines(load):
    from gxf.core import GraphFileError

    with pytest.raises(GraphFileError) as info:
        load("""
            name: e
            components:
            - name: s
              type: test::Store
            ---
            name: e
            components:
            - name: s
              type: test::Store
            """)
    assert info.value.location.line == 8
    assert "already has a component named 's'" in str(info.value)
    assert "graph.yaml:3)" in str(info.value)


def test_start_order_takes_every_document_of_an_entity(load):
    context = load("""
        name: a
        components: []
        ---
        name: b
        components:
        - name: s
          type: test::Store
        ---
        name: b
        components:
        - name: t
          type: test::Store
        ---
        start_order: [b, a]
        """)
    assert [e.name for e in context.entities] == ["b", "a"]
    assert [c.name for c in context.find_entity("b").components] == ["s", "t"]


def test_the_graph_schema_allows_ui_property(registry):
    import jsonschema

    from gxf.core.schema import graph_schema

    document = {"name": "e", "components": [], "ui_property": {"position": {"x": 1, "y": 2}}}
    jsonschema.validate(document, graph_schema(registry))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "e", "component": []}, graph_schema(registry))


def test_an_unknown_parameter_given_with_param_is_still_an_error(gxf, write):
    path = write("graph.yaml", UNKNOWN_PARAM_GRAPH)
    result = gxf("run", path, "--param", "work/rec/fail_on_initialise=true")
    assert result.exit_code == 1
    assert "--param work/rec/fail_on_initialise: component 'work/rec' (test::Recorder) has no " \
           "parameter 'fail_on_initialise'" in result.stderr
    assert "did you mean 'fail_on_initialize'" in result.stderr
