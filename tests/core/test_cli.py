"""The `gxf` command line: run, validate, list, describe, schema; errors as one line with file:line."""

import json
import logging
import os
import signal
import subprocess
import sys
import types
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from gxf.core import GxfError, System, hookimpl, log, plugins, runner
from gxf.core.cli import main
from gxf.core.yaml_source import load_file

GRAPH = """
    dependencies:
    - extension: CoreTestExtension
      uuid: 5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00
      version: 1.0.0
    ---
    name: work
    components:
    - name: store
      type: test::Store
    - name: src
      type: test::Source
      parameters:
        target: store
    - name: rec
      type: test::Recorder
    ---
    name: sched
    components:
    - name: s
      type: test::TestScheduler
      parameters:
        on_wait: {on_wait}
    """


@pytest.fixture
def gxf(registry):
    """gxf(*args) -> click Result, with the test extension installed."""
    runner = CliRunner()

    def invoke(*args, env=None):
        result = runner.invoke(main, [str(a) for a in args], env=env)
        # Other installed plugins may be broken right now; their warnings are not what these tests check.
        result.errors = "".join(line for line in result.stderr.splitlines(keepends=True)
                                if not line.startswith("warning: extension plugin"))
        return result

    return invoke


@pytest.fixture
def graph(write):
    def graph(on_wait="return", name="graph.yaml"):
        return write(name, GRAPH.replace("{on_wait}", on_wait))

    return graph


@pytest.fixture
def broken_plugin(registry):
    module = types.ModuleType("broken")

    @hookimpl
    def gxf_extensions():
        raise ImportError("No module named 'libfoo'")

    module.gxf_extensions = gxf_extensions
    plugins.register(module, name="broken-plugin", distribution="broken-dist")
    yield
    plugins.unregister("broken-plugin")


# --- run ---------------------------------------------------------------------------------------------
def test_run_succeeds_silently(gxf, graph, ext):
    result = gxf("run", graph())
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert [e for e in ext.EVENTS if e[0] != "wait"] == [
        ("initialize", "work/rec"), ("run", "sched/s"), ("deinitialize", "work/rec")]


def test_run_gives_every_scheduler_the_time_limit(gxf, graph, ext):
    result = gxf("run", graph(), "--max-duration-ms", 250)
    assert result.exit_code == 0, result.output
    assert ("max_duration_ms", "250") in ext.EVENTS


def test_a_system_without_a_time_limit_refuses_one_by_name(context):
    class Untimed(System):
        """Runs nothing and cannot be limited."""

        def run_async(self) -> None:
            pass

    context.create_entity("sched").add(Untimed, "plain")
    with pytest.raises(GxfError) as info:
        runner.set_time_limit(context, 250)
    assert "component 'sched/plain'" in str(info.value)
    assert "has no time limit to set" in str(info.value)
    assert "--max-duration-ms" in info.value.hint


def test_run_with_param_overrides_and_parameter_files(gxf, graph, write, ext):
    params = write("params.yaml", "name: work\ncomponents:\n- name: rec\n  parameters:\n"
                                  "    fail_on_initialize: true\n")
    result = gxf("run", graph(), params)
    assert result.exit_code == 1 and "refusing to initialize" in result.stderr
    result = gxf("run", graph(), params, "--param", "work/rec/fail_on_initialize=false")
    assert result.exit_code == 0, result.output


def test_run_param_naming_nothing_is_an_error(gxf, graph):
    result = gxf("run", graph(), "--param", "work/recc/fail_on_initialize=true")
    assert result.exit_code == 1
    assert "--param work/recc/fail_on_initialize: entity 'work' has no component 'recc'" in result.stderr
    assert "did you mean 'rec'" in result.stderr
    result = gxf("run", graph(), "--param", "wrk/rec/x=1")
    assert "the graph has no entity 'wrk'" in result.stderr


def test_graph_errors_are_one_message_with_file_and_line(gxf, graph, write):
    bad = write("bad.yaml", GRAPH.replace("{on_wait}", "return").replace("test::Store", "test::Stoer"))
    result = gxf("run", bad)
    assert result.exit_code == 1
    assert result.errors.startswith(f"error: {bad}:9: unknown component type 'test::Stoer'\n")
    assert "hint: did you mean 'test::Store'" in result.stderr
    assert "Traceback" not in result.output


