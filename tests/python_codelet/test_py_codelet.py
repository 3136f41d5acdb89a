"""PyCodeletV0 runs Python codelet files written in GXF's style, from graph files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gxf.core import Context, MessageEntity, plugins
from gxf.python_codelet import CodeletAdapter, PyCodeletV0, PyData
from gxf.python_codelet import codelet as codelet_module
from gxf.std.timestamp import Timestamp

HERE = Path(__file__).resolve().parent
GRAPHS = HERE / "graphs"
CODELETS = HERE / "codelets"


def test_the_extension_registers_pycodeletv0_under_gxf_names():
    registry = plugins.default_registry()
    ext = registry.extension("PythonCodeletExtension")
    assert ext.uuid == "787daddc-1c34-11ec-9621-0242ac130002"
    assert ext.distribution == "gxf-python-codelet"
    ctype = registry.component_type("nvidia::gxf::PyCodeletV0")
    assert ctype.cls is PyCodeletV0 and ctype.base == "nvidia::gxf::Codelet"
    assert registry.component_type("nvidia::gxf::PyData").cls is PyData
    assert set(PyCodeletV0.parameters()) >= {"codelet_name", "codelet_file", "codelet_params", "receivers",
                                             "transmitters", "allocators", "cuda_stream_pool",
                                             "cuda_stream_pools", "clock"}
    assert PyCodeletV0.parameters()["codelet_name"].required
    assert PyCodeletV0.parameters()["codelet_file"].required
    assert not PyCodeletV0.parameters()["codelet_params"].required


def test_codelet_adapter_is_importable_where_gxf_has_it():
    assert codelet_module.CodeletAdapter is CodeletAdapter


def test_gxf_style_ping_codelets_deliver_five_messages(run_graph):
    context = run_graph(GRAPHS / "ping_py_py.yaml")
    tx = context.find_component("tx/python_codelet")
    rx = context.find_component("rx/python_codelet")
    assert tx.adapter.sent == 5
    assert len(rx.adapter.received) == 5
    for message, _ in rx.adapter.received:
        assert isinstance(message, MessageEntity)
        assert Timestamp.get_from_entity(message).acqtime == 1  # publish(msg, 1)
    # StepCount fails the run in stop() unless both entities ticked five times.
    assert context.find_component("tx/step_count").adapter.current_count == 5
    assert context.find_component("rx/step_count").adapter.current_count == 5
    assert tx.get_execution_count() == rx.get_execution_count() == 5


def test_a_codelet_file_is_loaded_once_and_reused(run_graph):
    first = run_graph(GRAPHS / "ping_py_py.yaml")
    second = run_graph(GRAPHS / "ping_py_py.yaml")
    classes = {id(ctx.find_component(f"{e}/step_count").adapter.__class__)
               for ctx in (first, second) for e in ("tx", "rx")}
    assert len(classes) == 1
    # ... while each run gets codelet objects of its own.
    assert first.find_component("tx/step_count").adapter is not second.find_component("tx/step_count").adapter


RELATIVE_CODELET_GRAPH = """
    name: counter
    components:
    - name: step_count
      type: nvidia::gxf::PyCodeletV0
      parameters:
        codelet_name: StepCount
        codelet_file: codelets/StepCount.py
        codelet_params: {expected_count: 3}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {count: 3}
    ---
    name: scheduler
    components:
    - name: clock
      type: nvidia::gxf::ManualClock
    - type: nvidia::gxf::GreedyScheduler
      parameters: {clock: clock}
    """

HIJACK = """\
from gxf.python_codelet import CodeletAdapter

HIJACKED = []


class StepCount(CodeletAdapter):
    def start(self):
        HIJACKED.append(True)
        raise RuntimeError("the working directory's file ran")
"""


def test_a_relative_codelet_file_is_taken_from_the_graph_folder_never_the_working_directory(
        tmp_path, monkeypatch, write_graph, run_graph):
    graph = write_graph(RELATIVE_CODELET_GRAPH)
    (tmp_path / "codelets").mkdir()
    (tmp_path / "codelets" / "StepCount.py").write_text((CODELETS / "StepCount.py").read_text())
    # A file of the same relative name in the working directory must not replace the graph's codelet.
    cwd = tmp_path / "elsewhere"
    (cwd / "codelets").mkdir(parents=True)
    (cwd / "codelets" / "StepCount.py").write_text(HIJACK)
    monkeypatch.chdir(cwd)
    context = run_graph(graph)
    component = context.find_component("counter/step_count")
    assert component.codelet_file == str(tmp_path / "codelets" / "StepCount.py")
    assert component.adapter.current_count == 3


def test_a_codelet_file_found_only_under_the_working_directory_is_not_used(
        tmp_path, monkeypatch, write_graph):
    from gxf.core import load_graph_file
    from gxf.python_codelet.codelet_source import CodeletFileError

    graph = write_graph(RELATIVE_CODELET_GRAPH)
    cwd = tmp_path / "elsewhere"
    (cwd / "codelets").mkdir(parents=True)
    (cwd / "codelets" / "StepCount.py").write_text(HIJACK)
    monkeypatch.chdir(cwd)
    with Context() as context:
        load_graph_file(context, graph)
        with pytest.raises(CodeletFileError) as info:
            context.activate()  # refused by preflight(), before any codelet file is executed
    assert f"codelet_file '{tmp_path / 'codelets' / 'StepCount.py'}' does not exist" in info.value.message
    assert "never from the working directory" in info.value.hint
    assert not any(getattr(m, "HIJACKED", None) is not None for m in list(sys.modules.values()))


def test_an_absolute_codelet_file_is_taken_as_it_is(tmp_path, write_graph, run_graph):
    absolute = str(CODELETS / "StepCount.py")
    graph = write_graph(RELATIVE_CODELET_GRAPH.replace("codelets/StepCount.py", absolute))
    context = run_graph(graph)
    assert context.find_component("counter/step_count").codelet_file == str(CODELETS / "StepCount.py")


def test_codelet_params_as_a_string_reach_get_params_as_a_dict_and_stay_available_raw(run_graph):
    context = run_graph(GRAPHS / "api_probe.yaml")
    adapter = context.find_component("probe/probe").adapter
    assert adapter.params == {"rate": "10ms", "label": "probe one", "sizes": [1, 2]}
    assert adapter.params_string == "rate=10ms,label=probe one,sizes=[1,2]"


def test_pydata_carries_a_python_object_in_a_message():
    with Context() as context:
        message = MessageEntity(context)
        payload = {"frame": 7}
        PyData.add_to_entity(message, payload, "data")
        assert PyData.get_from_entity(message, "data") is payload
        assert PyData.get_from_entity(message) is payload
        with pytest.raises(ValueError, match="no PyData called 'other'"):
            PyData.get_from_entity(message, "other")


def test_without_a_codelet_file_the_class_is_taken_from_the_main_module(run_graph, write_graph, monkeypatch):
    import types

    main = types.ModuleType("__main__")

    class FromMain(CodeletAdapter):
        def start(self):
            self.ran = True

    main.FromMain = FromMain
    monkeypatch.setitem(sys.modules, "__main__", main)
    graph = write_graph("""
        name: node
        components:
        - name: codelet
          type: nvidia::gxf::PyCodeletV0
          parameters: {codelet_name: FromMain, codelet_file: "None"}
        - type: nvidia::gxf::CountSchedulingTerm
          parameters: {count: 2}
        """)
    context = run_graph(graph)
    component = context.find_component("node/codelet")
    assert isinstance(component.adapter, FromMain) and component.adapter.ran
    assert component.get_execution_count() == 2
