"""JSON Schemas generated from declared parameters: per component type and for whole graph files.

``validate_params`` checks a component's parameters against its type's schema with jsonschema and turns
the first error into one message naming the file, line and parameter. ``gxf validate`` runs it on
every component; ``gxf run`` (where importing jsonschema would cost a third of the start-up time)
relies on the parameter types' own conversion, generated from the same declarations, and asks
jsonschema only to explain a value that conversion refused.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import MAX_SHOWN_CHARS, ParameterError, cut_text, shown, yaml_kind
from .parameters import ConvertEnv
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .component import Component
    from .registry import TypeRegistry

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def component_schema(cls: type, *, with_required: bool = True) -> dict:
    """The JSON Schema of a component type's ``parameters`` mapping."""
    params = cls.parameters()
    schema = {
        "type": "object",
        "title": cls.type_name(),
        "description": cls.description(),
        "properties": {key: p.schema() for key, p in params.items()},
        "additionalProperties": False,
    }
    required = [key for key, p in params.items() if p.required]
    if with_required and required:
        schema["required"] = required
    return schema


@lru_cache(maxsize=None)
def _validator(cls: type):
    import jsonschema

    schema = component_schema(cls, with_required=False)
    return jsonschema.Draft202012Validator(schema)


def check_known_keys(component: Component, params: dict) -> None:
    """Refuses a parameter the component type does not declare, suggesting close names."""
    cls = type(component)
    declared = cls.parameters()
    for key in params:
        if key not in declared:
            where = params.key_location(key) if hasattr(params, "key_location") else component.location
            raise ParameterError(
                f"unknown parameter '{key}' for {component.describe_self()}", where,
                did_you_mean(str(key), declared) or f"`gxf describe {cls.type_name()}` lists its parameters")