def test_missing_graph_file(gxf, tmp_path):
    result = gxf("run", tmp_path / "nope.yaml")
    assert result.exit_code == 1 and "graph file not found" in result.stderr


def test_unexpected_exceptions_are_one_line_unless_verbose(gxf, graph):
    result = gxf("run", graph("fail"))
    assert result.exit_code == 1
    summary, _, errors = result.errors.partition("\n")   # the run's summary line, then the one error
    assert summary.startswith("gxf run: failed after ")
    assert errors == "error: ValueError: the scheduler broke\n(run with --verbose for the traceback)\n"
    result = gxf("run", graph("fail"), "--verbose")
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "error: ValueError: the scheduler broke" in result.stderr


def test_ctrl_c_interrupts_waits_and_exits_130(gxf, graph, ext):
    result = gxf("run", graph("ctrl-c"))
    assert result.exit_code == 130, result.output
    assert "interrupted" in result.stderr
    events = [e[0] for e in ext.EVENTS]
    assert events[events.index("run"):] == ["run", "wait", "interrupt", "wait", "deinitialize"]


def test_sigterm_interrupts_and_the_handler_is_restored(gxf, graph, ext):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    result = gxf("run", graph("sigterm"))
    assert result.exit_code == 143, result.output  # 128 + SIGTERM, as shells report it
    assert "interrupted (SIGTERM)" in result.stderr
    assert ("interrupt", "sched/s") in ext.EVENTS and ("deinitialize", "work/rec") in ext.EVENTS
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
    assert signal.set_wakeup_fd(-1) == -1  # the run's wakeup fd was taken back too


RUN_WITH_TEST_EXTENSION = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("gxf_core_testing_ext", {module!r})
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
from gxf.core import plugins
from gxf.core.cli import main
plugins.register(module, name="core-tests", distribution=module.DISTRIBUTION)
main(["run", {graph!r}])
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_real_signals_stop_a_running_process(graph, signum):
    code = RUN_WITH_TEST_EXTENSION.format(module=str(Path(__file__).with_name("testing_ext.py")),
                                          graph=str(graph("block")))
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout.readline() == "running\n"
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signum, err
    assert "error: interrupted" in err and "Traceback" not in err


def test_severity_option_and_environment(gxf, graph):
    assert gxf("run", graph(), "--severity", "1").exit_code == 0
    assert log.logger.level == logging.ERROR
    assert gxf("run", graph(), env={"GXF_LOG_LEVEL": "4"}).exit_code == 0
    assert log.logger.level == logging.DEBUG
    assert gxf("run", graph(), env={"GXF_LOG_LEVEL": ""}).exit_code == 0
    assert log.logger.level == logging.WARNING
    assert gxf("run", graph(), "--severity", "9").exit_code == 2


def test_manifest_is_checked(gxf, graph, write, tmp_path):
    good = write("manifest.yaml", "extensions:\n- gxf/std/libgxf_std.so\n")
    assert gxf("run", graph(), "--manifest", good).exit_code == 0
    result = gxf("run", graph(), "--manifest", tmp_path / "none.yaml")
    assert result.exit_code == 1 and "manifest file not found" in result.stderr
    bad = write("bad_manifest.yaml", "libs: []\n")
    result = gxf("run", graph(), "--manifest", bad)
    assert result.exit_code == 1
    assert "a manifest must be a YAML mapping with an 'extensions' list" in result.stderr
    assert "Only checked" in " ".join(gxf("run", "--help").stdout.split())


# --- validate ----------------------------------------------------------------------------------------
def test_validate_reports_the_graph_size_without_running(gxf, graph, ext):
    result = gxf("validate", graph())
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 2 entities, 4 components")
    assert ext.EVENTS == []


def test_validate_finds_missing_parameters_and_dangling_handles(gxf, write):
    path = write("g.yaml", "name: e\ncomponents:\n- name: n\n  type: test::Needs\n")
    result = gxf("validate", path)
    assert result.exit_code == 1
    assert f"error: {path}:3: component 'e/n' (test::Needs) is missing required parameter 'value'" \
        in result.stderr
    path = write("h.yaml", "name: e\ncomponents:\n- type: test::Source\n  parameters: {target: nothing}\n")
    result = gxf("validate", path)
    assert result.exit_code == 1 and "entity 'e' has no component 'nothing'" in result.stderr


