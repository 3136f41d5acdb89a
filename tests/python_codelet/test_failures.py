"""Failures in Python codelets: clear messages naming the codelet, its entity and the user's file:line;
every started codelet still gets stop()."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from gxf.core import Context, ExecutionError, GxfError, load_graph_file, load_graph_text
from gxf.python_codelet import CodeletFileError

CODELETS = Path(__file__).resolve().parent / "codelets"
FAULTY = str(CODELETS / "Faulty.py")

TEMPLATE = """
    name: good
    components:
    - name: noter
      type: nvidia::gxf::PyCodeletV0
      parameters:
        codelet_name: NotesStop
        codelet_file: {codelets}/Faulty.py
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {{count: 10}}
    ---
    name: bad
    components:
    - name: culprit
      type: nvidia::gxf::PyCodeletV0
      parameters:
        codelet_name: {name}
        codelet_file: {file}
        codelet_params: {params}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {{count: 10}}
    ---
    name: scheduler
    components:
    - name: clock
      type: nvidia::gxf::ManualClock
    - type: nvidia::gxf::GreedyScheduler
      parameters: {{clock: clock}}
    """


@pytest.fixture
def stopped():
    """The list Faulty.py's codelets append their names to in stop() (emptied first)."""
    context = Context()
    load_graph_text(context, textwrap.dedent(TEMPLATE).format(codelets=CODELETS, name="NotesStop",
                                                         file=FAULTY, params="{}"))
    context.activate()  # loads Faulty.py
    try:
        module = sys.modules[context.find_component("good/noter")._class.__module__]
    finally:
        context.deactivate()
    module.STOPPED.clear()
    return module.STOPPED


def graph(write_graph, name, file=FAULTY, params="{}"):
    return write_graph(TEMPLATE.format(codelets=CODELETS, name=name, file=file, params=params))


def run(path):
    with Context() as context:
        load_graph_file(context, path)
        context.run()


def test_an_exception_in_tick_fails_the_graph_with_the_users_file_line_and_traceback(
        write_graph, stopped, codelet_line):
    path = graph(write_graph, "FailsInTick", params="{fail_at: 3}")
    with pytest.raises(ExecutionError) as info:
        run(path)
    message = str(info.value)
    assert message.startswith(f"{path}:14: codelet 'bad/culprit' (nvidia::gxf::PyCodeletV0) failed in tick(): ")
    raise_line = codelet_line("Faulty.py", "raise ValueError")
    assert f"FailsInTick.tick() at {FAULTY}:{raise_line} raised ValueError: tick 3 is bad\n" in message
    assert "Python traceback (most recent call last):" in message
    assert f'File "{FAULTY}", line {codelet_line("Faulty.py", "check(self.get_execution_count()")}, in tick' \
        in message
    assert f'File "{FAULTY}", line {raise_line}, in check' in message
    # Both codelets got stop(), the failing one included.
    assert sorted(stopped) == ["culprit", "noter"]


def test_an_exception_in_start_names_start_and_stops_the_codelets_already_started(
        write_graph, stopped, codelet_line):
    path = graph(write_graph, "FailsInStart")
    with pytest.raises(ExecutionError) as info:
        run(path)
    message = str(info.value)
    assert "codelet 'bad/culprit' (nvidia::gxf::PyCodeletV0) failed in start(): " in message
    assert f"FailsInStart.start() at {FAULTY}:{codelet_line('Faulty.py', 'cannot start')} raised " \
        "RuntimeError: cannot start" in message
    assert stopped == ["noter"]  # started before the failure; the failed codelet never started


