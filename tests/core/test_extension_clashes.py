"""Extensions that clash: the later claim is refused, the other extension keeps working, `gxf list` says so.

GXF's extension loader refuses a whole extension that brings a component type already registered; so
does the registry here, for an extension's name and UUID too. Which of two clashing extensions is the
"later" one never depends on install or entry-point order: the project's own distributions come first
(known_distributions.toml), every other one after them by distribution name. A plugin that implements
no hook is named in a warning.

Plugins are registered in-process (as tests/core/testing_ext.py is), and at the end two distributions
are really installed with pip and found through their entry points by a `gxf` process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxf.core import Component, Extension, ExtensionError, hookimpl, plugins
from gxf.core.cli import main
from gxf.core.registry import ExtensionConflict, TypeRegistry

REPO_ROOT = Path(__file__).resolve().parents[2]
FORWARD_UUID = "97cee543-8fb5-4541-8ff7-589318187ec0"  # nvidia::gxf::Forward of gxf-std


def plugin(name: str, *extensions: Extension) -> types.ModuleType:
    """A plugin module whose gxf_extensions hook returns ``extensions``."""
    module = types.ModuleType(name)

    @hookimpl
    def gxf_extensions():
        return list(extensions)

    module.gxf_extensions = gxf_extensions
    return module


def component(type_name: str, uuid: str) -> type:
    return type(type_name.replace(":", "_"), (Component,), {"__doc__": "A clashing test type."},
                type_name=type_name, uuid=uuid)


def extension(name: str, number: int, *components: type) -> Extension:
    return Extension(name, f"0c1a5e00-0000-4000-8000-{number:012d}", "1.0.0", list(components))


@pytest.fixture
def install():
    """install(module, name, distribution): registers a plugin for the test, removed afterwards."""
    names = []

    def register(module, name, distribution):
        plugins.register(module, name=name, distribution=distribution)
        names.append(name)

    yield register
    for name in reversed(names):
        plugins.unregister(name)


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


# --- who keeps a claim --------------------------------------------------------------------------------
def test_a_distribution_reusing_a_std_type_name_is_refused_and_std_keeps_every_type(install):
    """'aaa' sorts before 'gxf-std', but the project's own distributions register first."""
    before = {t.name for t in plugins.build_registry().all_types() if t.extension.name == "StandardExtension"}
    fake = extension("AaaExtension", 1,
                     component("nvidia::gxf::Forward", "0c1a5e00-0000-4000-8000-0000000000f1"),
                     component("aaa::Own", "0c1a5e00-0000-4000-8000-0000000000f2"))
    install(plugin("aaa", fake), "aaa:ext", "aaa")
    built = plugins.build_registry()
    std = built.extensions["StandardExtension"]
    assert built.types["nvidia::gxf::Forward"].extension is std
    assert {t.name for t in built.all_types() if t.extension is std} == before
    assert "AaaExtension" not in built.extensions and "aaa::Own" not in built.types, \
        "the refused extension is refused as a whole, as GXF's loader refuses it"
    [conflict] = built.conflicts
    assert conflict.extension is fake and conflict.plugin == "aaa:ext"
    assert conflict.message == (
        "extension 'AaaExtension' from distribution 'aaa' was not loaded: component type "
        "'nvidia::gxf::Forward' (0c1a5e00-0000-4000-8000-0000000000f1) is already registered by "
        "extension 'StandardExtension' from distribution 'gxf-std'")


def test_a_reused_type_uuid_and_extension_uuid_are_refused_too(install):
    core_uuid = plugins.build_registry().extensions["GxfCore"].uuid
    fake = Extension("Fake", core_uuid, "1.0.0", [component("fake::Forward", FORWARD_UUID)])
    install(plugin("fake", fake), "fake", "a-fake")
    built = plugins.build_registry()
    [conflict] = built.conflicts
    assert [(what, holder.name) for what, holder in conflict.claims] == [
        (f"extension UUID {core_uuid} (as 'GxfCore')", "GxfCore"),
        (f"component type UUID {FORWARD_UUID} (of 'fake::Forward', registered as 'nvidia::gxf::Forward')",
         "StandardExtension")]
    assert built.extensions["GxfCore"].distribution == "gxf-core"
    assert built.by_uuid(FORWARD_UUID).name == "nvidia::gxf::Forward"


