"""Generated documentation: the graph-file schemas the repository publishes, and the reference pages.

Run as a script, it (re)writes the published schemas::

    python scripts/gen_docs.py            # docs/schema/graph.schema.json and the example extension's
    python scripts/gen_docs.py --check    # exit 1 naming each published schema that is out of date
    python scripts/gen_docs.py --pages DIR  # also write the generated reference pages into DIR

Used as an MkDocs hook (``hooks:`` in mkdocs.yml), it adds the generated pages to the site while it
builds, so they are never stale and never committed: the CLI reference (from the click commands) and
one page per component type (from the type registry: parameters, types, defaults, ranges,
descriptions).

The published schema is ``gxf schema --graph`` over the repository's own distributions only (the
``gxf_*`` folders), whatever else is installed; the example third-party extension publishes its own,
which adds its component types.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

import click
from gxf.core import plugins
from gxf.core.registry import TypeRegistry
from gxf.core.schema import graph_schema

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "docs" / "schema" / "graph.schema.json"
EXAMPLE_EXT = REPO / "examples" / "third_party_extension"
EXAMPLE_SCHEMA = EXAMPLE_EXT / "graph.schema.json"
COMPONENTS_DIR = "reference/components"
CLI_PAGE = "reference/cli.md"
RANGE_KEYS = (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<"))


# --- registries --------------------------------------------------------------------------------------
def project_distributions() -> list[str]:
    """The names of the distributions this repository holds (``gxf_*/pyproject.toml``)."""
    names = []
    for pyproject in sorted(REPO.glob("gxf_*/pyproject.toml")):
        names.append(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"])
    return names


def missing_distributions() -> list[str]:
    """The repository's distributions that are not installed here (a schema without them is partial)."""
    from importlib.metadata import PackageNotFoundError, distribution

    missing = []
    for name in project_distributions():
        try:
            distribution(name)
        except PackageNotFoundError:
            missing.append(name)
    return missing


def project_registry(extra=()) -> TypeRegistry:
    """A registry of the repository's own installed extensions (in registration order), then ``extra``."""
    installed = plugins.build_registry()
    mine = {name.lower() for name in project_distributions()}
    registry = TypeRegistry()
    for ext in installed.extensions.values():
        if (ext.distribution or "").lower() in mine:
            registry.add_extension(ext)
    for ext in extra:
        registry.add_extension(ext)
    return registry


def example_extension():
    """The example third-party extension, imported from its folder (it need not be installed)."""
    sys.path.insert(0, str(EXAMPLE_EXT))
    try:
        import gxf_example_ext
    finally:
        sys.path.remove(str(EXAMPLE_EXT))
    return gxf_example_ext.EXTENSION


def schema_text(registry: TypeRegistry) -> str:
    """What ``gxf schema --graph`` prints for ``registry``."""
    return json.dumps(graph_schema(registry), indent=2) + "\n"


def published_schemas() -> dict[Path, str]:
    """Each schema file the repository publishes -> the text it should have."""
    return {SCHEMA: schema_text(project_registry()),
            EXAMPLE_SCHEMA: schema_text(project_registry([example_extension()]))}


# --- the component reference -------------------------------------------------------------------------
def page_name(type_name: str) -> str:
    """``nvidia::gxf::GreedyScheduler`` -> ``nvidia.gxf.GreedyScheduler.md``."""
    return type_name.replace("::", ".") + ".md"


def _md(text) -> str:
    """Text safe in a Markdown table cell or paragraph: no HTML, no table breaks, no line breaks."""
    text = " ".join(str(text).split()).replace("``", "`")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _ranges(schema: dict) -> str:
    """'>= 0, <= 255' or 'one of 0, 1, 2' from a parameter's JSON Schema (looking inside anyOf)."""
    found = []
    for part in [schema, *schema.get("anyOf", [])]:
        for key, sign in RANGE_KEYS:
            if key in part:
                found.append(f"{sign} {part[key]}")
        if "enum" in part:
            found.append("one of " + ", ".join(str(v) for v in part["enum"]))
        if part.get("type") == "array":
            items = part.get("items", {})
            inner = _ranges(items) if isinstance(items, dict) else ""
            if inner:
                found.append(f"each {inner}")
    return ", ".join(found)


