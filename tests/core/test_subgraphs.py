"""Subgraphs: entities named 'parent.child', interfaces, prerequisites, override_params, nesting."""

import pytest

from gxf.core import GraphFileError, GxfError, ParameterError, load_graph_file

INNER = """
    prerequisites:
    - upstream
    ---
    interfaces:
    - name: input
      target: inner/store
    - name: deep_store
      target: deep/leaf_store
    ---
    name: inner
    components:
    - name: store
      type: test::Store
    - name: src
      type: test::Source
      parameters:
        target: prerequisites/upstream
    ---
    name: deep
    components:
    - name: nested
      type: nvidia::gxf::Subgraph
      parameters:
        location: leaf.yaml
    """

LEAF = """
    interfaces:
    - name: leaf_store
      target: box/store
    ---
    name: box
    components:
    - name: store
      type: test::Store
      parameters: {capacity: 1}
    """

PARENT = """
    name: main
    components:
    - name: sink
      type: test::Store
    ---
    name: sub
    components:
    - name: graph
      type: nvidia::gxf::Subgraph
      parameters:
        location: parts/inner.yaml
        prerequisites:
          upstream: main/sink
        override_params:
          input:
            capacity: 9
    ---
    name: user
    components:
    - name: a
      type: test::Source
      parameters:
        target: sub/input
    - name: b
      type: test::Source
      parameters:
        target: sub.deep/leaf_store
        extra: [sub/deep_store]
    """


@pytest.fixture
def loaded(context, write):
    write("parts/inner.yaml", INNER)
    write("parts/leaf.yaml", LEAF)
    load_graph_file(context, write("parent.yaml", PARENT))
    context.finalize()
    return context


def test_subgraph_entities_are_prefixed_with_the_parent_entity(loaded):
    names = [e.name for e in loaded.entities]
    assert {"main", "sub", "user", "sub.inner", "sub.deep", "sub.deep.box"} <= set(names)


def test_interfaces_are_addressable_as_parent_slash_name(loaded):
    store = loaded.find_component("sub.inner/store")
    assert loaded.find_component("user/a").target is store
    assert loaded.find_component("sub/input") is store


def test_prerequisites_hand_parent_components_to_the_subgraph(loaded):
    assert loaded.find_component("sub.inner/src").target is loaded.find_component("main/sink")


def test_override_params_set_interface_component_parameters(loaded):
    assert loaded.find_component("sub.inner/store").capacity == 9


def test_nested_subgraphs_and_re_exported_interfaces(loaded):
    leaf = loaded.find_component("sub.deep.box/store")
    user_b = loaded.find_component("user/b")
    assert user_b.target is leaf and user_b.extra == [leaf]


def test_missing_prerequisite_is_an_error(context, write):
    write("parts/inner.yaml", INNER)
    write("parts/leaf.yaml", LEAF)
    with pytest.raises(GraphFileError, match="subgraph prerequisite 'upstream' is not provided"):
        load_graph_file(context, write("parent.yaml",
                                      PARENT.replace("upstream: main/sink", "other: main/sink")))


def test_override_of_an_unknown_interface(context, write):
    write("parts/inner.yaml", INNER)
    write("parts/leaf.yaml", LEAF)
    with pytest.raises(GxfError, match="override_params names 'inptu'"):
        load_graph_file(context, write("parent.yaml", PARENT.replace("input:\n", "inptu:\n")))


def test_missing_subgraph_file(context, write):
    with pytest.raises(GraphFileError) as info:
        load_graph_file(context, write("parent.yaml", PARENT))
    assert "cannot load subgraph 'parts/inner.yaml'" in str(info.value)
    assert info.value.location.file.endswith("parent.yaml")


def test_subgraph_location_is_required(context, write):
    # A later parameter file may still give the location: it is missing only once every file is read.
    load_graph_file(context, write("g.yaml", "name: s\ncomponents:\n- type: nvidia::gxf::Subgraph\n"))
    with pytest.raises(ParameterError, match="component 's/'.* is missing required parameter 'location'") \
            as info:
        context.finalize()
    assert info.value.location.line == 3