@pytest.mark.parametrize("order", [("alpha", "zeta"), ("zeta", "alpha")])
def test_between_two_third_parties_the_name_decides_not_the_order_of_installation(install, order):
    shared = "0c1a5e00-0000-4000-8000-0000000000e1"
    offers = {"alpha": extension("AlphaExtension", 11, component("shared::Widget", shared)),
              "zeta": extension("ZetaExtension", 12, component("shared::Widget", shared))}
    for dist in order:
        install(plugin(dist, offers[dist]), f"{dist}:ext", f"{dist}-gxf")
    built = plugins.build_registry()
    assert built.types["shared::Widget"].extension is offers["alpha"]
    assert [c.extension.name for c in built.conflicts] == ["ZetaExtension"]
    assert "distribution 'alpha-gxf'" in built.conflicts[0].message
    assert "distribution 'zeta-gxf'" in built.conflicts[0].message


def test_the_order_comes_from_the_plugin_distribution_not_what_an_extension_says_of_itself(install):
    impostor = extension("Impostor", 21,
                         component("nvidia::gxf::Forward", "0c1a5e00-0000-4000-8000-0000000000d1"))
    impostor.distribution = "gxf-core"
    install(plugin("impostor", impostor), "impostor", "aaaa-impostor")
    built = plugins.build_registry()
    assert built.types["nvidia::gxf::Forward"].extension.name == "StandardExtension"
    assert [c.extension for c in built.conflicts] == [impostor]


def test_an_extension_name_taken_by_another_is_refused(install):
    install(plugin("copy", extension("StandardExtension", 31)), "copy", "copy-of-std")
    built = plugins.build_registry()
    assert built.extensions["StandardExtension"].distribution == "gxf-std"
    [(what, holder)] = built.conflicts[0].claims
    assert what.startswith("extension 'StandardExtension' (") and holder.distribution == "gxf-std"


def test_add_extension_refuses_a_clash_without_changing_what_is_registered():
    registry = TypeRegistry()
    first = extension("First", 41, component("one::A", "0c1a5e00-0000-4000-8000-0000000000c1"))
    registry.add_extension(first)
    second = extension("Second", 42, component("two::B", "0c1a5e00-0000-4000-8000-0000000000c2"),
                       component("one::A", "0c1a5e00-0000-4000-8000-0000000000c3"))
    with pytest.raises(ExtensionConflict) as info:
        registry.add_extension(second)
    assert isinstance(info.value, ExtensionError)
    assert set(registry.types) == {"one::A"} and set(registry.extensions) == {"First"}
    # one extension listing a type name twice is broken by itself: a plain error, no conflict
    twice = extension("Twice", 43, component("t::X", "0c1a5e00-0000-4000-8000-0000000000c4"),
                      component("t::X", "0c1a5e00-0000-4000-8000-0000000000c5"))
    with pytest.raises(ExtensionError, match="a type name and a UUID may be used once") as info:
        registry.add_extension(twice)
    assert not isinstance(info.value, ExtensionConflict)


