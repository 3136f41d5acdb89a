"""Parameter checking while loading: `gxf validate` asks jsonschema about every component; `gxf run`
converts with the declared types (no jsonschema import on its start-up path) and asks jsonschema to
explain any value the conversion refused."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gxf.core import Context, ParameterError, load_graph_file
from gxf.core.runner import validate_graphs

REPO = Path(__file__).resolve().parents[2]
PING = REPO / "examples" / "ping.yaml"


def _modules_after(call: str) -> set:
    code = textwrap.dedent(f"""
        import sys
        from gxf.core import runner
        runner.{call}([{str(PING)!r}])
        print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'gxf'))))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=REPO, check=True).stdout
    return set(out.split())


def test_running_a_valid_graph_does_not_import_jsonschema():
    modules = _modules_after("run_graphs")
    assert "jsonschema" not in modules
    assert "gxf.core.graph" not in modules  # the Python graph API is imported on first use only


def test_validating_a_graph_checks_every_component_with_jsonschema():
    assert "jsonschema" in _modules_after("validate_graphs")


def test_validate_sets_strict_schema_on_its_context():
    context = validate_graphs([PING])
    assert context.strict_schema is True
    assert Context().strict_schema is False


def test_a_refused_value_on_the_run_path_is_explained_by_the_schema(tmp_path):
    text = PING.read_text().replace("count: 10", "count: ten")
    assert text != PING.read_text()
    graph = tmp_path / "bad.yaml"
    graph.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "count: ten" in row)
    with Context() as context, pytest.raises(ParameterError) as info:
        load_graph_file(context, graph)
    message = str(info.value)
    assert f"bad.yaml:{line}" in message
    assert "expected integer" in message  # jsonschema's account, not only the converter's


def test_run_and_validate_agree_on_an_enum_spelt_in_the_wrong_case(tmp_path):
    graph = tmp_path / "periodic.yaml"
    graph.write_text(PING.read_text() + textwrap.dedent("""
        ---
        name: beat
        components:
        - type: nvidia::gxf::PeriodicSchedulingTerm
          parameters:
            recess_period: 10ms
            policy: minTimeBetweenTicks
    """))
    with pytest.raises(ParameterError, match="not one of"):
        validate_graphs([graph])
    with Context() as context, pytest.raises(ParameterError, match="not one of"):
        load_graph_file(context, graph)
