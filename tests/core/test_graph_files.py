"""Graph files: entities and components, and the errors a malformed graph gives (with file:line)."""

import pytest

from gxf.core import GraphFileError, GxfError, UnknownComponentTypeError, load_graph_file


def test_entities_and_components_are_created_in_file_order(load, context):
    load("""
        %YAML 1.2
        ---
        name: first
        components:
        - name: a
          type: test::Store
          parameters: {capacity: 8}
        - type: test::Store
        ---
        components:
        - name: nameless_entity_member
          type: test::Other
        ---
        name: second
        components: []
        """)
    assert [e.name for e in context.entities] == ["first", "", "second"]
    first = context.entity("first")
    assert [c.name for c in first] == ["a", ""]
    assert first["a"].capacity == 8 and first.components[1].capacity == 4
    assert first["a"].location.line == 5
    assert context.find_component("first/a") is first["a"]
    assert context.component(first["a"].cid) is first["a"]


def test_unknown_component_type_suggests_close_names(load):
    with pytest.raises(UnknownComponentTypeError) as info:
        load("""
            name: e
            components:
            - name: s
              type: test::Stor
            """)
    assert info.value.location.line == 4
    assert "unknown component type 'test::Stor'" in str(info.value)
    assert "did you mean 'test::Store'" in str(info.value)


def test_unknown_gxf_type_names_the_distribution_to_install(bare_registry):
    assert "pip install gxf-std" in str(bare_registry.unknown_type("nvidia::gxf::GreedyScheduler"))
    assert "pip install gxf-cuda" in str(bare_registry.unknown_type("nvidia::gxf::CudaStreamPool"))
    assert "gxf list" in str(bare_registry.unknown_type("acme::Widget"))


def test_abstract_type_is_refused(load):
    with pytest.raises(GraphFileError) as info:
        load("""
            name: e
            components:
            - type: test::Sink
            """)
    assert info.value.location.line == 3
    assert "'test::Sink' is an abstract base type" in str(info.value)
    assert "gxf describe test::Sink" in str(info.value)


def test_documents_of_one_entity_name_make_one_entity(load):
    context = load("""
        name: twice
        components:
        - type: test::Store
        ---
        name: twice
        components:
        - type: test::Store
        """)
    assert [e.name for e in context.entities] == ["twice"]
    assert [c.type_name() for c in context.find_entity("twice").components] == ["test::Store"] * 2


def test_duplicate_component_name(load):
    with pytest.raises(GraphFileError) as info:
        load("""
            name: e
            components:
            - name: s
              type: test::Store
            - name: s
              type: test::Store
            """)
    assert info.value.location.line == 5
    assert "already has a component named 's'" in str(info.value)


@pytest.mark.parametrize("text, line, message", [
    ("name: e\ncomponent:\n- type: test::Store\n", 2, "unknown key 'component' in a graph document"),
    ("name: e\ncomponents:\n- type: test::Store\n  params: {}\n", 4, "unknown key 'params' in a component"),
    ("name: e\ncomponents:\n- type: test::Store\n  parameters: [1]\n", 4, "'parameters' must be a mapping"),
    ("name: e\ncomponents: {a: 1}\n", 2, "'components' must be a list"),
    ("name: e\ncomponents:\n- parameters: {capacity: 1}\n", 3, "a component needs a 'type'"),
    ("name: e\ncomponents:\n- just a string\n", 3, "a component must be a mapping"),
    ("- a\n- b\n", 1, "not a graph file: document 1 is a list, not a mapping"),
    ("name: [x]\ncomponents: []\n", 1, "entity name must be a string"),
])
def test_malformed_graphs_are_explained(load, text, line, message):
    with pytest.raises(GraphFileError) as info:
        load(text)
    assert info.value.location.line == line
    assert message in str(info.value)


def test_unknown_document_key_suggests(load):
    with pytest.raises(GraphFileError, match="did you mean 'components'"):
        load("name: e\ncomponent:\n- type: test::Store\n")


