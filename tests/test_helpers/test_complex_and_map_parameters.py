"""Complex parameters (complex64, complex128) and StdParameterTest's arrays, maps and complex values."""

import textwrap

import pytest

from gxf.core import Context, GxfError, load_graph_text
from gxf.core.parameters import COMPLEX64, COMPLEX128, ComplexType, param_type

BASE = """
name: e
components:
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
"""


def loaded(extra: str) -> Context:
    context = Context()
    load_graph_text(context, BASE + textwrap.indent(textwrap.dedent(extra), " " * 4))
    return context


@pytest.mark.parametrize("text, expected", [
    ("1+2j", 1 + 2j), ("-0.5-3j", -0.5 - 3j), (" 1 + 2j ", 1 + 2j), ("4j", 4j), ("2.5", 2.5 + 0j),
    ("1+2i", 1 + 2j), ("(1+2j)", 1 + 2j), ("1e3-1e-1j", 1000 - 0.1j), (3, 3 + 0j), (1.5, 1.5 + 0j),
    (2 - 1j, 2 - 1j),
])
def test_complex128_accepts_python_numbers_and_text(text, expected):
    assert COMPLEX128.convert(text, None) == expected


def test_complex64_rounds_to_32_bit_floats_and_refuses_what_does_not_fit():
    value = COMPLEX64.convert("0.1+0.2j", None)
    assert value != 0.1 + 0.2j and value == pytest.approx(0.1 + 0.2j, rel=1e-6)
    with pytest.raises(ValueError, match="32-bit float"):
        COMPLEX64.convert(1e300, None)


@pytest.mark.parametrize("bad", ["abc", "j", "1+", "++1", "1 2", True, [1, 2], None])
def test_what_is_not_a_complex_number_is_refused(bad):
    with pytest.raises(ValueError, match="complex128"):
        COMPLEX128.convert(bad, None)


def test_complex_annotation_and_yaml_round_trip():
    assert isinstance(param_type(complex), ComplexType) and param_type(complex).label == "complex128"
    assert COMPLEX128.convert(COMPLEX128.to_yaml(1.5 - 2j), None) == 1.5 - 2j
    with pytest.raises(ValueError):
        ComplexType(32)


def test_std_parameter_test_loads_arrays_maps_and_complex_values():
    context = loaded("""
        rank_1_array: [7, 8]
        string_to_int_map: {a: 1, b: -2}
        string_to_vector_map: {odd: [1, 3], none: []}
        complex64: "1.5+2j"
        complex128: -1-0.25j
    """)
    try:
        context.activate()
        test = context.find_component("e/test")
        assert test.rank_1_array == [7, 8]
        assert test.string_to_int_map == {"a": 1, "b": -2}
        assert test.string_to_vector_map == {"odd": [1, 3], "none": []}
        assert test.complex64 == 1.5 + 2j and test.complex128 == -1 - 0.25j
    finally:
        context.deactivate()


def test_the_new_std_parameters_are_optional():
    context = loaded("")
    try:
        context.activate()
        assert context.find_component("e/test").complex64 is None
    finally:
        context.deactivate()


@pytest.mark.parametrize("extra, name", [
    ("rank_1_array: [1, 2, 3]", "rank_1_array"),
    ("string_to_int_map: {a: x}", "string_to_int_map"),
    ("string_to_vector_map: {a: [1, 1.5]}", "string_to_vector_map"),
    ("complex128: not-a-number", "complex128"),
    ("complex64: 1e300", "complex64"),
])
def test_bad_values_are_refused_naming_the_parameter(extra, name):
    with pytest.raises(GxfError, match=name):
        context = loaded(extra)
        try:
            context.activate()
        finally:
            context.deactivate()
