"""The documentation site builds with warnings as errors, with its generated reference pages.

`mkdocs build --strict` runs on mkdocs.yml (MkDocs and its theme come from requirements-dev.txt): a
broken link, a page left out of the navigation or a missing anchor fails it. The hook in
scripts/gen_docs.py adds the CLI reference (from the click commands) and a page per component type
(from the registry); the test checks that they are there and say what the code says.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install -r requirements-dev.txt)")
pytest.importorskip("material", reason="mkdocs-material is not installed (pip install -r requirements-dev.txt)")
pytest.importorskip("gxf.std")


def gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs_for_site_test", REPO / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def text_of(page: Path) -> str:
    """The visible text of a built page, tags dropped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                           cwd=REPO, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.stdout}\n{built.stderr}"
    assert "WARNING" not in built.stderr, built.stderr
    return out


def test_the_site_is_built_strictly():
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    assert config["strict"] is True
    assert config["hooks"] == ["scripts/gen_docs.py"]
    assert {"omitted_files", "unrecognized_links", "anchors"} <= set(config["validation"])


def test_every_written_page_is_in_the_navigation():
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    in_nav = set()

    def walk(items):
        for item in items:
            for value in item.values() if isinstance(item, dict) else [item]:
                walk(value) if isinstance(value, list) else in_nav.add(value)

    walk(config["nav"])
    written = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert written <= in_nav, f"pages missing from mkdocs.yml's nav: {sorted(written - in_nav)}"
    assert "architecture.md" in written
    for section in ("concepts/entities.md", "concepts/components.md", "concepts/scheduling.md",
                    "concepts/messages.md", "concepts/extensions.md"):
        assert section in written


def test_the_cli_reference_is_generated_from_every_command(site):
    from gxf.core.cli import main

    page = text_of(site / "reference" / "cli" / "index.html")
    for name in ("run", "validate", "list", "describe", "schema", "graph", "new"):
        assert name in main.commands
        assert f"gxf {name}" in page, name
    assert "gxf new extension" in page and "gxf new codelet" in page
    assert "--stop-timeout" in page and "--format" in page


def test_every_component_type_has_a_generated_page_with_its_parameters(site):
    module = gen_docs()
    registry = module.project_registry()
    types = list(registry.all_types())
    assert len(types) > 50
    for ctype in types:
        page = site / "reference" / "components" / module.page_name(ctype.name)[:-3] / "index.html"
        assert page.is_file(), f"no page for {ctype.name}"
    scheduler = text_of(site / "reference" / "components" / "nvidia.gxf.GreedyScheduler" / "index.html")
    for key, param in registry.component_class("nvidia::gxf::GreedyScheduler").parameters().items():
        assert key in scheduler
        assert " ".join(param.description.split())[:40] in " ".join(scheduler.split())
    index = text_of(site / "reference" / "components" / "index.html")
    assert "StandardExtension" in index and "nvidia::gxf::DoubleBufferReceiver" in index


def test_component_pages_show_defaults_and_ranges():
    module = gen_docs()
    registry = module.project_registry()
    page = module.component_page(registry, registry.component_type("nvidia::gxf::DoubleBufferReceiver"))
    assert "| `capacity` | `int` | `1` | optional |" in page
    assert module._ranges({"anyOf": [{"type": "integer", "minimum": 0, "maximum": 9}, {"type": "null"}]}) \
        == ">= 0, <= 9"
    assert module._ranges({"enum": [0, 1, 2]}) == "one of 0, 1, 2"


def test_the_published_schema_is_part_of_the_site(site):
    assert (site / "schema" / "graph.schema.json").is_file()