def component_page(registry: TypeRegistry, ctype) -> str:
    """The Markdown page of one component type."""
    ext = ctype.extension
    lines = [f"# {ctype.name}", ""]
    if ctype.description:
        lines += [_md(ctype.description), ""]
    derived = [t.name for t in registry.derived_from(ctype.name) if t.name != ctype.name]
    facts = [("Extension", f"{ext.name} {ext.version} (distribution `{ext.distribution or '-'}`)"),
             ("UUID", f"`{ctype.uuid}`"), ("Base type", f"`{ctype.base}`" if ctype.base else "-")]
    if ctype.abstract:
        facts.append(("Abstract", "yes: a graph uses one of its derived types"))
    if derived:
        facts.append(("Derived types", ", ".join(f"`{name}`" for name in derived)))
    lines += ["| | |", "|---|---|"] + [f"| {key} | {value} |" for key, value in facts] + [""]
    params = ctype.cls.parameters()
    lines += ["## Parameters", ""]
    if not params:
        lines += ["None.", ""]
    else:
        lines += ["| Key | Type | Default | Required | Range | Description |",
                  "|---|---|---|---|---|---|"]
        for key, param in params.items():
            default = param.default_text()
            lines.append(f"| `{key}` | `{_md(param.ptype.label)}` | "
                         f"{'-' if default == '-' else '`' + _md(default) + '`'} | "
                         f"{param.flags_text()} | {_md(_ranges(param.schema())) or '-'} | "
                         f"{_md(param.description)} |")
        lines.append("")
    lines += [(f"`gxf describe {ctype.name}` prints the same from the installed extensions; "
               f"`gxf schema {ctype.name}` its JSON Schema."), ""]
    return "\n".join(lines)


def components_index(registry: TypeRegistry) -> str:
    lines = ["# Component types", "",
             "Every component type of the repository's extensions, generated from the type registry.", ""]
    for ext in registry.extensions.values():
        types = [t for t in registry.all_types() if t.extension is ext]
        lines += [f"## {ext.name}", "", _md(ext.description or ""), "", "| Type | Description |",
                  "|---|---|"]
        for ctype in sorted(types, key=lambda t: t.name):
            first = (ctype.description or "").split(". ")[0]
            lines.append(f"| [`{ctype.name}`]({page_name(ctype.name)}) | {_md(first)} |")
        lines.append("")
    return "\n".join(lines)


# --- the CLI reference -------------------------------------------------------------------------------
def cli_page() -> str:
    """The Markdown reference of every ``gxf`` command, from the click commands themselves."""
    from gxf.core.cli import main

    lines = ["# Command-line reference", "",
             "Generated from the `gxf` command's own definitions; `gxf COMMAND --help` prints the same.", ""]
    root = click.Context(main, info_name="gxf")
    lines += _command_section(main, root, "gxf", level=2)
    return "\n".join(lines)


def _command_section(command: click.Command, ctx: click.Context, path: str, level: int) -> list[str]:
    lines = [f"{'#' * level} `{path}`", ""]
    if command.help:
        lines += [_paragraphs(command.help), ""]
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines += ["```text", f"{path} {usage}".rstrip(), "```", ""]
    rows = [param.get_help_record(ctx) for param in command.get_params(ctx)
            if isinstance(param, click.Option)]
    rows = [row for row in rows if row]
    if rows:
        lines += ["| Option | Meaning |", "|---|---|"]
        lines += [f"| `{_md_code(opts)}` | {_md(text)} |" for opts, text in rows]
        lines.append("")
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            sub_ctx = click.Context(sub, info_name=name, parent=ctx)
            lines += _command_section(sub, sub_ctx, f"{path} {name}", level + (1 if level < 3 else 0))
    return lines


def _paragraphs(text: str) -> str:
    """A click help text as Markdown paragraphs (click's \\b blocks as code)."""
    out = []
    for block in text.strip().split("\n\n"):
        if block.lstrip().startswith("\b"):
            out.append("```text\n" + block.replace("\b", "").strip("\n") + "\n```")
        else:
            out.append(_md(block))
    return "\n\n".join(out)


def _md_code(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


# --- all generated pages -----------------------------------------------------------------------------
def generated_pages() -> dict[str, str]:
    """Site path -> Markdown of every generated page."""
    registry = project_registry()
    pages = {CLI_PAGE: cli_page(), f"{COMPONENTS_DIR}/index.md": components_index(registry)}
    for ctype in registry.all_types():
        pages[f"{COMPONENTS_DIR}/{page_name(ctype.name)}"] = component_page(registry, ctype)
    return pages


def on_files(files, config):
    """MkDocs hook: adds the generated pages to the site being built."""
    from mkdocs.structure.files import File

    for path, text in generated_pages().items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=text))
    return files


# --- the script ---------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the published schemas are "
                        "up to date")
    parser.add_argument("--pages", metavar="DIR", help="also write the generated reference pages into DIR")
    args = parser.parse_args(argv)
    missing = missing_distributions()
    if missing:
        print(f"error: {', '.join(missing)} not installed here: the published schemas cover every "
              "distribution of the repository (scripts/setup.sh installs them)", file=sys.stderr)
        return 2
    stale = []
    for path, text in published_schemas().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    if args.pages:
        out = Path(args.pages)
        for name, text in generated_pages().items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(text, encoding="utf-8")
        print(f"wrote the generated pages into {out}")
    for path in stale:
        print(f"{path.relative_to(REPO)} is out of date: run python scripts/gen_docs.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
