"""A third-party extension distribution, really installed, is found through its entry point.

examples/third_party_extension is built and installed with pip into a temporary folder, next to a
second distribution whose plugin module fails to import. A `gxf` process with that folder on its path
finds both through importlib.metadata: it lists the example's extension and types, reports the broken
one, validates the example's graphs, and the components work. The statistics graph, run from the
installed copy with `gxf run`, streams numbers through the extension's codelets and the standard
queues and scheduler; its check fails the run unless the computed statistics are right.

The example depends on gxf-std, which the test's environment already has: pip installs with
--no-deps --no-index, so nothing is downloaded.
"""

import os
import re
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
    from gxf_example_ext import RateLimiter, numbers_of

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

    # RunningStatistics reads a real primitive value or every element of a tensor
    from gxf.core import MessageEntity
    from gxf.std.primitives import Complex64, Int32
    from gxf.std.tensor import Tensor

    message = MessageEntity(ctx)
    message.add(Int32(-7), "value")
    Tensor.add_np_array_as_tensor_to_entity(message, "image", [[1, 2], [3, 4]])
    message.add(Complex64(1j), "phase")
    assert numbers_of(message, "value") == [-7.0]
    assert numbers_of(message, "image") == [1.0, 2.0, 3.0, 4.0]
    for field, error in [("phase", "component 'phase' is a nvidia::gxf::complex64, not a real number"),
                         ("nothing", "the message has no component called 'nothing'; it holds value "
                                     "(int32_t), image (nvidia::gxf::Tensor), phase")]:
        try:
            numbers_of(message, field)
        except ValueError as exc:
            assert str(exc).startswith(error), exc
        else:
            raise AssertionError("numbers_of(%r) did not fail" % field)
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
    assert (target / "gxf_example_extension-1.1.0.dist-info").is_dir()
    return target


def gxf(site: Path, *args: str, code: str | None = None,
        cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    """Runs `gxf ARGS` (or `python -c CODE`) in a process that finds the distributions in ``site``."""
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
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, cwd=cwd)


@pytest.mark.timeout(300)
def test_gxf_list_shows_the_installed_extension_and_the_broken_one(site):
    result = gxf(site, "list")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ExampleExtension 1.1.0  d45f240d-f3cb-4739-86d5-d0956db59b5d  from gxf-example-extension" in out
    for name in ("Accumulator", "RateLimiter"):
        assert f"example::{name}" in out
    for name in ("RampSource", "RunningStatistics", "StatisticsCheck"):
        assert re.search(rf"example::{name} +base nvidia::gxf::Codelet ", out), name
    assert "failed to load:" in out
    assert ("gxf-broken-extension:broken: ModuleNotFoundError: "
            "No module named 'a_module_that_is_not_installed'") in out
    assert "GxfCore" in out, "the broken plugin does not break the others"


@pytest.mark.timeout(300)
def test_gxf_describe_the_installed_types(site):
    result = gxf(site, "describe", "example::RateLimiter")
    assert result.returncode == 0, result.stderr
    assert "ExampleExtension 1.1.0 (distribution gxf-example-extension)" in result.stdout
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:] if line.strip()}
    assert rows["max_rate"][:4] == ["max_rate", "frequency", "-", "required"]
    assert rows["accumulator"][:2] == ["accumulator", "handle[example::Accumulator]"]
    assert "warning: extension plugin 'gxf-broken-extension:broken' failed to load" in result.stderr


@pytest.mark.timeout(300)
def test_the_distribution_depends_on_gxf_std_and_ships_its_graphs(site):
    metadata = (site / "gxf_example_extension-1.1.0.dist-info" / "METADATA").read_text()
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines()
                if line.startswith("Requires-Dist:")]
    assert requires == ["gxf-core>=0.1.0", "gxf-std>=0.1.0"]
    for graph in (EXAMPLE / "graphs").glob("*.yaml"):
        assert (site / "gxf_example_ext" / "graphs" / graph.name).read_text() == graph.read_text()


@pytest.mark.timeout(300)
def test_gxf_describe_a_codelet_of_the_extension(site):
    result = gxf(site, "describe", "example::RunningStatistics")
    assert result.returncode == 0, result.stderr
    assert "base type:    nvidia::gxf::Codelet" in result.stdout
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.startswith("  ")}
    assert rows["input"][:4] == ["input", "handle[nvidia::gxf::Receiver]", "-", "required"]
    assert rows["output"][:4] == ["output", "handle[nvidia::gxf::Transmitter]", "-", "optional"]
    assert rows["accumulator"][:4] == ["accumulator", "handle[example::Accumulator]", "-", "required"]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("graph", ["limiter.yaml", "statistics.yaml"])
def test_gxf_validate_the_example_graphs(site, graph):
    result = gxf(site, "validate", f"examples/third_party_extension/graphs/{graph}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def run_statistics_graph(site: Path, *params: str) -> subprocess.CompletedProcess:
    """`gxf run` of the installed copy of graphs/statistics.yaml, from a folder outside the repository."""
    graph = site / "gxf_example_ext" / "graphs" / "statistics.yaml"
    options = [option for param in params for option in ("--param", param)]
    return gxf(site, "run", "--severity", "3", str(graph), *options, cwd=site.parent)


@pytest.mark.timeout(300)
def test_gxf_run_the_installed_statistics_graph(site):
    result = run_statistics_graph(site)
    assert result.returncode == 0, result.stderr
    log = result.stderr
    # ten numbers 1, 3, ..., 19: count and total of all, mean/min/max of the last four (13 .. 19)
    assert ("[statistics/compute] 10 messages, 10 values: total 100; over the last 4 values: "
            "mean 16, minimum 13, maximum 19") in log
    assert ("[check/expect] statistics as expected after 10 messages: "
            "count 10, total 100, mean 16, minimum 13, maximum 19") in log
    assert " ERROR " not in log and "\nerror:" not in log, log


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("param", "error"), [
    ("check/expect/expected_mean=15", "failed in stop(): StatisticsMismatch: after 10 messages: "
                                      "mean is 16.0, expected 15.0"),
    ("check/expect/expected_count=9", "failed in tick(): StatisticsMismatch: message 10 reports 10 "
                                      "numbers, more than the 9 expected"),
    ("statistics/recent/window=0", "StatisticsMismatch: after 10 messages: mean is 10.0, expected 16.0; "
                                   "minimum is 1.0, expected 13.0"),
    ("statistics/compute/field=number", "codelet 'statistics/compute' (example::RunningStatistics) "
                                        "failed in tick(): ValueError: the message has no component "
                                        "called 'number'; it holds value (double)"),
])
def test_wrong_statistics_fail_the_run(site, param, error):
    result = run_statistics_graph(site, param)
    assert result.returncode == 1, result.stderr
    assert "statistics.yaml:" in result.stderr and error in result.stderr
    assert "statistics as expected" not in result.stderr


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
    limiter = (EXAMPLE / "graphs" / "limiter.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(limiter, 1) if "extension: ExampleExtension" in text)
    assert f"limiter.yaml:{line}:" in result.stderr
