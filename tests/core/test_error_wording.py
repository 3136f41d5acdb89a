"""A refused parameter value is explained in the words of its type: never a regular expression, never the
parameter's own description read as if it were the expected value, never jsonschema's phrasing."""

import re

import pytest
from click.testing import CliRunner

from gxf.core import ParameterError, plugins, schema
from gxf.core.cli import main

#: What no message may carry: pattern syntax, "expected <Capitalised description>", internal names and
#: jsonschema's own sentences.
UNWANTED = re.compile(r"\(\?:|\\s|\^\\|expected [A-Z][a-z]|Located|under any of the given schemas|"
                      r"does not match")

BAD_VALUES = ("%%%", {"a": 1}, [[{"x": "%%"}]], -1, "12 parsecs")


def _messages(registry):
    """(type, parameter, value, message) for every refused bad value of every parameter installed."""
    found = []
    for component_type in registry.all_types():
        if component_type.abstract:
            continue
        cls = registry.component_class(component_type.name)
        validator = schema._validator(cls)
        for key, param in cls.parameters().items():
            for value in BAD_VALUES:
                for error in validator.iter_errors({key: value}):
                    top = param if len(list(error.absolute_path)) == 1 else None
                    found.append((component_type.name, key, value, schema._explain(error, top)))
    return found


def test_no_refusal_of_any_installed_parameter_shows_a_pattern_or_a_description(registry):
    messages = _messages(registry)
    assert len(messages) > 100  # the test extension's types and whatever is installed
    wrong = [m for m in messages if UNWANTED.search(m[3]) or len(m[3]) > 500]
    assert wrong == []


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("period", "soon", "'soon' is not valid: expected a duration: a number or a string with a unit"),
    ("buffer", "lots", "'lots' is not valid: expected a size: a number or a string with a unit"),
    ("rate", "often", "'often' is not valid: expected a frequency"),
    ("limit", "many", "expected integer, got 'many' (string)"),  # optional: the null branch is left out
])
def test_validate_and_run_say_what_kind_of_value_is_expected(registry, write, key, value, expected):
    path = write("graph.yaml", f"""
        name: e
        components:
        - name: c
          type: test::Everything
          parameters:
            {key}: {value}
        """)
    runner = CliRunner()
    for command in ("validate", "run"):
        result = runner.invoke(main, [command, str(path)])
        assert result.exit_code == 1, result.output
        assert f"{path}:6: parameter '{key}' of component 'e/c'" in result.stderr
        assert expected in result.stderr
        assert not UNWANTED.search(result.stderr), result.stderr
        assert "A duration" not in result.stderr and "A size" not in result.stderr


def test_a_bad_item_of_a_list_names_the_item_and_its_kind(load):
    with pytest.raises(ParameterError) as info:
        load("""
            name: e
            components:
            - type: test::Everything
              parameters:
                numbers: [1, two, 3]
            """)
    message = str(info.value)
    assert "'numbers" in message and "two" in message
    assert not UNWANTED.search(message)
