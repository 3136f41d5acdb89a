"""One version for every distribution: the four pyproject.toml files agree, and pin each other;
each has the metadata (readme, license, classifiers) that a package index shows.

scripts/set_version.py writes the version; these tests fail when someone edits one file by hand.
"""

import importlib.util
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "set_version.py"


def load_script():
    spec = importlib.util.spec_from_file_location("set_version", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


set_version = load_script()


def project(root: Path, folder: str) -> dict:
    return tomllib.loads((root / folder / "pyproject.toml").read_text())["project"]


@pytest.fixture
def copy(tmp_path):
    """A copy of the four pyproject.toml files, in their folders."""
    for folder in set_version.DISTRIBUTIONS:
        (tmp_path / folder).mkdir()
        shutil.copy(REPO_ROOT / folder / "pyproject.toml", tmp_path / folder / "pyproject.toml")
    return tmp_path


def test_the_repository_has_one_version_and_compatible_pins():
    assert set_version.disagreements() == []
    core = project(REPO_ROOT, "gxf_core")["version"]
    std = project(REPO_ROOT, "gxf_std")
    assert std["version"] == core
    assert f"gxf-core~={core}" in std["dependencies"]
    assert {"gxf-core~=" + core, "gxf-std~=" + core} <= set(project(REPO_ROOT, "gxf_cuda")["dependencies"])
    serialization = project(REPO_ROOT, "gxf_serialization")
    assert {"gxf-core~=" + core, "gxf-std~=" + core} <= set(serialization["dependencies"])
    assert f"gxf-cuda~={core}" in serialization["optional-dependencies"]["cuda"]
    assert {"gxf-core~=" + core, "gxf-std~=" + core} <= set(project(REPO_ROOT, "gxf_http")["dependencies"])
    assert {"gxf-core~=" + core, "gxf-std~=" + core} <= set(project(REPO_ROOT, "gxf_grpc")["dependencies"])


def test_the_folder_names_are_the_distributions():
    for folder, name in set_version.DISTRIBUTIONS.items():
        assert project(REPO_ROOT, folder)["name"] == name


def test_set_version_rewrites_versions_and_pins_but_not_names(copy):
    assert subprocess.run([sys.executable, str(SCRIPT), "7.8.9", "--root", str(copy)],
                          capture_output=True, text=True, timeout=30).returncode == 0
    for folder, name in set_version.DISTRIBUTIONS.items():
        meta = project(copy, folder)
        assert (meta["name"], meta["version"]) == (name, "7.8.9")
        for requirement in meta.get("dependencies", []):
            if requirement.startswith("gxf-"):
                assert requirement.endswith("~=7.8.9"), requirement
    assert "PyYAML>=6.0" in project(copy, "gxf_python_codelet")["dependencies"]
    assert "gxf-cuda~=7.8.9" in project(copy, "gxf_serialization")["optional-dependencies"]["cuda"]
    assert set_version.disagreements(copy) == []


def test_a_hand_edited_version_or_pin_is_reported(copy):
    std = copy / "gxf_std" / "pyproject.toml"
    version = project(copy, "gxf_core")["version"]
    std.write_text(std.read_text().replace(f'version = "{version}"', 'version = "9.9.9"')
                   .replace(f'"gxf-core~={version}"', '"gxf-core>=0.1"'))
    result = subprocess.run([sys.executable, str(SCRIPT), "--check", "--root", str(copy)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"gxf_std/pyproject.toml: version 9.9.9 but gxf-core is {version}" in result.stderr
    assert f"dependency 'gxf-core>=0.1' should be 'gxf-core~={version}'" in result.stderr
    assert f"run: python scripts/set_version.py {version}" in result.stderr


def test_set_version_refuses_a_malformed_version(copy):
    result = subprocess.run([sys.executable, str(SCRIPT), "0.2", "--root", str(copy)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "version '0.2' is not of the form MAJOR.MINOR.PATCH" in result.stderr


@pytest.mark.parametrize("folder", list(set_version.DISTRIBUTIONS))
def test_every_distribution_has_the_metadata_a_package_index_shows(folder):
    meta = project(REPO_ROOT, folder)
    readme = REPO_ROOT / folder / meta["readme"]
    assert readme.is_file() and readme.read_text().startswith(f"# {meta['name']}\n")
    assert meta["license"] == "Apache-2.0"
    assert meta["requires-python"] == ">=3.11"
    assert "Programming Language :: Python :: 3.11" in meta["classifiers"]
    assert not any(c.startswith("License ::") for c in meta["classifiers"]), \
        "the license is an SPDX expression; setuptools refuses a License classifier beside it"
