"""The README's code works as printed, so the README cannot rot.

Every fenced block of README.md is taken by its section (the `## ` heading above it) and language:

- python: the blocks of one section are joined in order into one file, which runs with this Python in
  an empty folder and must exit 0 (a later block of a section may use names an earlier one defined, as
  the text says). The extension section's module is also registered as a plugin and its graph run.
- yaml: each block is read with the project's YAML reader. A block that is a whole graph file (its
  documents are entities or a `dependencies` list) is loaded and checked as `gxf validate` checks it,
  with the installed extensions; a fragment (a list of components) is only read. The extension
  section's graph runs with the section's extension.
- toml: read with tomllib; the extension section's entry point names the module its python block is.
- the unmarked block after "Every mistake is reported once" is exactly what `gxf validate` prints for
  the section's graph with the misspelling it shows.
- bash: the rule is to check the commands a block names rather than run every one of them, because
  they set up virtual environments, build wheels or run this whole test suite: every script a line
  starts with exists and is executable, every `.venv/bin/` program exists in this environment, `pip
  install` names only distributions of this repository, files named as arguments exist, and the `gxf`
  commands (`gxf run examples/...`, `gxf --version`) are run, with this environment's gxf.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxf.core import Context, plugins, runner
from gxf.core.cli import main
from gxf.core.yaml_source import load_file

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
EXTENSION_SECTION = "Writing an extension"
VENV_BIN = Path(sys.executable).parent


def blocks() -> list[tuple[str, str, str]]:
    """(section, language, text) of every fenced block, in README order."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        headings = re.findall(r"^## (.+)$", text[:match.start()], re.M)
        found.append((headings[-1] if headings else "", match.group(1), match.group(2)))
    return found


def of(language: str, section: str | None = None) -> list[str]:
    return [text for sec, lang, text in blocks() if lang == language and section in (None, sec)]


def python_sections() -> list[str]:
    return list(dict.fromkeys(sec for sec, lang, _ in blocks() if lang == "python"))


def test_the_readme_has_the_blocks_these_tests_check():
    languages = {lang for _, lang, _ in blocks()}
    assert {"python", "yaml", "bash", "toml", ""} <= languages
    assert len(of("python")) >= 3 and len(of("yaml")) >= 3 and len(of("bash")) >= 3
    assert of("python", EXTENSION_SECTION) and of("yaml", EXTENSION_SECTION)


# --- python --------------------------------------------------------------------------------------------
@pytest.mark.timeout(120)
@pytest.mark.parametrize("section", python_sections())
def test_python_blocks_run_as_printed(section, tmp_path):
    script = tmp_path / "readme_blocks.py"
    script.write_text("\n\n".join(of("python", section)), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=100,
                            cwd=tmp_path)
    assert result.returncode == 0, f"{section}:\n{result.stdout}\n{result.stderr}"


