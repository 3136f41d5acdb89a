"""Components that check how parameters of every supported type load from a graph file.

Each one declares parameters of one family (scalars, vectors, nested vectors, fixed-size containers,
handles, mandatory/optional/defaulted) and checks the loaded values when it is initialized. Values
that do not fit a declared type (an int8 of 300, a FixedVector with too many items) are refused when
the graph loads, with the parameter named; values of the right type but not the ones a test expects
fail the run at initialize, naming the component.
"""

from __future__ import annotations

import logging

from gxf.core import Component, Handle, Parameter
from gxf.core.parameters import COMPLEX64, COMPLEX128
from gxf.std.codelet import Codelet

from .checks import CheckFailed, check_equal
from .fixed_types import (INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, Array, FixedString,
                          FixedVector, YamlText)

ALLOCATOR = "nvidia::gxf::Allocator"

EXPECTED_MORE = "- a: st\n  b: ee\n- c: an\n  d: en\n- e:\n    - f: figy\n      g: g"


class LoadParameterFromYamlTest(Component, type_name="nvidia::gxf::test::LoadParameterFromYamlTest",
                                uuid="77d3cb56-1ddb-4656-828a-3955ad78fb27"):
    """Checks that scalar parameters and a free-form YAML value arrive from the graph file as written.

    Expects fact: true, rumor: false, forty_two: 42, minus_one: -1, some_text: hello, and ``more`` a
    YAML list that reads back as the text of GXF's own test (``- a: st`` / ``b: ee`` / ...).
    """

    fact = Parameter(bool, description="Must be true")
    rumor = Parameter(bool, description="Must be false")
    forty_two = Parameter(INT32, description="Must be 42")
    minus_one = Parameter(INT32, description="Must be -1")
    some_text = Parameter(str, description="Must be 'hello'")
    more = Parameter(YamlText(), description="A YAML node kept as its text")

    def initialize(self) -> None:
        check_equal(self.fact, True, "fact")
        check_equal(self.rumor, False, "rumor")
        check_equal(self.forty_two, 42, "forty_two")
        check_equal(self.minus_one, -1, "minus_one")
        check_equal(self.some_text, "hello", "some_text")
        check_equal(self.more, EXPECTED_MORE, "more")


class RegisterParameterInterfaceTest(Component, type_name="nvidia::gxf::test::RegisterParameterInterfaceTest",
                                     uuid="e9234c1a-d5f8-445c-ae91-18bcda197032"):
    """Checks required and optional parameters, each with and without a default.

    Declares a mandatory parameter without a default, one with a default (3), an optional one without
    a default and one with a default (5), and defaulted string, bool, double and string-list
    parameters; checks that the graph set them to 1, 2, 3 and 4.
    """

    mandatory_no_default = Parameter(INT64, description="Required, no default; the graph must give 1")
    mandatory_with_default = Parameter(INT64, 3, "Required with a default; the graph must give 2")
    optional_no_default = Parameter(INT64, optional=True,
                                    description="Optional, no default; the graph must give 3")
    optional_with_default = Parameter(UINT64, 5, "Optional with a default; the graph must give 4",
                                      optional=True)
    std_string_text = Parameter(str, "Default value of std::string text", "A text with a default")
    bool_default = Parameter(bool, True, "A flag with a default")
    double_default = Parameter(float, 12345.6789, "A number with a default")
    custom_parameter = Parameter(list[str], description="Some strings")

    def initialize(self) -> None:
        check_equal(self.mandatory_no_default, 1, "mandatory_no_default")
        check_equal(self.mandatory_with_default, 2, "mandatory_with_default")
        check_equal(self.optional_no_default, 3, "optional_no_default")
        check_equal(self.optional_with_default, 4, "optional_with_default")


