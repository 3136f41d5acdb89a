"""Pictures of graphs (`gxf graph`): every example drawn; SVG parses, DOT is valid, Mermaid names every entity.

Subgraphs become clusters, behavior-tree ``children`` handles become a tree's edges, a connection an
edge between ports labelled with capacity and policy. SVG and PNG need Graphviz's ``dot``: where it is
missing, those tests check the error that says what to install instead.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxf.core import Context, Extension, GxfError, Parameter, load_graph_file, load_graph_text, plugins
from gxf.core import graph_picture as gp
from gxf.core.cli import main
from gxf.core.parameters import Handle

pytest.importorskip("gxf.std")
from gxf.std import Codelet, SchedulingTerm  # noqa: E402 - after the skip

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
EXAMPLE_EXT = EXAMPLES / "third_party_extension"
EXAMPLE_GRAPHS = sorted(EXAMPLES.rglob("*.yaml"))
HAS_DOT = shutil.which("dot") is not None
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def registry():
    """The installed extensions plus the example third-party extension, imported from its folder."""
    sys.path.insert(0, str(EXAMPLE_EXT))
    try:
        import gxf_example_ext
    finally:
        sys.path.remove(str(EXAMPLE_EXT))
    registry = plugins.build_registry()
    if "ExampleExtension" not in registry.extensions:
        registry.add_extension(gxf_example_ext.EXTENSION)
    return registry


def load(registry, *paths) -> Context:
    context = Context(registry)
    for path in paths:
        load_graph_file(context, path)
    context.finalize()
    return context


def entity_names(context: Context) -> list[str]:
    return [box.title for box in gp.picture_of(context).boxes]


# --- every example graph ---------------------------------------------------------------------------
def example_ids():
    return [str(p.relative_to(EXAMPLES)) for p in EXAMPLE_GRAPHS]


def test_the_examples_are_all_found():
    assert len(EXAMPLE_GRAPHS) >= 6
    assert len(set(EXAMPLE_GRAPHS)) == len(EXAMPLE_GRAPHS)
    assert set(EXAMPLE_GRAPHS) == set(EXAMPLES.rglob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_GRAPHS, ids=example_ids())
def test_every_example_draws_as_mermaid_with_every_entity(registry, path):
    context = load(registry, path)
    text = gp.render(context, "mermaid")
    assert text.splitlines()[0] == "flowchart LR"
    for entity in context.entities:
        if gp._drawn_as_box(entity):
            assert f"<b>{entity.name}</b>" in text, entity.name
    connections = [c for c in context.components() if gp.role_of(c) == "connection"]
    assert len(re.findall(r"^  e\d+ -->", text, re.MULTILINE)) == len(connections)


@pytest.mark.parametrize("path", EXAMPLE_GRAPHS, ids=example_ids())
def test_every_example_draws_as_dot_with_a_box_per_entity_and_an_edge_per_connection(registry, path):
    context = load(registry, path)
    text = gp.render(context, "dot")
    check_dot_structure(text)
    boxes = re.findall(r'^\s*(e\d+) \[id="entity:[^"]+", label=<', text, re.MULTILINE)
    assert len(boxes) == len(entity_names(context)) >= 2
    connections = [c for c in context.components() if gp.role_of(c) == "connection"]
    data_edges = re.findall(r"^\s*e\d+:p\d+:e -> e\d+:p\d+:w", text, re.MULTILINE)
    assert len(data_edges) == len(connections)
    if HAS_DOT:
        gp.run_dot(text, "svg")  # Graphviz accepts it: run_dot raises on any syntax error


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("path", EXAMPLE_GRAPHS, ids=example_ids())
def test_every_example_draws_as_svg_that_parses(registry, path):
    context = load(registry, path)
    svg = gp.graph_svg(context)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    texts = {t.text for t in root.iter(f"{SVG_NS}text")}
    for name in entity_names(context):
        assert name in texts


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")
def test_the_svg_names_entities_queues_and_connections_for_viewers(registry):
    svg = gp.graph_svg(load(registry, EXAMPLES / "ping.yaml"))
    ids = {g.get("id") for g in ET.fromstring(svg).iter(f"{SVG_NS}g")}
    assert {"entity:tx", "entity:rx", "entity:scheduler", "a_queue:tx/signal", "a_queue:rx/signal",
            "connection:tx/signal->rx/signal"} <= ids


def check_dot_structure(text: str) -> None:
    """What a valid DOT file needs, checked without Graphviz: one digraph, balanced braces and tables."""
    assert text.startswith("digraph gxf {") and text.rstrip().endswith("}")
    depth = 0
    for char in re.sub(r'"(\\.|[^"\\])*"', '""', text):  # braces inside strings do not count
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    for line in text.splitlines():
        if "label=<" in line:
            label = line.split("label=<", 1)[1].rsplit(">];", 1)[0]
            assert label.count("<TABLE") == label.count("</TABLE>") == 1
            assert label.count("<TR>") == label.count("</TR>")
            assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#\d+;)", label)
            ET.fromstring(label)  # HTML-like labels are XML


# --- what the picture shows ------------------------------------------------------------------------
def test_ping_shows_codelets_terms_ports_and_a_labelled_connection(registry):
    picture = gp.picture_of(load(registry, EXAMPLES / "ping.yaml"))
    boxes = {box.title: box for box in picture.boxes}
    assert set(boxes) == {"tx", "rx", "scheduler"}  # the connection's entity is an edge, not a box
    tx, rx = boxes["tx"], boxes["rx"]
    assert tx.codelets == ["PingTx"] and rx.codelets == ["PingRx"]
    assert "CountSchedulingTerm (count=10)" in tx.terms
    assert "MessageAvailableSchedulingTerm (receiver=signal)" in rx.terms
    assert [(p.name, p.kind, p.detail) for p in tx.ports] == [("signal", "out", "capacity 1, policy fault")]
    assert [(p.name, p.kind) for p in rx.ports] == [("signal", "in")]
    assert {"clock: ManualClock", "GreedyScheduler"} <= set(boxes["scheduler"].others)
    [edge] = picture.edges
    assert (edge.tail, edge.head, edge.style) == (tx.node, rx.node, "data")
    assert (edge.tail_port, edge.head_port) == (tx.ports[0].key, rx.ports[0].key)
    assert edge.label == "capacity 1, policy fault"


def test_capacity_and_policy_come_from_the_receiver(registry, tmp_path):
    text = (EXAMPLES / "ping.yaml").read_text().replace(
        "- name: signal\n  type: nvidia::gxf::DoubleBufferReceiver\n",
        "- name: signal\n  type: nvidia::gxf::DoubleBufferReceiver\n  parameters: {capacity: 4, policy: 0}\n")
    context = Context(registry)
    load_graph_text(context, text, str(tmp_path / "ping.yaml"))
    context.finalize()
    [edge] = gp.picture_of(context).edges
    assert edge.label == "capacity 4, policy pop"
    assert 'label="capacity 4, policy pop"' in gp.render(context, "dot")


SUBGRAPH_INNER = """
    interfaces:
    - name: out
      target: source/signal
    ---
    name: source
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - type: nvidia::gxf::PingTx
      parameters: {signal: signal}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters: {count: 3}
    ---
    name: deeper
    components:
    - type: nvidia::gxf::Subgraph
      parameters: {location: leaf.yaml}
    """
SUBGRAPH_LEAF = """
    name: leaf
    components:
    - type: nvidia::gxf::ManualClock
    """
SUBGRAPH_PARENT = """
    name: sender
    components:
    - type: nvidia::gxf::Subgraph
      parameters: {location: inner.yaml}
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
    - type: nvidia::gxf::PingRx
      parameters: {signal: signal}
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters: {source: sender/out, target: rx/signal}
    """


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_subgraphs_are_nested_clusters(registry, tmp_path):
    write(tmp_path, "inner.yaml", SUBGRAPH_INNER)
    write(tmp_path, "leaf.yaml", SUBGRAPH_LEAF)
    context = load(registry, write(tmp_path, "parent.yaml", SUBGRAPH_PARENT))
    picture = gp.picture_of(context)
    clusters = {name: (c.parent, c.label) for name, c in picture.clusters.items()}
    assert clusters == {"sender": (None, "subgraph sender (inner.yaml)"),
                        "sender.deeper": ("sender", "subgraph sender.deeper (leaf.yaml)")}
    boxes = {box.title: box.cluster for box in picture.boxes if not box.title.startswith("__")}
    assert boxes == {"sender.source": "sender", "sender.deeper.leaf": "sender.deeper", "rx": None}
    [edge] = picture.edges  # the connection through the subgraph's interface
    dot = gp.to_dot(picture)
    check_dot_structure(dot)
    cluster_0 = dot.index("subgraph cluster_0 {")
    cluster_1 = dot.index("subgraph cluster_1 {")
    assert cluster_0 < dot.index(f"{edge.tail} [id=") < cluster_1  # the source box in the outer one
    mermaid = gp.to_mermaid(picture)
    assert 'subgraph sg0 ["subgraph sender (inner.yaml)"]' in mermaid
    assert mermaid.index("subgraph sg1") > mermaid.index("subgraph sg0")
    if HAS_DOT:
        ET.fromstring(gp.run_dot(dot, "svg"))


class TreeNode(Codelet, type_name="picture_test::TreeNode", uuid="7d0c7f4e-57a1-4ab4-9d68-5d2b6b0f0a01"):
    """A behavior-tree node for the test: its children are the scheduling terms of other entities."""

    children = Parameter(list[Handle(SchedulingTerm)], [], "The children's scheduling terms")
    s_term = Parameter(Handle(SchedulingTerm), optional=True, description="Its own scheduling term")


class TreeTerm(SchedulingTerm, type_name="picture_test::TreeTerm", uuid="7d0c7f4e-57a1-4ab4-9d68-5d2b6b0f0a02"):
    """A stand-in for a behavior tree's scheduling term."""


