"""Declared component parameters: their types, defaults, conversion and JSON Schema.

A component class declares each parameter as a class attribute::

    class CountSchedulingTerm(SchedulingTerm, type_name="nvidia::gxf::CountSchedulingTerm", ...):
        count = Parameter(int, description="Total number of ticks")

After construction the value lives in the instance ``__dict__`` under the attribute name, so reading
``self.count`` in a hot path is a plain attribute load. ``Parameter`` is a non-data descriptor: it only
answers for instances that have no value (a required parameter not yet set).
"""

from __future__ import annotations

import copy
import enum
import math
import os
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import units
from .errors import Location, ParameterError, shown, yaml_kind
from .text import one_line


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


class Size(int):
    """A byte count; graph files may write ``"32KB"``, ``"64MB"``, ``"1GiB"`` or a plain integer."""


class Frequency(float):
    """Hertz; graph files may write ``"100Hz"``, ``"1kHz"`` or a plain number."""


class Duration(int):
    """Nanoseconds; graph files may write ``"50ms"``, ``"2s"``, ``"10Hz"`` (a period) or an integer."""


class FilePath(str):
    """A file path; a relative path is taken from the graph file's folder, then the working folder."""


class GraphRelativePath(FilePath):
    """A file path whose relative form is taken from the graph file's folder only, never the working
    folder: for files a graph executes (a Python codelet's file), which a stray file in the folder the
    command runs from must not replace. Absolute paths are taken as they are."""


@dataclass(slots=True)
class ConvertEnv:
    """Where a value being converted came from: its location and the graph file's folder."""

    location: Location | None = None
    base_dir: Path | None = None
    scope: str = ""  # entity-name prefix of the graph file (subgraphs)


class HandleTarget:
    """What a handle parameter may point to: a thing a graph file names ``entity/component``.

    ``Component`` derives from it. Parameters need nothing else of components, so this module stays
    below the component module: it converts handles without importing it.
    """

    __slots__ = ()

    def handle_text(self) -> str:
        """How a graph file names this target: ``entity/component``."""
        raise NotImplementedError


@dataclass(slots=True)
class HandleRef:
    """A handle written as text in a graph file, resolved once all entities exist."""

    text: str
    scope: str
    location: Location | None


class ParamType:
    """How one declared type converts YAML/Python values and describes itself."""

    label = "any"
    has_handles = False

    def schema(self) -> dict:
        return {}

    def convert(self, value, env: ConvertEnv):
        return value

    def to_yaml(self, value):
        return value


class AnyType(ParamType):
    pass


class ScalarType(ParamType):
    def __init__(self, py_type: type):
        self.py_type = py_type
        self.label = {bool: "bool", int: "int", float: "float", str: "str"}[py_type]

    def schema(self) -> dict:
        return {"type": {bool: "boolean", int: "integer", float: "number", str: "string"}[self.py_type]}

    def convert(self, value, env):
        t = self.py_type
        if isinstance(value, str) and t is not str:
            value = _quoted_scalar(value, t)  # a quoted 'True' or '1', read as GXF's YAML reader does
        if t is bool:
            if isinstance(value, bool):
                return value
        elif t is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
        elif t is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        elif isinstance(value, str):
            return value
        raise ValueError(f"expected {self.label}, got {_show(value)}")


# The words a quoted string may be for a bool parameter, each in lower case, Capitalized or UPPER case
# (as yaml-cpp, which GXF reads graphs with, converts them).
_BOOL_WORDS = {"true": True, "yes": True, "on": True, "y": True,
               "false": False, "no": False, "off": False, "n": False}
_INT_TEXT = re.compile(r"[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)")
_FLOAT_TEXT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_FLOAT_WORDS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}


def _quoted_scalar(text: str, kind: type):
    """The bool, int or float a quoted YAML string stands for; the string itself when it is none."""
    word = text.strip()
    if kind is bool:
        if word in (word.lower(), word.capitalize(), word.upper()) and word.lower() in _BOOL_WORDS:
            return _BOOL_WORDS[word.lower()]
    elif _INT_TEXT.fullmatch(word):
        number = int(word, 0) if word.lstrip("+-")[:2] in ("0x", "0o") else int(word)
        return number if kind is int else float(number)
    elif kind is float:
        if _FLOAT_TEXT.fullmatch(word):
            return float(word)
        sign, bare = (word[0], word[1:]) if word[:1] in "+-" else ("", word)
        if bare in (".inf", ".Inf", ".INF") or (not sign and bare in (".nan", ".NaN", ".NAN")):
            return _FLOAT_WORDS[(sign + bare).lower()]
    return text