def test_validate_with_param(gxf, graph):
    result = gxf("validate", graph(), "--param", "work/store/capacity=many")
    assert result.exit_code == 1 and "parameter 'capacity'" in result.stderr


# --- list ---------------------------------------------------------------------------------------------
def test_list_shows_extensions_and_their_types(gxf):
    result = gxf("list")
    assert result.exit_code == 0
    out = result.stdout
    assert "CoreTestExtension 1.2.0  5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00  from gxf-core-tests" in out
    assert "GxfCore" in out and "nvidia::gxf::Subgraph" in out
    line = next(row for row in out.splitlines() if "test::Store " in row)
    assert "base test::Sink" in line and "Keeps the values it is given." in line
    assert "(abstract)" in next(row for row in out.splitlines() if "test::Sink " in row)


def test_list_json(gxf):
    data = json.loads(gxf("list", "--json").stdout)
    ext = next(e for e in data["extensions"] if e["name"] == "CoreTestExtension")
    assert ext["distribution"] == "gxf-core-tests" and ext["version"] == "1.2.0"
    assert {"name": "test::Store", "uuid": "5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d02", "base": "test::Sink",
            "abstract": False, "description": "Keeps the values it is given."} in ext["components"]


def test_list_reports_plugins_that_failed_to_load(gxf, broken_plugin):
    result = gxf("list")
    assert result.exit_code == 0
    failed = result.stdout.split("failed to load:\n")[1]
    assert "  broken-plugin: ImportError: No module named 'libfoo'\n" in failed
    assert "CoreTestExtension" in result.stdout, "the other extensions are still listed"
    data = json.loads(gxf("list", "--json").stdout)
    assert {"plugin": "broken-plugin", "error": "ImportError: No module named 'libfoo'"} in data["failures"]


def test_other_commands_warn_about_failed_plugins(gxf, broken_plugin, graph):
    for args in (["describe", "test::Store"], ["validate", graph()], ["schema", "test::Store"]):
        result = gxf(*args)
        assert result.exit_code == 0
        assert "warning: extension plugin 'broken-plugin' failed to load: ImportError" in result.stderr


# --- describe -----------------------------------------------------------------------------------------
def test_describe_a_component_type(gxf):
    result = gxf("describe", "test::Source")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("test::Source\n")
    assert "uuid:" in out and "5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d05" in out
    assert "base type:    nvidia::gxf::Component" in out
    assert "CoreTestExtension 1.2.0 (distribution gxf-core-tests)" in out
    assert "Sends values to sinks." in out
    rows = {line.split()[0]: line for line in out.split("parameters:\n")[1].splitlines()}
    assert rows["KEY"].split() == ["KEY", "TYPE", "DEFAULT", "REQUIRED", "DESCRIPTION"]
    assert rows["target"].split()[:4] == ["target", "handle[test::Sink]", "-", "required"]
    assert rows["extra"].split()[:4] == ["extra", "list[handle[test::Sink]]", "[]", "optional"]


def test_describe_shows_units_defaults_and_derived_types(gxf):
    out = gxf("describe", "test::Everything").stdout
    buffer = next(line for line in out.splitlines() if line.strip().startswith("buffer"))
    assert buffer.split()[:4] == ["buffer", "size", "'1KB'", "optional"]
    sink = gxf("describe", "test::Sink").stdout
    assert "derived types:" in sink and "test::Store" in sink and "abstract:" in sink


def test_describe_an_extension_by_name_or_uuid(gxf):
    by_name = gxf("describe", "CoreTestExtension")
    assert by_name.exit_code == 0
    assert by_name.stdout.startswith("CoreTestExtension (extension)")
    assert "test::Recorder" in by_name.stdout and "gxf-core-tests" in by_name.stdout
    assert gxf("describe", "5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00").stdout == by_name.stdout
    data = json.loads(gxf("describe", "CoreTestExtension", "--json").stdout)
    assert data["kind"] == "extension" and len(data["components"]) == 9


def test_describe_unknown_name_suggests(gxf):
    result = gxf("describe", "test::Sorce")
    assert result.exit_code == 1
    assert "no component type or extension called 'test::Sorce'" in result.stderr
    assert "did you mean 'test::Source'" in result.stderr
    result = gxf("describe", "CoreTestExtensoin")
    assert "did you mean extension 'CoreTestExtension'" in result.stderr


