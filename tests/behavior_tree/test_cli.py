"""`gxf run` and behavior trees: a tree that ends FAILURE is a run that completed (exit 0, the root's
status on a line of its own); a codelet that raises fails the run (exit 1, naming it) unless a
controller absorbs the error."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from gxf_bt_support import SCHEDULERS, children, node, scheduler_text

from gxf.core.cli import main

NS = "nvidia::gxf::"
SEQ, SEL, CON = NS + "SequenceBehavior", NS + "SelectorBehavior", NS + "ConstantBehavior"


def gxf_run(tmp_path, tree: str, kind: str = "greedy", *args: str):
    path = tmp_path / "tree.yaml"
    path.write_text(tree + "\n" + scheduler_text(kind), encoding="utf-8")
    return path, CliRunner().invoke(main, ["run", str(path), *args])


def raising(name: str, **kw) -> str:
    """A leaf whose ordinary codelet raises at its first tick."""
    return node(name, NS + "test::MockFailure", "num_max_ticks: 0", **kw)


@pytest.mark.parametrize("kind", SCHEDULERS)
def test_a_tree_that_fails_is_a_completed_run(tmp_path, kind):
    tree = (node("root", SEQ, children("ok", "fails", "never"), root=True)
            + node("ok", CON, "constant_status: 0") + node("fails", CON, "constant_status: 1")
            + node("never", CON, "constant_status: 0"))
    _, result = gxf_run(tmp_path, tree, kind)
    assert result.exit_code == 0, result.output
    assert "behavior tree 'root': FAILURE\n" in result.stderr
    assert "error" not in result.output


def test_a_tree_that_succeeds_says_so(tmp_path):
    tree = (node("root", SEL, children("fails", "ok"), root=True) + node("fails", CON, "constant_status: 1")
            + node("ok", CON, "constant_status: 0"))
    _, result = gxf_run(tmp_path, tree)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    # the tree's line comes before the run's summary line
    assert lines.index("behavior tree 'root': SUCCESS") == len(lines) - 2
    assert lines[-1].startswith("gxf run: finished")


@pytest.mark.parametrize("kind", SCHEDULERS)
def test_a_codelet_that_raises_outside_any_controller_fails_the_run(tmp_path, kind):
    # The tree's leaf sends a message to a plain entity (no controller) whose codelet raises on it.
    tree = (node("root", SEQ, children("tx"), root=True)
            + node("tx", NS + "PingTx", "signal: out",
                   extra="- name: out\n  type: nvidia::gxf::DoubleBufferTransmitter")
            + "---\nname: rx\ncomponents:\n- name: signal\n  type: nvidia::gxf::DoubleBufferReceiver\n"
              "- type: nvidia::gxf::MessageAvailableSchedulingTerm\n  parameters:\n    receiver: signal\n"
              "    min_size: 1\n- name: broken\n  type: nvidia::gxf::test::MockFailure\n  parameters:\n"
              "    num_max_ticks: 0\n"
            + "---\ncomponents:\n- type: nvidia::gxf::Connection\n  parameters:\n    source: tx/out\n"
              "    target: rx/signal\n")
    path, result = gxf_run(tmp_path, tree, kind)
    assert result.exit_code == 1, result.output
    assert "codelet 'rx/broken' (nvidia::gxf::test::MockFailure) failed in tick()" in result.stderr
    assert f"{path}:" in result.stderr
    assert "ticked more than num_max_ticks (0) times" in result.stderr


@pytest.mark.parametrize("kind", SCHEDULERS)
def test_a_codelet_that_raises_under_a_controller_that_absorbs_nothing_fails_the_run(tmp_path, kind,
                                                                                   flaky_leaf):
    tree = (node("root", SEQ, children("leaf"), root=True)
            + raising("leaf", controller="gxf::bt_tests::StrictController"))
    _, result = gxf_run(tmp_path, tree, kind)
    assert result.exit_code == 1, result.output
    assert "codelet 'leaf/codelet' (nvidia::gxf::test::MockFailure) failed in tick()" in result.stderr
    # The run stopped while the root was waiting for the leaf: the tree had not ended.
    assert "behavior tree 'root': RUNNING\n" in result.stderr


@pytest.mark.parametrize("kind", SCHEDULERS)
def test_a_codelet_that_raises_under_a_controller_that_absorbs_it_leaves_the_run_going(tmp_path, kind):
    # EntityCountFailureRepeatController with max_repeat_count 0: the error is the leaf's FAILURE, the
    # Selector tries the next child, and the run succeeds; the error is logged as a warning.
    tree = (node("root", SEL, children("leaf", "ok"), root=True) + raising("leaf")
            + node("ok", CON, "constant_status: 0"))
    _, result = gxf_run(tmp_path, tree, kind)
    assert result.exit_code == 0, result.output
    assert "behavior tree 'root': SUCCESS\n" in result.stderr
    warning = next(line for line in result.stderr.splitlines() if "WARNING" in line)
    assert "[leaf/controller] entity 'leaf' failed" in warning
    assert "codelet 'leaf/codelet' (nvidia::gxf::test::MockFailure) failed in tick()" in warning


def test_a_tree_node_without_a_controller_is_refused_before_the_run(tmp_path):
    # A node's parent could never learn how it ended; the error names the node's term and says what
    # to add.
    leaf = node("leaf", CON, "constant_status: 0")
    leaf = leaf.replace("- name: controller\n  type: nvidia::gxf::EntityCountFailureRepeatController\n"
                        "  parameters:\n    max_repeat_count: 0\n", "")
    assert "Controller" not in leaf
    path, result = gxf_run(tmp_path, node("root", SEQ, children("leaf"), root=True) + leaf)
    assert result.exit_code == 1, result.output
    assert "error: " in result.stderr
    assert "'leaf' is a behavior-tree node without a Controller" in result.stderr
    assert "EntityCountFailureRepeatController" in result.stderr   # the hint
    assert "behavior tree" not in result.stderr


@pytest.mark.parametrize("kind", SCHEDULERS)
def test_the_summary_counts_the_ticks_of_every_run_of_a_restarted_node(tmp_path, kind):
    # Repeat starts the leaf 5 times: 4 runs of one successful tick, then the tick that raises (5 leaf
    # ticks); Repeat ticks when it starts and after each of the 5 runs (6). A count since the leaf's last
    # start would give 7.
    tree = (node("root", NS + "RepeatBehavior", children("leaf"), root=True)
            + node("leaf", NS + "test::MockFailure", "num_max_ticks: 4"))
    _, result = gxf_run(tmp_path, tree, kind)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1].endswith(": 11 ticks, 0 messages")