TREE_EXTENSION = Extension(name="PictureTestExtension", uuid="7d0c7f4e-57a1-4ab4-9d68-5d2b6b0f0a00",
                           version="0.0.1", components=[TreeNode, TreeTerm])

TREE_GRAPH = """
name: root
components:
- {name: term, type: picture_test::TreeTerm}
- type: picture_test::TreeNode
  parameters: {children: [left/term, right/term], s_term: term}
---
name: left
components:
- {name: term, type: picture_test::TreeTerm}
- type: picture_test::TreeNode
  parameters: {children: [leaf/term], s_term: term}
---
name: right
components:
- {name: term, type: picture_test::TreeTerm}
- {type: picture_test::TreeNode, parameters: {s_term: term}}
---
name: leaf
components:
- {name: term, type: picture_test::TreeTerm}
- {type: picture_test::TreeNode, parameters: {s_term: term}}
"""


def test_behavior_trees_are_drawn_as_trees_from_children_handles(tmp_path):
    registry = plugins.build_registry()
    registry.add_extension(TREE_EXTENSION)
    context = Context(registry)
    load_graph_text(context, TREE_GRAPH, str(tmp_path / "tree.yaml"))
    context.finalize()
    picture = gp.picture_of(context)
    title = {box.node: box.title for box in picture.boxes}
    tree = sorted((title[e.tail], title[e.head]) for e in picture.edges if e.style == "tree")
    assert tree == [("left", "leaf"), ("root", "left"), ("root", "right")]
    assert not [e for e in picture.edges if e.style != "tree"]  # s_term stays inside its entity
    assert gp.to_mermaid(picture).count(" ==> ") == 3
    assert gp.to_dot(picture).count("arrowhead=vee") == 3


