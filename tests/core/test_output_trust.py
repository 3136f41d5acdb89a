"""Output a user can trust: severities named alike everywhere, a bad GXF_LOG_LEVEL warned about,
descriptions as single lines, and `gxf validate --manifest` as `gxf run --manifest`."""

from __future__ import annotations

import logging
import re
import textwrap

import pytest
from click.testing import CliRunner

from gxf.core import Component, Extension, Parameter, catalog, log, plugins
from gxf.core.cli import main
from gxf.core.registry import TypeRegistry
from gxf.core.schema import component_schema, graph_schema
from gxf.core.text import first_paragraph, one_line
from gxf.std import gxe

RUN_OF_SPACES = re.compile(r"\S(\s{2,}|\n)\S")
GRAPH = """
    name: e
    components:
    - type: nvidia::gxf::GreedyScheduler
      parameters: {max_duration_ms: 10}
    """


@pytest.fixture
def graph(tmp_path):
    path = tmp_path / "graph.yaml"
    path.write_text(textwrap.dedent(GRAPH))
    return str(path)


# --- severities -----------------------------------------------------------------------------------------
def test_gxe_and_gxf_name_the_severities_alike(capsys):
    assert log.SEVERITY_CHOICES == "0 PANIC, 1 ERROR, 2 WARNING, 3 INFO, 4 DEBUG, 5 VERBOSE"
    gxf_help = " ".join(CliRunner().invoke(main, ["run", "--help"]).stdout.split())
    assert log.SEVERITY_CHOICES in gxf_help
    with pytest.raises(SystemExit):
        gxe.parse_args(["--help"])
    gxe_help = " ".join(capsys.readouterr().out.split())
    assert log.SEVERITY_CHOICES in gxe_help
    assert "None" not in gxe_help and "0=" not in gxe_help


def test_log_lines_name_gxf_severities():
    formatter = log.Formatter("%(severity)s %(message)s", None)
    for level, name in [(logging.CRITICAL, "PANIC"), (logging.ERROR, "ERROR"), (logging.WARNING, "WARNING"),
                        (logging.INFO, "INFO"), (logging.DEBUG, "DEBUG"), (log.VERBOSE, "VERBOSE")]:
        record = logging.LogRecord("gxf", level, __file__, 1, "text", None, None)
        assert formatter.format(record) == f"{name} text"


def test_gxe_log_file_uses_the_same_names(tmp_path, graph, monkeypatch):
    def run_graphs(*args, **kwargs):
        logging.getLogger("gxf.test").critical("a panic")
        logging.getLogger("gxf.test").info("some news")

    monkeypatch.setattr(gxe.runner, "run_graphs", run_graphs)
    log_file = tmp_path / "run.log"
    assert gxe.main(["--app", graph, "--log_file", str(log_file), "--severity", "3"]) == 0
    lines = log_file.read_text().splitlines()
    assert [line.split(" ", 2)[2] for line in lines] == ["PANIC a panic", "INFO some news"]


@pytest.mark.parametrize(("value", "why"), [
    ("loud", "'loud' is not a severity: use 0 PANIC, 1 ERROR, 2 WARNING, 3 INFO, 4 DEBUG, 5 VERBOSE"),
    ("9", "severity 9 is not in 0..5"),
])
def test_a_bad_gxf_log_level_is_warned_about_and_the_default_used(graph, value, why):
    result = CliRunner().invoke(main, ["run", graph], env={log.ENV_VAR: value})
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stderr.splitlines() if log.ENV_VAR in line]
    assert f" WARNING ignoring {log.ENV_VAR}={value}: {why}" in line
    assert line.endswith("; using 2 (WARNING)")
    assert log.logger.level == logging.WARNING


@pytest.mark.parametrize("value", ["info", "3", " DEBUG "])
def test_a_good_gxf_log_level_is_taken_silently(graph, value):
    result = CliRunner().invoke(main, ["run", graph], env={log.ENV_VAR: value})
    assert result.exit_code == 0 and "ignoring" not in result.stderr


# --- descriptions ----------------------------------------------------------------------------------------
class Wrapped(Component, type_name="trust::Wrapped", uuid="0c1a5e00-0000-4000-8000-00000000aa01"):
    """A component whose docstring's first paragraph
       runs over   three lines,
    indented unevenly.

    A second paragraph that is not part of the description.
    """

    rate = Parameter(float, 1.0, """How often, per second,
                                   a thing happens""")


def test_descriptions_are_normalised_where_they_enter():
    assert Wrapped.description() == ("A component whose docstring's first paragraph runs over three lines, "
                                     "indented unevenly.")
    assert Wrapped.parameters()["rate"].description == "How often, per second, a thing happens"
    ext = Extension("TrustExtension", "0c1a5e00-0000-4000-8000-00000000aa00", "1.0.0", [Wrapped],
                    description="Several\n    lines  of text")
    assert ext.description == ext.brief == "Several lines of text"
    assert one_line(" a \n\t b  ") == "a b" and first_paragraph("  one\n  two\n   \n three") == "one two"


def test_describe_and_schema_show_single_line_descriptions():
    registry = TypeRegistry()
    registry.add_extension(Extension("TrustExtension", "0c1a5e00-0000-4000-8000-00000000aa00", "1.0.0",
                                     [Wrapped]))
    text = catalog.format_description(catalog.describe(registry, "trust::Wrapped"))
    assert "description:  A component whose docstring's first paragraph runs over three lines, indented " \
           "unevenly." in text
    assert text.rstrip().endswith("How often, per second, a thing happens")
    schema = component_schema(Wrapped)
    assert schema["description"].endswith("three lines, indented unevenly.")
    assert schema["properties"]["rate"]["description"] == "How often, per second, a thing happens"


def strings_named_description(data):
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("description", "brief") and isinstance(value, str):
                yield value
            else:
                yield from strings_named_description(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings_named_description(item)


def test_no_installed_description_has_runs_of_spaces_or_line_breaks():
    registry = plugins.default_registry()
    installed = catalog.installed(registry)
    texts = list(strings_named_description(installed))
    for ctype in registry.all_types():
        texts += list(strings_named_description(catalog.describe_type(registry, ctype)))
    texts += list(strings_named_description(graph_schema(registry)))
    assert len(texts) > 200
    bad = [text for text in texts if RUN_OF_SPACES.search(text)]
    assert bad == []
    listing = catalog.format_installed(installed)
    for line in listing.splitlines():
        if " base " in line:  # a type row: columns are padded, the description (last column) is not
            description = re.split(r"\s{2,}", line.strip())[-1]
            assert not RUN_OF_SPACES.search(description), line


# --- validate --manifest ---------------------------------------------------------------------------------
def test_gxf_validate_takes_manifest_like_gxf_run(tmp_path, graph):
    good = tmp_path / "manifest.yaml"
    good.write_text("extensions:\n- gxf/std/libgxf_std.so\n")
    bad = tmp_path / "bad_manifest.yaml"
    bad.write_text("extensions: 3\n")
    for command in ("validate", "run"):
        result = CliRunner().invoke(main, [command, "--manifest", str(good), graph])
        assert result.exit_code == 0, result.output
        result = CliRunner().invoke(main, [command, "--manifest", str(bad), graph])
        assert result.exit_code == 1
        assert result.stderr == f"error: {bad}:1: 'extensions' in a manifest must be a list\n"
        result = CliRunner().invoke(main, [command, "--manifest", str(tmp_path / "none.yaml"), graph])
        assert result.exit_code == 1 and "manifest file not found" in result.stderr
