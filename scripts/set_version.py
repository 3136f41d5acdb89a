#!/usr/bin/env python3
"""Sets the one version of every distribution of this repository, and the pins between them.

    python scripts/set_version.py 0.3.0        # rewrite every pyproject.toml file
    python scripts/set_version.py --check      # exit 1 unless versions and pins agree

Each distribution's pyproject.toml is the source of its own metadata, because a wheel or an sdist is
built from that folder alone and cannot read a file outside it. This script keeps them in step:
it writes the version into each ``[project]`` table and pins every dependency on a sibling
distribution to a compatible release (``gxf-core~=0.3.0`` accepts 0.3.x), so that pip refuses to
install a mix of releases. tests/packaging/test_versions.py fails when they disagree.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTIONS = {  # folder -> distribution name
    "gxf_core": "gxf-core",
    "gxf_std": "gxf-std",
    "gxf_cuda": "gxf-cuda",
    "gxf_python_codelet": "gxf-python-codelet",
    "gxf_serialization": "gxf-serialization",
    "gxf_http": "gxf-http",
    "gxf_grpc": "gxf-grpc",
    "gxf_ucx": "gxf-ucx",
}
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_VERSION_LINE = re.compile(r'^version\s*=\s*"[^"]*"', re.MULTILINE)
_ARRAY = re.compile(r"=\s*\[[^\]]*\]")  # a TOML array value: where requirements are listed
# a quoted requirement on a sibling distribution: "gxf-std>=0.1.0", "gxf-core ~= 0.2.0", "gxf-std"
_SIBLING_PIN = re.compile(r'"(%s)\s*(?:[<>=!~][^";]*)?"' % "|".join(
    re.escape(name) for name in sorted(DISTRIBUTIONS.values(), key=len, reverse=True)))


def pyproject(root: Path, folder: str) -> Path:
    return root / folder / "pyproject.toml"


def rewrite(text: str, version: str) -> str:
    """The pyproject.toml ``text`` with its project version and sibling pins set to ``version``."""
    text, count = _VERSION_LINE.subn(f'version = "{version}"', text, count=1)
    if count != 1:
        raise ValueError('no line `version = "..."` in the [project] table')
    def pin(array: re.Match) -> str:
        return _SIBLING_PIN.sub(lambda m: f'"{m.group(1)}~={version}"', array.group(0))

    return _ARRAY.sub(pin, text)


def set_version(version: str, root: Path = ROOT) -> list[Path]:
    """Writes ``version`` into every distribution's pyproject.toml; returns the files written."""
    if not VERSION.match(version):
        raise ValueError(f"version {version!r} is not of the form MAJOR.MINOR.PATCH (e.g. 0.3.0)")
    written = []
    for folder in DISTRIBUTIONS:
        path = pyproject(root, folder)
        text = path.read_text()
        try:
            new = rewrite(text, version)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
        if new != text:
            path.write_text(new)
            written.append(path)
    return written


def disagreements(root: Path = ROOT) -> list[str]:
    """What is out of step: versions that differ from gxf-core's, sibling pins that are not ~=."""
    projects = {folder: tomllib.loads(pyproject(root, folder).read_text())["project"]
                for folder in DISTRIBUTIONS}
    version = projects["gxf_core"]["version"]
    problems = []
    for folder, project in projects.items():
        path = pyproject(root, folder).relative_to(root)
        if project["version"] != version:
            problems.append(f"{path}: version {project['version']} but gxf-core is {version}")
        for requirement in project.get("dependencies", []):
            name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
            if name in DISTRIBUTIONS.values() and requirement.replace(" ", "") != f"{name}~={version}":
                problems.append(f"{path}: dependency {requirement!r} should be '{name}~={version}'")
    if problems:
        problems.append(f"run: python scripts/set_version.py {version}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("version", nargs="?", help="the new version, MAJOR.MINOR.PATCH")
    group.add_argument("--check", action="store_true", help="only check that versions and pins agree")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check:
        problems = disagreements(args.root)
        for line in problems:
            print(f"error: {line}" if not line.startswith("run:") else f"  {line}", file=sys.stderr)
        return 1 if problems else 0
    try:
        written = set_version(args.version, args.root)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
