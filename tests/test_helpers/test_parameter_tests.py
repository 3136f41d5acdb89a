"""The parameter-test components: how parameters of every supported type load, and what each checks."""

import textwrap

import pytest

from gxf.core import Context, ExecutionError, GxfError, ParameterError, load_graph_text
from gxf.test_helpers.parameter_tests import (EXPECTED_MORE, YAML_NODE_PARAMETERS,
                                              TestGxfParameterSetFromYamlNode as YamlNodeTest)


def load(text: str) -> Context:
    context = Context()
    load_graph_text(context, textwrap.dedent(text))
    return context


def activate(text: str) -> Context:
    context = load(text)
    try:
        context.activate()
    finally:
        context.deactivate()
    return context


LOAD = """
    name: e
    components:
    - name: test
      type: nvidia::gxf::test::LoadParameterFromYamlTest
      parameters:
        fact: true
        rumor: false
        forty_two: 42
        minus_one: -1
        some_text: hello
        more:
          - a: st
            b: ee
          - c: an
            d: en
          - e:
            - f: figy
              g: g
    """


def test_load_parameter_from_yaml_keeps_a_yaml_node_as_text():
    context = activate(LOAD)
    assert context.find_component("e/test").more == EXPECTED_MORE


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("forty_two: 42", "forty_two: 41", "forty_two is 41, expected 42"),
    ("some_text: hello", "some_text: bye", "some_text is 'bye', expected 'hello'"),
    ("          - c: an\n", "          - c: on\n", "more is"),
])
def test_load_parameter_from_yaml_names_a_wrong_value(old, new, problem):
    with pytest.raises(ExecutionError) as info:
        activate(LOAD.replace(old, new))
    assert "component 'e/test' (nvidia::gxf::test::LoadParameterFromYamlTest) failed in initialize()" \
        in str(info.value)
    assert problem in str(info.value)


def test_load_parameter_from_yaml_refuses_a_wrong_type_at_load():
    with pytest.raises(ParameterError, match="forty_two"):
        load(LOAD.replace("forty_two: 42", "forty_two: 4.5"))
    with pytest.raises(ParameterError, match="minus_one"):
        load(LOAD.replace("minus_one: -1", "minus_one: 2147483648"))


REGISTER = """
    name: e
    components:
    - name: test
      type: nvidia::gxf::test::RegisterParameterInterfaceTest
      parameters:
        mandatory_no_default: 1
        mandatory_with_default: 2
        optional_no_default: 3
        optional_with_default: 4
        custom_parameter: [text]
    """


def test_register_parameter_interface_defaults_and_optionals():
    context = activate(REGISTER)
    test = context.find_component("e/test")
    assert (test.std_string_text, test.bool_default, test.double_default) == \
        ("Default value of std::string text", True, 12345.6789)
    params = type(test).parameters()
    assert params["mandatory_no_default"].required and not params["mandatory_with_default"].required
    assert params["optional_no_default"].optional and params["optional_with_default"].default == 5
    with pytest.raises(ParameterError, match="missing required parameter 'mandatory_no_default'"):
        activate(REGISTER.replace("        mandatory_no_default: 1\n", ""))
    with pytest.raises(ExecutionError, match="optional_no_default is None, expected 3"):
        activate(REGISTER.replace("        optional_no_default: 3\n", ""))


STD = """
    name: e
    components:
    - name: pool
      type: nvidia::gxf::UnboundedAllocator
    - name: other
      type: nvidia::gxf::UnboundedAllocator
    - name: test
      type: nvidia::gxf::test::StdParameterTest
      parameters:
        integers: [2, 3, 5, 7, 11]
        my_unsigned_int8: [133, 100, 1, 3]
        strings: ["Hello", "world,", "GXF"]
        my_doubles: [[4.2, -5.2, 0.0], [], [100.0]]
        segments: [[[-100.0, 0.0], [100.0, 0.0]], [[0.0, 0.0], [20.0, 2.0]]]
        rank_2_array: [[1,2]]
        rank_2_vector: [[3,4],[5,6,7],[8,9,10]]
        rank_3_vector:  [[[1,2], [3,4]], [[5,6],[7,8]]]
        vector_of_float: [0.1, 0.2, -0.3, 0.4]
        vector_of_handles: [pool, other]
        array_of_two_handles: [other, pool]
    """


def test_std_parameter_loads_nested_vectors_arrays_and_handle_lists():
    context = activate(STD)
    test = context.find_component("e/test")
    pool, other = context.find_component("e/pool"), context.find_component("e/other")
    assert test.vector_of_handles == [pool, other] and test.array_of_two_handles == [other, pool]
    assert test.rank_3_vector == [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("my_unsigned_int8: [133, 100, 1, 3]", "my_unsigned_int8: [133, 100, 1, 256]", "my_unsigned_int8"),
    ("array_of_two_handles: [other, pool]", "array_of_two_handles: [other]", "array_of_two_handles"),
    ("rank_2_vector: [[3,4],[5,6,7],[8,9,10]]", "rank_2_vector: [[3,-4]]", "rank_2_vector"),
])
def test_std_parameter_refuses_values_that_do_not_fit(old, new, problem):
    with pytest.raises(ParameterError, match=problem):
        load(STD.replace(old, new))


