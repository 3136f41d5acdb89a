"""Pictures of a graph: what ``gxf graph`` draws, as Graphviz DOT, Mermaid, SVG or PNG.

A picture is built from a loaded context (``picture_of``), then written out: ``to_dot`` and
``to_mermaid`` are plain text and need nothing installed; ``render`` hands the DOT text to Graphviz's
``dot`` program for SVG and PNG, which does the layout. ``graph_svg(context)`` is the one call a viewer
of a running graph needs; its SVG names the elements a viewer updates: ``<g id="entity:NAME">`` for
each entity's box, ``<g id="a_queue:ENTITY/COMPONENT">`` for each queue's port (its tooltip the same
handle) and ``<g id="connection:TX->RX">`` (``entity/component`` handles) for each connection's edge.

What is drawn:

- each entity as a box: its name, then its receivers (inputs) and transmitters (outputs) as ports,
  its codelets, its scheduling terms (with the parameters set away from their defaults) and its other
  components (clocks, allocators, schedulers...);
- each connection as an edge from a transmitter's port to a receiver's port, labelled with the
  receiver's capacity and policy; a topic as edges from each of its transmitters to each receiver;
- every other handle parameter that points into another entity as a dashed edge labelled with the
  parameter: a behavior tree's ``children`` handles become its parent -> child edges;
- the entities a Subgraph component loaded (named ``<entity>.<name>``) inside a cluster per subgraph,
  nested as the subgraphs are.

The core imports no extension: what a component is (codelet, queue, term...) is read from the GXF
interface names in its type's chain of bases (``nvidia::gxf::Codelet``, ``nvidia::gxf::Receiver``...),
so a third-party codelet or queue is drawn like a standard one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from .component import Component
from .errors import GxfError

if TYPE_CHECKING:
    from .context import Context
    from .entity import Entity

FORMATS = ("svg", "png", "dot", "mermaid")
TEXT_FORMATS = ("svg", "dot", "mermaid")

# GXF interface type name -> what the picture makes of a component deriving from it (first match wins).
ROLES = (
    ("nvidia::gxf::Connection", "connection"),
    ("nvidia::gxf::Topic", "topic"),
    ("nvidia::gxf::Subgraph", "subgraph"),
    ("nvidia::gxf::Codelet", "codelet"),
    ("nvidia::gxf::Receiver", "receiver"),
    ("nvidia::gxf::Transmitter", "transmitter"),
    ("nvidia::gxf::SchedulingTerm", "term"),
)
# A queue's ``policy`` parameter, as GXF numbers it.
POLICY_NAMES = {0: "pop", 1: "reject", 2: "fault"}
TREE_KEYS = ("children",)  # handle parameters drawn as the edges of a tree (behavior trees)
GRAPHVIZ_HINT = ("install Graphviz, which provides it (Debian/Ubuntu: apt-get install graphviz; macOS: "
                 "brew install graphviz; or run scripts/setup.sh), or use --format dot or --format "
                 "mermaid, which need nothing installed")
DOT_TIMEOUT_S = 60.0


def role_of(component: Component) -> str:
    """'codelet', 'receiver', 'transmitter', 'term', 'connection', 'topic', 'subgraph' or 'other'."""
    names = {getattr(k, "_gxf_type_name", None) for k in type(component).__mro__}
    for interface, role in ROLES:
        if interface in names:
            return role
    return "other"


def short_type(component: Component) -> str:
    """The last part of a component's type name (``nvidia::gxf::PingTx`` -> ``PingTx``)."""
    return component.type_name().rpartition("::")[2]


# --- the picture as data -------------------------------------------------------------------------------
@dataclass
class Port:
    """A receiver or transmitter of an entity: where edges start and end."""

    key: str          # unique within its box
    name: str
    kind: str         # "in" or "out"
    detail: str = ""  # capacity and policy
    handle: str = ""  # 'entity/component', as graph files name it


@dataclass
class Box:
    """One entity: its name and what it holds, as lines of text."""

    node: str
    title: str
    ports: list[Port] = field(default_factory=list)
    codelets: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    cluster: str | None = None  # the subgraph (entity name) it was loaded by, if any
    entity: str = ""            # the entity's name ('' for an unnamed one)


