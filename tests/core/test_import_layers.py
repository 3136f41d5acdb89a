"""gxf.core is layered: its modules import each other without cycles, lower layers never import higher ones.

Every import counts, including those inside functions and methods (a function-level import is still a
dependency, only a later one); imports under ``if TYPE_CHECKING:`` do not, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gxf.core

PACKAGE = "gxf.core"
CORE_DIR = Path(gxf.core.__file__).resolve().parent

# From the ground up. A module may import modules of its own layer or of a lower one.
LAYERS: list[tuple[str, ...]] = [
    ("errors", "units", "log", "yaml_source", "suggest", "hookspecs", "known_distributions", "text"),
    ("parameters",),
    ("component", "entity"),
    ("system", "extension", "schema"),
    ("registry", "builtin"),
    ("plugins",),
    ("context",),
    ("loader",),
    ("graph", "runner", "catalog", "graph_picture", "run_statistics", "run_report", "scaffold",
     "dashboard", "cli_plugins", "launch"),
    ("cli",),
    ("__init__",),  # the package's face: re-exports what users need
]
LAYER_OF = {module: index for index, layer in enumerate(LAYERS) for module in layer}


def core_modules() -> dict[str, Path]:
    return {path.stem: path for path in sorted(CORE_DIR.glob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_core_modules(source: str, modules: set[str]) -> dict[str, int]:
    """The gxf.core modules a module's source imports (anywhere but under TYPE_CHECKING) -> first line."""
    found: dict[str, int] = {}

    def add(name: str, line: int) -> None:
        found.setdefault(name, line)

    def from_package(names: list[ast.alias], line: int) -> None:
        # ``from . import units`` imports a module; ``from gxf.core import Context`` the package itself.
        for alias in names:
            add(alias.name if alias.name in modules else "__init__", line)

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:
                    visit_node(other)
                continue
            visit_node(child)

    def visit_node(node: ast.AST) -> None:
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                if node.module:
                    add(node.module.split(".")[0], node.lineno)
                else:
                    from_package(node.names, node.lineno)
            elif node.level == 0 and node.module and (node.module + ".").startswith(PACKAGE + "."):
                rest = node.module[len(PACKAGE):].lstrip(".")
                if rest:
                    add(rest.split(".")[0], node.lineno)
                else:
                    from_package(node.names, node.lineno)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE:
                    add("__init__", node.lineno)
                elif alias.name.startswith(PACKAGE + "."):
                    add(alias.name.split(".")[2], node.lineno)
        visit(node)

    visit(ast.parse(source))
    return found


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported gxf.core module: line} for every module of gxf.core."""
    modules = core_modules()
    names = set(modules)
    graph = {}
    for name, path in modules.items():
        imports = imported_core_modules(path.read_text(encoding="utf-8"), names)
        imports.pop(name, None)
        graph[name] = imports
    return graph


def find_cycle(graph: dict[str, dict[str, int] | set[str]]) -> list[str] | None:
    """A cycle of the graph as [a, b, ..., a], or None when it has none (depth-first search)."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def walk(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph.get(node, ())):
            if target in on_path:
                return path[path.index(target):] + [target]
            if target not in done:
                cycle = walk(target)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = walk(start)
            if cycle:
                return cycle
    return None


# --- the finder itself ---------------------------------------------------------------------------------
def test_cycle_finder_finds_a_cycle_and_names_it():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]


def test_cycle_finder_finds_a_module_importing_itself_back_through_one_other():
    assert find_cycle({"context": {"loader"}, "loader": {"context"}}) == ["context", "loader", "context"]


def test_cycle_finder_accepts_a_layered_graph():
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set(), "d": {"a", "c"}}) is None


def test_function_level_imports_count_and_type_checking_imports_do_not():
    source = '''
from typing import TYPE_CHECKING
from .errors import GxfError
if TYPE_CHECKING:
    from .context import Context
else:
    from . import units
def f():
    from .component import Component
class C:
    def m(self):
        import gxf.core.registry
        from gxf.core import Context
        from gxf.core.loader import load_graph_file
'''
    found = imported_core_modules(source, {"errors", "context", "units", "component", "registry",
                                           "loader"})
    assert set(found) == {"errors", "units", "component", "registry", "__init__", "loader"}
    assert found["component"] == 9


# --- gxf.core ------------------------------------------------------------------------------------------
def test_every_module_of_gxf_core_has_a_layer():
    missing = sorted(set(core_modules()) - set(LAYER_OF))
    assert not missing, f"gxf.core modules without a layer: {missing}; add them to LAYERS in {__file__}"


def test_gxf_core_modules_import_each_other_without_cycles():
    graph = import_graph()
    cycle = find_cycle(graph)
    if cycle:
        steps = [f"{a} imports {b} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:])]
        pytest.fail("import cycle in gxf.core: " + " -> ".join(cycle) + "\n  " + "\n  ".join(steps))


def test_no_module_of_gxf_core_imports_a_higher_layer():
    wrong = []
    for module, imports in import_graph().items():
        for target, line in imports.items():
            if LAYER_OF.get(target, -1) > LAYER_OF.get(module, -1):
                wrong.append(f"gxf/core/{module}.py:{line} imports {target} (layer {LAYER_OF[target]}), "
                             f"above its own layer {LAYER_OF[module]}")
    assert not wrong, "\n".join(wrong)


def test_the_context_does_not_know_the_graph_loader():
    assert "loader" not in import_graph()["context"]
    assert not hasattr(gxf.core.Context, "load_graph_file")
    assert not hasattr(gxf.core.Context, "load_graph_text")