@pytest.mark.timeout(120)
def test_the_graph_api_snippet_receives_what_it_says(tmp_path):
    script = tmp_path / "ping_api.py"
    script.write_text("\n\n".join(of("python", "Python codelets")), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=100,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "5 messages received"
    written = load_file(tmp_path / "ping.yaml")
    assert {doc.get("name") for doc in written if isinstance(doc, dict)} >= {"tx", "rx"}


@pytest.fixture
def readme_extension(tmp_path):
    """The extension section's module, imported from a file and registered as an installed plugin."""
    [module_text] = of("python", EXTENSION_SECTION)
    path = tmp_path / "my_gxf_ext.py"
    path.write_text(module_text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("my_gxf_ext", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    plugins.register(module, name="my-gxf-extension:my_extension", distribution="my-gxf-extension")
    try:
        yield module
    finally:
        plugins.unregister("my-gxf-extension:my_extension")


@pytest.mark.timeout(60)
def test_the_extension_section_registers_and_its_graph_runs(readme_extension, tmp_path):
    registry = plugins.default_registry()
    assert registry.extensions["MyExtension"].distribution == "my-gxf-extension"
    assert not registry.conflicts and not registry.warnings
    assert registry.component_type("my::Counter").base == "nvidia::gxf::Codelet"
    [graph] = of("yaml", EXTENSION_SECTION)
    path = tmp_path / "count.yaml"
    path.write_text(graph, encoding="utf-8")
    context = runner.run_graphs([path], max_duration_ms=10_000, registry=registry)
    assert context.find_component("counter/tally").count == 10
    described = CliRunner().invoke(main, ["describe", "my::Counter"])
    assert described.exit_code == 0
    assert "handle[nvidia::gxf::Receiver]" in described.stdout


def test_the_extension_section_pyproject_names_its_module():
    [pyproject] = of("toml", EXTENSION_SECTION)
    data = tomllib.loads(pyproject)
    assert data["project"]["entry-points"]["gxf.extensions"] == {"my_extension": "my_gxf_ext"}
    [module_text] = of("python", EXTENSION_SECTION)
    assert module_text.startswith('"""my_gxf_ext:')


# --- yaml ----------------------------------------------------------------------------------------------
def whole_graph(documents: list) -> bool:
    return bool(documents) and all(isinstance(doc, dict) and ("components" in doc or "dependencies" in doc)
                                   for doc in documents)


@pytest.mark.parametrize("index", range(len(of("yaml"))))
def test_yaml_blocks_load(index, tmp_path):
    section = [sec for sec, lang, _ in blocks() if lang == "yaml"][index]
    text = of("yaml")[index]
    path = tmp_path / "block.yaml"
    path.write_text(text, encoding="utf-8")
    documents = load_file(path)
    assert documents, text
    if section == EXTENSION_SECTION:
        return  # needs the section's extension: test_the_extension_section_registers_and_its_graph_runs
    if whole_graph(documents):
        context = runner.validate_graphs([path], registry=plugins.default_registry())
        assert isinstance(context, Context)
    else:
        assert all(isinstance(doc, list) for doc in documents), f"neither a graph nor a fragment:\n{text}"


def test_the_error_example_is_what_gxf_validate_prints(tmp_path):
    text = README.read_text(encoding="utf-8")
    section = text.split("## Writing a graph\n")[1].split("\n## ")[0]
    [example] = [body for lang, body in FENCE.findall(section) if lang == ""]
    misspelt = re.search(r"unknown parameter '(\w+)'", example).group(1)
    graph = of("yaml", "Writing a graph")[0]
    (tmp_path / "graph.yaml").write_text(graph.replace("capacity", misspelt), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "gxf.core.cli", "validate", "graph.yaml"],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 1
    errors = "".join(line + "\n" for line in result.stderr.splitlines()
                     if not line.startswith("warning: extension plugin"))
    assert errors == example


# --- bash ----------------------------------------------------------------------------------------------
def commands(block: str) -> list[list[str]]:
    """The commands of a bash block: lines without comments, split on && and ;."""
    found = []
    for line in block.splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        for part in re.split(r"&&|;", line):
            if part.strip():
                found.append(shlex.split(part))
    return found


def project_distributions() -> set[str]:
    names = set()
    for pyproject in REPO_ROOT.glob("*/pyproject.toml"):
        names.add(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"])
    return names


def gxf_subcommands() -> set[str]:
    return set(main.commands)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("index", range(len(of("bash"))))
def test_bash_blocks_name_what_exists_and_their_gxf_commands_work(index):
    for words in commands(of("bash")[index]):
        program, args = words[0], words[1:]
        if program.startswith(("./", "scripts/")):
            script = REPO_ROOT / program
            assert script.is_file() and script.stat().st_mode & 0o111, f"{program}: no executable script"
            continue
        if program.startswith(".venv/bin/"):
            name = program.removeprefix(".venv/bin/")
            assert (VENV_BIN / name).exists(), f"{program}: no {name} in this environment"
            program = name
        if program == "pip":
            assert args[0] == "install"
            named = [arg for arg in args[1:] if not arg.startswith("-") and arg != "dist"]
            assert named and set(named) <= project_distributions(), named
            continue
        if program == "python":
            assert args[:2] == ["-m", "pytest"], words  # the test suite itself: not run from within it
            continue
        assert program == "gxf", f"a command this test does not know: {words}"
        assert args[0] in gxf_subcommands() or args[0].startswith("--"), words
        for arg in args:
            if arg.endswith((".yaml", ".yml")):
                assert (REPO_ROOT / arg).is_file(), arg
        result = subprocess.run([sys.executable, "-m", "gxf.core.cli", *args], capture_output=True, text=True,
                                timeout=120, cwd=REPO_ROOT)
        assert result.returncode == 0, f"{words}:\n{result.stdout}\n{result.stderr}"
