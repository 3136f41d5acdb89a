"""What is installed: extensions, component types and their parameters, as data and as text.

``gxf list`` and ``gxf describe`` print what these functions return; tests call them directly.
"""

from __future__ import annotations

from .errors import GxfError, UnknownComponentTypeError
from .extension import ComponentType, Extension
from .registry import TypeRegistry
from .schema import DRAFT, component_schema
from .suggest import close_names


# --- data ------------------------------------------------------------------------------------------
def types_of(registry: TypeRegistry, ext: Extension) -> list[ComponentType]:
    """The registered component types of one extension, in the order the extension lists them."""
    return [t for t in registry.all_types() if t.extension is ext]


def type_summary(ctype: ComponentType) -> dict:
    return {"name": ctype.name, "uuid": ctype.uuid, "base": ctype.base, "abstract": ctype.abstract,
            "description": ctype.description}


def installed(registry: TypeRegistry) -> dict:
    """Every installed extension with its component types; plugins that failed to load; extensions
    refused because another holds a name or UUID they claim (``conflicts``); plugins that do nothing
    (``warnings``)."""
    extensions = []
    for ext in sorted(registry.extensions.values(), key=lambda e: e.name.lower()):
        extensions.append({
            "name": ext.name, "version": ext.version, "uuid": ext.uuid, "distribution": ext.distribution,
            "description": ext.description,
            "components": [type_summary(t) for t in types_of(registry, ext)],
        })
    failures = [{"plugin": what, "error": why} for what, why in registry.failures]
    conflicts = [conflict.as_dict() for conflict in registry.conflicts]
    warnings = [{"plugin": what, "warning": why} for what, why in registry.warnings]
    return {"extensions": extensions, "failures": failures, "conflicts": conflicts, "warnings": warnings}


def lookup(registry: TypeRegistry, name: str) -> ComponentType | Extension:
    """The component type (by name or UUID) or extension (by name or UUID) called ``name``."""
    ctype = registry.types.get(name)
    if ctype is not None:
        return ctype
    ext = registry.extension(name)
    if ext is not None:
        return ext
    try:
        ctype = registry.by_uuid(name)
    except GxfError:
        ctype = None
    if ctype is not None:
        return ctype
    error = registry.unknown_type(name)
    close = [n for n in close_names(name, registry.extensions) if n != name]
    message = f"no component type or extension called '{name}'"
    if close and not close_names(name, registry.types):
        hint = "did you mean extension " + " or ".join(f"'{c}'" for c in close) + "?"
    else:
        hint = error.hint
    raise UnknownComponentTypeError(message, hint=hint)


def describe_type(registry: TypeRegistry, ctype: ComponentType) -> dict:
    """Everything ``gxf describe`` shows for a component type."""
    ext = ctype.extension
    derived = [t.name for t in registry.derived_from(ctype.name) if t.name != ctype.name]
    parameters = []
    for key, param in ctype.cls.parameters().items():
        parameters.append({
            "key": key, "type": param.ptype.label, "default": param.default_text(),
            "required": param.required, "flags": param.flags_text(), "description": param.description,
        })
    return {
        "kind": "component type", "name": ctype.name, "uuid": ctype.uuid, "base": ctype.base,
        "abstract": ctype.abstract, "description": ctype.description,
        "extension": {"name": ext.name, "version": ext.version, "uuid": ext.uuid,
                      "distribution": ext.distribution},
        "derived": derived, "parameters": parameters,
    }


def describe_extension(registry: TypeRegistry, ext: Extension) -> dict:
    """Everything ``gxf describe`` shows for an extension: its metadata and component types."""
    info = {"kind": "extension", **ext.metadata()}
    info["components"] = [type_summary(t) for t in types_of(registry, ext)]
    return info


def describe(registry: TypeRegistry, name: str) -> dict:
    found = lookup(registry, name)
    if isinstance(found, Extension):
        return describe_extension(registry, found)
    return describe_type(registry, found)


def type_schema(registry: TypeRegistry, name: str) -> dict:
    """The JSON Schema of a component type's ``parameters`` mapping, as a standalone document."""
    found = lookup(registry, name)
    if isinstance(found, Extension):
        raise GxfError(f"'{name}' is an extension; a schema describes one component type",
                       hint=f"run `gxf describe {name}` to see its component types")
    return {"$schema": DRAFT, **component_schema(found.cls)}