@dataclass
class Edge:
    """An arrow between two boxes (or their ports); ``style`` is 'data', 'tree' or 'handle'."""

    tail: str
    head: str
    label: str
    style: str
    tail_port: str | None = None
    head_port: str | None = None
    ident: str = ""  # for a connection: 'tx/signal->rx/signal'


@dataclass
class Cluster:
    """The entities a Subgraph component loaded, drawn together; ``parent`` for nested subgraphs."""

    name: str
    label: str
    parent: str | None


@dataclass
class Picture:
    """Everything drawn for a graph, independent of the output format."""

    boxes: list[Box]
    edges: list[Edge]
    clusters: dict[str, Cluster]


def picture_of(context: Context) -> Picture:
    """The picture of a loaded graph (its handles resolved: after ``finalize``, or while it runs)."""
    boxes: list[Box] = []
    box_of: dict[int, Box] = {}        # entity eid -> box
    port_of: dict[int, Port] = {}      # queue cid -> port
    holders = _subgraph_holders(context)
    clusters = {name: Cluster(name, label, _cluster_parent(name, holders)) for name, label in holders.items()}
    unnamed = 0
    for entity in context.entities:
        if not _drawn_as_box(entity):
            continue
        node = f"e{len(boxes)}"
        if not entity.name:
            unnamed += 1
        title = entity.name or f"(unnamed entity {unnamed})"
        box = Box(node, title, cluster=_cluster_parent(entity.name, holders) if entity.name else None,
                  entity=entity.name)
        if entity.name in holders:
            box.cluster = entity.name
        for index, component in enumerate(entity.components):
            role = role_of(component)
            label = _component_label(component)
            if role in ("receiver", "transmitter"):
                port = Port(f"p{index}", component.name or short_type(component),
                            "in" if role == "receiver" else "out", _queue_detail(component),
                            component.handle_text())
                box.ports.append(port)
                port_of[component.cid] = port
            elif role == "codelet":
                box.codelets.append(label + _settings_text(component, entity, handles=False))
            elif role == "term":
                box.terms.append(label + _settings_text(component, entity))
            elif role in ("connection", "topic"):
                continue
            else:
                box.others.append(label)
        boxes.append(box)
        box_of[entity.eid] = box
    edges = _data_edges(context, box_of, port_of) + _handle_edges(context, box_of)
    return Picture(boxes, edges, clusters)


def _drawn_as_box(entity: Entity) -> bool:
    """Entities holding only connections, topics and subgraph loaders are edges and clusters instead."""
    return any(role_of(c) not in ("connection", "topic", "subgraph") for c in entity.components)


def _subgraph_holders(context: Context) -> dict[str, str]:
    """Entity name -> cluster label, for every entity holding a Subgraph component."""
    holders = {}
    for entity in context.entities:
        files = [str(_param(c, "location") or "") for c in entity.components if role_of(c) == "subgraph"]
        if entity.name and files:
            holders[entity.name] = f"subgraph {entity.name} ({', '.join(f for f in files if f)})"
    return holders


def _cluster_parent(name: str, holders: dict[str, str]) -> str | None:
    """The innermost subgraph holder whose name prefixes ``name`` ('a.b.c' -> 'a.b', else 'a')."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in holders:
            return prefix
    return None


def _param(component: Component, key: str) -> Any:
    """A parameter's value, or None where the type does not declare it or it is not set."""
    if key not in component.parameters():
        return None
    return component.param_values().get(key)


def _component_label(component: Component) -> str:
    kind = short_type(component)
    return f"{component.name}: {kind}" if component.name else kind


def _queue_detail(component: Component) -> str:
    parts = []
    capacity = _param(component, "capacity")
    if capacity is not None:
        parts.append(f"capacity {capacity}")
    policy = _param(component, "policy")
    if policy is not None:
        parts.append(f"policy {POLICY_NAMES.get(policy, policy)}")
    return ", ".join(parts)