def validate_params(component: Component, params: dict) -> None:
    """Checks a graph's parameter mapping for ``component`` against the type's JSON Schema (jsonschema).

    Raises ParameterError with file:line for the first error; returns when the mapping is valid.
    """
    cls = type(component)
    check_known_keys(component, params)
    errors = sorted(_validator(cls).iter_errors(dict(params)), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    error = errors[0]
    path = list(error.absolute_path)
    key = path[0] if path else None
    located = key is not None and hasattr(params, "key_location")
    where = params.key_location(key) if located else component.location
    problem = _range_problem(cls, key, params)
    if problem:  # in the words the parameter's own check uses, so validate and run say the same
        raise ParameterError(f"parameter '{key}' of {component.describe_self()}: {problem}", where,
                             f"`gxf describe {cls.type_name()}` shows what '{key}' accepts")
    detail = _explain(error, cls.parameters().get(key) if len(path) == 1 else None)
    sub = "".join(f"[{p}]" for p in path[1:])
    raise ParameterError(f"parameter '{key}{sub}' of {component.describe_self()}: {detail}", where,
                         f"`gxf describe {cls.type_name()}` shows what '{key}' accepts")


def _range_problem(cls: type, key, params: dict) -> str | None:
    """What is wrong with ``params[key]`` against the parameter's declared range or choices, when it
    converts to its type; None otherwise (the schema's account is then the one given)."""
    param = cls.parameters().get(key)
    if param is None or not param.bounded:
        return None
    try:
        converted = param.ptype.convert(params[key], ConvertEnv())
    except (ValueError, TypeError):
        return None
    return param.value_problem(converted)


def _explain(error, param=None) -> str:
    """One sentence for a jsonschema error, in the words of the parameter types (never a pattern)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "anyOf":
        expected = _type_words(schema.get("description"), param)
        if expected:
            return f"{shown(error.instance)} is not valid: expected {expected}"
        # an optional parameter's schema adds a null branch: explain the branch that was meant
        meant = [e for e in error.context if not _null_branch(e)]
        if meant and len({e.relative_schema_path[0] for e in meant}) == 1:
            import jsonschema

            return _explain(jsonschema.exceptions.best_match(meant), param)
        if meant and all(e.validator == "type" for e in meant):  # one of several kinds of value
            kinds = " or ".join(dict.fromkeys(_kind_word(e.validator_value) for e in meant))
            return f"expected {kinds}, got {shown(error.instance)} ({yaml_kind(error.instance)})"
        return f"{shown(error.instance)} is not a value this parameter accepts"
    if error.validator == "type":
        return f"expected {_kind_word(error.validator_value)}, got {shown(error.instance)} ({yaml_kind(error.instance)})"
    if error.validator == "enum":
        return f"{shown(error.instance)} is not one of {error.validator_value}"
    if error.validator == "minimum":  # the words of Parameter.value_problem, which gxf run uses
        return f"must be at least {error.validator_value!r}, got {shown(error.instance)}"
    if error.validator == "maximum":
        return f"must be at most {error.validator_value!r}, got {shown(error.instance)}"
    if error.validator == "pattern":
        return f"{shown(error.instance)} is not written the way this parameter expects"
    # jsonschema's own messages quote the whole value
    return cut_text(error.message, 2 * MAX_SHOWN_CHARS)


def _type_words(description: str | None, param) -> str | None:
    """What a schema's description says of the accepted kind of value, without the parameter's own
    description ("The interval between…"), which says what the value is for, not how to write it."""
    if not description:
        return None
    own = getattr(param, "description", None)
    if own and description.startswith(own):
        rest = description[len(own):].strip()
        return rest[1:-1] if rest.startswith("(") and rest.endswith(")") else None
    return description


#: JSON Schema's names of kinds of value, in the words of YAML (as ``yaml_kind`` names the value given).
_YAML_WORDS = {"object": "mapping", "array": "list"}


def _kind_word(json_type) -> str:
    if isinstance(json_type, list):
        return " or ".join(_kind_word(t) for t in json_type)
    return _YAML_WORDS.get(str(json_type), str(json_type))


def _null_branch(error) -> bool:
    return error.validator == "type" and error.validator_value == "null"


def graph_schema(registry: TypeRegistry) -> dict:
    """A JSON Schema for graph files: each document an entity whose components are checked by type."""
    type_names = sorted(t.name for t in registry.all_types() if not t.abstract)
    per_type = []
    for name in type_names:
        cls = registry.component_class(name)
        per_type.append({
            "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
            "then": {"properties": {"parameters": component_schema(cls, with_required=False)}},
        })
    component = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "Component name, unique in its entity"},
            "type": {"type": "string", "enum": type_names, "description": "Registered component type"},
            "parameters": {"type": "object"},
        },
        "additionalProperties": False,
        "allOf": per_type,
    }
    dependency = {
        "type": "object",
        "properties": {"extension": {"type": "string"}, "uuid": {"type": "string"},
                       "version": {"type": ["string", "number"]}, "manifest": {"type": "string"}},
        "required": ["extension"],
        "additionalProperties": False,
    }
    named_target = {"type": "object",
                    "properties": {"name": {"type": "string"}, "target": {"type": "string"}},
                    "required": ["name", "target"]}
    return {
        "$schema": DRAFT,
        "title": "GXF graph file (one YAML document)",
        "type": ["object", "null"],
        "properties": {
            "name": {"type": "string", "description": "Entity name"},
            "components": {"type": ["array", "null"], "items": component},
            "dependencies": {"type": "array", "items": dependency},
            "interfaces": {"type": "array", "items": named_target},
            "prerequisites": {"type": "array", "items": {"type": "string"}},
            "EntityGroups": {"type": "array", "items": {
                "type": "object", "properties": {"name": {"type": "string"},
                                                 "target": {"type": "array", "items": {"type": "string"}}}}},
            "start_order": {"type": "array", "items": {"type": "string"}},
            "ui_property": {"description": "Written by graph editors (positions and the like); "
                                           "ignored when the graph is loaded"},
        },
        "additionalProperties": False,
    }
