"""``codelet_params``: the free-form parameters a graph hands to a Python codelet.

A graph may write them as a mapping (``codelet_params: {receiver: signal, log_count: 5}``) or as a
string (``codelet_params: "log_count=5"``). ``get_params()`` returns a dict either way: a string is
read as YAML when it is a YAML mapping (``"{a: 1, b: x}"``, ``"a: 1"``), otherwise as comma-separated
``key=value`` pairs whose values are read as YAML scalars (``"log_count=5,name=rx"`` gives
``{"log_count": 5, "name": "rx"}``). The string as written stays available for codelets that parse it
themselves.

Strings are read with the project's YAML reader for graph files (``gxf.core.yaml_source``): aliases
are bounded (a few bytes of nested anchors cannot expand to gigabytes), a key given twice is an error
naming its lines, and errors name where the text came from.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from gxf.core.errors import GraphFileError, shown
from gxf.core.parameters import ParamType
from gxf.core.yaml_source import load_documents

# A comma starts a new pair only where a ``key=`` follows, so values may contain commas ("a=[1,2],b=3").
_PAIR_SPLIT = re.compile(r",\s*(?=[A-Za-z_][\w.\-]*\s*=)")
_KEY = re.compile(r"[A-Za-z_][\w.\-]*")


class CodeletParamsType(ParamType):
    """The parameter type of ``codelet_params``: a string or a mapping."""

    label = "str | dict"

    def schema(self) -> dict:
        return {"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "null"}]}

    def convert(self, value, env):
        if value is None or isinstance(value, (str, dict)):
            return value
        raise ValueError(f"expected a mapping or a string, got {value!r} ({type(value).__name__})")

    def to_yaml(self, value):
        return value


def parse_codelet_params(value: str | dict | None, where: str = "codelet_params") -> dict[str, Any]:
    """The parameters as a dict; raises ValueError for a string that is neither YAML nor key=value pairs,
    or whose YAML is refused (aliases expanding too far, a key given twice). ``where`` names the text in
    errors (the graph file and line it came from)."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return dict(value)
    text = value.strip()
    if not text:
        return {}
    loaded = _read_yaml(text, where)
    if isinstance(loaded, dict):
        return {str(k): v for k, v in loaded.items()}
    if loaded is None and text in ("~", "null", "Null", "NULL"):
        return {}
    return _parse_pairs(text, where)


_NOT_YAML = object()


def _read_yaml(text: str, where: str):
    """The one YAML value of ``text``; _NOT_YAML when it is not YAML (or several documents)."""
    try:
        documents = load_documents(text, where)
    except GraphFileError as exc:
        if exc.message.startswith("invalid YAML"):
            return _NOT_YAML
        raise ValueError(f"{exc.location}: {exc.message}" if exc.location else exc.message) from None
    return documents[0] if len(documents) == 1 else _NOT_YAML


def _parse_pairs(text: str, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in _PAIR_SPLIT.split(text):
        key, sep, raw = part.partition("=")
        key = key.strip()
        if not sep or not _KEY.fullmatch(key):
            raise ValueError(f"cannot read {shown(text)} as a mapping or as key=value pairs "
                             f"(at {shown(part.strip())})")
        raw = raw.strip()
        loaded = _read_yaml(raw, where) if raw else ""
        out[key] = raw if loaded is _NOT_YAML else loaded
    return out


def params_text(value: str | dict | None) -> str:
    """The parameters as a string: as written when given as one, else the mapping as YAML."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return yaml.safe_dump(_plain(value), default_flow_style=True, sort_keys=False).strip()


def _plain(value):
    """Values a YAML dumper accepts: components become their handle text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    handle_text = getattr(value, "handle_text", None)
    if callable(handle_text):
        return handle_text()
    if isinstance(value, bool) or value is None:
        return value
    for kind in (int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return str(value)
