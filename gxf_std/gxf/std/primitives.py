"""Primitive values as message components: int8 ... uint64, float32/64, bool, complex64/128.

GXF lets a message hold a plain value as a named component (``message.add<int32_t>("Integer")``).
Here each such type is a small component with a ``value``, registered under GXF's type name::

    message.add(Int32(9999), "Integer")         # or Int32.add_to_entity(message, 9999, "Integer")
    message.get(Int32, "Integer").value          # or Int32.get_from_entity(message, "Integer")
    message.find_all(Int32)                      # every int32 of the message

Values are checked and converted when the component is made (an int8 refuses 300, a float32 is
rounded to single precision); ``value`` is a plain attribute afterwards.
"""

from __future__ import annotations

import math
import struct

from gxf.core import Component


class Primitive(Component):
    """Base of the primitive value components: one ``value`` of the type's kind."""

    dtype = ""  # NumPy's name for the type

    def __init__(self, value=0) -> None:
        Component.__init__(self)
        self.value = self.convert(value)

    @classmethod
    def convert(cls, value):
        """``value`` as this type holds it; TypeError or ValueError when it does not fit."""
        raise NotImplementedError

    @classmethod
    def add_to_entity(cls, message, value, name: str = ""):
        """Adds ``value`` to ``message`` as a component of this type called ``name``; returns it."""
        return message.add(cls(value), name)

    @classmethod
    def get_from_entity(cls, message, name: str | None = None):
        """The value of the component of this type called ``name`` (the first one when None)."""
        for component in message.components:
            if component.__class__ is cls and (name is None or component.name == name):
                return component.value
        what = f"called '{name}' " if name else ""
        raise KeyError(f"the message has no {cls.type_name()} {what}".rstrip())

    def __repr__(self) -> str:
        name = f" {self.name}" if self.name else ""
        return f"<{self.type_name()}{name} value={self.value!r}>"


def _integer(bits: int, signed: bool):
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)

    @classmethod
    def convert(cls, value):
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise TypeError(f"{cls.type_name()} holds integers, got {value!r} ({type(value).__name__})")
        value = int(value)
        if not low <= value <= high:
            raise ValueError(f"{value} does not fit in {cls.type_name()} ({low} .. {high})")
        return value

    return convert


def _is_real(value) -> bool:
    return not isinstance(value, (bool, complex, str, bytes)) and hasattr(value, "__float__")


def _single(cls, value: float) -> float:
    """``value`` rounded to single precision; a finite value too large for it is refused."""
    single = struct.unpack("f", struct.pack("f", value))[0]
    if math.isinf(single) and math.isfinite(value):
        raise ValueError(f"{value} does not fit in {cls.type_name()}")
    return single


def _float(single: bool):
    @classmethod
    def convert(cls, value):
        if not _is_real(value):
            raise TypeError(f"{cls.type_name()} holds real numbers, got {value!r} ({type(value).__name__})")
        value = float(value)
        return _single(cls, value) if single else value

    return convert


def _complex(single: bool):
    @classmethod
    def convert(cls, value):
        if not (_is_real(value) or isinstance(value, complex) or hasattr(value, "__complex__")) \
                or isinstance(value, bool):
            raise TypeError(f"{cls.type_name()} holds complex numbers, got {value!r} "
                            f"({type(value).__name__})")
        value = complex(value)
        return complex(_single(cls, value.real), _single(cls, value.imag)) if single else value

    return convert


class Int8(Primitive, type_name="int8_t", uuid="83905c6a-ca34-4f40-b474-cf2cde8274de"):
    """A signed 8-bit integer."""
    dtype = "int8"
    convert = _integer(8, True)


class UInt8(Primitive, type_name="uint8_t", uuid="d4299e15-0006-d0bf-8cbd-9b743575e155"):
    """An unsigned 8-bit integer."""
    dtype = "uint8"
    convert = _integer(8, False)


class Int16(Primitive, type_name="int16_t", uuid="9e1dde79-3550-307d-e81a-b864890b3685"):
    """A signed 16-bit integer."""
    dtype = "int16"
    convert = _integer(16, True)


class UInt16(Primitive, type_name="uint16_t", uuid="958cbdef-b505-bcc7-8a43-dc4b23f8cead"):
    """An unsigned 16-bit integer."""
    dtype = "uint16"
    convert = _integer(16, False)


class Int32(Primitive, type_name="int32_t", uuid="b557ec7f-49a5-08f7-a35e-086e9d1ea767"):
    """A signed 32-bit integer."""
    dtype = "int32"
    convert = _integer(32, True)


class UInt32(Primitive, type_name="uint32_t", uuid="d5506b68-5c86-fedb-a2a2-a7bae38ff3ef"):
    """An unsigned 32-bit integer."""
    dtype = "uint32"
    convert = _integer(32, False)


class Int64(Primitive, type_name="int64_t", uuid="c611627b-6393-365f-d234-1f26bfa8d28f"):
    """A signed 64-bit integer."""
    dtype = "int64"
    convert = _integer(64, True)


class UInt64(Primitive, type_name="uint64_t", uuid="c4385f5b-6e25-01d9-d7b5-6e7cadc704e8"):
    """An unsigned 64-bit integer."""
    dtype = "uint64"
    convert = _integer(64, False)


class Float32(Primitive, type_name="float", uuid="a81bf295-421f-49ef-f24a-f59e9ea0d5d6"):
    """A single-precision floating-point number."""
    dtype = "float32"
    convert = _float(True)


class Float64(Primitive, type_name="double", uuid="d57cee59-686f-e26d-95be-659c126b02ea"):
    """A double-precision floating-point number."""
    dtype = "float64"
    convert = _float(False)


class Bool(Primitive, type_name="bool", uuid="c02f9e93-d01b-1d29-f523-78d2a9195128"):
    """A boolean."""
    dtype = "bool"

    @classmethod
    def convert(cls, value):
        if isinstance(value, bool) or type(value).__name__ == "bool_":  # NumPy's bool too
            return bool(value)
        raise TypeError(f"bool holds True or False, got {value!r} ({type(value).__name__})")


class Complex64(Primitive, type_name="nvidia::gxf::complex64", uuid="97edf903-4ea5-4e59-8a44-de9754d40b7f"):
    """A complex number of two single-precision floats."""
    dtype = "complex64"
    convert = _complex(True)


class Complex128(Primitive, type_name="nvidia::gxf::complex128", uuid="0a401e6d-4ca7-4d21-a6a0-fe6a2fcc37ea"):
    """A complex number of two double-precision floats."""
    dtype = "complex128"
    convert = _complex(False)


PRIMITIVES = (Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float32, Float64, Bool,
              Complex64, Complex128)