def test_std_parameter_handles_must_name_allocators():
    with pytest.raises(GxfError, match="must name a nvidia::gxf::Allocator"):
        activate(STD.replace("vector_of_handles: [pool, other]", "vector_of_handles: [pool, test]"))


def test_fixed_vector_parameter_wants_0_to_15():
    text = """
        components:
        - type: nvidia::gxf::test::FixedVectorParameterTest
          parameters:
            fixed_vector_stack: {values}
        """
    activate(text.replace("{values}", str(list(range(16)))))
    with pytest.raises(ExecutionError, match=r"fixed_vector_stack is \[0, 1, .*, 14, 14\], expected"):
        activate(text.replace("{values}", str(list(range(15)) + [14])))
    with pytest.raises(ParameterError, match="fixed_vector_stack"):
        load(text.replace("{values}", str(list(range(17)))))


def test_vector_parameter_checks_shapes():
    text = """
        components:
        - type: nvidia::gxf::test::VectorParameterTest
          parameters:
            five_64_bit_floats: [1.0, 2.0, 3.0, 4.0, 5.0]
            five_64_bit_ints: [1, 2, 3, 4, 5]
            five_64_bit_unsigned_ints: [1, 2, 3, 4, 5]
            five_32_bit_ints: [1, 2, 3, 4, 5]
            six_64_bit_float_2d: [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
            six_64_bit_int_2d: [[1, 2, 3], [4, 5, 6]]
            six_64_bit_uint_2d: [[1, 2, 3], [4, 5, 6]]
            six_32_bit_int_2d: [[1, 2, 3], [4, 5, 6]]
        """
    activate(text)
    with pytest.raises(ExecutionError, match=r"the shape of five_32_bit_ints is \(4,\), expected \(5,\)"):
        activate(text.replace("five_32_bit_ints: [1, 2, 3, 4, 5]", "five_32_bit_ints: [1, 2, 3, 4]"))
    with pytest.raises(ExecutionError,
                       match=r"the shape of six_64_bit_uint_2d is \(3, 2\), expected \(2, 3\)"):
        activate(text.replace("six_64_bit_uint_2d: [[1, 2, 3], [4, 5, 6]]",
                              "six_64_bit_uint_2d: [[1, 2], [3, 4], [5, 6]]"))


def test_handle_parameter_is_repointed_through_the_parameter_api():
    context = activate("""
        name: param
        components:
        - name: pool
          type: nvidia::gxf::UnboundedAllocator
        - name: other_pool
          type: nvidia::gxf::UnboundedAllocator
        - name: test
          type: nvidia::gxf::test::TestHandleParameter
          parameters:
            pool: pool
        """)
    assert context.find_component("param/test").pool is context.find_component("param/other_pool")
    with pytest.raises(ExecutionError, match="the entity needs two allocators named 'pool' and 'other_pool'"):
        activate("""
            components:
            - name: pool
              type: nvidia::gxf::UnboundedAllocator
            - type: nvidia::gxf::test::TestHandleParameter
              parameters:
                pool: pool
            """)


def test_yaml_node_parameter_test_declares_every_type_vector_and_2d_vector():
    keys = set(YamlNodeTest.parameters())
    for key, _ in YAML_NODE_PARAMETERS:
        assert {key, f"vector_{key}"} <= keys
        assert (f"vector_2d_{key}" in keys) == (key != "handle")
    assert len(keys) == 38 and all(p.required for p in YamlNodeTest.parameters().values())
    schema = YamlNodeTest.parameters()["vector_2d_uint16"].schema()
    assert schema["items"]["items"] == {"type": "integer", "minimum": 0, "maximum": 65535}


def test_configuration_set_logs_its_values_each_tick(run_graph, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="gxf"):
        run_graph("""
            name: config
            components:
            - type: nvidia::gxf::test::TestConfigurationSet
              parameters:
                uint64_value: 7
                string_value: text
                string_5_value: abcde
                int_vector_4_value: [4, 3]
            - type: nvidia::gxf::CountSchedulingTerm
              parameters:
                count: 1
            """)
    lines = [r.getMessage().split("] ", 1)[1] for r in caplog.records
             if r.getMessage().startswith("[config/")]
    assert lines == ["TestConfigurationSet ticking:", "bool_value: false", "uint64_value: 7",
                     "string_value: text", "string_5_value: abcde", "int_vector_4_value: [4, 3]"]