class ComplexType(ParamType):
    """A complex number, GXF's complex64 (two 32-bit floats) or complex128 (two 64-bit floats).

    Accepted: a Python complex, an int or float (no imaginary part), or a string such as ``"1+2j"``,
    ``"-0.5-3j"``, ``"4j"`` or ``"2.5"`` (``i`` may stand for ``j``; spaces around the signs are
    allowed), the way complex values are written in graph files. complex64 values are rounded to
    32-bit floats, as they are stored in GXF. Written back to YAML as such a string.
    """

    def __init__(self, bits: int = 128):
        if bits not in (64, 128):
            raise ValueError(f"a complex parameter is complex64 or complex128, not complex{bits}")
        self.bits = bits
        self.label = f"complex{bits}"

    def schema(self) -> dict:
        return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _COMPLEX_PATTERN}],
                "description": f"a {self.label}: a number or a string such as \"1+2j\""}

    def convert(self, value, env):
        if isinstance(value, bool) or not isinstance(value, (int, float, complex, str)):
            raise ValueError(f"expected a {self.label} (e.g. \"1+2j\"), got {_show(value)}")
        if isinstance(value, str):
            text = re.sub(r"\s*([-+])\s*", r"\1", value.strip())  # "1 + 2j" is "1+2j"; "1 2" stays bad
            if text[-1:] in ("i", "I"):
                text = text[:-1] + "j"
            if not re.fullmatch(_COMPLEX_PATTERN, text):
                raise ValueError(f"expected a {self.label} written as e.g. \"1+2j\", got {_show(value)}")
            value = complex(text)
        value = complex(value)
        if self.bits == 64:
            value = complex(_to_float32(value.real), _to_float32(value.imag))
        return value

    def to_yaml(self, value):
        return f"{value.real!r}{value.imag:+}j" if isinstance(value, complex) else value


# A complex number as text: a real part, an imaginary part (ending in j), or both (no spaces).
_REAL = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_COMPLEX_PATTERN = rf"\(?[-+]?(?:{_REAL}(?:[-+]{_REAL}?[jJ])?|{_REAL}?[jJ])\)?"


def _to_float32(number: float) -> float:
    import struct  # only for complex64 values

    try:
        rounded = struct.unpack("f", struct.pack("f", number))[0]
    except OverflowError:
        rounded = math.inf
    if math.isinf(rounded) and not math.isinf(number):
        raise ValueError(f"{number!r} does not fit a 32-bit float (complex64)")
    return rounded


COMPLEX64 = ComplexType(64)
COMPLEX128 = ComplexType(128)


class UnitType(ParamType):
    def __init__(self, kind: type):
        self.kind = kind
        self.parse, self.pattern, self.label, self.numeric = {
            Size: (units.parse_size, units.SIZE_PATTERN, "size", "integer"),
            Frequency: (units.parse_frequency, units.FREQUENCY_PATTERN, "frequency", "number"),
            Duration: (units.parse_duration_ns, units.DURATION_PATTERN, "duration", "integer"),
        }[kind]

    def schema(self) -> dict:
        examples = {Size: '"32KB"', Frequency: '"100Hz"', Duration: '"50ms"'}[self.kind]
        return {"anyOf": [{"type": self.numeric, "minimum": 0},
                          {"type": "string", "pattern": self.pattern}],
                "description": f"a {self.label}: a number or a string with a unit, e.g. {examples}"}

    def convert(self, value, env):
        if isinstance(value, self.kind):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"expected a {self.label}, got {_show(value)}")
        return self.kind(self.parse(value))


