"""GXF's own public test graphs, run unchanged with `gxf run` where a checkout of the GXF sources is at hand.

Set ``GXF_SOURCE_DIR`` to the folder holding GXF's ``gxf/`` tree (``com_nvidia_gxf`` in the public
repository); without it these tests are skipped. The graphs are found as GXF's own build finds them:
every ``nv_gxf_app`` of the listed BUILD files (its ``gxf_file`` or its ``srcs``), run from that folder
with ``--app-root`` there, as GXF's runner takes their relative paths from the tree's root; and the
behavior-tree graphs that GXF's C++ test driver loads, with the root status it expects. A graph is
expected to run to its end (exit 0) unless listed below with what it must say instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SOURCES = Path(os.environ["GXF_SOURCE_DIR"]) if os.environ.get("GXF_SOURCE_DIR") else None
pytestmark = pytest.mark.skipif(SOURCES is None or not (SOURCES / "gxf").is_dir(),
                                reason="GXF_SOURCE_DIR does not name a checkout of GXF's sources")

APP_FOLDERS = ("test/apps", "test/event_based_scheduler", "test/multi_thread_scheduler", "sample/tests",
               "serialization/tests")
RUN_TIMEOUT_S = 120
HAS_CUPY = importlib.util.find_spec("cupy") is not None

#: Apps whose run must fail, each with the words its error must carry (they show a failure on purpose).
FAILING = {"test_multi_thread_exit": "ticked more than num_max_ticks (5) times"}
#: Apps that need a GPU: without CuPy their error must say so.
GPU = {"test_tensor_copier_device_to_system", "test_device_serializer"}
#: Apps left out: they run for hours by design.
LONG = {"test_delayed_periodic_stress"}


def _apps() -> list:
    if SOURCES is None:
        return []
    found = []
    for folder in APP_FOLDERS:
        build = SOURCES / "gxf" / folder / "BUILD"
        if not build.is_file():
            continue
        for rule in re.finditer(r"nv_gxf_app\((.*?)\n\)", build.read_text(), re.S):
            body = rule.group(1)
            name = re.search(r'name\s*=\s*"([^"]+)"', body).group(1)
            single = re.search(r'gxf_file\s*=\s*"([^"]+)"', body)
            listed = re.search(r"srcs\s*=\s*\[(.*?)\]", body, re.S)
            files = [single.group(1)] if single else re.findall(r'"([^"]+\.yaml)"', listed.group(1)) if listed else []
            paths = [SOURCES / "gxf" / folder / f.lstrip(":") for f in files]
            if paths and all(p.is_file() for p in paths) and name not in LONG:
                found.append(pytest.param(name, paths, id=f"{folder}/{name}"))
    return found


def _behavior_trees() -> list:
    if SOURCES is None:
        return []
    driver = SOURCES / "gxf" / "behavior_tree" / "tests" / "test_behavior.cpp"
    if not driver.is_file():
        return []
    cases = []
    for block in re.split(r"\nTEST\(", driver.read_text())[1:]:
        graph = re.search(r"tests/(\w+\.yaml)", block)
        status = re.search(r"eid_root, &root_status\)\);\s*GXF_ASSERT_EQ\(root_status, GXF_BEHAVIOR_(\w+)\)", block)
        if graph and status:
            cases.append(pytest.param(graph.group(1), status.group(1), id=graph.group(1)))
    return cases


def gxf(*args) -> subprocess.CompletedProcess:
    # -P: the tree's own gxf/ folder must not replace the package
    return subprocess.run([sys.executable, "-P", "-m", "gxf.core.cli", "run", "--app-root", str(SOURCES), *args],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S, cwd=SOURCES)


@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
@pytest.mark.parametrize(("name", "paths"), _apps())
def test_gxfs_app_runs_as_gxf_runs_it(name, paths):
    if name in GPU and HAS_CUPY:
        pytest.skip("needs a GPU run, not part of this check")
    done = gxf(*map(str, paths))
    if name in FAILING:
        assert done.returncode == 1 and FAILING[name] in done.stderr, done.stderr
    elif name in GPU:
        assert done.returncode == 1 and "the GPU needs CuPy" in done.stderr, done.stderr
    else:
        assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
@pytest.mark.parametrize(("graph", "status"), _behavior_trees())
def test_gxfs_behavior_tree_graph_ends_as_its_driver_expects(graph, status):
    done = gxf(str(SOURCES / "gxf" / "behavior_tree" / "tests" / graph))
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"behavior tree 'root': {status}" in done.stderr, done.stderr[-3000:]


#: Graphs of GXF's Python-codelet tests that run on their own (the others need their Python test driver).
PYTHON_GRAPHS = ("test_ping_py_py", "test_ping_py_cpp", "test_ping_cpp_py", "test_subgraph",
                 "test_python_periodic_scheduling_term", "test_python_target_time_scheduling_term",
                 "test_vector_params", "test_tensor_description", "test_tensor_info",
                 "test_python_primitive_tensors", "test_boolean_scheduling")


@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
@pytest.mark.parametrize("graph", PYTHON_GRAPHS)
def test_gxfs_python_codelet_graph_runs_with_its_codelet_files(graph):
    done = gxf(str(SOURCES / "gxf" / "python" / "tests" / f"{graph}.yaml"))
    assert done.returncode == 0, done.stderr[-3000:]