# --- what `gxf list` shows ----------------------------------------------------------------------------
def test_gxf_list_names_the_conflict_and_both_distributions(install):
    install(plugin("aaa", extension("AaaExtension", 51, component("nvidia::gxf::Forward",
                                                                  "0c1a5e00-0000-4000-8000-0000000000b1"))),
            "aaa:ext", "aaa")
    result = cli("list")
    assert result.exit_code == 0
    section = result.stdout.split("not loaded (they claim names or UUIDs of the extensions above):\n")[1]
    assert section.startswith(
        "  AaaExtension 1.0.0  0c1a5e00-0000-4000-8000-000000000051  from aaa\n"
        "    component type 'nvidia::gxf::Forward' (0c1a5e00-0000-4000-8000-0000000000b1): "
        "held by StandardExtension from gxf-std\n"
        "  (uninstall one of the two distributions)\n")
    assert "nvidia::gxf::Forward " in result.stdout.split("not loaded")[0], "std's Forward is listed"
    data = json.loads(cli("list", "--json").stdout)
    [conflict] = data["conflicts"]
    assert conflict["extension"] == "AaaExtension" and conflict["distribution"] == "aaa"
    assert conflict["plugin"] == "aaa:ext"
    assert conflict["claims"] == [{
        "claim": "component type 'nvidia::gxf::Forward' (0c1a5e00-0000-4000-8000-0000000000b1)",
        "held_by": {"extension": "StandardExtension", "uuid": plugins.build_registry()
                    .extensions["StandardExtension"].uuid, "distribution": "gxf-std"}}]
    assert "AaaExtension" not in {e["name"] for e in data["extensions"]}
    described = cli("describe", "nvidia::gxf::Forward")
    assert "warning: extension plugin 'aaa:ext': extension 'AaaExtension' from distribution 'aaa' was not " \
           "loaded" in described.stderr
    assert "StandardExtension" in described.stdout


# --- plugins that do nothing ----------------------------------------------------------------------------
def unmarked_plugin() -> types.ModuleType:
    module = types.ModuleType("unmarked")

    def gxf_extensions():  # no @hookimpl: pluggy does not see it
        return []

    module.gxf_extensions = gxf_extensions
    return module


def misspelt_plugin() -> types.ModuleType:
    module = types.ModuleType("misspelt")

    @hookimpl
    def gxf_extension():
        return []

    module.gxf_extension = gxf_extension
    return module


def test_a_plugin_implementing_no_hook_gets_a_warning_in_gxf_list(install):
    install(unmarked_plugin(), "unmarked:ext", "unmarked")
    install(misspelt_plugin(), "misspelt:ext", "misspelt")
    install(types.ModuleType("empty"), "empty:ext", "empty")
    result = cli("list")
    assert result.exit_code == 0
    warnings = result.stdout.split("warnings:\n")[1]
    assert ("  unmarked:ext: implements no gxf hook: gxf_extensions() lacks the @hookimpl marker "
            "(from gxf.core import hookimpl)\n") in warnings
    assert ("  misspelt:ext: implements no gxf hook; its @hookimpl functions name no hook: gxf_extension "
            "(did you mean gxf_extensions?)\n") in warnings
    assert "  empty:ext: implements no gxf hook: define gxf_extensions() marked @hookimpl" in warnings
    data = json.loads(cli("list", "--json").stdout)
    assert {w["plugin"] for w in data["warnings"]} == {"unmarked:ext", "misspelt:ext", "empty:ext"}
    assert "StandardExtension" in {e["name"] for e in data["extensions"]}


def test_plugins_that_implement_a_hook_get_no_warning():
    assert plugins.build_registry().warnings == []


# --- really installed -------------------------------------------------------------------------------
PYPROJECT = """
    [build-system]
    requires = ["setuptools>=70.1"]
    build-backend = "setuptools.build_meta"

    [project]
    name = "{name}"
    version = "0.0.1"

    [project.entry-points."gxf.extensions"]
    ext = "{module}"

    [tool.setuptools]
    py-modules = ["{module}"]
    """

CLASHING_MODULE = f"""
    from gxf.core import Extension, hookimpl
    from gxf.std import Codelet


    class Forward(Codelet, type_name="nvidia::gxf::Forward", uuid="{FORWARD_UUID}"):
        \"\"\"Claims the standard Forward's name and UUID.\"\"\"


    class Own(Codelet, type_name="aaa::Own", uuid="0c1a5e00-0000-4000-8000-0000000000a2"):
        \"\"\"A type of its own.\"\"\"


    @hookimpl
    def gxf_extensions():
        return Extension("AaaClashExtension", "0c1a5e00-0000-4000-8000-0000000000a1", "0.0.1", [Forward, Own])
    """

