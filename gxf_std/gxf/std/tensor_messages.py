"""Tensors in messages: adding tensors to message entities and finding them there, as in GXF's Python API.

A tensor's component name is its key in a message: ``Tensor.add_to_entity(message, "image")`` adds an
empty tensor called ``image``, ``Tensor.get_from_entity(message, "image")`` finds it again, and
``Tensor.find_all_from_entity(message)`` lists every tensor in the order they were added.
``Tensor.add_np_array_as_tensor_to_entity`` adds a copy of a NumPy array in one call.
"""

from __future__ import annotations

from .array_interop import HostView
from .memory_storage import MemoryStorageType
from .primitive_type import from_typestr
from .shape import Shape
from .tensor_layout import TensorError

__all__ = ["check_message_entity"]

_kHost = MemoryStorageType.kHost
_Tensor = None  # the class TensorMessages is mixed into (Tensor): the helpers make and find it


class TensorMessages:
    """The part of Tensor that puts tensors in message entities and finds them there (a mix-in of Tensor).

    Its methods are static, as in GXF's binding (``Tensor.add_to_entity(message, name)``) and as fast to
    call as any function; the class they make and find is the one that mixes TensorMessages in.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        global _Tensor
        if _Tensor is None:  # Tensor itself, not a subclass of it
            _Tensor = cls

    @staticmethod
    def add_to_entity(message, tensor=None, name: str = ""):
        """Adds a tensor to ``message`` and returns it: ``add_to_entity(message, name)`` adds an empty one,
        ``add_to_entity(message, tensor, name)`` adds ``tensor`` (moving its contents into a new
        component when it already belongs to an entity, as GXF moves it)."""
        if isinstance(tensor, _Tensor):
            if tensor.entity is not None:
                moved = _Tensor()
                moved._take(tensor)
                tensor = moved
        else:
            if tensor is not None:
                if not isinstance(tensor, str):
                    raise TensorError(f"add_to_entity(message, name): the name must be a string, not "
                                      f"{tensor!r}")
                name = tensor
            tensor = _Tensor()
        check_message_entity(message, "add_to_entity")
        message.add(tensor, name or "")
        return tensor

    @staticmethod
    def get_from_entity(message=None, name: str | None = None):
        """The tensor called ``name`` in ``message`` (the first tensor without a name)."""
        check_message_entity(message, "get_from_entity")
        for component in message.components:
            if isinstance(component, _Tensor) and (name is None or component.name == name):
                return component
        names = [c.name or "(unnamed)" for c in message.components if isinstance(c, _Tensor)]
        what = f"no tensor named '{name}'" if name is not None else "no tensor"
        raise TensorError(f"the message has {what}", hint=f"tensors in it: {', '.join(names) or 'none'}")

    @staticmethod
    def find_all_from_entity(message) -> list:
        """Every tensor of ``message``, in the order they were added."""
        check_message_entity(message, "find_all_from_entity")
        return [c for c in message.components if isinstance(c, _Tensor)]

    @staticmethod
    def add_np_array_as_tensor_to_entity(message, name: str, array, allocator=None):
        """Adds a kHost tensor holding a copy of ``array`` to ``message`` and returns it.

        The memory comes from ``allocator`` when one is given (as in GXF), else it is new memory.
        """
        import numpy  # on first use only: importing gxf.std never imports NumPy

        array = numpy.asarray(array)
        tensor = _Tensor.add_to_entity(message, name)
        if allocator is None:
            copy = numpy.array(array, copy=True, order="C")
            tensor._wrap_numpy(copy, _kHost, copy)
            return tensor
        dtype = array.dtype
        tensor.reshape_custom(Shape(array.shape), from_typestr(dtype.str), dtype.itemsize, None, _kHost,
                              allocator)
        interface = {"shape": array.shape, "typestr": dtype.str, "data": (tensor._address, False),
                     "strides": tensor._strides or None, "version": 3}
        if dtype.fields is not None:
            interface["descr"] = dtype.descr
        numpy.asarray(HostView(tensor, interface))[...] = array
        return tensor


def check_message_entity(message, what: str) -> None:
    """Raises TensorError unless ``message`` is a message entity; ``what`` names the Tensor method."""
    if getattr(message, "components", None) is None or not hasattr(message, "add"):
        raise TensorError(f"Tensor.{what}() needs a message entity, not {message!r}",
                          hint="create one with MessageEntity(context) or receive one from a Receiver")