# --- the command -----------------------------------------------------------------------------------
def test_gxf_graph_writes_mermaid_and_dot_to_stdout_or_a_file(tmp_path):
    ping = str(EXAMPLES / "ping.yaml")
    result = CliRunner().invoke(main, ["graph", ping, "--format", "mermaid"])
    assert result.exit_code == 0, result.output
    assert "<b>tx</b>" in result.output and "<b>rx</b>" in result.output
    out = tmp_path / "ping.dot"
    result = CliRunner().invoke(main, ["graph", ping, "-o", str(out)])  # the format from the suffix
    assert result.exit_code == 0, result.output
    check_dot_structure(out.read_text())


def test_gxf_graph_applies_param_overrides():
    result = CliRunner().invoke(main, ["graph", str(EXAMPLES / "ping.yaml"), "-f", "mermaid",
                                       "--param", "tx/signal/capacity=7"])
    assert result.exit_code == 0, result.output
    assert "capacity 7" not in result.output  # the edge shows the receiver's
    result = CliRunner().invoke(main, ["graph", str(EXAMPLES / "ping.yaml"), "-f", "dot",
                                       "--param", "rx/signal/capacity=7"])
    assert 'label="capacity 7, policy fault"' in result.output


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")
def test_gxf_graph_writes_svg_and_png(tmp_path):
    ping = str(EXAMPLES / "ping.yaml")
    result = CliRunner().invoke(main, ["graph", ping, "-o", str(tmp_path / "ping.svg")])
    assert result.exit_code == 0, result.output
    assert ET.parse(tmp_path / "ping.svg").getroot().tag == f"{SVG_NS}svg"
    result = CliRunner().invoke(main, ["graph", ping, "--format", "png", "-o", str(tmp_path / "p.img")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.img").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_without_graphviz_svg_says_what_to_install(monkeypatch):
    monkeypatch.setattr(gp.shutil, "which", lambda name: None)
    result = CliRunner().invoke(main, ["graph", str(EXAMPLES / "ping.yaml"), "--format", "svg"])
    assert result.exit_code == 1
    assert "needs Graphviz's 'dot' program" in result.output
    assert "apt-get install graphviz" in result.output and "--format mermaid" in result.output
    with pytest.raises(GxfError, match="Graphviz"):
        gp.dot_program()


def test_a_bad_graph_is_reported_with_its_file_and_line(tmp_path):
    bad = write(tmp_path, "bad.yaml", "name: a\ncomponents:\n- type: nvidia::gxf::PingTxx\n")
    result = CliRunner().invoke(main, ["graph", str(bad), "-f", "dot"])
    assert result.exit_code != 0
    assert f"{bad}:3" in result.output and "PingTx" in result.output
    assert "Traceback" not in result.output


def test_format_follows_the_output_suffix():
    assert [gp.format_for(n) for n in ("a.svg", "a.PNG", "a.gv", "a.dot", "a.mmd", "a.txt", None)] == [
        "svg", "png", "dot", "dot", "mermaid", "svg", "svg"]
