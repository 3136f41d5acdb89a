"""gxf.std lists its public names in one table (name -> module), resolves them on first use, and the
table cannot go stale: every public class and function of its modules is listed or deliberately left out."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import gxf.std

STD_DIR = Path(gxf.std.__file__).resolve().parent
INIT = "gxf_std/gxf/std/__init__.py"


def module_names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules([str(STD_DIR)]) if not info.name.startswith("_"))


def public_definitions(module) -> dict[str, object]:
    """The public classes and functions ``module`` defines itself (or names in its ``__all__``)."""
    exported = getattr(module, "__all__", None)
    found = {}
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if exported is not None:
            if name in exported:
                found[name] = value
        elif (inspect.isclass(value) or inspect.isfunction(value)) and value.__module__ == module.__name__:
            found[name] = value
    return found


def test_all_is_the_table():
    assert gxf.std.__all__ == sorted(gxf.std._EXPORTS)
    assert set(gxf.std.__all__) <= set(dir(gxf.std))


def test_every_listed_name_resolves_from_the_module_the_table_names():
    wrong = []
    for name, module in sorted(gxf.std._EXPORTS.items()):
        loaded = importlib.import_module(module, "gxf.std")
        if not hasattr(loaded, name):
            wrong.append(f"_EXPORTS in {INIT} lists {name} under {module!r}, which has no {name}")
        elif getattr(gxf.std, name) is not getattr(loaded, name):
            wrong.append(f"gxf.std.{name} is not {module}.{name}")
    assert not wrong, "\n".join(wrong)


def unlisted(exports: dict[str, str], not_exported: dict[str, tuple[str, ...]]) -> list[str]:
    """What the modules define that the tables neither list nor leave out, each with what to add."""
    missing = []
    for short in module_names():
        module = importlib.import_module(f"gxf.std.{short}")
        for name, value in public_definitions(module).items():
            if name in not_exported.get(f".{short}", ()):
                continue
            listed = exports.get(name)
            if listed == f".{short}" or (listed is not None and _resolve(listed, name) is value):
                continue
            kind = "class" if inspect.isclass(value) else "function" if inspect.isfunction(value) else "name"
            missing.append(f'gxf.std.{short} defines {kind} {name}: add  "{name}": ".{short}",  to '
                           f'_EXPORTS in {INIT}, or to _NOT_EXPORTED[".{short}"] if it is '
                           'deliberately private')
    return missing


def _resolve(module: str, name: str):
    return getattr(importlib.import_module(module, "gxf.std"), name, None)


def test_every_public_class_and_function_of_the_modules_is_listed_or_deliberately_left_out():
    missing = unlisted(gxf.std._EXPORTS, gxf.std._NOT_EXPORTED)
    assert not missing, "gxf.std's table of public names is stale:\n" + "\n".join(missing)


def test_a_name_missing_from_the_table_is_reported_with_the_line_to_add():
    already = set(unlisted(gxf.std._EXPORTS, gxf.std._NOT_EXPORTED))
    exports = {k: v for k, v in gxf.std._EXPORTS.items() if k != "GreedyScheduler"}
    assert set(unlisted(exports, gxf.std._NOT_EXPORTED)) - already == {
        'gxf.std.greedy_scheduler defines class GreedyScheduler: add  "GreedyScheduler": '
        f'".greedy_scheduler",  to _EXPORTS in {INIT}, or to _NOT_EXPORTED[".greedy_scheduler"] if it is '
        "deliberately private"}
    not_exported = {**gxf.std._NOT_EXPORTED, ".connection": ()}
    assert {m.split(":")[0] for m in set(unlisted(gxf.std._EXPORTS, not_exported)) - already} == {
        "gxf.std.connection defines function connect"}


def test_names_left_out_exist_in_their_modules():
    for module, names in gxf.std._NOT_EXPORTED.items():
        loaded = importlib.import_module(module, "gxf.std")
        for name in names:
            assert hasattr(loaded, name), f"_NOT_EXPORTED[{module!r}] names {name}, which {module} lacks"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'gxf.std' has no attribute 'NoSuchThing'"):
        gxf.std.NoSuchThing  # noqa: B018


def test_importing_gxf_std_imports_none_of_its_modules_and_a_name_only_its_own():
    code = ("import sys, gxf.std\n"
            "before = sorted(m for m in sys.modules if m.startswith('gxf.std.'))\n"
            "gxf.std.Tensor\n"
            "print(before, 'numpy' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] False"