def _settings_text(component: Component, entity: Entity, handles: bool = True, most: int = 4) -> str:
    """' (key=value, ...)' for the parameters set away from their declared defaults (at most ``most``;
    handles named by their target unless ``handles`` is False)."""
    shown = []
    values = component.param_values()
    for key, param in component.parameters().items():
        if key not in values:
            continue
        value = values[key]
        if param.ptype.has_handles:
            if not handles:
                continue
            targets = [_handle_name(c, entity) for c in _handle_targets(value)]
            if targets:
                shown.append(f"{key}={', '.join(targets)}")
            continue
        try:
            initial = param.initial_value()
        except Exception:  # noqa: BLE001 - a default that cannot be compared is taken as different
            initial = object()
        if value is not None and value != initial:
            shown.append(f"{key}={_value_text(value)}")
    if len(shown) > most:
        shown = shown[:most] + ["..."]
    return f" ({', '.join(shown)})" if shown else ""


def _value_text(value: Any, limit: int = 40) -> str:
    text = str(value)
    if isinstance(value, (str, PurePath)) and os.path.isabs(text):
        text = PurePath(text).name  # a file's name says enough; the folder is the reader's own
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _handle_targets(value: Any) -> list[Component]:
    """The components a handle parameter's value points to (one, a list, or a mapping of them)."""
    if isinstance(value, Component):
        return [value]
    if isinstance(value, (list, tuple)):
        return [c for item in value for c in _handle_targets(item)]
    if isinstance(value, dict):
        return [c for item in value.values() for c in _handle_targets(item)]
    return []


def _handle_name(target: Component, entity: Entity) -> str:
    owner = target.entity
    if owner is entity:
        return target.name or short_type(target)
    return target.handle_text()


def _data_edges(context: Context, box_of: dict[int, Box], port_of: dict[int, Port]) -> list[Edge]:
    edges = []
    for component in context.components():
        role = role_of(component)
        if role == "connection":
            pairs = [(_first(_param(component, "source")), _first(_param(component, "target")), "")]
        elif role == "topic":
            name = _param(component, "topic_name")
            sources = _handle_targets(_param(component, "transmitters"))
            targets = _handle_targets(_param(component, "receivers"))
            pairs = [(s, t, f"topic {name}" if name else "topic") for s in sources for t in targets]
        else:
            continue
        for source, target, label in pairs:
            if source is None or target is None:
                continue
            tail, head = box_of.get(source.entity.eid), box_of.get(target.entity.eid)
            if tail is None or head is None:
                continue
            detail = _queue_detail(target)
            text = ", ".join(part for part in (label, detail) if part)
            edges.append(Edge(tail.node, head.node, text, "data", _port_key(port_of, source),
                              _port_key(port_of, target), f"{source.handle_text()}->{target.handle_text()}"))
    return edges


def _first(value: Any) -> Component | None:
    targets = _handle_targets(value)
    return targets[0] if targets else None


def _port_key(port_of: dict[int, Port], component: Component) -> str | None:
    port = port_of.get(component.cid)
    return port.key if port is not None else None


def _handle_edges(context: Context, box_of: dict[int, Box]) -> list[Edge]:
    """Dashed edges for handles into other entities; 'children' handles as a tree's edges."""
    edges = []
    seen = set()
    for entity in context.entities:
        tail = box_of.get(entity.eid)
        if tail is None:
            continue
        for component in entity.components:
            if role_of(component) in ("connection", "topic", "subgraph"):
                continue
            for key, param in component.parameters().items():
                if not param.ptype.has_handles:
                    continue
                for target in _handle_targets(component.param_values().get(key)):
                    owner = target.entity
                    head = box_of.get(owner.eid) if owner is not None else None
                    if head is None or owner is entity:
                        continue
                    style = "tree" if key in TREE_KEYS else "handle"
                    label = "" if style == "tree" else f"{component.name or short_type(component)}.{key}"
                    if (tail.node, head.node, label) in seen:
                        continue
                    seen.add((tail.node, head.node, label))
                    edges.append(Edge(tail.node, head.node, label, style))
    return edges


