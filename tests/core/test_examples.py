"""The example graphs in examples/ load, validate against the graph schema, and run."""

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from gxf.core import Context, ExtensionError, UnknownComponentTypeError, load_graph_file, plugins
from gxf.core.cli import main
from gxf.core.schema import graph_schema
from gxf.core.yaml_source import load_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PING = EXAMPLES / "ping.yaml"


def line_of(path: Path, text: str) -> int:
    """The number of the first line of ``path`` holding ``text``."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def needs_standard_extension():
    registry = plugins.default_registry()
    if not {"StandardExtension", "SampleExtension"} <= set(registry.extensions):
        pytest.skip("gxf-std is not installed")
    return registry


def test_ping_without_the_standard_extension_says_what_to_install(bare_registry, caplog):
    line = line_of(PING, "- extension: StandardExtension")
    strict = Context(bare_registry)
    strict.strict_schema = True  # as gxf validate loads
    with pytest.raises(ExtensionError) as info:
        load_graph_file(strict, PING)
    assert "hint: pip install gxf-std" in str(info.value)
    assert str(info.value).startswith(f"{PING}:{line}: the graph needs extension 'StandardExtension'")
    # as gxf run loads: the dependency is warned about, and its first component is the error
    with caplog.at_level("WARNING", logger="gxf"), pytest.raises(UnknownComponentTypeError) as info:
        load_graph_file(Context(bare_registry), PING)
    assert f"{PING}:{line}: the graph needs extension 'StandardExtension'" in caplog.text
    assert "pip install gxf-std" in caplog.text and "pip install gxf-std" in str(info.value)


def test_ping_documents_match_the_graph_schema():
    validator = jsonschema.Draft202012Validator(graph_schema(needs_standard_extension()))
    for document in load_file(PING):
        assert not [e.message for e in validator.iter_errors(json.loads(json.dumps(document)))]


def test_ping_runs():
    needs_standard_extension()
    result = CliRunner().invoke(main, ["run", str(PING), "--severity", "1"])
    assert result.exit_code == 0, result.output
