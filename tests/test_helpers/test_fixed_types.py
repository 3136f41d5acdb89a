"""Fixed-width integers, fixed-capacity vectors and strings, fixed-length arrays and YAML text."""

import pytest

from gxf.core.parameters import ConvertEnv
from gxf.test_helpers.fixed_types import (INT8, INT64, UINT8, UINT64, Array, FixedString, FixedVector,
                                          YamlText)

ENV = ConvertEnv()


@pytest.mark.parametrize(("kind", "low", "high"), [
    (INT8, -128, 127), (UINT8, 0, 255), (INT64, -2**63, 2**63 - 1), (UINT64, 0, 2**64 - 1)])
def test_fixed_ints_accept_their_range_only(kind, low, high):
    assert kind.convert(low, ENV) == low and kind.convert(high, ENV) == high
    assert kind.convert(float(low), ENV) == low
    with pytest.raises(ValueError, match=f"does not fit in {kind.label}"):
        kind.convert(high + 1, ENV)
    with pytest.raises(ValueError, match=f"does not fit in {kind.label}"):
        kind.convert(low - 1, ENV)
    assert kind.schema() == {"type": "integer", "minimum": low, "maximum": high}


def test_fixed_ints_refuse_bools_strings_and_fractions():
    for bad in (True, "1", 1.5, None):
        with pytest.raises(ValueError, match="expected int8"):
            INT8.convert(bad, ENV)


def test_fixed_vector_and_array_bound_their_length_and_check_items():
    vector = FixedVector(UINT8, 3)
    assert vector.convert([1, 2], ENV) == [1, 2] and vector.convert((1, 2, 3), ENV) == [1, 2, 3]
    with pytest.raises(ValueError, match="at most 3 items, got 4"):
        vector.convert([1, 2, 3, 4], ENV)
    with pytest.raises(ValueError, match="item 1: 256 does not fit in uint8"):
        vector.convert([1, 256], ENV)
    array = Array(Array(float, 2), 1)
    assert array.convert([[1, 2]], ENV) == [[1.0, 2.0]]
    with pytest.raises(ValueError, match="exactly 2 items, got 3"):
        array.convert([[1, 2, 3]], ENV)
    assert vector.schema()["maxItems"] == 3 and array.schema()["minItems"] == array.schema()["maxItems"] == 1


def test_fixed_string_bounds_its_length():
    text = FixedString(5)
    assert text.convert("hello", ENV) == "hello"
    with pytest.raises(ValueError, match="longer than 5 characters"):
        text.convert("hello!", ENV)
    with pytest.raises(ValueError, match="expected a string"):
        text.convert(5, ENV)
    assert text.schema() == {"type": "string", "maxLength": 5}


def test_yaml_text_keeps_strings_and_writes_nodes_as_block_yaml():
    text = YamlText()
    assert text.convert("hello", ENV) == "hello"
    node = [{"a": "st", "b": "ee"}, {"e": [{"f": "figy", "g": "g"}]}]
    assert text.convert(node, ENV) == "- a: st\n  b: ee\n- e:\n    - f: figy\n      g: g"
    assert text.convert({"k": [1, 2]}, ENV) == "k:\n  - 1\n  - 2"
    with pytest.raises(ValueError):
        text.convert(None, ENV)