# --- DOT -----------------------------------------------------------------------------------------------
def to_dot(picture: Picture, title: str = "") -> str:
    """Graphviz DOT text of the picture: HTML-like labels for the boxes, ports for the queues."""
    lines = ["digraph gxf {",
             "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.4, ranksep=0.8"
             + (f", label={_dot_string(title)}, labelloc=t" if title else "") + "];",
             "  node [shape=plain, fontname=\"Helvetica\", fontsize=10];",
             "  edge [fontname=\"Helvetica\", fontsize=9];"]
    children: dict[str | None, list[str]] = {}
    for cluster in picture.clusters.values():
        children.setdefault(cluster.parent, []).append(cluster.name)
    boxes_in: dict[str | None, list[Box]] = {}
    for box in picture.boxes:
        boxes_in.setdefault(box.cluster if box.cluster in picture.clusters else None, []).append(box)
    ids = {name: str(index) for index, name in enumerate(picture.clusters)}

    def emit(cluster: str | None, indent: str) -> None:
        for box in boxes_in.get(cluster, []):
            lines.append(f"{indent}{box.node} [id={_dot_string(_box_id(box))}, label=<{_html_table(box)}>];")
        for name in children.get(cluster, []):
            info = picture.clusters[name]
            lines.append(f"{indent}subgraph cluster_{ids[name]} {{")
            lines.append(f"{indent}  label={_dot_string(info.label)}; style=\"rounded,dashed\";")
            emit(name, indent + "  ")
            lines.append(f"{indent}}}")

    emit(None, "  ")
    for edge in picture.edges:
        tail = f"{edge.tail}:{edge.tail_port}:e" if edge.tail_port else edge.tail
        head = f"{edge.head}:{edge.head_port}:w" if edge.head_port else edge.head
        attrs = [f"id={_dot_string('connection:' + edge.ident)}"] if edge.ident else []
        if edge.label:
            attrs.append(f"label={_dot_string(edge.label)}")
        if edge.style == "handle":
            attrs.append("style=dashed, color=\"#777777\", fontcolor=\"#555555\"")
        elif edge.style == "tree":
            attrs.append("penwidth=1.6, color=\"#1f5f99\", arrowhead=vee")
        lines.append(f"  {tail} -> {head}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _html_table(box: Box) -> str:
    rows = [f'<TR><TD BGCOLOR="#dde8f5"><B>{_html(box.title)}</B></TD></TR>']
    for port in box.ports:
        if port.kind == "in":
            rows.append(_port_row(port, "&#9654; "))
    sections = [(box.codelets, "#ffffff", ""), (box.terms, "#fff8e1", "<I>"), (box.others, "#f3f3f3", "")]
    for items, colour, style in sections:
        for text in items:
            content = f"<I>{_html(text)}</I>" if style else _html(text)
            rows.append(f'<TR><TD BGCOLOR="{colour}" ALIGN="LEFT">{content}</TD></TR>')
    for port in box.ports:
        if port.kind == "out":
            rows.append(_port_row(port, "", " &#9654;"))
    return ('<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
            + "".join(rows) + "</TABLE>")


def _port_row(port: Port, before: str, after: str = "") -> str:
    detail = f' <FONT POINT-SIZE="8">({_html(port.detail)})</FONT>' if port.detail else ""
    align = "LEFT" if port.kind == "in" else "RIGHT"
    colour = "#e6f4ea" if port.kind == "in" else "#fde7e7"
    return (f'<TR><TD PORT="{port.key}" ID="queue:{_html(port.handle)}" HREF="#" TOOLTIP="{_html(port.handle)}" BGCOLOR="{colour}" ALIGN="{align}">'
            f"{before}{_html(port.name)}{detail}{after}</TD></TR>")


def _box_id(box: Box) -> str:
    """The SVG element id of an entity's box: 'entity:NAME' ('entity:#e3' for an unnamed entity)."""
    return f"entity:{box.entity}" if box.entity else f"entity:#{box.node}"


def _html(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _dot_string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# --- Mermaid -------------------------------------------------------------------------------------------
def to_mermaid(picture: Picture, title: str = "") -> str:
    """Mermaid flowchart text of the picture (GitHub and many editors draw it)."""
    lines = []
    if title:
        lines += ["---", f"title: {_mermaid_text(title)}", "---"]
    lines.append("flowchart LR")
    children: dict[str | None, list[str]] = {}
    for cluster in picture.clusters.values():
        children.setdefault(cluster.parent, []).append(cluster.name)
    boxes_in: dict[str | None, list[Box]] = {}
    for box in picture.boxes:
        boxes_in.setdefault(box.cluster if box.cluster in picture.clusters else None, []).append(box)
    ids = {name: f"sg{index}" for index, name in enumerate(picture.clusters)}

    def emit(cluster: str | None, indent: str) -> None:
        for box in boxes_in.get(cluster, []):
            lines.append(f'{indent}{box.node}["{_mermaid_box(box)}"]')
        for name in children.get(cluster, []):
            lines.append(f'{indent}subgraph {ids[name]} ["{_mermaid_text(picture.clusters[name].label)}"]')
            emit(name, indent + "  ")
            lines.append(f"{indent}end")

    emit(None, "  ")
    ports = {(box.node, port.key): port.name for box in picture.boxes for port in box.ports}
    for edge in picture.edges:
        label = edge.label
        if edge.style == "data":
            names = f"{ports.get((edge.tail, edge.tail_port), '?')} → {ports.get((edge.head, edge.head_port), '?')}"
            label = f"{names}, {label}" if label else names
        arrow = {"data": "-->", "tree": "==>", "handle": "-.->"}[edge.style]
        text = f'|"{_mermaid_text(label)}"|' if label else ""
        lines.append(f"  {edge.tail} {arrow}{text} {edge.head}")
    return "\n".join(lines) + "\n"


def _mermaid_box(box: Box) -> str:
    parts = [f"<b>{_mermaid_text(box.title)}</b>"]
    parts += [f"▶ {_mermaid_text(p.name)}" for p in box.ports if p.kind == "in"]
    parts += [_mermaid_text(text) for text in box.codelets]
    parts += [f"<i>{_mermaid_text(text)}</i>" for text in box.terms]
    parts += [_mermaid_text(text) for text in box.others]
    parts += [f"{_mermaid_text(p.name)} ▶" for p in box.ports if p.kind == "out"]
    return "<br/>".join(parts)


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label (its own entity codes for the characters it parses)."""
    return (str(text).replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;"))


# --- Graphviz ------------------------------------------------------------------------------------------
def dot_program() -> str:
    """The path of Graphviz's ``dot``; a GxfError naming what to install when there is none."""
    path = shutil.which("dot")
    if path is None:
        raise GxfError("drawing SVG or PNG needs Graphviz's 'dot' program, which is not on PATH",
                       hint=GRAPHVIZ_HINT)
    return path


def run_dot(dot_text: str, fmt: str) -> bytes:
    """Lays out DOT text with Graphviz and returns the drawing in ``fmt`` ('svg', 'png', ...)."""
    try:
        done = subprocess.run([dot_program(), f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=DOT_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise GxfError(f"Graphviz's dot took more than {DOT_TIMEOUT_S:.0f} s to lay out the graph",
                       hint="use --format dot and lay it out yourself") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise GxfError(f"Graphviz's dot failed: {message}")
    return done.stdout


def format_for(path: str | None) -> str:
    """The format a file name asks for by its suffix (``.svg``, ``.png``, ``.dot``/``.gv``,
    ``.mmd``/``.mermaid``); svg when there is no file or its suffix says nothing."""
    suffix = (path or "").rpartition(".")[2].lower() if path and "." in path else ""
    return {"svg": "svg", "png": "png", "dot": "dot", "gv": "dot", "mmd": "mermaid",
            "mermaid": "mermaid"}.get(suffix, "svg")


def render(context: Context, fmt: str, title: str = "") -> bytes | str:
    """The picture of ``context`` in ``fmt``: text for svg, dot and mermaid, bytes for png."""
    if fmt not in FORMATS:
        raise GxfError(f"unknown picture format '{fmt}'", hint=f"use one of {', '.join(FORMATS)}")
    picture = picture_of(context)
    if fmt == "mermaid":
        return to_mermaid(picture, title)
    dot_text = to_dot(picture, title)
    if fmt == "dot":
        return dot_text
    drawn = run_dot(dot_text, fmt)
    return drawn.decode("utf-8") if fmt == "svg" else drawn


def graph_svg(context: Context, title: str = "") -> str:
    """SVG text of a loaded (or running) graph's picture; needs Graphviz's ``dot``."""
    return render(context, "svg", title)
