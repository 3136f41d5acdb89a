"""PrimitiveType: the element types a tensor can hold, with GXF's names and values.

Each type maps to a NumPy type string (``"<f4"``) so that tensors can describe themselves through the
array interfaces without importing NumPy; ``to_dtype`` and ``from_dtype`` convert when NumPy is
already in use.
"""

from __future__ import annotations

import enum
import sys


class PrimitiveType(enum.IntEnum):
    """Type of the elements of a tensor (GXF's ``nvidia::gxf::PrimitiveType``)."""

    kCustom = 0
    kInt8 = 1
    kUnsigned8 = 2
    kInt16 = 3
    kUnsigned16 = 4
    kInt32 = 5
    kUnsigned32 = 6
    kInt64 = 7
    kUnsigned64 = 8
    kFloat32 = 9
    kFloat64 = 10
    kComplex64 = 11
    kComplex128 = 12
    kFloat16 = 13


_ORDER = "<" if sys.byteorder == "little" else ">"

# The NumPy type string of every type but kCustom; its item size is the element size.
TYPESTR: dict[PrimitiveType, str] = {
    PrimitiveType.kInt8: "|i1",
    PrimitiveType.kUnsigned8: "|u1",
    PrimitiveType.kInt16: _ORDER + "i2",
    PrimitiveType.kUnsigned16: _ORDER + "u2",
    PrimitiveType.kInt32: _ORDER + "i4",
    PrimitiveType.kUnsigned32: _ORDER + "u4",
    PrimitiveType.kInt64: _ORDER + "i8",
    PrimitiveType.kUnsigned64: _ORDER + "u8",
    PrimitiveType.kFloat16: _ORDER + "f2",
    PrimitiveType.kFloat32: _ORDER + "f4",
    PrimitiveType.kFloat64: _ORDER + "f8",
    PrimitiveType.kComplex64: _ORDER + "c8",
    PrimitiveType.kComplex128: _ORDER + "c16",
}
_FROM_TYPESTR = {text: ptype for ptype, text in TYPESTR.items()}
_SIZES = {ptype: int(text[2:]) for ptype, text in TYPESTR.items()}
_SIZES[PrimitiveType.kCustom] = 0


def primitive_type_size(ptype: PrimitiveType) -> int:
    """Bytes per element of ``ptype``; 0 for kCustom (GXF's ``PrimitiveTypeSize``)."""
    return _SIZES[ptype]


def as_primitive_type(value) -> PrimitiveType:
    """A PrimitiveType from itself, its value, its name (``"kFloat32"``) or a NumPy dtype."""
    if value.__class__ is PrimitiveType:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return PrimitiveType(value)
    if isinstance(value, str) and value in PrimitiveType.__members__:
        return PrimitiveType[value]
    import numpy

    try:
        return from_typestr(numpy.dtype(value).str)
    except TypeError:
        raise ValueError(f"{value!r} is not a PrimitiveType: use PrimitiveType.kFloat32, its name "
                         "'kFloat32', or a NumPy dtype") from None


def from_typestr(typestr: str) -> PrimitiveType:
    """The PrimitiveType of a NumPy type string; kCustom for any other (e.g. ``"|b1"``, ``"|V8"``)."""
    ptype = _FROM_TYPESTR.get(typestr)
    if ptype is None and typestr[:1] == "=":
        ptype = _FROM_TYPESTR.get(_ORDER + typestr[1:])
    return PrimitiveType.kCustom if ptype is None else ptype


def from_dtype(dtype) -> PrimitiveType:
    """The PrimitiveType of a NumPy (or CuPy) dtype; kCustom for one GXF has no type for."""
    return from_typestr(dtype.str)


def typestr(ptype: PrimitiveType, bytes_per_element: int) -> str:
    """The NumPy type string of one element: the type's own, or raw bytes for kCustom."""
    text = TYPESTR.get(ptype)
    return text if text is not None else f"|V{bytes_per_element}"


def to_dtype(ptype: PrimitiveType, bytes_per_element: int | None = None):
    """The NumPy dtype of ``ptype`` (raw bytes of ``bytes_per_element`` for kCustom); imports NumPy."""
    import numpy

    return numpy.dtype(typestr(ptype, bytes_per_element or _SIZES[ptype] or 1))