HOOKLESS_MODULE = """
    from gxf.core import Extension


    def gxf_extensions():
        return Extension("Forgotten", "0c1a5e00-0000-4000-8000-0000000000a3", "0.0.1", [])
    """


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder with two distributions installed by pip: one claiming std's Forward, one without hooks."""
    work = tmp_path_factory.mktemp("clashing")
    sources = []
    for name, module, text in [("aaa-gxf-clash", "aaa_gxf_clash", CLASHING_MODULE),
                               ("gxf-hookless", "gxf_hookless", HOOKLESS_MODULE)]:
        source = work / name
        source.mkdir()
        (source / "pyproject.toml").write_text(textwrap.dedent(PYPROJECT.format(name=name, module=module)))
        (source / f"{module}.py").write_text(textwrap.dedent(text))
        sources.append(str(source))
    target = work / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), *sources],
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, f"pip install failed:\n{result.stdout}\n{result.stderr}"
    return target


def gxf(site: Path, *args: str) -> subprocess.CompletedProcess:
    """`gxf ARGS` in a process that finds the distributions in ``site`` first on its path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site)] + [p for p in [env.get("PYTHONPATH")] if p])
    env.pop("GXF_LOG_LEVEL", None)
    return subprocess.run([sys.executable, "-m", "gxf.core.cli", *args], capture_output=True, text=True,
                          timeout=60, env=env, cwd=REPO_ROOT)


@pytest.mark.timeout(300)
def test_installed_clashing_distribution_is_refused_and_std_still_works(site, tmp_path):
    listed = gxf(site, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    [conflict] = data["conflicts"]
    assert (conflict["extension"], conflict["distribution"]) == ("AaaClashExtension", "aaa-gxf-clash")
    assert {(c["claim"].split(" (")[0], c["held_by"]["distribution"]) for c in conflict["claims"]} == {
        ("component type 'nvidia::gxf::Forward'", "gxf-std")}
    [warning] = data["warnings"]
    assert warning["plugin"] == "gxf-hookless:ext"
    assert "gxf_extensions() lacks the @hookimpl" in warning["warning"]
    std = next(e for e in data["extensions"] if e["name"] == "StandardExtension")
    assert "nvidia::gxf::Forward" in {c["name"] for c in std["components"]}
    text = gxf(site, "list").stdout
    assert "    component type 'nvidia::gxf::Forward' (97cee543-8fb5-4541-8ff7-589318187ec0): held by " \
           "StandardExtension from gxf-std\n" in text
    assert "  gxf-hookless:ext: implements no gxf hook" in text
    graph = tmp_path / "forward.yaml"
    graph.write_text(textwrap.dedent("""
        name: relay
        components:
        - name: in
          type: nvidia::gxf::DoubleBufferReceiver
        - name: out
          type: nvidia::gxf::DoubleBufferTransmitter
        - type: nvidia::gxf::Forward
          parameters: {in: in, out: out}
        """))
    validated = gxf(site, "validate", str(graph))
    assert validated.returncode == 0, validated.stderr
    assert "was not loaded" in validated.stderr


def test_without_the_table_of_the_project_distributions_the_name_decides(install, monkeypatch):
    """A broken known_distributions.toml is reported; the clash is still settled, by distribution name."""
    from gxf.core import known_distributions

    def broken():
        raise ExtensionError("cannot read the table of known distributions: broken on purpose")

    monkeypatch.setattr(known_distributions, "known", broken)
    shared = "0c1a5e00-0000-4000-8000-0000000000e9"
    install(plugin("b", extension("BExtension", 61, component("b::Widget", shared))), "b:ext", "b-gxf")
    install(plugin("a", extension("AExtension", 62, component("a::Widget", shared))), "a:ext", "a-gxf")
    built = plugins.build_registry()
    assert ("known_distributions.toml", "cannot read the table of known distributions: broken on purpose") \
        in built.failures
    assert built.by_uuid(shared).name == "a::Widget"
    assert [c.extension.name for c in built.conflicts] == ["BExtension"]
