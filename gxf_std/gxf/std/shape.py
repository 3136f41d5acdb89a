"""Shape: the rank and dimensions of a tensor (at most eight)."""

from __future__ import annotations

from gxf.core import GxfError


class Shape:
    """The dimensions of a tensor, ``Shape([rows, cols])``; ``Shape()`` is rank 0 (an empty tensor).

    As in GXF, ``size()`` is 0 for rank 0, and ``dimension(i)`` is 0 for rank 0 and 1 past the rank.
    """

    kMaxRank = 8

    __slots__ = ("_dims",)

    def __init__(self, dims=()):
        if dims.__class__ is not tuple:
            if isinstance(dims, Shape):
                dims = dims._dims
            else:
                try:
                    dims = tuple(dims)
                except TypeError:
                    raise GxfError(f"a Shape is made from a list of dimensions, not {dims!r}",
                                   hint="write Shape([rows, cols])") from None
        if len(dims) > 8:
            raise GxfError(f"shape {list(dims)} has rank {len(dims)}, but a tensor has at most 8 dimensions",
                           hint="reshape the data to 8 dimensions or fewer")
        for dim in dims:
            if dim.__class__ is not int:
                if not hasattr(dim, "__index__") or isinstance(dim, bool):
                    raise GxfError(f"shape {list(dims)}: dimension {dim!r} is not an integer")
                dims = tuple(int(d) for d in dims)
                break
        self._dims = dims

    def rank(self) -> int:
        return len(self._dims)

    def size(self) -> int:
        """The number of elements: the product of the dimensions (0 for rank 0)."""
        dims = self._dims
        if not dims:
            return 0
        count = 1
        for dim in dims:
            count *= dim
        return count

    def dimension(self, index: int) -> int:
        dims = self._dims
        if not dims:
            return 0
        return dims[index] if 0 <= index < len(dims) else 1

    def valid(self) -> bool:
        """True if every dimension is positive."""
        return all(dim > 0 for dim in self._dims)

    @property
    def dims(self) -> tuple[int, ...]:
        return self._dims

    def __eq__(self, other) -> bool:
        if isinstance(other, Shape):
            return self._dims == other._dims
        if isinstance(other, (tuple, list)):
            return self._dims == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._dims)

    def __iter__(self):
        return iter(self._dims)

    def __len__(self) -> int:
        return len(self._dims)

    def __getitem__(self, index: int) -> int:
        return self._dims[index]

    def __repr__(self) -> str:
        return f"Shape({list(self._dims)})"


EMPTY_SHAPE = Shape()