class PathType(ParamType):
    """A file path. ``working_dir_fallback``: a relative path missing from the graph file's folder may
    be found in the working folder (FilePath); without it the graph file's folder is the only base
    (GraphRelativePath)."""

    label = "path"

    def __init__(self, working_dir_fallback: bool = True):
        self.working_dir_fallback = working_dir_fallback

    def schema(self) -> dict:
        return {"type": "string"}

    def convert(self, value, env):
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if not isinstance(value, str):
            raise ValueError(f"expected a file path, got {_show(value)}")
        if not self.working_dir_fallback:
            return GraphRelativePath(resolve_path(value, env.base_dir, working_dir_fallback=False))
        return FilePath(resolve_path(value, env.base_dir))


def resolve_path(value: str, base_dir: Path | None, working_dir_fallback: bool = True) -> str:
    """A relative path is taken from ``base_dir`` when it exists there, else (with
    ``working_dir_fallback``) from the working folder. Without a ``base_dir`` (a graph built in Python)
    a relative path stays relative, to the working folder."""
    path = Path(value).expanduser()
    if path.is_absolute() or base_dir is None:
        return str(path)
    candidate = base_dir / path
    if not working_dir_fallback or candidate.exists() or not path.exists():
        return str(candidate)
    return str(path)


class EnumType(ParamType):
    def __init__(self, enum_cls: type[enum.Enum]):
        self.enum_cls = enum_cls
        self.label = enum_cls.__name__

    def _choices(self) -> list:
        out = []
        for member in self.enum_cls:
            out.append(member.name)
            if isinstance(member.value, (int, str)) and member.value not in out:
                out.append(member.value)
        return out

    def schema(self) -> dict:
        return {"enum": self._choices()}

    def convert(self, value, env):
        if isinstance(value, self.enum_cls):
            return value
        if isinstance(value, str):
            for member in self.enum_cls:
                if member.name == value or member.value == value:
                    return member
        try:
            return self.enum_cls(value)
        except (ValueError, TypeError):
            raise ValueError(f"expected one of {self._choices()}, got {_show(value)}") from None

    def to_yaml(self, value):
        return value.name if isinstance(value, enum.Enum) else value


class LiteralType(ParamType):
    def __init__(self, choices: tuple):
        self.choices = choices
        self.label = " | ".join(repr(c) for c in choices)

    def schema(self) -> dict:
        return {"enum": list(self.choices)}

    def convert(self, value, env):
        if value in self.choices:
            return value
        raise ValueError(f"expected one of {list(self.choices)}, got {_show(value)}")


class OptionalType(ParamType):
    def __init__(self, inner: ParamType):
        self.inner = inner
        self.label = f"{inner.label} | null"
        self.has_handles = inner.has_handles

    def schema(self) -> dict:
        return {"anyOf": [self.inner.schema(), {"type": "null"}]}

    def convert(self, value, env):
        return None if value is None else self.inner.convert(value, env)

    def to_yaml(self, value):
        return None if value is None else self.inner.to_yaml(value)


class ListType(ParamType):
    def __init__(self, item: ParamType):
        self.item = item
        self.label = f"list[{item.label}]"
        self.has_handles = item.has_handles

    def schema(self) -> dict:
        return {"type": "array", "items": self.item.schema()}

    def convert(self, value, env):
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {_show(value)}")
        out = []
        for index, item in enumerate(value):
            try:
                out.append(self.item.convert(item, env))
            except ValueError as exc:
                raise ValueError(f"item {index}: {exc}") from None
        return out

    def to_yaml(self, value):
        return [self.item.to_yaml(v) for v in value]


class DictType(ParamType):
    def __init__(self, value_type: ParamType):
        self.value_type = value_type
        self.label = f"dict[str, {value_type.label}]"
        self.has_handles = value_type.has_handles

    def schema(self) -> dict:
        return {"type": "object", "additionalProperties": self.value_type.schema()}

    def convert(self, value, env):
        if not isinstance(value, dict):
            raise ValueError(f"expected a mapping, got {_show(value)}")
        out = {}
        for key, item in value.items():
            try:
                out[key] = self.value_type.convert(item, env)
            except ValueError as exc:
                raise ValueError(f"key {shown(key)}: {exc}") from None
        return out

    def to_yaml(self, value):
        return {k: self.value_type.to_yaml(v) for k, v in value.items()}