class FixedVectorParameterTest(Component, type_name="nvidia::gxf::test::FixedVectorParameterTest",
                               uuid="f6a9bda1-7a0d-1642-c2d0-6c87c645218f"):
    """Checks a parameter whose list has a maximum length (GXF's nvidia::FixedVector).

    ``fixed_vector_stack`` holds at most 16 uint8 values; it must be exactly 0, 1, ..., 15.
    """

    VECTOR_SIZE = 16

    fixed_vector_stack = Parameter(FixedVector(UINT8, VECTOR_SIZE), description="At most 16 uint8 values")

    def initialize(self) -> None:
        check_equal(len(self.fixed_vector_stack), self.VECTOR_SIZE, "the size of fixed_vector_stack")
        check_equal(self.fixed_vector_stack, list(range(self.VECTOR_SIZE)), "fixed_vector_stack")


class StdParameterTest(Component, type_name="nvidia::gxf::test::StdParameterTest",
                       uuid="405d8e06-2d3f-45f1-84c4-92ac9ef3c67c"):
    """Checks list and fixed-size array parameters, nested and of handles (GXF's std::vector, std::array).

    Declares vectors of ints, uint8, strings, nested vectors of doubles, pairs of 2-arrays, rank-2 and
    rank-3 vectors, fixed-size arrays and (optional) vectors and arrays of Allocator handles, and checks
    the values of GXF's own test graph: integers [2, 3, 5, 7, 11], my_unsigned_int8 [133, 100, 1, 3],
    strings [Hello, "world,", GXF], my_doubles [[4.2, -5.2, 0.0], [], [100.0]] and segments
    [[[-100, 0], [100, 0]], [[0, 0], [20, 2]]]. The optional rank_1_array, string_to_int_map,
    string_to_vector_map, complex64 and complex128 are only checked for their types when the graph
    loads (a complex is written e.g. "1+2j").
    """

    integers = Parameter(list[INT32], description="Some 32-bit integers")
    vector_of_float = Parameter(list[float], description="Four floating-point numbers")
    my_unsigned_int8 = Parameter(list[UINT8], description="Some bytes (0..255)")
    strings = Parameter(list[str], description="Some strings")
    my_doubles = Parameter(list[list[float]], description="Lists of floating-point numbers")
    segments = Parameter(list[Array(Array(float, 2), 2)], description="Line segments: pairs of 2-D points")
    rank_2_vector = Parameter(list[list[UINT64]], description="Unsigned integers nested two deep")
    rank_3_vector = Parameter(list[list[list[UINT64]]], description="Unsigned integers nested three deep")
    vector_of_handles = Parameter(list[Handle(ALLOCATOR)], optional=True,
                                  description="Any number of allocators")
    rank_2_array = Parameter(Array(Array(UINT64, 2), 1), description="One row of two unsigned integers")
    array_of_two_handles = Parameter(Array(Handle(ALLOCATOR), 2), optional=True,
                                     description="Exactly two allocators")
    rank_1_array = Parameter(Array(UINT64, 2), optional=True, description="Exactly two unsigned integers")
    string_to_int_map = Parameter(dict[str, INT32], optional=True,
                                  description="32-bit integers by name")
    string_to_vector_map = Parameter(dict[str, list[INT32]], optional=True,
                                     description="Lists of 32-bit integers by name")
    complex64 = Parameter(COMPLEX64, optional=True, description="A complex number of two 32-bit floats")
    complex128 = Parameter(COMPLEX128, optional=True, description="A complex number of two 64-bit floats")

    def initialize(self) -> None:
        check_equal(self.integers, [2, 3, 5, 7, 11], "integers")
        check_equal(self.my_unsigned_int8, [133, 100, 1, 3], "my_unsigned_int8")
        check_equal(self.strings, ["Hello", "world,", "GXF"], "strings")
        check_equal([len(v) for v in self.my_doubles], [3, 0, 1], "the sizes of my_doubles")
        check_equal(self.my_doubles, [[4.2, -5.2, 0.0], [], [100.0]], "my_doubles")
        check_equal(self.segments, [[[-100.0, 0.0], [100.0, 0.0]], [[0.0, 0.0], [20.0, 2.0]]], "segments")
        check_equal(len(self.vector_of_float), 4, "the size of vector_of_float")