def test_describe_json_is_the_component_schema(gxf):
    schema = json.loads(gxf("describe", "test::Source", "--json").stdout)
    assert schema["title"] == "test::Source" and schema["required"] == ["target"]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert jsonschema.Draft202012Validator(schema).is_valid({"target": "e/store"})
    assert not jsonschema.Draft202012Validator(schema).is_valid({"target": "e/store", "bogus": 1})


# --- schema -------------------------------------------------------------------------------------------
def test_schema_of_a_component(gxf):
    schema = json.loads(gxf("schema", "test::Everything").stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["properties"]) >= {"flag", "buffer", "rate", "period", "color", "mode"}


def test_graph_schema_validates_real_graph_files(gxf, graph, write, tmp_path):
    out = tmp_path / "graph.schema.json"
    result = gxf("schema", "--graph", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    schema = json.loads(out.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for document in load_file(graph()):
        assert not list(validator.iter_errors(document)), document
    bad = load_file(write("bad.yaml", "name: e\ncomponents:\n- type: test::Store\n"
                                      "  parameters: {capacity: x}\n- type: test::Nope\n"))
    messages = [e.message for e in validator.iter_errors(bad[0])]
    assert any("'x' is not of type 'integer'" in m for m in messages)
    assert any("'test::Nope' is not one of" in m for m in messages)
    assert not validator.is_valid({"name": "e", "components": [], "extra_key": 1})


def test_schema_needs_a_name_or_graph(gxf):
    assert gxf("schema").exit_code == 2
    assert gxf("schema", "test::Store", "--graph").exit_code == 2
    result = gxf("schema", "CoreTestExtension")
    assert result.exit_code == 1 and "is an extension" in result.stderr


def test_help_and_version(gxf):
    out = gxf("--help").stdout
    for command in ("run", "list", "describe", "schema", "validate"):
        assert command in out
    assert gxf("run", "--help").stdout.startswith("Usage: gxf run")


def test_version_lists_gxf_core_then_every_extension_distribution(gxf):
    import importlib.metadata

    result = gxf("--version")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"gxf-core {importlib.metadata.version('gxf-core')}"
    assert f"gxf-std {importlib.metadata.version('gxf-std')}" in lines[1:]
    assert lines[1:] == sorted(lines[1:], key=str.lower)


def write_dist_info(folder: Path, name: str, version: str, entry_points: str = "") -> None:
    """Metadata of a distribution, as pip leaves it, without any code."""
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    if entry_points:
        (info / "entry_points.txt").write_text(entry_points)


def test_version_reads_metadata_only_and_skips_distributions_without_extensions(tmp_path):
    # a distribution whose plugin module does not exist: --version must not import it
    write_dist_info(tmp_path, "Acme_Vision.Ext", "3.4.5", "[gxf.extensions]\nvision = acme_missing\n")
    write_dist_info(tmp_path, "acme-tools", "9.9.9", "[console_scripts]\nacme = acme_tools:main\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path),
                                                                     os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-m", "gxf.core.cli", "--version"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("gxf-core ")
    assert "Acme_Vision.Ext 3.4.5" in lines
    assert not any(line.startswith("acme-tools") for line in lines)
    assert "acme_missing" not in result.stderr


# --- the installed console script ----------------------------------------------------------------
def gxf_script() -> str:
    script = Path(sys.executable).with_name("gxf")
    if not script.exists():
        pytest.skip("the gxf console script is not installed next to this Python")
    return str(script)


def test_console_script_runs_as_a_real_process(tmp_path):
    graph = tmp_path / "g.yaml"
    graph.write_text("name: e\ncomponents:\n- name: sub\n  type: nvidia::gxf::Subgraph\n  parameters:\n"
                     "    location: [oops\n")
    env = {k: v for k, v in os.environ.items() if k != "GXF_LOG_LEVEL"}
    result = subprocess.run([gxf_script(), "validate", str(graph)], capture_output=True, text=True,
                            timeout=30, env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2].startswith(f"error: {graph}:")
    assert "invalid YAML" in result.stderr and "Traceback" not in result.stderr
    result = subprocess.run([gxf_script(), "describe", "nvidia::gxf::Subgraph"], capture_output=True,
                            text=True, timeout=30, env=env)
    assert result.returncode == 0 and "location" in result.stdout


def test_python_dash_m_works(tmp_path):
    result = subprocess.run([sys.executable, "-m", "gxf.core.cli", "validate", str(tmp_path / "x.yaml")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "graph file not found" in result.stderr