class Handle(ParamType):
    """A reference to another component, written ``name`` (same entity) or ``entity/name``.

    ``Handle(Receiver)`` accepts any component that is a ``Receiver``; the target may also be given
    as a GXF type name (``Handle("nvidia::gxf::Allocator")``) to avoid an import.
    """

    has_handles = True

    def __init__(self, target: type | str):
        self.target = target
        name = target if isinstance(target, str) else getattr(target, "_gxf_type_name", None)
        self.label = f"handle[{name or getattr(target, '__name__', target)}]"

    def target_type_name(self) -> str | None:
        if isinstance(self.target, str):
            return self.target
        return getattr(self.target, "_gxf_type_name", None)

    def schema(self) -> dict:
        schema = {"type": "string", "pattern": r"^[^/\s]+(/[^\s]+)?$"}
        name = self.target_type_name()
        if name:
            schema["description"] = f"handle to a {name}: 'component' in this entity or 'entity/component'"
        return schema

    def convert(self, value, env):
        if isinstance(value, HandleTarget):
            return value
        if isinstance(value, HandleRef):
            return value
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"expected a handle ('component' or 'entity/component'), got {_show(value)}")
        return HandleRef(value.strip(), env.scope, env.location)

    def to_yaml(self, value):
        if isinstance(value, HandleTarget):
            return value.handle_text()
        if isinstance(value, HandleRef):
            return value.text
        return value


def param_type(annotation) -> ParamType:
    """The ParamType for a declared type: builtins, list/dict generics, enums, units, handles."""
    if isinstance(annotation, ParamType):
        return annotation
    if annotation is Any or annotation is object:
        return AnyType()
    if annotation in (bool, int, float, str):
        return ScalarType(annotation)
    if annotation is complex:
        return ComplexType(128)
    if annotation in (Size, Frequency, Duration):
        return UnitType(annotation)
    if annotation is GraphRelativePath:
        return PathType(working_dir_fallback=False)
    if annotation in (FilePath, Path):
        return PathType()
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return EnumType(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple, typing.Sequence) or annotation in (list, tuple):
        return ListType(param_type(args[0] if args else Any))
    if origin is dict or annotation is dict:
        return DictType(param_type(args[1] if len(args) == 2 else Any))
    if origin is typing.Literal:
        return LiteralType(args)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2:
            return OptionalType(param_type(rest[0]))
        return AnyType()
    raise TypeError(f"unsupported parameter type {annotation!r}")


class Parameter:
    """A declared parameter of a component type.

    ``type``: the value type (see ``param_type``). ``default``: the value when the graph sets none;
    without one the parameter is required unless ``optional``. ``optional``: may stay unset (None).
    ``key``: the name in graph files when it differs from the attribute name.
    ``minimum`` / ``maximum``: the smallest and largest number allowed (for a list or mapping, of each
    item); ``choices``: the only values allowed. They are checked whenever the parameter is set (so
    ``gxf validate`` and ``gxf run`` refuse the same values) and appear in the JSON Schema
    (``minimum``, ``maximum``, ``enum``), so that editors catch them too.
    """

    __slots__ = ("type", "ptype", "default", "description", "optional", "key", "attr", "_initial",
                 "minimum", "maximum", "choices")

    def __init__(self, type=Any, default=REQUIRED, description: str = "", *,
                 optional: bool = False, key: str | None = None, minimum: float | None = None,
                 maximum: float | None = None, choices: Iterable | None = None):
        self.type = type
        self.ptype = param_type(type)
        self.default = default
        self._initial = _convert_default(self.ptype, default)
        self.description = one_line(description)
        self.optional = optional
        self.key = key
        self.attr = key
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValueError(f"parameter minimum {minimum!r} is above its maximum {maximum!r}")
        self.minimum = minimum
        self.maximum = maximum
        self.choices = tuple(choices) if choices is not None else None

    def __set_name__(self, owner, name: str) -> None:
        self.attr = name
        if self.key is None:
            self.key = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        raise ParameterError(
            f"parameter '{self.key}' of {obj.describe_self()} is required but was never set",
            getattr(obj, "location", None),
            f"set '{self.key}' under the component's parameters",
        )

    @property
    def required(self) -> bool:
        return self.default is REQUIRED and not self.optional

    @property
    def bounded(self) -> bool:
        """True when the parameter declares a minimum, a maximum or choices."""
        return self.minimum is not None or self.maximum is not None or self.choices is not None

    def value_problem(self, value) -> str | None:
        """What is wrong with a converted ``value`` against the declared range and choices, or None.

        A list or mapping is checked item by item (the message names the item); None (an optional
        parameter left unset) always passes.
        """
        if not self.bounded:
            return None
        return _bounds_problem(value, self.minimum, self.maximum, self.choices)

    def initial_value(self):
        if self.default is REQUIRED:
            return None if self.optional else REQUIRED
        default = self._initial
        return copy.copy(default) if isinstance(default, (list, dict, set)) else default

    def schema(self) -> dict:
        schema = dict(self.ptype.schema())
        if self.bounded:
            schema = _bounded_schema(schema, self.minimum, self.maximum, self.choices)
        if self.description:
            schema["description"] = self.description if "description" not in schema else (
                f"{self.description} ({schema['description']})")
        if self.default is not REQUIRED and self.default is not None:
            try:
                default = self.ptype.to_yaml(self.default)
                if isinstance(default, (bool, int, float, str, list, dict)):
                    schema["default"] = default
            except Exception:  # noqa: BLE001 - a default that cannot be shown is simply not shown
                pass
        if self.optional and self.default is REQUIRED:
            schema = {"anyOf": [schema, {"type": "null"}]} if "anyOf" not in schema else schema
        return schema

    def default_text(self) -> str:
        if self.default is REQUIRED:
            return "-"
        return repr(self.ptype.to_yaml(self.default))

    def flags_text(self) -> str:
        if self.required:
            return "required"
        return "optional"


