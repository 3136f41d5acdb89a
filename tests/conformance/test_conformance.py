"""Runs every graph under tests/conformance/ through `gxf run` and checks its expected outcome.

Each graph says in its leading comments whether it must succeed or fail (and with what message); see
expectations.py. A graph that lists ``schedulers`` runs once per scheduler, with the scheduler file
from schedulers/ loaded after it. Each run is a fresh `gxf run` process, as a user would start it;
the EpochScheduler, which has no thread of its own, runs through epoch_driver.py instead.

The selected graphs are started up front, two at a time (``GXF_CONFORMANCE_JOBS`` sets how many; 1
runs them one after the other), and each test waits for its own run. Graphs keep time on a
ManualClock wherever time matters, so running two at once does not change their outcome.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from expectations import ExpectationError, parse_header, read_expectation  # noqa: E402

SCHEDULERS = HERE / "schedulers"
RUN_TIMEOUT_S = 30


def _graphs() -> list[Path]:
    return sorted(p for p in HERE.rglob("*.yaml")
                  if SCHEDULERS not in p.parents and not p.name.endswith(".part.yaml"))


def _cases():
    cases = []
    for path in _graphs():
        name = str(path.relative_to(HERE))
        try:
            expectation = read_expectation(path)
        except ExpectationError as exc:
            cases.append(pytest.param(path, None, str(exc), id=name))
            continue
        for scheduler in expectation.schedulers or [None]:
            case_id = f"{name}[{scheduler}]" if scheduler else name
            cases.append(pytest.param(path, scheduler, None, id=case_id))
    return cases


def gxf_command() -> list[str]:
    """`gxf`, as the script next to this Python or else as the module."""
    script = Path(sys.executable).with_name("gxf")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gxf.core.cli"]


def run_graph(path: Path, scheduler: str | None) -> subprocess.CompletedProcess:
    expectation = read_expectation(path)
    if scheduler == "epoch":  # no thread of its own: an application runs its epochs
        command = [sys.executable, str(HERE / "epoch_driver.py"), path.name]
    else:
        command = gxf_command() + ["run", path.name]
    if scheduler is not None:
        command.append(str(SCHEDULERS / f"{scheduler}.yaml"))
    command += expectation.args
    env = {k: v for k, v in os.environ.items() if k != "GXF_LOG_LEVEL"}
    return subprocess.run(command, cwd=path.parent, env=env, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S, check=False)


def _jobs() -> int:
    try:
        return max(1, int(os.environ.get("GXF_CONFORMANCE_JOBS", "2")))
    except ValueError:
        return 2


@pytest.fixture(scope="session")
def graph_runs(request):
    """Runs of the selected graphs, started in the background in test order: (path, scheduler) -> Future."""
    pool = ThreadPoolExecutor(max_workers=_jobs(), thread_name_prefix="gxf-conformance")
    runs: dict[tuple, Future] = {}
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.originalname == "test_graph" and params.get("header_error") is None:
            key = (params["path"], params["scheduler"])
            if key not in runs and (key[1] is None or (SCHEDULERS / f"{key[1]}.yaml").exists()):
                runs[key] = pool.submit(run_graph, *key)
    yield runs
    for future in runs.values():
        future.cancel()
    pool.shutdown(wait=True)


@pytest.mark.parametrize(("path", "scheduler", "header_error"), _cases())
def test_graph(path: Path, scheduler: str | None, header_error: str | None, graph_runs) -> None:
    assert header_error is None, header_error
    expectation = read_expectation(path)
    if scheduler is not None:
        assert (SCHEDULERS / f"{scheduler}.yaml").exists(), f"no scheduler file schedulers/{scheduler}.yaml"
    future = graph_runs.get((path, scheduler))
    result = future.result() if future is not None else run_graph(path, scheduler)
    output = result.stdout + result.stderr
    problems = expectation.problems(result.returncode, output)
    assert not problems, "\n".join(problems) + f"\n--- output of {' '.join(result.args)}:\n{output[-4000:]}"


def test_every_graph_is_run():
    """The suite is not empty, and every graph either runs or is a '.part.yaml' piece."""
    assert len(_graphs()) >= 10


def test_header_with_failure_text_and_output_checks():
    expectation = parse_header('%YAML 1.2\n# expect: failure "Tick count [5]"\n# output: "a \\"b\\""\n'
                               '# output-count: 2 "x"\n# no-output: "y"\n# args: --severity 3 p.part.yaml\n'
                               '---\n# expect: success\n')
    assert not expectation.success and expectation.failure_text == "Tick count [5]"
    assert expectation.output == ['a "b"'] and expectation.output_counts == [(2, "x")]
    assert expectation.args == ["--severity", "3", "p.part.yaml"]
    assert expectation.problems(1, 'Tick count [5] a "b" x x') == []
    assert expectation.problems(0, "Tick count [5] y") == [
        "expected a failure, got exit status 0", "expected the output to contain 'a \"b\"'",
        "expected 'x' 2 times in the output, found it 0 times", "expected the output not to contain 'y'"]


def test_header_errors_are_reported():
    with pytest.raises(ExpectationError, match="exactly one"):
        parse_header("---\nname: x\n")
    with pytest.raises(ExpectationError, match="cannot read"):
        parse_header("# expect: sucess\n")
    with pytest.raises(ExpectationError, match="takes no text"):
        parse_header('# expect: success "x"\n')
