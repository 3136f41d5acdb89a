"""The scheduling wing and the core talk through public calls only.

- No module of the distributions assigns an underscore attribute of another object (``other._x = ...``
  or ``setattr(other, "_x", ...)``): what one role needs from another is a documented method.
- No scheduler module names a concrete scheduling term: schedulers consume the terms' ``waits_on()``
  contract, so a term from any extension is scheduled the same way.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [ROOT / "gxf_core" / "gxf", ROOT / "gxf_std" / "gxf", ROOT / "gxf_cuda" / "gxf",
            ROOT / "gxf_python_codelet" / "gxf"]
SCHEDULER_MODULES = ["gxf.std.scheduler", "gxf.std.greedy_scheduler", "gxf.std.epoch_scheduler",
                     "gxf.std.multi_thread_scheduler", "gxf.std.event_based_scheduler",
                     "gxf.std.worker_scheduler", "gxf.std.workers", "gxf.std.sweep",
                     "gxf.std.entity_executor"]


def source_files() -> list[Path]:
    return sorted(path for package in PACKAGES for path in package.rglob("*.py"))


def foreign_private_stores(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every store into an underscore attribute of something other than self/cls."""
    found = []

    def owner_is_self(node: ast.Attribute) -> bool:
        return isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")

    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) and private(sub.attr) \
                        and not owner_is_self(sub):
                    found.append((node.lineno, ast.unparse(sub)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[1].value, str) and private(node.args[1].value):
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_finder_sees_a_foreign_private_store():
    tree = ast.parse("def f(a, self):\n    a._x = 1\n    self._y = 2\n    setattr(a, '_z', 3)\n    a.y = 4\n")
    assert [text for _, text in foreign_private_stores(tree)] == ["a._x", "setattr(a, '_z', 3)"]


def test_no_module_assigns_an_underscore_attribute_of_another_object():
    offenders = []
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        offenders += [f"{path.relative_to(ROOT)}:{line}: {text}" for line, text in foreign_private_stores(tree)]
    assert not offenders, "assignments to another object's private attributes:\n" + "\n".join(offenders)


def imported_modules(tree: ast.AST, package: str) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("module_name", SCHEDULER_MODULES)
def test_no_scheduler_module_names_a_concrete_term(module_name):
    from gxf.std.scheduling_term import SchedulingTerm
    from gxf.std.term_combiner import SchedulingTermCombiner

    module = importlib.import_module(module_name)
    concrete = [name for name, value in vars(module).items()
                if inspect.isclass(value) and issubclass(value, (SchedulingTerm, SchedulingTermCombiner))
                and value not in (SchedulingTerm, SchedulingTermCombiner)]
    assert not concrete, f"{module_name} names concrete terms: {concrete}"
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    term_modules = {"gxf.std.scheduling_terms", "gxf.std.message_terms", "gxf.std.async_scheduling_term",
                    "gxf.std.memory_available_term"}
    assert not imported_modules(tree, "gxf.std") & term_modules
