"""Install hints come from data: what extensions declare, and a shipped table for what is not installed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gxf.core import Context, Extension, ExtensionError, GxfError
from gxf.core import known_distributions as kd
from gxf.core.builtin import CORE_EXTENSION
from gxf.core.registry import TypeRegistry

CORE_DIR = Path(kd.__file__).resolve().parent
SIBLINGS = ("gxf-std", "gxf-cuda", "gxf-python-codelet")


def test_the_shipped_table_names_the_well_known_extensions():
    table = kd.load()
    assert table.for_extension("StandardExtension") == "gxf-std"
    assert table.for_extension("PythonCodeletExtension") == "gxf-python-codelet"
    assert table.for_extension("AcmeExtension") is None


def test_the_longest_matching_type_prefix_wins():
    table = kd.load()
    assert table.for_type("nvidia::gxf::GreedyScheduler") == "gxf-std"
    assert table.for_type("nvidia::gxf::CudaStreamPool") == "gxf-cuda"
    assert table.for_type("nvidia::gxf::StreamOrderedAllocator") == "gxf-cuda"
    assert table.for_type("nvidia::gxf::PyCodeletV0") == "gxf-python-codelet"
    assert table.for_type("nvidia::gxf::test::TensorGenerator") == "gxf-std"
    assert table.for_type("acme::Widget") is None


def test_a_malformed_table_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "known.toml"
    path.write_text('[extensions]\nAcme = 3\n', encoding="utf-8")
    with pytest.raises(ExtensionError, match=r"\[extensions\] must map names") as info:
        kd.load(path)
    assert info.value.location.file == str(path)
    path.write_text('[extension]\nAcme = "acme"\n', encoding="utf-8")
    with pytest.raises(ExtensionError, match="unknown table"):
        kd.load(path)
    path.write_text('[extensions\n', encoding="utf-8")
    with pytest.raises(ExtensionError, match="cannot read"):
        kd.load(path)


def test_the_core_code_names_none_of_the_other_distributions():
    """Distribution names live in the data file and in each extension's own definition."""
    found = []
    for path in sorted(CORE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(owner.body[0].value) for owner in ast.walk(tree)
                      if isinstance(owner, (ast.Module, ast.ClassDef, ast.FunctionDef))
                      and ast.get_docstring(owner) is not None}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found += [f"{path.name}:{node.lineno}: {name}" for name in SIBLINGS if name in node.value]
    assert not found, found


def test_installed_extensions_name_their_own_distribution():
    from gxf.core import plugins

    registry = plugins.default_registry()
    assert CORE_EXTENSION.distribution == "gxf-core"
    for name, dist in [("StandardExtension", "gxf-std"), ("SampleExtension", "gxf-std"),
                       ("TestHelperExtension", "gxf-std"), ("CudaExtension", "gxf-cuda"),
                       ("PythonCodeletExtension", "gxf-python-codelet")]:
        ext = registry.extensions.get(name)
        if ext is not None:
            assert ext.distribution == dist, name


def test_an_upgrade_hint_names_the_distribution_the_extension_declares(write):
    registry = TypeRegistry()
    registry.add_extension(CORE_EXTENSION)
    registry.add_extension(Extension("AcmeExtension", "0f0e0d0c-0b0a-4908-8706-050403020100", "1.0.0",
                                     distribution="acme-gxf"))
    with pytest.raises(ExtensionError, match="pip install --upgrade acme-gxf"):
        registry.check_dependency("AcmeExtension", None, "1.4")


def test_a_graph_without_scheduler_names_the_distribution_of_one_when_none_is_installed(monkeypatch):
    from gxf.core import plugins

    monkeypatch.setattr(plugins.pm.hook, "gxf_graph_loaded", lambda context: None)
    registry = TypeRegistry()
    registry.add_extension(CORE_EXTENSION)
    context = Context(registry)
    context.create_entity("empty")
    with pytest.raises(GxfError, match="the graph has no scheduler") as info:
        context.activate()
    assert "pip install gxf-std" in info.value.hint
