"""Parameter types with GXF's C++ shapes: fixed-width integers, fixed-capacity vectors and strings,
fixed-length arrays, and YAML text.

GXF components declare ``Parameter<uint8_t>``, ``FixedVector<int, 4>`` or ``std::array<double, 2>``;
a value that does not fit is refused when the graph loads. These types do the same for Python
components and say so in their JSON Schema (minimum/maximum, maxItems, maxLength).
"""

from __future__ import annotations

import yaml

from gxf.core.parameters import ListType, ParamType, param_type


class FixedInt(ParamType):
    """An integer of a given bit width and signedness (``int8_t`` ... ``uint64_t``)."""

    def __init__(self, bits: int, signed: bool):
        self.bits = bits
        self.signed = signed
        self.label = f"{'' if signed else 'u'}int{bits}"
        self.minimum = -(1 << (bits - 1)) if signed else 0
        self.maximum = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1

    def schema(self) -> dict:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}

    def convert(self, value, env):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected {self.label}, got {value!r} ({type(value).__name__})")
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"{value} does not fit in {self.label} ({self.minimum}..{self.maximum})")
        return value


INT8, INT16, INT32, INT64 = (FixedInt(b, True) for b in (8, 16, 32, 64))
UINT8, UINT16, UINT32, UINT64 = (FixedInt(b, False) for b in (8, 16, 32, 64))


class BoundedList(ListType):
    """A list with at most ``max_size`` items (``nvidia::FixedVector<T, N>``), or exactly ``size``
    items (``std::array<T, N>``)."""

    def __init__(self, item, max_size: int | None = None, size: int | None = None):
        super().__init__(param_type(item))
        self.max_size = max_size
        self.size = size
        bound = f"{size}" if size is not None else f"<={max_size}"
        self.label = f"list[{self.item.label}; {bound}]"

    def schema(self) -> dict:
        schema = super().schema()
        if self.size is not None:
            schema["minItems"] = schema["maxItems"] = self.size
        elif self.max_size is not None:
            schema["maxItems"] = self.max_size
        return schema

    def convert(self, value, env):
        out = super().convert(value, env)
        if self.size is not None and len(out) != self.size:
            raise ValueError(f"expected exactly {self.size} items, got {len(out)}")
        if self.max_size is not None and len(out) > self.max_size:
            raise ValueError(f"expected at most {self.max_size} items, got {len(out)}")
        return out


def FixedVector(item, max_size: int) -> BoundedList:  # noqa: N802 - named for GXF's type
    """At most ``max_size`` items of ``item``."""
    return BoundedList(item, max_size=max_size)


def Array(item, size: int) -> BoundedList:  # noqa: N802 - named for std::array
    """Exactly ``size`` items of ``item``."""
    return BoundedList(item, size=size)


class FixedString(ParamType):
    """A string of at most ``max_length`` characters (``nvidia::FixedString<N>``)."""

    def __init__(self, max_length: int):
        self.max_length = max_length
        self.label = f"str[<={max_length}]"

    def schema(self) -> dict:
        return {"type": "string", "maxLength": self.max_length}

    def convert(self, value, env):
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {value!r} ({type(value).__name__})")
        if len(value) > self.max_length:
            raise ValueError(f"{value!r} is longer than {self.max_length} characters")
        return value


class _BlockDumper(yaml.SafeDumper):
    """Block-style YAML with lists indented under their key, as GXF's YAML emitter writes them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _plain(value):
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class YamlText(ParamType):
    """A string; a YAML mapping or list given instead is kept as its YAML text.

    GXF reads a ``std::string`` parameter from any YAML node this way.
    """

    label = "str"

    def schema(self) -> dict:
        return {}

    def convert(self, value, env):
        if isinstance(value, str):
            return value
        if isinstance(value, (dict, list, tuple)):
            return yaml.dump(_plain(value), Dumper=_BlockDumper, default_flow_style=False,
                             sort_keys=False).rstrip("\n")
        if value is None or isinstance(value, (bool, int, float)):
            raise ValueError(f"expected a string or a YAML mapping/list, got {value!r}")
        raise ValueError(f"expected a string, got {type(value).__name__}")
