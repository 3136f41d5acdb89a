"""The graph-file schemas the repository publishes: up to date, named by every example, matched by it.

docs/schema/graph.schema.json is `gxf schema --graph` over the repository's distributions; the example
third-party extension publishes its own (with its types). Each example graph's first line tells
editors (through yaml-language-server) which one applies; each of its documents validates against it.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from gxf.core.cli import main
from gxf.core.yaml_source import load_file

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").rglob("*.yaml"))
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def published():
    pytest.importorskip("gxf.std")
    return gen_docs().published_schemas()


def test_the_published_schemas_are_up_to_date(published):
    missing = gen_docs().missing_distributions()
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: the published schemas cover every distribution")
    stale = [str(path.relative_to(REPO)) for path, text in published.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"out of date: {stale}; run `python scripts/gen_docs.py` and commit the result"


def test_the_published_schema_is_what_gxf_schema_graph_prints(published, tmp_path):
    # In this environment the installed extensions are the repository's own (plus, maybe, others):
    # every type `gxf schema --graph` knows of the repository is in the published file.
    result = CliRunner().invoke(main, ["schema", "--graph", "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    printed = json.loads((tmp_path / "s.json").read_text())
    mine = json.loads(published[REPO / "docs" / "schema" / "graph.schema.json"])
    printed_types = set(printed["properties"]["components"]["items"]["properties"]["type"]["enum"])
    my_types = set(mine["properties"]["components"]["items"]["properties"]["type"]["enum"])
    assert my_types <= printed_types and "nvidia::gxf::GreedyScheduler" in my_types
    assert {k: v for k, v in printed.items() if k != "properties"} == {
        k: v for k, v in mine.items() if k != "properties"}


def test_there_are_examples():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=[str(p.relative_to(REPO / "examples")) for p in EXAMPLES])
def test_every_example_names_a_published_schema_and_matches_it(published, path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    found = MODELINE.match(first)
    assert found, f"{path}:1 should be '# yaml-language-server: $schema=<relative path of the schema>'"
    schema_path = (path.parent / found.group(1)).resolve()
    assert schema_path in published, f"{path}:1 names {schema_path}, which the repository does not publish"
    validator = jsonschema.Draft202012Validator(json.loads(published[schema_path]))
    documents = load_file(path)
    assert documents
    for document in documents:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                  for e in validator.iter_errors(json.loads(json.dumps(document)))]
        assert not errors, f"{path}: {errors}"


def test_a_wrong_example_would_fail_the_schema(published):
    validator = jsonschema.Draft202012Validator(json.loads(published[REPO / "docs" / "schema" /
                                                                     "graph.schema.json"]))
    bad = {"name": "tx", "components": [{"type": "nvidia::gxf::CountSchedulingTerm",
                                         "parameters": {"count": "ten"}}]}
    assert list(validator.iter_errors(bad))
    assert list(validator.iter_errors({"name": "x", "components": [{"type": "nvidia::gxf::NoSuchType"}]}))