def _bounds_problem(value, minimum, maximum, choices) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            problem = _bounds_problem(item, minimum, maximum, choices)
            if problem:
                return f"item {index}: {problem}"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _bounds_problem(item, minimum, maximum, choices)
            if problem:
                return f"key {shown(key)}: {problem}"
        return None
    plain = value.value if isinstance(value, enum.Enum) else value
    if choices is not None and plain not in choices and value not in choices:
        return f"must be one of {', '.join(_choice_text(c) for c in choices)}, got {shown(plain)}"
    if isinstance(plain, (int, float)) and not isinstance(plain, bool):
        if minimum is not None and plain < minimum:
            return f"must be at least {minimum!r}, got {plain!r}"
        if maximum is not None and plain > maximum:
            return f"must be at most {maximum!r}, got {plain!r}"
    return None


def _choice_text(choice) -> str:
    return repr(choice) if isinstance(choice, str) else str(choice)


def _bounded_schema(schema: dict, minimum, maximum, choices) -> dict:
    """``schema`` with ``minimum``/``maximum`` on its numeric parts and ``enum`` on its values."""
    schema = dict(schema)
    kind = schema.get("type")
    if "anyOf" in schema:
        schema["anyOf"] = [_bounded_schema(part, minimum, maximum, choices) if part.get("type") != "null"
                           else part for part in schema["anyOf"]]
        return schema
    if kind == "array" and isinstance(schema.get("items"), dict):
        schema["items"] = _bounded_schema(schema["items"], minimum, maximum, choices)
        return schema
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        schema["additionalProperties"] = _bounded_schema(schema["additionalProperties"], minimum, maximum,
                                                         choices)
        return schema
    if choices is not None:
        allowed = [c.value if isinstance(c, enum.Enum) else c for c in choices]
        schema["enum"] = [c for c in allowed if "enum" not in schema or c in schema["enum"]]
    if kind in ("integer", "number"):
        if minimum is not None:
            schema["minimum"] = max(minimum, schema.get("minimum", minimum))
        if maximum is not None:
            schema["maximum"] = maximum
    return schema


def _convert_default(ptype: ParamType, default):
    """A declared default as the graph would set it (``"1KB"`` -> 1000); kept as is if it won't convert."""
    if default is REQUIRED or default is None:
        return default
    try:
        return ptype.convert(default, ConvertEnv())
    except (ValueError, TypeError):
        return default


def _show(value) -> str:
    return f"{shown(value)} ({yaml_kind(value)})"
