"""Every behavior-tree type is documented: `gxf describe` gives its parameters (text and JSON Schema),
and the published graph-file schema (docs/schema/graph.schema.json) knows each type and its
parameters, so an editor checks a tree's graph file as it is typed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from gxf_bt_support import children, node

from gxf.core import plugins
from gxf.core.cli import main
from gxf.core.yaml_source import load_documents

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "docs" / "schema" / "graph.schema.json"

# GXF's BehaviorTreeExtension, and the pieces of it GXF keeps in the StandardExtension.
BEHAVIOR_TREE_TYPES = ["nvidia::gxf::EntityCountFailureRepeatController", "nvidia::gxf::ConstantBehavior",
                       "nvidia::gxf::SelectorBehavior", "nvidia::gxf::SequenceBehavior",
                       "nvidia::gxf::SwitchBehavior", "nvidia::gxf::RepeatBehavior",
                       "nvidia::gxf::ParallelBehavior", "nvidia::gxf::TimerBehavior"]
STANDARD_TYPES = ["nvidia::gxf::BTSchedulingTerm", "nvidia::gxf::Controller"]
ALL_TYPES = BEHAVIOR_TREE_TYPES + STANDARD_TYPES


@pytest.fixture(scope="module")
def registry():
    return plugins.default_registry()


@pytest.fixture(scope="module")
def published():
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def parameters(registry, name: str) -> dict:
    return registry.component_class(name).parameters()


def test_the_behavior_tree_extension_has_exactly_gxfs_types(registry):
    extension = registry.extension("BehaviorTreeExtension")
    assert extension is not None and extension.uuid == "9e6e55d4-1bc9-11ec-9621-0242ac130002"
    assert sorted(c.type_name() for c in extension.components) == sorted(BEHAVIOR_TREE_TYPES)
    for name in STANDARD_TYPES:
        assert registry.component_type(name).extension.name == "StandardExtension"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ALL_TYPES)
def test_gxf_describe_gives_every_parameter(registry, name):
    extension = registry.component_type(name).extension.name
    text = CliRunner().invoke(main, ["describe", name])
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith(name + "\n")
    assert re.search(rf"^  extension: +{extension} ", text.stdout, re.M)
    params = parameters(registry, name)
    rows = {line.split()[0]: line for line in text.stdout.split("parameters:", 1)[1].splitlines()[2:]
            if line.strip()}
    assert set(rows) == set(params)
    for key, param in params.items():
        assert " ".join(param.description.split())[:40] in rows[key]
    as_json = CliRunner().invoke(main, ["describe", name, "--json"])
    assert as_json.exit_code == 0, as_json.output
    schema = json.loads(as_json.stdout)
    assert schema["title"] == name and set(schema.get("properties", {})) == set(params)


def test_the_behaviors_parameters_are_gxfs(registry):
    def keys(name):
        return set(parameters(registry, name))

    composite = {"children", "s_term"}
    assert keys("nvidia::gxf::SequenceBehavior") == keys("nvidia::gxf::SelectorBehavior") == composite
    assert keys("nvidia::gxf::ParallelBehavior") == composite | {"success_threshold", "failure_threshold"}
    assert keys("nvidia::gxf::RepeatBehavior") == composite | {"repeat_after_failure"}
    assert keys("nvidia::gxf::SwitchBehavior") == composite | {"desired_behavior"}
    assert keys("nvidia::gxf::TimerBehavior") == {"s_term", "clock", "delay", "switch_status"}
    assert keys("nvidia::gxf::ConstantBehavior") == {"s_term", "constant_status"}
    assert keys("nvidia::gxf::EntityCountFailureRepeatController") == {
        "max_repeat_count", "return_behavior_running_if_failure_repeat"}
    assert keys("nvidia::gxf::BTSchedulingTerm") == {"is_root"}


def test_the_controller_interface_is_described_with_its_implementation():
    result = CliRunner().invoke(main, ["describe", "nvidia::gxf::Controller"])
    assert result.exit_code == 0, result.output
    assert "abstract:       yes" in result.stdout
    assert "nvidia::gxf::EntityCountFailureRepeatController" in result.stdout


def branch(published: dict, name: str) -> dict:
    """The parameters schema the published graph schema applies to components of type ``name``."""
    items = published["properties"]["components"]["items"]
    found = [b["then"]["properties"]["parameters"] for b in items["allOf"]
             if b["if"]["properties"]["type"].get("const") == name]
    assert len(found) == 1, f"{name}: {len(found)} schema branches"
    return found[0]


@pytest.mark.parametrize("name", [n for n in ALL_TYPES if n != "nvidia::gxf::Controller"])
def test_the_published_schema_has_every_type_and_its_parameters(registry, published, name):
    assert name in published["properties"]["components"]["items"]["properties"]["type"]["enum"]
    params = branch(published, name)
    assert set(params["properties"]) == set(parameters(registry, name))
    assert params["additionalProperties"] is False


def test_the_published_schema_leaves_out_the_abstract_controller(published):
    # As for the other interfaces (Codelet, SchedulingTerm): a graph names a type that implements it.
    enum = published["properties"]["components"]["items"]["properties"]["type"]["enum"]
    assert "nvidia::gxf::Controller" not in enum and "nvidia::gxf::Codelet" not in enum


def tree_documents(text: str) -> list:
    return [doc for doc in load_documents(text, "tree.yaml") if doc is not None]


def test_a_tree_graph_matches_the_published_schema_and_its_mistakes_do_not(published):
    validator = jsonschema.Draft202012Validator(published)
    good = (node("root", "nvidia::gxf::ParallelBehavior",
                 children("a", "b") + "\nsuccess_threshold: 1\nfailure_threshold: -1", root=True,
                 running_on_repeat=True, repeats=2)
            + node("a", "nvidia::gxf::TimerBehavior", "clock: sched/clock\ndelay: 1.5\nswitch_status: 0")
            + node("b", "nvidia::gxf::SwitchBehavior", children() + "\ndesired_behavior: 0"))
    for document in tree_documents(good):
        assert not [e.message for e in validator.iter_errors(json.loads(json.dumps(document)))]
    mistakes = {"sucess_threshold: 1": "success_threshold: 1", "children: a/st": "children: [a/st, b/st]",
                "is_root: maybe": "is_root: true", "delay: soon": "delay: 1.5",
                "max_repeat_count: lots": "max_repeat_count: 2"}
    for wrong, right in mistakes.items():
        assert right in good
        errors = [e for doc in tree_documents(good.replace(right, wrong))
                  for e in validator.iter_errors(json.loads(json.dumps(doc)))]
        assert errors, f"the schema accepts '{wrong}'"