def test_yaml_syntax_error_has_file_and_line(load, tmp_path):
    with pytest.raises(GraphFileError) as info:
        load("name: e\ncomponents:\n- type: test::Store\n  parameters:\n    capacity: [1\n")
    assert info.value.location.file == str(tmp_path / "graph.yaml")
    assert info.value.location.line >= 5
    assert str(info.value).startswith(f"{tmp_path / 'graph.yaml'}:")


def test_missing_graph_file(context, tmp_path):
    with pytest.raises(GraphFileError, match="graph file not found"):
        load_graph_file(context, tmp_path / "missing.yaml")


def test_a_loaded_graph_cannot_change_after_activation(load, context):
    load("name: s\ncomponents:\n- type: test::TestScheduler\n")
    context.run()
    with pytest.raises(GxfError, match="can no longer be changed"):
        context.create_entity("late")


# --- parameter files and overrides ---------------------------------------------------------------
BASE = """
    name: e
    components:
    - name: store
      type: test::Store
    - name: src
      type: test::Source
      parameters:
        target: store
    """


def test_a_parameter_file_sets_parameters_and_adds_entities(context, write):
    load_graph_file(context, write("base.yaml", BASE))
    load_graph_file(context, write("params.yaml", """
        name: e
        components:
        - name: store
          parameters:
            capacity: 32
        ---
        name: extra
        components:
        - name: other
          type: test::Store
        """))
    context.finalize()
    assert context.find_component("e/store").capacity == 32
    assert context.find_component("extra/other").capacity == 4
    assert [p.rsplit("/", 1)[-1] for p in context.graph_files] == ["base.yaml", "params.yaml"]


def test_a_parameter_file_cannot_name_a_missing_component(context, write):
    load_graph_file(context, write("base.yaml", BASE))
    with pytest.raises(GraphFileError) as info:
        load_graph_file(context, write("params.yaml",
                                      "name: e\ncomponents:\n- name: stor\n  parameters: {}\n"))
    assert "entity 'e' has no component 'stor'" in str(info.value)
    assert info.value.location.file.endswith("params.yaml") and info.value.location.line == 3


def test_param_overrides_win_over_the_files(context, write):
    load_graph_file(context, write("base.yaml", BASE.replace("type: test::Store", "type: test::Store\n"
                                                            "      parameters: {capacity: 2}")),
                            overrides=["e/store/capacity=64"])
    assert context.find_component("e/store").capacity == 64


def test_param_override_values_are_read_as_yaml_and_validated(context, write):
    with pytest.raises(GxfError, match="parameter 'capacity' of component 'e/store'"):
        load_graph_file(context, write("base.yaml", BASE), overrides=["e/store/capacity=lots"])


def test_malformed_param_override(context, write):
    with pytest.raises(GraphFileError, match="not of the form entity/component/key=value"):
        load_graph_file(context, write("base.yaml", BASE), overrides=["e/store=3"])


# --- start order and entity groups ---------------------------------------------------------------
def test_start_order_puts_named_entities_first(load, context, ext):
    load("""
        name: a
        components:
        - type: test::Recorder
        ---
        name: b
        components:
        - type: test::Recorder
        ---
        name: c
        components:
        - type: test::Recorder
        ---
        start_order: [c, b]
        ---
        name: sched
        components:
        - type: test::TestScheduler
        """)
    assert [e.name for e in context.entities] == ["c", "b", "a", "sched"]
    context.run()
    assert [w for what, w in ext.EVENTS if what == "initialize"] == ["c/", "b/", "a/"]


def test_start_order_naming_an_unknown_entity(load):
    with pytest.raises(GraphFileError, match="'start_order' names entity 'zz'"):
        load("name: a\ncomponents: []\n---\nstart_order: [zz]\n")


def test_entity_groups(load, context):
    load("""
        name: a
        components: []
        ---
        name: b
        components: []
        ---
        EntityGroups:
        - name: gpu_group
          target: [a, b]
        """)
    assert context.entity_groups == {"gpu_group": [context.entity("a"), context.entity("b")]}


def test_entity_group_naming_an_unknown_entity(load):
    with pytest.raises(GraphFileError) as info:
        load("name: a\ncomponents: []\n---\nEntityGroups:\n- name: g\n  target: [a, nope]\n")
    assert "names unknown entity 'nope'" in str(info.value) and info.value.location.line == 5