def failure_lines(registry: TypeRegistry) -> list[str]:
    """One line per plugin that failed to load, per extension refused for a clash, per plugin doing nothing.

    Commands other than ``gxf list`` print these as warnings.
    """
    lines = [f"extension plugin '{what}' failed to load: {_one_line(why)}" for what, why in registry.failures]
    lines += [f"extension plugin '{conflict.plugin}': {conflict.message} ({conflict.hint})"
              for conflict in registry.conflicts]
    lines += [f"extension plugin '{what}' {why}" for what, why in registry.warnings]
    return lines


# --- text ------------------------------------------------------------------------------------------
def format_installed(data: dict) -> str:
    lines: list[str] = []
    for ext in data["extensions"]:
        source = f"  from {ext['distribution']}" if ext["distribution"] else ""
        lines.append(f"{ext['name']} {ext['version']}  {ext['uuid']}{source}")
        if ext["description"]:
            lines.append(f"  {ext['description']}")
        rows = [(c["name"], f"base {c['base']}" if c["base"] else "",
                 ("(abstract) " if c["abstract"] else "") + c["description"]) for c in ext["components"]]
        lines.extend("  " + row for row in _table(rows))
        lines.append("")
    if data["failures"]:
        lines.append("failed to load:")
        for failure in data["failures"]:
            lines.append(f"  {failure['plugin']}: {_one_line(failure['error'])}")
        lines.append("")
    if data.get("conflicts"):
        lines.append("not loaded (they claim names or UUIDs of the extensions above):")
        for conflict in data["conflicts"]:
            lines.append(f"  {conflict['extension']} {conflict['version']}  {conflict['uuid']}  "
                         f"from {conflict['distribution'] or '-'}")
            for claim in conflict["claims"]:
                holder = claim["held_by"]
                lines.append(f"    {claim['claim']}: held by {holder['extension']} "
                             f"from {holder['distribution'] or '-'}")
        lines.append(f"  ({data['conflicts'][0]['hint']})")
        lines.append("")
    if data.get("warnings"):
        lines.append("warnings:")
        for warning in data["warnings"]:
            lines.append(f"  {warning['plugin']}: {warning['warning']}")
        lines.append("")
    if not data["extensions"] and not data["failures"]:
        lines.append("no extensions are installed")
    return "\n".join(lines).rstrip() + "\n"


def format_description(info: dict) -> str:
    if info["kind"] == "extension":
        return _format_extension(info)
    return _format_type(info)


def _format_type(info: dict) -> str:
    ext = info["extension"]
    origin = f"{ext['name']} {ext['version']}"
    if ext["distribution"]:
        origin += f" (distribution {ext['distribution']})"
    fields = [("uuid", info["uuid"]), ("base type", info["base"] or "-"), ("extension", origin)]
    if info["abstract"]:
        fields.append(("abstract", "yes: use one of the derived types"))
    if info["description"]:
        fields.append(("description", info["description"]))
    if info["derived"]:
        fields.append(("derived types", ", ".join(info["derived"])))
    lines = [info["name"]] + ["  " + row for row in _table([(f"{k}:", v) for k, v in fields])]
    lines.append("")
    if info["parameters"]:
        lines.append("parameters:")
        rows = [("KEY", "TYPE", "DEFAULT", "REQUIRED", "DESCRIPTION")]
        rows += [(p["key"], p["type"], p["default"], p["flags"], p["description"])
                 for p in info["parameters"]]
        lines.extend("  " + row for row in _table(rows))
    else:
        lines.append("parameters: none")
    return "\n".join(lines) + "\n"


def _format_extension(info: dict) -> str:
    fields = [("uuid", info["uuid"]), ("version", info["version"]),
              ("distribution", info["distribution"] or "-"), ("license", info["license"]),
              ("author", info["author"] or "-"), ("category", info["category"] or "-"),
              ("description", info["description"] or "-")]
    lines = [f"{info['name']} (extension)"]
    lines += ["  " + row for row in _table([(f"{k}:", v) for k, v in fields])]
    lines.append("")
    lines.append("component types:")
    rows = [(c["name"], ("(abstract) " if c["abstract"] else "") + c["description"])
            for c in info["components"]]
    lines.extend("  " + row for row in _table(rows))
    return "\n".join(lines) + "\n"


def _table(rows: list[tuple]) -> list[str]:
    """Left-aligned columns; the last column is not padded."""
    if not rows:
        return []
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for row in rows:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)] + [str(row[-1])]
        out.append("  ".join(cells).rstrip())
    return out


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())
