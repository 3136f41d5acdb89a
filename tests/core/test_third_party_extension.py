"""A third-party extension distribution, really installed, is found through its entry point.

examples/third_party_extension is built and installed with pip into a temporary folder, next to a
second distribution whose plugin module fails to import. A `gxf` process with that folder on its path
finds both through importlib.metadata: it lists the example's extension and types, reports the broken
one, validates the example's graph, and the components work.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "third_party_extension"

BROKEN_PYPROJECT = """
    [build-system]
    requires = ["setuptools>=70.1"]
    build-backend = "setuptools.build_meta"

    [project]
    name = "gxf-broken-extension"
    version = "0.0.1"

    [project.entry-points."gxf.extensions"]
    broken = "gxf_broken_ext"

    [tool.setuptools]
    py-modules = ["gxf_broken_ext"]
    """

COMPONENTS_AT_WORK = """
    from gxf.core import Context, load_graph_file
    from gxf_example_ext import RateLimiter

    ctx = Context()
    load_graph_file(ctx, {graph!r})
    ctx.finalize()
    gate, passed = ctx.find_component("limiter/gate"), ctx.find_component("limiter/passed")
    assert isinstance(gate, RateLimiter) and gate.accumulator is passed and gate.max_rate == 20.0
    passed.initialize(); gate.initialize()
    # five at once (the burst), then one per 50 ms at 20 Hz
    results = [gate.allow(0, value=float(i)) for i in range(7)] + [gate.allow(50_000_000, value=9.0)]
    assert results == [True] * 5 + [False, False, True], results
    assert (passed.count, passed.total, passed.maximum) == (6, 19.0, 9.0)
    print("components work")
    """


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder with gxf-example-extension and a broken extension installed into it by pip."""
    work = tmp_path_factory.mktemp("third_party")
    example = shutil.copytree(EXAMPLE, work / "example",
                              ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    broken = work / "broken"
    broken.mkdir()
    (broken / "pyproject.toml").write_text(textwrap.dedent(BROKEN_PYPROJECT))
    (broken / "gxf_broken_ext.py").write_text("import a_module_that_is_not_installed\n")
    target = work / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(example), str(broken)],
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, f"pip install failed:\n{result.stdout}\n{result.stderr}"
    assert (target / "gxf_example_extension-1.0.0.dist-info").is_dir()
    return target


def gxf(site: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site)] + [p for p in [env.get("PYTHONPATH")] if p])
    env.pop("GXF_LOG_LEVEL", None)
    script = Path(sys.executable).with_name("gxf")
    if code is not None:
        command = [sys.executable, "-c", code]
    elif script.exists():
        command = [str(script), *args]
    else:
        command = [sys.executable, "-m", "gxf.core.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, cwd=REPO_ROOT)


@pytest.mark.timeout(300)
def test_gxf_list_shows_the_installed_extension_and_the_broken_one(site):
    result = gxf(site, "list")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ExampleExtension 1.0.0  d45f240d-f3cb-4739-86d5-d0956db59b5d  from gxf-example-extension" in out
    assert "example::Accumulator" in out and "example::RateLimiter" in out
    assert "failed to load:" in out
    assert ("gxf-broken-extension:broken: ModuleNotFoundError: "
            "No module named 'a_module_that_is_not_installed'") in out
    assert "GxfCore" in out, "the broken plugin does not break the others"


@pytest.mark.timeout(300)
def test_gxf_describe_the_installed_types(site):
    result = gxf(site, "describe", "example::RateLimiter")
    assert result.returncode == 0, result.stderr
    assert "ExampleExtension 1.0.0 (distribution gxf-example-extension)" in result.stdout
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:] if line.strip()}
    assert rows["max_rate"][:4] == ["max_rate", "frequency", "-", "required"]
    assert rows["accumulator"][:2] == ["accumulator", "handle[example::Accumulator]"]
    assert "warning: extension plugin 'gxf-broken-extension:broken' failed to load" in result.stderr


@pytest.mark.timeout(300)
def test_gxf_validate_the_example_graph(site):
    result = gxf(site, "validate", "examples/third_party_extension/graphs/limiter.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


@pytest.mark.timeout(300)
def test_the_installed_components_work_in_a_graph(site):
    graph = str(EXAMPLE / "graphs" / "limiter.yaml")
    result = gxf(site, code=textwrap.dedent(COMPONENTS_AT_WORK.format(graph=graph)))
    assert result.returncode == 0, result.stderr
    assert "components work" in result.stdout


def test_without_the_extension_the_graph_names_what_is_missing():
    result = subprocess.run([sys.executable, "-m", "gxf.core.cli", "validate",
                             str(EXAMPLE / "graphs" / "limiter.yaml")],
                            capture_output=True, text=True, timeout=60)
    if "ExampleExtension" in subprocess.run([sys.executable, "-m", "gxf.core.cli", "list"],
                                            capture_output=True, text=True, timeout=60).stdout:
        pytest.skip("gxf-example-extension is installed in this environment")
    assert result.returncode == 1
    assert "needs extension 'ExampleExtension', which is not installed" in result.stderr
    assert "limiter.yaml:6:" in result.stderr