def test_an_exception_in_stop_fails_the_graph_after_every_stop_ran(write_graph, tmp_path):
    (tmp_path / "stops.py").write_text(
        "from gxf.python_codelet import CodeletAdapter\n"
        "ORDER = []\n\n\n"
        "class BadStop(CodeletAdapter):\n"
        "    def stop(self):\n"
        "        ORDER.append(self.name())\n"
        "        raise KeyError('gone')\n")
    path = write_graph(TEMPLATE.format(codelets=CODELETS, name="BadStop", file="stops.py", params="{}"))
    with pytest.raises(ExecutionError) as info:
        run(path)
    assert f"failed in stop(): BadStop.stop() at {tmp_path / 'stops.py'}:8 raised KeyError: 'gone'" \
        in str(info.value)


def test_a_syntax_error_names_the_codelet_file_and_line_before_anything_runs(write_graph, tmp_path, stopped):
    (tmp_path / "Broken.py").write_text("from gxf.python_codelet import CodeletAdapter\n\n\n"
                                        "class Broken(CodeletAdapter)\n    pass\n")
    path = graph(write_graph, "Broken", file="Broken.py")
    with pytest.raises(CodeletFileError) as info:
        run(path)
    error = info.value
    assert str(error.location) == f"{tmp_path / 'Broken.py'}:4"
    assert "syntax error in codelet file (component 'bad/culprit' (nvidia::gxf::PyCodeletV0) at " \
           f"{path}:14)" in error.message
    assert "class Broken(CodeletAdapter)" in error.message
    assert stopped == []  # nothing started


def test_a_failing_import_in_the_codelet_file_names_the_line(write_graph, tmp_path):
    (tmp_path / "Imports.py").write_text("import os\nimport no_such_module_for_gxf_tests\n\n\n"
                                         "class Imports:\n    pass\n")
    with pytest.raises(CodeletFileError) as info:
        run(graph(write_graph, "Imports", file="Imports.py"))
    assert str(info.value.location) == f"{tmp_path / 'Imports.py'}:2"
    assert "ModuleNotFoundError: No module named 'no_such_module_for_gxf_tests'" in info.value.message
    assert "Imports" not in sys.modules


def test_a_missing_class_suggests_the_codelets_the_file_has(write_graph):
    path = graph(write_graph, "FailsInTik")
    with pytest.raises(CodeletFileError) as info:
        run(path)
    error = info.value
    assert str(error.location) == f"{path}:14"
    assert error.message == ("component 'bad/culprit' (nvidia::gxf::PyCodeletV0): codelet file "
                             f"{FAULTY} has no class 'FailsInTik' (codelet_name)")
    assert error.hint.startswith("did you mean 'FailsInTick'")


def test_a_class_that_is_not_a_codelet_adapter_is_refused(write_graph, codelet_line):
    with pytest.raises(CodeletFileError) as info:
        run(graph(write_graph, "NotAnAdapter"))
    assert "class 'NotAnAdapter'" in info.value.message and "does not derive from CodeletAdapter" \
        in info.value.message
    assert str(info.value.location) == f"{FAULTY}:{codelet_line('Faulty.py', 'class NotAnAdapter')}"


def test_a_missing_codelet_file_is_named(write_graph, tmp_path):
    with pytest.raises(CodeletFileError) as info:
        run(graph(write_graph, "PingTx", file="nowhere/PingTx.py"))
    assert f"codelet_file '{tmp_path / 'nowhere' / 'PingTx.py'}' does not exist" in info.value.message
    assert "working directory" in info.value.hint


def test_codelet_params_that_are_not_a_mapping_fail_in_get_params_with_a_hint(write_graph):
    path = graph(write_graph, "FailsInTick", params='"just some words"')
    with pytest.raises(ExecutionError) as info:
        run(path)
    assert "codelet_params: cannot read 'just some words' as a mapping or as key=value pairs" in str(info.value)
    assert "get_params_string()" in str(info.value)


def test_codelet_params_of_the_wrong_type_are_refused_when_loading(write_graph):
    with pytest.raises(GxfError, match=r"parameter 'codelet_params' of component 'bad/culprit'.*: expected "
                                       r"string or mapping, got \[1, 2\] \(list\)"):
        run(graph(write_graph, "NotesStop", params="[1, 2]"))