# (parameter name, element type, shape) of VectorParameterTest, as GXF declares them.
VECTOR_PARAMETERS = (
    ("five_64_bit_floats", float, (5,)),
    ("five_64_bit_ints", INT64, (5,)),
    ("five_64_bit_unsigned_ints", UINT64, (5,)),
    ("five_32_bit_ints", INT32, (5,)),
    ("six_64_bit_float_2d", float, (2, 3)),
    ("six_64_bit_int_2d", INT64, (2, 3)),
    ("six_64_bit_uint_2d", UINT64, (2, 3)),
    ("six_32_bit_int_2d", INT32, (2, 3)),
)


def _shape_of(value) -> tuple:
    if not isinstance(value, list):
        return ()
    inner = {_shape_of(v) for v in value}
    if len(inner) > 1:
        return (len(value), None)  # ragged
    return (len(value),) + (inner.pop() if inner else ())


class VectorParameterTest(Component, type_name="nvidia::gxf::test::VectorParameterTest",
                          uuid="b6c6697a-3b2d-79fa-0bb8-c8d6ad0f92ac"):
    """Checks that list parameters of each numeric type keep their length and nesting when loaded.

    Declares 1-D vectors of five float64/int64/uint64/int32 values and 2x3 vectors of the same types;
    checks that each loaded value has its declared shape.
    """

    five_64_bit_floats = Parameter(list[float], description="Five float64 values")
    five_64_bit_ints = Parameter(list[INT64], description="Five int64 values")
    five_64_bit_unsigned_ints = Parameter(list[UINT64], description="Five uint64 values")
    five_32_bit_ints = Parameter(list[INT32], description="Five int32 values")
    six_64_bit_float_2d = Parameter(list[list[float]], description="Two rows of three float64 values")
    six_64_bit_int_2d = Parameter(list[list[INT64]], description="Two rows of three int64 values")
    six_64_bit_uint_2d = Parameter(list[list[UINT64]], description="Two rows of three uint64 values")
    six_32_bit_int_2d = Parameter(list[list[INT32]], description="Two rows of three int32 values")

    def initialize(self) -> None:
        for name, _, shape in VECTOR_PARAMETERS:
            check_equal(_shape_of(getattr(self, name)), shape, f"the shape of {name}")


class TestHandleParameter(Component, type_name="nvidia::gxf::test::TestHandleParameter",
                          uuid="92f49e50-aded-48a8-8b97-a274e227875f"):
    """Checks that a handle parameter can be read, changed through the parameter API and read back.

    Its entity must hold two allocators named ``pool`` and ``other_pool``, and ``pool`` must point at
    ``pool``. At initialize it checks the handle, sets it to ``other_pool`` through the parameter API
    and checks it reads back as ``other_pool``.
    """

    __test__ = False  # not a pytest test class

    pool = Parameter(Handle(ALLOCATOR), description="Must point at the allocator named 'pool'")

    def initialize(self) -> None:
        registry = self.context.registry
        allocator = registry.component_class(ALLOCATOR)
        pool = self.entity.get(allocator, "pool")
        other_pool = self.entity.get(allocator, "other_pool")
        if pool is None or other_pool is None:
            raise CheckFailed("the entity needs two allocators named 'pool' and 'other_pool'")
        if pool is other_pool:
            raise CheckFailed("'pool' and 'other_pool' are the same component")
        check_equal(self.pool.cid, pool.cid, "the component id 'pool' points at")
        check_equal(self.get_param("pool").cid, pool.cid, "the component id get_param('pool') returns")
        self.set_param("pool", other_pool)
        check_equal(self.get_param("pool").cid, other_pool.cid, "the component id of 'pool' after setting it")
        check_equal(self.pool.cid, other_pool.cid, "the component id 'pool' points at after setting it")


