"""codelet_params: a mapping, a YAML mapping string or key=value pairs all become a dict."""

from __future__ import annotations

import pytest

from gxf.python_codelet.codelet_params import params_text, parse_codelet_params


@pytest.mark.parametrize("value, expected", [
    (None, {}),
    ("", {}),
    ({"log_count": 5, "receiver": "signal"}, {"log_count": 5, "receiver": "signal"}),
    ("log_count=5", {"log_count": 5}),
    ("log_count=5,receiver=rx/signal", {"log_count": 5, "receiver": "rx/signal"}),
    ("a = 1, b=[1, 2], c=x,y, d=", {"a": 1, "b": [1, 2], "c": "x,y", "d": ""}),
    ("enabled=true,rate=2.5,name=front camera", {"enabled": True, "rate": 2.5, "name": "front camera"}),
    ("{receiver: signal, count: 3}", {"receiver": "signal", "count": 3}),
    ("receiver: signal\ncount: 3", {"receiver": "signal", "count": 3}),
])
def test_parse(value, expected):
    assert parse_codelet_params(value) == expected


@pytest.mark.parametrize("text", ["just words", "=5", "two words=1"])
def test_strings_that_are_neither_yaml_mappings_nor_pairs_are_refused(text):
    with pytest.raises(ValueError, match="as a mapping or as key=value pairs"):
        parse_codelet_params(text)


def test_a_mapping_is_copied_so_the_codelet_cannot_change_the_parameter():
    value = {"a": 1}
    parsed = parse_codelet_params(value)
    parsed["a"] = 2
    assert value == {"a": 1}


def test_the_raw_text_is_the_string_as_written_or_the_mapping_as_yaml():
    assert params_text("log_count=5") == "log_count=5"
    assert params_text({"receiver": "signal", "count": 3}) == "{receiver: signal, count: 3}"
    assert params_text(None) == ""
