"""Subgraphs as GXF's loader takes them: a parent sets parameters through the subgraph's interface names,
a Subgraph's location may come from a later parameter file, and a handle inside a subgraph that names
no entity of it falls back to the un-prefixed entity (as GXF's parameter parser does)."""

import logging

import pytest

from gxf.core import GraphFileError, load_graph_file
from gxf.core.runner import validate_graphs

PART = """
    interfaces:
    - name: buffer
      target: inner/store
    ---
    name: inner
    components:
    - name: store
      type: test::Store
      parameters: {capacity: 1000}
    """

SCHEDULER = """
    ---
    name: sched
    components:
    - type: test::TestScheduler
    """


def test_a_parent_sets_parameters_through_the_subgraphs_interface_names(context, write):
    write("part.yaml", PART)
    load_graph_file(context, write("main.yaml", """
        name: sub
        components:
        - name: graph
          type: nvidia::gxf::Subgraph
          parameters: {location: part.yaml}
        - name: buffer
          parameters: {capacity: 2}
        """))
    context.finalize()
    assert context.find_component("sub.inner/store").capacity == 2


def test_a_parameter_file_sets_parameters_through_interface_names(context, write):
    write("part.yaml", PART)
    load_graph_file(context, write("main.yaml", """
        name: sub
        components:
        - name: graph
          type: nvidia::gxf::Subgraph
          parameters: {location: part.yaml}
        """))
    load_graph_file(context, write("params.yaml", """
        name: sub
        components:
        - name: buffer
          parameters: {capacity: 5}
        """))
    assert context.find_component("sub.inner/store").capacity == 5


def test_an_interface_name_the_subgraph_does_not_export_is_an_error_naming_the_line(context, write):
    write("part.yaml", PART)
    with pytest.raises(GraphFileError, match="entity 'sub' has no component 'bufer'") as info:
        load_graph_file(context, write("main.yaml", """
            name: sub
            components:
            - name: graph
              type: nvidia::gxf::Subgraph
              parameters: {location: part.yaml}
            - name: bufer
              parameters: {capacity: 2}
            """))
    assert info.value.location.line == 6


SPLIT_MAIN = """
    name: main
    components:
    - name: sink
      type: test::Store
    ---
    name: sub
    components:
    - name: graph
      type: nvidia::gxf::Subgraph
    """ + SCHEDULER

SPLIT_PARAMS = """
    name: sub
    components:
    - name: graph
      parameters:
        location: part.yaml
    - name: buffer
      parameters: {capacity: 3}
    ---
    name: user
    components:
    - type: test::Source
      parameters: {target: sub/buffer}
    """


def test_a_later_parameter_file_gives_a_subgraphs_location(context, write):
    write("part.yaml", PART)
    load_graph_file(context, write("main.yaml", SPLIT_MAIN))
    assert context.find_entity("sub.inner") is None  # not loaded yet: no location
    load_graph_file(context, write("params.yaml", SPLIT_PARAMS))
    context.finalize()
    store = context.find_component("sub.inner/store")
    assert store.capacity == 3
    assert context.find_entity("user").components[0].target is store  # sub/buffer: the interface


def test_gxf_validate_accepts_a_subgraph_located_by_a_later_file(registry, write):
    write("part.yaml", PART)
    context = validate_graphs([write("main.yaml", SPLIT_MAIN), write("params.yaml", SPLIT_PARAMS)],
                              registry=registry)
    assert context.find_component("sub.inner/store").capacity == 3


def test_a_subgraph_is_loaded_once_a_second_location_is_ignored_with_a_warning(context, write, caplog):
    write("part.yaml", PART)
    write("other.yaml", PART.replace("inner", "other"))
    load_graph_file(context, write("main.yaml", """
        name: sub
        components:
        - name: graph
          type: nvidia::gxf::Subgraph
          parameters: {location: part.yaml}
        """))
    with caplog.at_level(logging.WARNING, logger="gxf"):
        load_graph_file(context, write("params.yaml", """
            name: sub
            components:
            - name: graph
              parameters: {location: other.yaml}
            """))
    assert context.find_entity("sub.other") is None
    assert "is loaded already; its new location is ignored" in caplog.text


def test_a_handle_in_a_subgraph_falls_back_to_the_unprefixed_entity_with_a_warning(context, write, caplog):
    write("part.yaml", """
        name: inner
        components:
        - type: test::Source
          parameters: {target: main/sink}
        """)
    load_graph_file(context, write("main.yaml", """
        name: main
        components:
        - name: sink
          type: test::Store
        ---
        name: sub
        components:
        - type: nvidia::gxf::Subgraph
          parameters: {location: part.yaml}
        """))
    with caplog.at_level(logging.WARNING, logger="gxf"):
        context.finalize()
    source = context.find_entity("sub.inner").components[0]
    assert source.target is context.find_component("main/sink")
    assert "names no entity of the subgraph ('sub.main'); the graph's entity 'main' is used" in caplog.text


def test_a_handle_in_a_subgraph_prefers_the_subgraphs_own_entity(context, write):
    write("part.yaml", """
        name: main
        components:
        - name: sink
          type: test::Store
        ---
        name: inner
        components:
        - type: test::Source
          parameters: {target: main/sink}
        """)
    load_graph_file(context, write("main.yaml", """
        name: main
        components:
        - name: sink
          type: test::Store
        ---
        name: sub
        components:
        - type: nvidia::gxf::Subgraph
          parameters: {location: part.yaml}
        """))
    context.finalize()
    source = context.find_entity("sub.inner").components[0]
    assert source.target is context.find_component("sub.main/sink")