# (key, type) of every parameter of TestGxfParameterSetFromYamlNode, as GXF declares them.
YAML_NODE_PARAMETERS = (
    ("bool", bool), ("int8", INT8), ("int16", INT16), ("int32", INT32), ("int64", INT64),
    ("uint8", UINT8), ("uint16", UINT16), ("uint32", UINT32), ("uint64", UINT64),
    ("float", float), ("double", float), ("string", str), ("handle", Handle(ALLOCATOR)),
)


def _yaml_node_parameters() -> dict:
    params = {}
    for key, kind in YAML_NODE_PARAMETERS:
        params[f"{key}_"] = Parameter(kind, description=f"A {key}", key=key)
        params[f"vector_{key}_"] = Parameter(list[kind], description=f"A vector of {key}",
                                             key=f"vector_{key}")
        if key != "handle":
            params[f"vector_2d_{key}_"] = Parameter(list[list[kind]], description=f"A 2-D vector of {key}",
                                                    key=f"vector_2d_{key}")
    return params


class TestGxfParameterSetFromYamlNode(Component,
                                      type_name="nvidia::gxf::test::TestGxfParameterSetFromYamlNode",
                                      uuid="fa56c026-6082-4b44-9fc7-5efd1e1d6a13"):
    """Checks a parameter of every scalar type, and lists of them, set from YAML values.

    Declares a parameter of every scalar type GXF supports (bool, int8..int64, uint8..uint64, float,
    double, string, Allocator handle), a vector of each, and a 2-D vector of each but the handle; all
    are required. Loading checks each value fits its type; at initialize it checks that every loaded
    value has its declared Python type and nesting.
    """

    __test__ = False  # not a pytest test class

    locals().update(_yaml_node_parameters())

    def initialize(self) -> None:
        simple = {bool: bool, float: float, str: str}
        for key, kind in YAML_NODE_PARAMETERS:
            if key == "handle":
                expected = Component
            else:
                expected = simple.get(kind, int)
            for name, depth in ((key, 0), (f"vector_{key}", 1), (f"vector_2d_{key}", 2)):
                if name not in self.parameters():
                    continue
                _check_nested(self.get_param(name), expected, depth, name)


def _check_nested(value, kind: type, depth: int, name: str) -> None:
    if depth:
        if not isinstance(value, list):
            raise CheckFailed(f"{name} is a {type(value).__name__}, expected a list")
        for item in value:
            _check_nested(item, kind, depth - 1, name)
        return
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CheckFailed(f"{name} holds {value!r} ({type(value).__name__}), expected a {kind.__name__}")


class TestConfigurationSet(Codelet, type_name="nvidia::gxf::test::TestConfigurationSet",
                           uuid="85ed3ce3-0611-4314-94df-da4f507f75a0"):
    """Logs its parameter values every tick, so that changes made while the graph runs can be seen.

    Each tick logs the current values of its parameters at INFO, so that a change made while the graph
    runs (``set_param`` from another component or the API) shows in the next tick. ``string_5_value`` is
    a string of at most 5 characters and ``int_vector_4_value`` a vector of at most 4 ints (GXF's
    FixedString<5> and FixedVector<int, 4>); longer values are refused.
    """

    __test__ = False  # not a pytest test class

    bool_value = Parameter(bool, False, "A flag to change while running")
    uint64_value = Parameter(UINT64, description="An unsigned integer to change while running")
    string_value = Parameter(str, description="A text to change while running")
    string_5_value = Parameter(FixedString(5), description="A text of up to 5 characters")
    int_vector_4_value = Parameter(FixedVector(INT32, 4), description="Up to 4 integers")

    def start(self) -> None:
        self._log = self.logger.isEnabledFor(logging.INFO)

    def tick(self) -> None:
        if not self._log:
            return
        logger = self.logger
        logger.info("TestConfigurationSet ticking:")
        logger.info("bool_value: %s", "true" if self.bool_value else "false")
        logger.info("uint64_value: %d", self.uint64_value)
        logger.info("string_value: %s", self.string_value)
        logger.info("string_5_value: %s", self.string_5_value)
        logger.info("int_vector_4_value: [%s]", ", ".join(str(v) for v in self.int_vector_4_value))
