"""`gxf validate` checks Python codelets as `gxf run` would, without executing their files: the
codelet_file exists (taken from the graph file's folder), compiles and defines codelet_name; and
codelet_params strings are read with the bounded YAML reader of graph files."""

import time

import pytest

from gxf.core import GraphErrors, GxfError
from gxf.core.runner import run_graphs, validate_graphs
from gxf.python_codelet import CodeletFileError
from gxf.python_codelet.codelet_params import parse_codelet_params

GRAPH = """
    name: a
    components:
    - name: codelet
      type: nvidia::gxf::PyCodeletV0
      parameters:
        codelet_name: {name}
        codelet_file: {file}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {{count: 1}}
    ---
    name: scheduler
    components:
    - name: clock
      type: nvidia::gxf::ManualClock
    - type: nvidia::gxf::GreedyScheduler
      parameters: {{clock: clock}}
    """

RUNS_AT_IMPORT = """\
import pathlib
pathlib.Path(__file__).with_name("imported.txt").write_text("the file was executed")
from gxf.python_codelet import CodeletAdapter


class Hello(CodeletAdapter):
    def tick(self):
        pass
"""


def graph(write_graph, name="Hello", file="hello.py"):
    return write_graph(GRAPH.format(name=name, file=file))


def test_a_valid_codelet_passes_validate_without_its_file_being_executed(write_graph, tmp_path):
    (tmp_path / "hello.py").write_text(RUNS_AT_IMPORT)
    validate_graphs([graph(write_graph)])
    assert not (tmp_path / "imported.txt").exists()
    run_graphs([graph(write_graph)])  # and it runs
    assert (tmp_path / "imported.txt").exists()


def test_validate_reports_a_missing_codelet_file_with_the_graph_line(write_graph, tmp_path):
    path = graph(write_graph, file="nowhere.py")
    with pytest.raises(CodeletFileError) as info:
        validate_graphs([path])
    assert f"codelet_file '{tmp_path / 'nowhere.py'}' does not exist" in info.value.message
    assert str(info.value.location) == f"{path}:4"  # the component, where the graph names the file


def test_validate_reports_a_syntax_error_at_the_codelets_line(write_graph, tmp_path):
    (tmp_path / "hello.py").write_text("class Hello:\n    def tick(self)\n        pass\n")
    with pytest.raises(CodeletFileError, match="syntax error in codelet file") as info:
        validate_graphs([graph(write_graph)])
    assert str(info.value.location) == f"{tmp_path / 'hello.py'}:2"


def test_validate_reports_a_missing_class_with_the_close_names(write_graph, tmp_path):
    (tmp_path / "hello.py").write_text(RUNS_AT_IMPORT)
    with pytest.raises(CodeletFileError, match="has no class 'Helo'") as info:
        validate_graphs([graph(write_graph, name="Helo")])
    assert info.value.hint.startswith("did you mean 'Hello'")
    assert not (tmp_path / "imported.txt").exists()


def test_validate_and_run_refuse_the_same_codelet_files(write_graph, tmp_path):
    (tmp_path / "hello.py").write_text("x = (\n")
    path = graph(write_graph)
    for command in (validate_graphs, run_graphs):
        with pytest.raises(CodeletFileError, match="syntax error in codelet file"):
            command([path])


def test_a_codelet_file_in_the_working_directory_is_not_taken(write_graph, tmp_path, monkeypatch):
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    (elsewhere / "codelets").mkdir()
    (elsewhere / "codelets" / "hello.py").write_text(RUNS_AT_IMPORT)
    monkeypatch.chdir(elsewhere)
    with pytest.raises(CodeletFileError, match="does not exist"):
        validate_graphs([graph(write_graph, file="codelets/hello.py")])


def test_every_broken_codelet_of_a_graph_is_reported_in_one_pass(write_graph, tmp_path):
    (tmp_path / "hello.py").write_text(RUNS_AT_IMPORT)
    text = GRAPH.format(name="Helo", file="hello.py") + """
    ---
    name: b
    components:
    - type: nvidia::gxf::PyCodeletV0
      parameters:
        codelet_name: Hello
        codelet_file: missing.py
    """
    with pytest.raises(GraphErrors) as info:
        validate_graphs([write_graph(text)])
    messages = [e.message for e in info.value.errors]
    assert len(messages) == 2
    assert "has no class 'Helo'" in messages[0] and "missing.py' does not exist" in messages[1]


# --- codelet_params: the bounded, located YAML reader --------------------------------------------------
LAUGHS = "{" + ", ".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]) + "}"


def test_nested_aliases_in_codelet_params_are_refused_quickly():
    started = time.monotonic()
    with pytest.raises(ValueError, match="too many YAML aliases"):
        parse_codelet_params(LAUGHS, "codelet_params of a/codelet")
    assert time.monotonic() - started < 1.0


def test_a_key_given_twice_in_codelet_params_is_an_error_naming_both():
    with pytest.raises(ValueError, match=r"key 'a' is given twice in one mapping \(lines 1 and 2\)"):
        parse_codelet_params("a: 1\na: 2\n", "codelet_params")


def test_codelet_params_strings_still_read_as_yaml_or_pairs():
    assert parse_codelet_params("{a: 1, b: [1, 2]}") == {"a": 1, "b": [1, 2]}
    assert parse_codelet_params("log_count=5,name=rx,values=[1,2]") == {"log_count": 5, "name": "rx",
                                                                           "values": [1, 2]}
    assert parse_codelet_params("~") == {}
    assert parse_codelet_params("a=x: y: z") == {"a": "x: y: z"}


def test_a_hostile_codelet_params_string_fails_the_codelet_with_a_clear_error(write_graph, tmp_path):
    (tmp_path / "hello.py").write_text(
        "from gxf.python_codelet import CodeletAdapter\n\n\nclass Hello(CodeletAdapter):\n"
        "    def start(self):\n        self.get_params()\n")
    text = GRAPH.format(name="Hello", file="hello.py").replace(
        "codelet_file: hello.py", f"codelet_file: hello.py\n        codelet_params: '{LAUGHS}'")
    with pytest.raises(GxfError, match="codelet_params: .*too many YAML aliases"):
        run_graphs([write_graph(text)])
